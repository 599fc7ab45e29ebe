"""What an import added, read back for its page: the payments in each financial year, and in
each of those years how many suppliers over the threshold still have no category."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import ImportStatus, Organisation, SpendImport, SpendLine
from tisc.rules.import_outcome import YearTotal, year_totals
from tisc.rules.years import FinancialYear
from tisc.services.register.rows import RegisterFilters, count_register
from tisc.services.register.thresholds import threshold_for

# The register's filter for suppliers over the threshold without a category.
NEEDS_CATEGORY = "needs-category"


@dataclass(frozen=True)
class YearOutcome:
    """An import's payments in one year, with that year's threshold and how many suppliers in
    the register over it have no category now (so no tier can be worked out for them)."""

    added: YearTotal
    threshold: Decimal
    needs_category: int

    @property
    def year(self) -> FinancialYear:
        return self.added.year


def added_by_year(*, org: Organisation, record: SpendImport) -> list[YearTotal]:
    """What a standing import added in each year, oldest first; nothing once it is undone."""
    if record.status is ImportStatus.UNDONE:
        return []
    if record.year_totals is not None:
        return [YearTotal.from_json(kept) for kept in record.year_totals]
    # An import made before the totals were kept: read them from its lines, once per view.
    rows = db.session.execute(
        select(SpendLine.financial_year, func.count(), func.sum(SpendLine.amount))
        .where(SpendLine.organisation_id == org.id, SpendLine.import_id == record.id)
        .group_by(SpendLine.financial_year)
    ).all()
    return year_totals((year, count, int(total.scaleb(2))) for year, count, total in rows)


def import_outcome(*, org: Organisation, record: SpendImport) -> list[YearOutcome]:
    """Each year a standing import added payments to, oldest first, with its suppliers over
    the threshold that have no category."""
    outcomes = []
    for added in added_by_year(org=org, record=record):
        start = added.year.start_year
        outcomes.append(
            YearOutcome(
                added=added,
                threshold=threshold_for(org=org, financial_year=start),
                needs_category=count_register(
                    org=org, filters=RegisterFilters(financial_year=start, flag=NEEDS_CATEGORY)
                ),
            )
        )
    return outcomes
