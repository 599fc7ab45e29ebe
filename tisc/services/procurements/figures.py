"""The procurement and contract management counts the board and the statement read, for a set
of bodies and a financial year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import Contract, Organisation, Procurement
from tisc.rules.ppn009 import Level, is_late
from tisc.rules.years import FinancialYear, long_date
from tisc.services.exclusions.matches import exclusion_counts
from tisc.services.procurements.contract_management import kpi_checks


@dataclass(frozen=True)
class ProcurementCounts:
    """Counts for a financial year.

    procurements: those whose tender notice is in the year (a procurement with no tender
    notice yet is not counted: it has not started). assessed: those of them with a PPN 009
    assessment, and by_level how many at each overall level; late: assessments recorded after
    the tender notice. contracts: contracts running for any part of the year; with_clause: of
    them, those with a modern slavery clause (clause_not_recorded: not recorded either way);
    missing_kpis: of them, over £5m (total value, else annual) with fewer than three KPIs.
    """

    financial_year: int
    procurements: int = 0
    assessed: int = 0
    by_level: dict[Level, int] = field(default_factory=lambda: dict.fromkeys(Level, 0))
    late: int = 0
    contracts: int = 0
    with_clause: int = 0
    clause_not_recorded: int = 0
    missing_kpis: int = 0

    @property
    def not_assessed(self) -> int:
        return self.procurements - self.assessed


def procurement_counts(
    *, organisations: Sequence[Organisation], financial_year: int
) -> ProcurementCounts:
    """The counts of ProcurementCounts across the bodies for the financial year."""
    year = FinancialYear(financial_year)
    ids = [org.id for org in organisations]
    procurements = db.session.scalars(
        select(Procurement)
        .where(
            Procurement.organisation_id.in_(ids),
            Procurement.tender_notice_on.between(year.starts, year.ends),
        )
        .options(selectinload(Procurement.assessment))
    ).all()
    by_level = dict.fromkeys(Level, 0)
    late = 0
    for procurement in procurements:
        assessment = procurement.assessment
        if assessment is None:
            continue
        by_level[assessment.overall] += 1
        late += is_late(
            assessed_on=assessment.assessed_on, tender_notice_on=procurement.tender_notice_on
        )
    contracts = db.session.scalars(
        select(Contract).where(
            Contract.organisation_id.in_(ids),
            Contract.start_date <= year.ends,
            Contract.end_date >= year.starts,
        )
    ).all()
    checks = kpi_checks(contracts=contracts)
    return ProcurementCounts(
        financial_year=financial_year,
        procurements=len(procurements),
        assessed=sum(by_level.values()),
        by_level=by_level,
        late=late,
        contracts=len(contracts),
        with_clause=sum(1 for c in contracts if c.modern_slavery_clause is True),
        clause_not_recorded=sum(1 for c in contracts if c.modern_slavery_clause is None),
        missing_kpis=sum(1 for c in contracts if checks[c.id].missing),
    )


@dataclass(frozen=True)
class FigureRow:
    """One line of the Procurement Act figures: what is counted, and the count in words."""

    label: str
    value: str


def act_figures(
    *, organisations: Sequence[Organisation], financial_year: int, today: date
) -> list[FigureRow]:
    """The Procurement Act 2023 figures of some bodies for a year, as the board and the
    statement show them: procurements risk-assessed under PPN 009, contracts with a modern
    slavery clause and their KPIs, suppliers on the central debarment list and the exclusion
    decisions recorded. Every value is counted from the records."""
    counts = procurement_counts(organisations=organisations, financial_year=financial_year)
    excluded = exclusion_counts(
        organisations=organisations, today=today, financial_year=financial_year
    )
    label = FinancialYear(financial_year).label
    levels = ", ".join(
        f"{counts.by_level[level]:,} {level.value}" for level in reversed(list(Level))
    )
    assessed = (
        f"{counts.assessed:,} of {counts.procurements:,} ({levels})"
        if counts.procurements
        else "No procurements"
    )
    clause = (
        f"{counts.with_clause:,} of {counts.contracts:,}" if counts.contracts else "No contracts"
    )
    if counts.clause_not_recorded:
        clause += f" (not recorded for {counts.clause_not_recorded:,})"
    listed = f"{excluded.matched_suppliers:,}"
    if excluded.matched_suppliers:
        listed += f" ({excluded.mandatory_matches:,} on a mandatory ground)"
    return [
        FigureRow(f"Procurements with a tender notice in {label}", f"{counts.procurements:,}"),
        FigureRow("Risk-assessed under PPN 009", assessed),
        FigureRow("Assessed after the tender notice", f"{counts.late:,}"),
        FigureRow(f"Contracts running in {label} with a modern slavery clause", clause),
        FigureRow("Contracts over £5m with fewer than three KPIs", f"{counts.missing_kpis:,}"),
        FigureRow(f"Suppliers on the central debarment list on {long_date(today)}", listed),
        FigureRow(f"Exclusion decisions recorded in {label}", f"{excluded.decisions:,}"),
        FigureRow(
            "Exclusions not yet notified to the Procurement Review Unit after 30 days",
            f"{excluded.notifications_overdue:,}",
        ),
    ]
