"""The contracts of one or more bodies as CSV or XLSX: regime, dates, values, the PPN 009 risk
of the procurement that awarded each, its modern slavery clause, KPIs and latest rating.

Each column is one line of COLUMNS: its header and kind, and how a ContractRow fills it. A new
column is one more line (and, if it needs data the row lacks, one more field of ContractRow,
filled in contract_rows)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.documents import exports
from tisc.models import Contract, Organisation, Procurement
from tisc.rules.debarment import strongest
from tisc.rules.procurement import KpiCheck, clause_words
from tisc.rules.years import FinancialYear
from tisc.services.errors import ValidationError
from tisc.services.exclusions.matches import Match, find_matches
from tisc.services.procurements.contract_management import kpi_checks, latest_ratings


@dataclass(frozen=True)
class ContractRow:
    """What one line of the export is made from."""

    org: Organisation
    contract: Contract
    procurement: Procurement | None
    check: KpiCheck
    rating: str | None  # "Good (2024/25)"
    debarment: str  # "No", "company number", "name (check)", "Connected person: … (PPON)"


Fill = Callable[[ContractRow], exports.Cell]


def _ppn009(row: ContractRow) -> str | None:
    procurement = row.procurement
    if procurement is None or procurement.assessment is None:
        return None
    return procurement.assessment.overall.label


COLUMNS: tuple[tuple[exports.Column, Fill], ...] = (
    (exports.Column("Organisation"), lambda r: r.org.name),
    (exports.Column("Supplier"), lambda r: r.contract.supplier.name),
    (exports.Column("Contract"), lambda r: r.contract.title),
    (exports.Column("Reference"), lambda r: r.contract.reference),
    (exports.Column("Regime"), lambda r: r.contract.regime.short if r.contract.regime else None),
    (exports.Column("Start", exports.Kind.DATE), lambda r: r.contract.start_date),
    (exports.Column("End", exports.Kind.DATE), lambda r: r.contract.end_date),
    (exports.Column("Annual value", exports.Kind.MONEY), lambda r: r.contract.annual_value),
    (exports.Column("Total value", exports.Kind.MONEY), lambda r: r.contract.total_value),
    (exports.Column("Procurement"), lambda r: r.procurement.title if r.procurement else None),
    (exports.Column("PPN 009 risk"), _ppn009),
    (
        exports.Column("Modern slavery clause"),
        lambda r: clause_words(r.contract.modern_slavery_clause),
    ),
    (exports.Column("KPIs", exports.Kind.COUNT), lambda r: r.check.kpis),
    (exports.Column("Over £5m missing KPIs"), lambda r: "Yes" if r.check.missing else "No"),
    (exports.Column("Value checked"), lambda r: r.check.basis),
    (exports.Column("Performance rating"), lambda r: r.rating),
    (exports.Column("Debarment match"), lambda r: r.debarment),
)
HEADER = tuple(column for column, _ in COLUMNS)


def _debarment_words(matches: Sequence[Match]) -> str:
    """How a supplier is on the debarment list in force: itself (the strongest match kind, a
    name alone "(check)"), else through a connected person or subcontractor; "No" if not."""
    own = [m.kind for m in matches if m.via_kind is None]
    if own:
        kind = strongest(own)
        return f"{kind.label} (check)" if kind.needs_check else kind.label
    if matches:
        first = matches[0]
        return f"{first.via} ({first.kind.label})"
    return "No"


def contract_rows(
    *, organisations: Sequence[Organisation], today: date | None = None
) -> Iterator[ContractRow]:
    """Every contract of the bodies, body by body, by supplier then start date, with its
    supplier's match on the debarment list in force `today` (by default the real date)."""
    for org in organisations:
        contracts = db.session.scalars(
            select(Contract)
            .where(Contract.organisation_id == org.id)
            .options(selectinload(Contract.supplier))
            .order_by(Contract.start_date, Contract.id)
        ).all()
        contracts = sorted(contracts, key=lambda c: c.supplier.name.casefold())
        ids = [c.id for c in contracts]
        checks = kpi_checks(contracts=contracts)
        latest = latest_ratings(ids)
        awarded: dict[int, Procurement] = {}
        if ids:
            found = db.session.scalars(
                select(Procurement)
                .where(Procurement.contract_id.in_(ids))
                .options(selectinload(Procurement.assessment))
                .order_by(Procurement.id)
            )
            for procurement in found:
                assert procurement.contract_id is not None
                awarded[procurement.contract_id] = procurement  # the newest wins
        listed: dict[int, list[Match]] = {}
        if contracts:
            suppliers = {c.supplier_id for c in contracts}
            for match in find_matches(organisations=[org], supplier_ids=suppliers, today=today):
                listed.setdefault(match.supplier_id, []).append(match)
        for contract in contracts:
            rating = latest.get(contract.id)
            words = None
            if rating is not None:
                words = f"{rating.rating.label} ({FinancialYear(rating.financial_year).label})"
            yield ContractRow(
                org,
                contract,
                awarded.get(contract.id),
                checks[contract.id],
                words,
                _debarment_words(listed.get(contract.supplier_id, [])),
            )


def export_contracts(
    *,
    organisations: Sequence[Organisation],
    file_format: str,
    owner: str | None = None,
    today: date | None = None,
) -> bytes:
    """The contracts as CSV or XLSX bytes; text never becomes a formula. `owner` names whose
    contracts they are in the workbook's title (a partnership's name)."""
    rows = (
        tuple(fill(row) for _, fill in COLUMNS)
        for row in contract_rows(organisations=organisations, today=today)
    )
    if file_format == "csv":
        return exports.write_csv(HEADER, rows)
    if file_format == "xlsx":
        whose = owner or (
            organisations[0].name if len(organisations) == 1 else f"{len(organisations)} bodies"
        )
        return exports.write_xlsx(HEADER, rows, sheet="Contracts", title=f"Contracts – {whose}")
    raise ValidationError("Choose CSV or XLSX", field="format")
