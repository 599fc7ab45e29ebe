"""The procurement and contract management counts the board and the statement read, for a set
of bodies and a financial year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import Contract, Organisation, Procurement
from tisc.rules.ppn009 import Level, is_late
from tisc.rules.years import FinancialYear
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
