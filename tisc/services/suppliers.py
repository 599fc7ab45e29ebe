"""Supplier registers: annual spend per supplier and per organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Subquery, func, select

from tisc.extensions import db
from tisc.models import Organisation, SpendLine, Supplier
from tisc.rules.money import DEFAULT_THRESHOLD, is_over_threshold, to_pounds


@dataclass(frozen=True)
class RegisterRow:
    """A supplier with its spend in one financial year."""

    supplier: Supplier
    annual_spend: Decimal
    payments: int

    @property
    def over_threshold(self) -> bool:
        return is_over_threshold(self.annual_spend, DEFAULT_THRESHOLD)


@dataclass(frozen=True)
class RegisterPage:
    """One page of a register."""

    rows: list[RegisterRow]
    total_suppliers: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_suppliers // self.per_page))


@dataclass(frozen=True)
class SpendSummary:
    """An organisation's spend in one financial year."""

    financial_year: int
    suppliers: int
    payments: int
    total_spend: Decimal
    suppliers_over_threshold: int


def years_with_spend(*, org: Organisation) -> list[int]:
    """The financial years (start years) in which the organisation has spend, newest first."""
    return list(
        db.session.scalars(
            select(SpendLine.financial_year)
            .distinct()
            .where(SpendLine.organisation_id == org.id)
            .order_by(SpendLine.financial_year.desc())
        )
    )


def _annual_totals(org: Organisation, financial_year: int) -> Subquery:
    """Per supplier: net spend and number of payments in the year."""
    return (
        select(
            SpendLine.supplier_id.label("supplier_id"),
            func.sum(SpendLine.amount).label("annual_spend"),
            func.count(SpendLine.id).label("payments"),
        )
        .where(SpendLine.organisation_id == org.id, SpendLine.financial_year == financial_year)
        .group_by(SpendLine.supplier_id)
        .subquery()
    )


def register_page(
    *, org: Organisation, financial_year: int, page: int = 1, per_page: int = 50
) -> RegisterPage:
    """Suppliers with spend in the year, largest spend first, one page at a time."""
    totals = _annual_totals(org, financial_year)
    total = db.session.scalar(select(func.count()).select_from(totals)) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = db.session.execute(
        select(Supplier, totals.c.annual_spend, totals.c.payments)
        .join(totals, totals.c.supplier_id == Supplier.id)
        .order_by(totals.c.annual_spend.desc(), Supplier.name)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return RegisterPage(
        rows=[RegisterRow(s, to_pounds(spend), count) for s, spend, count in rows],
        total_suppliers=total,
        page=page,
        per_page=per_page,
    )


def spend_summaries(*, org: Organisation) -> list[SpendSummary]:
    """Per financial year: suppliers paid, payments, total spend and suppliers over £50k."""
    summaries = []
    for year in years_with_spend(org=org):
        totals = _annual_totals(org, year)
        suppliers, payments, spend, over = db.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(totals.c.payments), 0),
                func.coalesce(func.sum(totals.c.annual_spend), 0),
                func.count().filter(totals.c.annual_spend > DEFAULT_THRESHOLD),
            ).select_from(totals)
        ).one()
        summaries.append(SpendSummary(year, suppliers, payments, to_pounds(spend), over))
    return summaries


def count_suppliers(*, org: Organisation) -> int:
    """How many suppliers are in the organisation's register."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Supplier).where(Supplier.organisation_id == org.id)
        )
        or 0
    )


def partnership_summaries(
    *, organisations: Sequence[Organisation], financial_year: int
) -> list[tuple[Organisation, SpendSummary | None]]:
    """Each member's summary for the year (None when it has no spend that year)."""
    result = []
    for org in organisations:
        by_year = {s.financial_year: s for s in spend_summaries(org=org)}
        result.append((org, by_year.get(financial_year)))
    return result
