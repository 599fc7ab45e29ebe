"""Reading a body's register: rows with flags and tiers, summaries, exports, the partnership view.

Pages, exports, the board and (later) the statement all read their figures from here, so
the numbers agree everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, contains_eager

from tisc.database import db
from tisc.models import Category, CategorySource, Contract, Organisation, Supplier, SupplierYear
from tisc.rules.names import normalise_supplier_name
from tisc.rules.risk import Assessment, RiskLevel, Tier, assess, priority_tier
from tisc.rules.years import FinancialYear
from tisc.services.register.thresholds import threshold_for
from tisc.services.register.tiers import high_risk_condition, tier_case

SORTS = ("spend", "name", "payments")
FLAGS = ("over", "high", "new", "uncategorised", "needs-category", "suggested")


@dataclass(frozen=True)
class RegisterFilters:
    """What the register list is narrowed to."""

    financial_year: int
    search: str = ""
    category_id: int | None = None
    risk: RiskLevel | None = None
    tier: Tier | None = None
    flag: str | None = None
    sort: str = "spend"


@dataclass(frozen=True)
class RegisterRow:
    """A supplier in a year: spend, payments, contract value, flags and tier with reasons."""

    supplier: Supplier
    annual_spend: Decimal
    payments: int
    contract_annual_value: Decimal | None
    assessment: Assessment


@dataclass(frozen=True)
class RegisterPage:
    """One page of a register."""

    rows: list[RegisterRow]
    total: int
    page: int
    per_page: int
    threshold: Decimal
    # The year's review prompts, whatever the filters: suppliers over the threshold without a
    # category, and categories suggested but not applied.
    needs_category: int = 0
    suggested: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _contract_values(org: Organisation, year: int) -> Select:
    fy = FinancialYear(year)
    return (
        select(Contract.supplier_id, func.max(Contract.annual_value).label("annual_value"))
        .where(
            Contract.organisation_id == org.id,
            Contract.start_date <= fy.ends,
            Contract.end_date >= fy.starts,
        )
        .group_by(Contract.supplier_id)
    )


@dataclass(frozen=True)
class _RegisterQuery:
    """The register query for a year, and the expressions its summaries reuse."""

    ordered: Select
    unordered: Select
    # The year's whole register, and the conditions that narrow it to `unordered`.
    everything: Select
    conditions: tuple[ColumnElement[bool], ...]
    order: tuple[ColumnElement, ...]
    spend: ColumnElement
    contract: ColumnElement
    payments: ColumnElement
    over: ColumnElement
    tier: ColumnElement


def _filter_conditions(
    filters: RegisterFilters, over: ColumnElement, tier: ColumnElement
) -> list[ColumnElement[bool]]:
    """The conditions the filters put on the register's rows (none: every row)."""
    found: list[ColumnElement[bool]] = []
    term = filters.search.strip()
    if term:
        found.append(
            or_(
                Supplier.normalised_name.contains(normalise_supplier_name(term), autoescape=True),
                Supplier.company_number == term.upper(),
            )
        )
    if filters.category_id is not None:
        found.append(Supplier.category_id == filters.category_id)
    if filters.risk is not None:
        found.append(Category.risk == filters.risk)
    if filters.tier is not None:
        found.append(tier == filters.tier.value)
    found.extend(_flag_conditions(filters.flag, over))
    return found


def _flag_conditions(flag: str | None, over: ColumnElement) -> list[ColumnElement[bool]]:
    if flag == "over":
        return [over]
    if flag == "high":
        return [high_risk_condition(Category.risk)]
    if flag == "new":
        return [Supplier.created_by_import_id.is_not(None), Supplier.reviewed.is_(False)]
    if flag == "uncategorised":
        return [Supplier.category_id.is_(None)]
    if flag == "needs-category":
        return [over, Supplier.category_id.is_(None)]
    if flag == "suggested":
        # The review queue: a category the rules were not sure enough of to apply.
        return [Supplier.category_id.is_(None), Supplier.suggested_category_id.is_not(None)]
    return []


def _query(org: Organisation, filters: RegisterFilters, threshold: Decimal) -> _RegisterQuery:
    years = (
        select(SupplierYear.supplier_id, SupplierYear.annual_spend, SupplierYear.payments)
        .where(
            SupplierYear.organisation_id == org.id,
            SupplierYear.financial_year == filters.financial_year,
        )
        .subquery()
    )
    contracts = _contract_values(org, filters.financial_year).subquery()
    spend = func.coalesce(years.c.annual_spend, literal(Decimal(0), SupplierYear.annual_spend.type))
    over = or_(
        years.c.annual_spend > threshold,
        contracts.c.annual_value > threshold,
    )
    tier = tier_case(Category.risk, over)
    payments = func.coalesce(years.c.payments, 0)
    everything = (
        select(Supplier, spend, payments, contracts.c.annual_value)
        .outerjoin(years, years.c.supplier_id == Supplier.id)
        .outerjoin(contracts, contracts.c.supplier_id == Supplier.id)
        .outerjoin(Category, Category.id == Supplier.category_id)
        .where(
            Supplier.organisation_id == org.id,
            Supplier.archived_at.is_(None),
            or_(years.c.supplier_id.is_not(None), contracts.c.supplier_id.is_not(None)),
        )
    )
    conditions = _filter_conditions(filters, over, tier)
    query = everything.where(*conditions)
    # The id last: rows that tie on every other key still come in the same order on every
    # page.
    order = {
        "spend": (spend.desc(), func.lower(Supplier.name), Supplier.id),
        "name": (func.lower(Supplier.name), Supplier.id),
        "payments": (payments.desc(), func.lower(Supplier.name), Supplier.id),
    }[filters.sort if filters.sort in SORTS else "spend"]
    ordered = query.options(contains_eager(Supplier.category)).order_by(*order)
    return _RegisterQuery(
        ordered,
        query,
        everything,
        tuple(conditions),
        order,
        spend,
        contracts.c.annual_value,
        payments,
        over,
        tier,
    )


def _row(
    supplier: Supplier, spend: Decimal, payments: int, contract: Decimal | None, threshold: Decimal
) -> RegisterRow:
    category = supplier.category
    return RegisterRow(
        supplier=supplier,
        annual_spend=spend,
        payments=int(payments),
        contract_annual_value=contract,
        assessment=assess(
            annual_spend=spend,
            threshold=threshold,
            risk=category.risk if category else None,
            category_name=category.name if category else None,
            contract_annual_value=contract,
            category_reason=category_reason(supplier),
        ),
    )


def category_reason(supplier: Supplier) -> str | None:
    """Why the supplier has its category, as the flag reasons say it ("automatic: name
    contains ROOFING"); None for a category chosen by hand or none at all."""
    return _reason_shown(supplier.category_id, supplier.category_reason, supplier.category_source)


def _reason_shown(
    category_id: int | None, reason: str | None, source: CategorySource
) -> str | None:
    if category_id is None or not reason:
        return None
    return f"automatic: {reason}" if source.is_automatic else reason


def register_page(
    *, org: Organisation, filters: RegisterFilters, page: int = 1, per_page: int = 50
) -> RegisterPage:
    """One page of the register for a year, filtered and sorted in the database, with the
    year's review prompts."""
    threshold = threshold_for(org=org, financial_year=filters.financial_year)
    parts = _query(org, filters, threshold)
    total, needs_category, suggested = _page_counts(parts)
    page = max(1, min(page, max(1, -(-total // per_page))))
    # Sorted and cut on narrow rows (ids and figures): a large body has a hundred thousand
    # suppliers, and joining their full rows before the sort was most of the page's time
    # (bench/NATIONAL.md). Only the rows shown are loaded in full.
    narrow = parts.unordered.with_only_columns(
        Supplier.id, parts.spend, parts.payments, parts.contract
    ).order_by(*parts.order)
    found = db.session.execute(narrow.limit(per_page).offset((page - 1) * per_page)).all()
    suppliers = _suppliers([supplier_id for supplier_id, *_ in found])
    rows = [
        _row(suppliers[supplier_id], spend, payments, contract, threshold)
        for supplier_id, spend, payments, contract in found
    ]
    return RegisterPage(
        rows, total, page, per_page, threshold, needs_category=needs_category, suggested=suggested
    )


# The review prompts above the register, counted with every page.
REVIEW = ("needs-category", "suggested")


def _page_counts(parts: _RegisterQuery) -> tuple[int, int, int]:
    """How many rows the filters leave, and the year's REVIEW counts (count_register with
    those flags), in one pass over the year's register rather than three."""
    listed = func.count(case((and_(*parts.conditions), 1))) if parts.conditions else func.count()
    counts = [listed]
    for flag in REVIEW:
        counts.append(func.count(case((and_(*_flag_conditions(flag, parts.over)), 1))))
    total, needs_category, suggested = db.session.execute(
        parts.everything.with_only_columns(*counts)
    ).one()
    return int(total), int(needs_category), int(suggested)


def _suppliers(ids: Sequence[int]) -> dict[int, Supplier]:
    """The suppliers of these ids with their categories, by id (few: one page's worth)."""
    if not ids:
        return {}
    return {s.id: s for s in db.session.scalars(select(Supplier).where(Supplier.id.in_(ids)))}


def register_ids(*, org: Organisation, filters: RegisterFilters) -> list[int]:
    """The ids of every supplier the register lists with these filters, in its order."""
    threshold = threshold_for(org=org, financial_year=filters.financial_year)
    ordered = _query(org, filters, threshold).ordered
    return list(db.session.scalars(ordered.with_only_columns(Supplier.id)))


def count_register(*, org: Organisation, filters: RegisterFilters) -> int:
    """How many suppliers the register for a year lists with these filters."""
    threshold = threshold_for(org=org, financial_year=filters.financial_year)
    parts = _query(org, filters, threshold)
    return db.session.scalar(select(func.count()).select_from(parts.unordered.subquery())) or 0


def count_register_for(*, organisations: Sequence[Organisation], filters: RegisterFilters) -> int:
    """count_register of several bodies added together, in one statement."""
    parts = [
        _query(
            org, filters, threshold_for(org=org, financial_year=filters.financial_year)
        ).unordered.with_only_columns(Supplier.id)
        for org in organisations
    ]
    if not parts:
        return 0
    return db.session.scalar(select(func.count()).select_from(union_all(*parts).subquery())) or 0


def register_rows(*, org: Organisation, filters: RegisterFilters) -> Iterator[RegisterRow]:
    """Every row of the register for a year (for exports), in the page order."""
    threshold = threshold_for(org=org, financial_year=filters.financial_year)
    parts = _query(org, filters, threshold)
    for values in db.session.execute(parts.ordered.execution_options(yield_per=2000)):
        yield _row(*values, threshold)


@dataclass(frozen=True)
class TierEntry:
    """A supplier's tier and spend in a year, without loading the supplier itself."""

    supplier_id: int
    tier: Tier
    over_threshold: bool
    annual_spend: Decimal


# Tier(letter) goes through Enum's lookup machinery; a dict is several times quicker over the
# hundred thousand rows of a large body.
_TIER_OF: dict[str, Tier] = {tier.value: tier for tier in Tier}


def _tier_query(
    org: Organisation, financial_year: int, tiers: Iterable[Tier], search: str = ""
) -> tuple[_RegisterQuery, Select]:
    wanted = [t.value for t in tiers]
    filters = RegisterFilters(financial_year=financial_year, search=search)
    threshold = threshold_for(org=org, financial_year=financial_year)
    parts = _query(org, filters, threshold)
    return parts, parts.unordered.where(parts.tier.in_(wanted))


def tier_entries(
    *,
    org: Organisation,
    financial_year: int,
    tiers: Iterable[Tier],
    search: str = "",
    supplier_ids: Iterable[int] | None = None,
) -> list[TierEntry]:
    """The year's suppliers in the given tiers, largest spend first (then by name); only
    those of `supplier_ids` when given (then in that order within each chunk of 500 only).

    Only ids and figures come back, so this stays quick for a body with a hundred thousand
    suppliers; load the rows you show with register_rows_for.
    """
    parts, where = _tier_query(org, financial_year, tiers, search)
    query = where.with_only_columns(Supplier.id, parts.tier, parts.over, parts.spend).order_by(
        parts.spend.desc(), func.lower(Supplier.name), Supplier.id
    )
    if supplier_ids is None:
        found = list(db.session.execute(query))
    else:
        ids, found = sorted(set(supplier_ids)), []
        # In chunks: SQLite allows only so many parameters in one statement.
        for start in range(0, len(ids), 500):
            found.extend(db.session.execute(query.where(Supplier.id.in_(ids[start : start + 500]))))
    return [
        TierEntry(supplier_id, _TIER_OF[tier], bool(over), spend)
        for supplier_id, tier, over, spend in found
    ]


def tier_counts(*, org: Organisation, financial_year: int, tiers: Iterable[Tier]) -> dict:
    """How many of the year's suppliers are in each of the given tiers, over the threshold or
    not: {(tier, over): count}, counted in the database with tier_entries' expressions."""
    return tier_counts_for(organisations=[org], financial_year=financial_year, tiers=tiers).get(
        org.id, {}
    )


def tier_counts_for(
    *, organisations: Sequence[Organisation], financial_year: int, tiers: Iterable[Tier]
) -> dict[int, dict[tuple[Tier, bool], int]]:
    """tier_counts of several bodies, by organisation id, in one statement (each body's
    count with its own threshold, put together with UNION ALL)."""
    wanted = set(tiers)
    parts = []
    for org in organisations:
        threshold = threshold_for(org=org, financial_year=financial_year)
        found = _query(org, RegisterFilters(financial_year=financial_year), threshold)
        over = func.coalesce(found.over, false())
        # Counted by what decides the tier (a handful of groups, hashed), not by the tier's
        # CASE: priority_tier names each group's tier, as tier_case would have row by row.
        parts.append(
            found.unordered.with_only_columns(
                literal(org.id).label("org"),
                Category.risk.label("risk"),
                over.label("over"),
                func.count().label("n"),
            ).group_by(Category.risk, over)
        )
    counts: dict[int, dict[tuple[Tier, bool], int]] = {}
    if not parts:
        return counts
    for org_id, risk, is_over, count in db.session.execute(union_all(*parts)):
        level = RiskLevel(risk) if risk is not None else None
        tier = priority_tier(risk=level, over_threshold=bool(is_over))
        if tier in wanted:
            key = (tier, bool(is_over))
            mine = counts.setdefault(int(org_id), {})
            mine[key] = mine.get(key, 0) + int(count)
    return counts


def tier_entries_page(
    *, org: Organisation, financial_year: int, tiers: Sequence[Tier], page: int, per_page: int
) -> tuple[list[TierEntry], int, int]:
    """One page of tier_entries ordered by the tiers' order (then largest spend first), the
    number of entries in all and the page shown (clamped to the last page), sorted and cut
    in the database."""
    parts, where = _tier_query(org, financial_year, tiers)
    rank = case(*((parts.tier == t.value, i) for i, t in enumerate(tiers)), else_=len(tiers))
    query = where.with_only_columns(Supplier.id, parts.tier, parts.over, parts.spend).order_by(
        rank, parts.spend.desc(), func.lower(Supplier.name), Supplier.id
    )
    # The count rides along with the page (one pass over the body's suppliers, not two).
    counted = query.add_columns(func.count().over())
    page = max(1, page)
    found = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    total = found[0][-1] if found else 0
    if not found and page > 1:  # past the end: the last page instead
        total = db.session.scalar(select(func.count()).select_from(where.subquery())) or 0
        page = max(1, -(-total // per_page))
        found = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    entries = [
        TierEntry(supplier_id, _TIER_OF[tier], bool(over), spend)
        for supplier_id, tier, over, spend, _ in found
    ]
    return entries, int(total), page


def register_rows_for(
    *, org: Organisation, financial_year: int, supplier_ids: Iterable[int]
) -> dict[int, RegisterRow]:
    """Register rows of the given suppliers in a year, by supplier id."""
    ids = list(supplier_ids)
    threshold = threshold_for(org=org, financial_year=financial_year)
    parts = _query(org, RegisterFilters(financial_year=financial_year), threshold)
    found: dict[int, RegisterRow] = {}
    # In chunks: SQLite allows only so many parameters in one statement.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for values in db.session.execute(parts.ordered.where(Supplier.id.in_(chunk))):
            row = _row(*values, threshold)
            found[row.supplier.id] = row
    return found


def _years_with_spend(organisation_ids: Sequence[int]) -> list[int]:
    """The financial years in which any of the bodies has spend, newest first: each body's
    years found one after another through the index of its years (a loose index scan), not
    by reading each of its hundreds of thousands of supplier years."""
    if not organisation_ids:
        return []
    earliest = (
        select(func.min(SupplierYear.financial_year))
        .where(SupplierYear.organisation_id == Organisation.id)
        .scalar_subquery()
    )
    found = (
        select(Organisation.id.label("org"), earliest.label("year"))
        .where(Organisation.id.in_(list(organisation_ids)))
        .cte("years", recursive=True)
    )
    later = aliased(SupplierYear)
    following = (
        select(func.min(later.financial_year))
        .where(later.organisation_id == found.c.org, later.financial_year > found.c.year)
        .scalar_subquery()
    )
    found = found.union_all(select(found.c.org, following).where(found.c.year.is_not(None)))
    return list(
        db.session.scalars(
            select(found.c.year)
            .where(found.c.year.is_not(None))
            .distinct()
            .order_by(found.c.year.desc())
        )
    )


def years_with_spend(*, org: Organisation) -> list[int]:
    """The financial years in which the body has spend, newest first."""
    return _years_with_spend([org.id])


def years_with_spend_in(*, organisations: Iterable[Organisation]) -> list[int]:
    """The financial years in which any of the bodies has spend, newest first."""
    return _years_with_spend([org.id for org in organisations])


@dataclass(frozen=True)
class SpendSummary:
    """A body's register in one financial year, in figures."""

    financial_year: int
    suppliers: int
    payments: int
    total_spend: Decimal
    suppliers_over_threshold: int
    high_risk_suppliers: int
    tier_counts: dict[str, int]


def year_summary(*, org: Organisation, financial_year: int) -> SpendSummary | None:
    """One year of the register in figures (None when the body has no spend that year).

    Counted in the database with the register's own expressions, so the figures always
    agree with the register pages and exports.
    """
    threshold = threshold_for(org=org, financial_year=financial_year)
    parts = _query(org, RegisterFilters(financial_year=financial_year), threshold)
    high = case((high_risk_condition(Category.risk), 1), else_=0)
    rows = db.session.execute(
        parts.unordered.with_only_columns(
            parts.tier.label("tier"),
            func.count(),
            func.count(case((parts.payments > 0, 1))),
            func.coalesce(func.sum(parts.payments), 0),
            func.sum(parts.spend),
            func.count(case((parts.over, 1))),
            func.sum(high),
        ).group_by(parts.tier)
    ).all()
    if not rows:
        return None
    counts = {t.value: 0 for t in Tier}
    suppliers = payments = over = high_risk = 0
    total = Decimal(0)
    for tier, in_tier, paid, lines, spend, over_count, high_count in rows:
        counts[tier] = int(in_tier)
        suppliers += int(paid)
        payments += int(lines)
        total += Decimal(spend or 0)
        over += int(over_count)
        high_risk += int(high_count or 0)
    return SpendSummary(financial_year, suppliers, payments, total, over, high_risk, counts)


def spend_summaries(*, org: Organisation) -> list[SpendSummary]:
    """Per year with spend, newest first: suppliers paid, payments, net spend, flags, tiers."""
    found = (year_summary(org=org, financial_year=y) for y in years_with_spend(org=org))
    return [summary for summary in found if summary is not None]


def partnership_summaries(
    *, organisations: Sequence[Organisation], financial_year: int
) -> list[tuple[Organisation, SpendSummary | None]]:
    """Each member's summary for the year (None when it has no spend that year)."""
    return [(org, year_summary(org=org, financial_year=financial_year)) for org in organisations]


@dataclass(frozen=True)
class PlainRow:
    """A register row as plain values (no supplier object), for exports."""

    name: str
    company_number: str | None
    category: str | None
    risk: RiskLevel | None
    annual_spend: Decimal
    payments: int
    assessment: Assessment


def plain_rows(*, org: Organisation, financial_year: int) -> Iterator[PlainRow]:
    """Every row of the register for a year, in the page order, as plain values."""
    threshold = threshold_for(org=org, financial_year=financial_year)
    parts = _query(org, RegisterFilters(financial_year=financial_year), threshold)
    # Plain columns, not suppliers loaded as objects: a partnership's register is hundreds of
    # thousands of rows, and building an object (and its category's) for each was most of
    # the export's time (bench/NATIONAL.md).
    query = parts.unordered.with_only_columns(
        Supplier.name,
        Supplier.company_number,
        Supplier.category_id,
        Supplier.category_reason,
        Supplier.category_source,
        Category.name,
        Category.risk,
        parts.spend,
        parts.payments,
        parts.contract,
    ).order_by(*parts.order)
    found = db.session.execute(query.execution_options(yield_per=2000))
    for name, number, category_id, reason, source, category, risk, spend, paid, contract in found:
        assessment = assess(
            annual_spend=spend,
            threshold=threshold,
            risk=risk,
            category_name=category,
            contract_annual_value=contract,
            category_reason=_reason_shown(category_id, reason, source),
        )
        yield PlainRow(name, number, category, risk, spend, int(paid), assessment)


def assess_supplier_year(
    *, org: Organisation, supplier: Supplier, year: SupplierYear
) -> Assessment:
    """A supplier's flags, tier and reasons in one year (as the register shows them)."""
    threshold = threshold_for(org=org, financial_year=year.financial_year)
    contract_value = db.session.scalar(
        _contract_values(org, year.financial_year)
        .where(Contract.supplier_id == supplier.id)
        .with_only_columns(func.max(Contract.annual_value))
    )
    category = supplier.category
    return assess(
        annual_spend=year.annual_spend,
        threshold=threshold,
        risk=category.risk if category else None,
        category_name=category.name if category else None,
        contract_annual_value=contract_value,
        category_reason=category_reason(supplier),
    )


@dataclass(frozen=True)
class CategorySpend:
    """A body's spend in one category in a year (category None: uncategorised suppliers)."""

    category_id: int | None
    name: str
    risk: RiskLevel | None
    spend: Decimal
    suppliers: int
    over_threshold: int


UNCATEGORISED = "Uncategorised"


def spend_by_category(*, org: Organisation, financial_year: int) -> list[CategorySpend]:
    """The year's spend by category with its risk level, largest spend first.

    One grouped query with the register's own expressions, so the categories add up to
    year_summary's total, suppliers paid and suppliers over the threshold.
    """
    threshold = threshold_for(org=org, financial_year=financial_year)
    parts = _query(org, RegisterFilters(financial_year=financial_year), threshold)
    rows = db.session.execute(
        parts.unordered.with_only_columns(
            Category.id,
            Category.name,
            Category.risk,
            func.count(case((parts.payments > 0, 1))),
            func.sum(parts.spend),
            func.count(case((parts.over, 1))),
        ).group_by(Category.id, Category.name, Category.risk)
    ).all()
    found = [
        CategorySpend(
            category_id=category_id,
            name=name if category_id is not None else UNCATEGORISED,
            risk=RiskLevel(risk) if risk is not None else None,
            spend=Decimal(spend or 0),
            suppliers=int(paid),
            over_threshold=int(over),
        )
        for category_id, name, risk, paid, spend, over in rows
    ]
    return sorted(found, key=lambda c: (-c.spend, c.category_id is None, c.name.lower()))
