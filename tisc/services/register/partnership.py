"""The partnership's view of its members' registers: a supplier used by several bodies, once.

Which records are the same business is tisc.rules.supplier_groups (company number, then
normalised name). The list, its worst tiers, the distinct count and one business's group are
all grouped here from the same rows, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import CTE, ColumnElement, case, func, literal, or_, select, true

from tisc.database import db
from tisc.models import Organisation, Partnership, Supplier, SupplierYear
from tisc.rules.names import normalise_supplier_name
from tisc.rules.risk import Tier
from tisc.rules.supplier_groups import SupplierKey, group_suppliers
from tisc.services.errors import NotFoundError
from tisc.services.register.categories import organisation_partnership
from tisc.services.register.rows import (
    RegisterFilters,
    count_register_for,
    register_rows_for,
)


@dataclass(frozen=True)
class _Record:
    """A member body's supplier record with its spend in the year (0 if it has none)."""

    supplier_id: int
    organisation_id: int
    name: str
    normalised_name: str
    company_number: str | None
    spend: Decimal

    @property
    def key(self) -> SupplierKey:
        return SupplierKey(self.supplier_id, self.normalised_name, self.company_number)


@dataclass
class SharedSupplier:
    """One business as the partnership sees it: each body's spend with it, and the total.

    supplier_ids: its records, the first one's spelling naming it (and its page's address);
    records: (organisation id, supplier id) of each; worst_tier: filled in by with_worst_tiers.
    """

    name: str
    company_number: str | None
    spend_by_body: dict[str, Decimal] = field(default_factory=dict)
    supplier_ids: list[int] = field(default_factory=list)
    records: list[tuple[int, int]] = field(default_factory=list)
    worst_tier: Tier | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.spend_by_body.values(), Decimal(0))

    @property
    def bodies(self) -> int:
        return len(self.spend_by_body)

    @property
    def supplier_id(self) -> int:
        """The record that names the business: its partnership page's address."""
        return self.supplier_ids[0]


def _year_records(
    organisations: Sequence[Organisation], financial_year: int, *where: ColumnElement[bool]
) -> list[_Record]:
    """Every member body's unarchived supplier with spend in the year (and the conditions),
    in a stable order."""
    query = (
        select(
            Supplier.id,
            Supplier.organisation_id,
            Supplier.name,
            Supplier.normalised_name,
            Supplier.company_number,
            SupplierYear.annual_spend,
        )
        .join(SupplierYear, SupplierYear.supplier_id == Supplier.id)
        .where(
            SupplierYear.financial_year == financial_year,
            Supplier.organisation_id.in_([org.id for org in organisations]),
            Supplier.archived_at.is_(None),
            *where,
        )
        # A stable order, so the same spelling names a shared supplier every time.
        .order_by(Supplier.organisation_id, Supplier.id)
    )
    return [_Record(*row) for row in db.session.execute(query)]


def _grouped(
    records: list[_Record], names: dict[int, str]
) -> list[tuple[SharedSupplier, list[_Record]]]:
    by_id = {r.supplier_id: r for r in records}
    found = []
    for ids in group_suppliers(r.key for r in records):
        members = [by_id[i] for i in ids]
        group = SharedSupplier(
            name=members[0].name,
            company_number=next((m.company_number for m in members if m.company_number), None),
            supplier_ids=ids,
            records=[(m.organisation_id, m.supplier_id) for m in members],
        )
        for m in members:
            body = names[m.organisation_id]
            group.spend_by_body[body] = group.spend_by_body.get(body, Decimal(0)) + m.spend
        found.append((group, members))
    return found


def shared_suppliers(
    *, organisations: Sequence[Organisation], financial_year: int, search: str = ""
) -> list[SharedSupplier]:
    """Suppliers across the member bodies for a year, one per business (company number, then
    name). Largest total spend first."""
    names = {org.id: org.name for org in organisations}
    grouped = _grouped(_year_records(organisations, financial_year), names)
    term = normalise_supplier_name(search) if search.strip() else ""
    if term:
        # Search after grouping, so a match on one spelling still shows every body's spend.
        grouped = [(g, m) for g, m in grouped if any(term in r.normalised_name for r in m)]
    return sorted((g for g, _ in grouped), key=lambda g: (-g.total, g.name))


@dataclass(frozen=True)
class SupplierCount:
    """The suppliers the bodies paid in a year: their records (a business paid by three bodies
    is three) and the distinct businesses (it is one)."""

    records: int
    distinct: int
    # the bodies' records over the threshold with no category yet (tier A until they have one)
    needs_category: int = 0


def _year_keys(organisations: Sequence[Organisation], financial_year: int) -> CTE:
    """_year_records as the database groups them: supplier_id, organisation_id, name (the
    matching key), number (NULL for none or an empty one) and spend (pence)."""
    ids = [org.id for org in organisations]
    return (
        select(
            Supplier.id.label("supplier_id"),
            Supplier.organisation_id.label("organisation_id"),
            Supplier.normalised_name.label("name"),
            func.nullif(Supplier.company_number, "").label("number"),
            SupplierYear.__table__.c.spend_pence.label("spend"),
        )
        .join(SupplierYear, SupplierYear.supplier_id == Supplier.id)
        .where(
            # Both sides by body: each is then read from its body's index alone.
            SupplierYear.organisation_id.in_(ids),
            SupplierYear.financial_year == financial_year,
            Supplier.organisation_id.in_(ids),
            Supplier.archived_at.is_(None),
        )
        .cte("year_keys")
    )


def _record_counts(
    organisations: Sequence[Organisation], financial_year: int, *, by_body: bool
) -> dict[int | None, tuple[int, int]]:
    """(records, distinct businesses) paid in the year: of all the bodies together (key None)
    or of each body (by organisation id; a body with none is absent), counted in the
    database as tisc.rules.supplier_groups.count_businesses counts group_suppliers' groups:
    each company number once, and each name that no record with a number has once."""
    keys = _year_keys(organisations, financial_year)
    body = [keys.c.organisation_id] if by_body else []
    names = (
        select(
            *body,
            keys.c.name,
            func.count().label("records"),
            func.count(keys.c.number).label("numbered"),
        )
        .group_by(*body, keys.c.name)
        .subquery()
    )
    name_body = [names.c.organisation_id] if by_body else []
    by_name = (
        select(
            *name_body,
            func.coalesce(func.sum(names.c.records), 0).label("records"),
            func.count(case((names.c.numbered == 0, 1))).label("unnumbered"),
        )
        .group_by(*name_body)
        .subquery()
    )
    by_number = (
        select(*body, func.count(func.distinct(keys.c.number)).label("numbers"))
        .group_by(*body)
        .subquery()
    )
    on = by_name.c.organisation_id == by_number.c.organisation_id if by_body else true()
    query = select(
        by_name.c.organisation_id if by_body else literal(None),
        by_name.c.records,
        by_name.c.unnumbered,
        by_number.c.numbers,
    ).join_from(by_name, by_number, on)
    return {
        org_id: (int(records), int(unnumbered) + int(numbers))
        for org_id, records, unnumbered, numbers in db.session.execute(query)
    }


def count_distinct_suppliers(
    *, organisations: Sequence[Organisation], financial_year: int
) -> SupplierCount:
    """How many businesses the member bodies paid in a year, each counted once however many
    bodies paid it and however they spell it (the number of rows of shared_suppliers), beside
    the number of the bodies' records of them and how many of those records are over the
    threshold with no category yet."""
    records, distinct = _record_counts(organisations, financial_year, by_body=False)[None]
    needs_category = count_register_for(
        organisations=organisations,
        filters=RegisterFilters(financial_year=financial_year, flag="needs-category"),
    )
    return SupplierCount(records, distinct, needs_category)


def distinct_suppliers(*, organisations: Sequence[Organisation], financial_year: int) -> int:
    """count_distinct_suppliers(...).distinct alone."""
    return _record_counts(organisations, financial_year, by_body=False)[None][1]


def distinct_suppliers_by_body(
    *, organisations: Sequence[Organisation], financial_year: int
) -> dict[int, int]:
    """count_distinct_suppliers(...).distinct of each body on its own, by organisation id, in
    one statement for all of them."""
    found = _record_counts(organisations, financial_year, by_body=True)
    return {org.id: found.get(org.id, (0, 0))[1] for org in organisations}


def count_paid_businesses(*, organisations: Sequence[Organisation], financial_year: int) -> int:
    """How many rows of shared_suppliers have a body whose spend with the business in the
    year is more than nothing, counted in the database: each record's business is
    tisc.rules.supplier_groups.business_of (its number, else the number of the first
    numbered record with its name in shared_suppliers' order, else its name)."""
    keys = _year_keys(organisations, financial_year)
    numbered = (
        select(
            keys.c.name,
            keys.c.number,
            func.row_number()
            .over(partition_by=keys.c.name, order_by=(keys.c.organisation_id, keys.c.supplier_id))
            .label("place"),
        )
        .where(keys.c.number.is_not(None))
        .subquery()
    )
    first = select(numbered.c.name, numbered.c.number).where(numbered.c.place == 1).subquery()
    number = func.coalesce(keys.c.number, first.c.number)
    name = case((number.is_(None), keys.c.name))
    paid = (
        select(number.label("number"), name.label("name"))
        .select_from(keys)
        .outerjoin(first, first.c.name == keys.c.name)
        .join(Organisation, Organisation.id == keys.c.organisation_id)
        # shared_suppliers adds up spend by body name
        .group_by(number, name, Organisation.name)
        .having(func.sum(keys.c.spend) > 0)
        .subquery()
    )
    businesses = select(paid.c.number, paid.c.name).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(businesses)) or 0


def with_worst_tiers(
    *,
    groups: Iterable[SharedSupplier],
    organisations: Sequence[Organisation],
    financial_year: int,
) -> None:
    """Fill in each group's worst tier in the year (A is the worst): each body's tier of its
    record, as its register shows it. Meant for a page of groups, not thousands."""
    chosen = list(groups)
    wanted: dict[int, list[int]] = {}
    for group in chosen:
        for org_id, supplier_id in group.records:
            wanted.setdefault(org_id, []).append(supplier_id)
    tiers: dict[int, Tier] = {}
    for org in organisations:
        if org.id in wanted:
            found = register_rows_for(
                org=org, financial_year=financial_year, supplier_ids=wanted[org.id]
            )
            tiers.update({i: row.assessment.tier for i, row in found.items()})
    for group in chosen:
        known = [tiers[i] for i in group.supplier_ids if i in tiers]
        group.worst_tier = min(known, key=lambda t: t.value) if known else None


def _linked_records(
    organisations: Sequence[Organisation], financial_year: int, supplier: Supplier
) -> list[_Record]:
    """The year's records that share a name or a number with the supplier, and so on through
    them: every record that could be grouped with it, found without reading the rest. Grouped
    alone, in the same order, they make the same group as all the year's records do, since
    records with no name or number in common never join or keep each other apart."""
    names = {supplier.normalised_name}
    numbers = {supplier.company_number} - {None}
    while True:
        same = [Supplier.normalised_name.in_(sorted(names))]
        if numbers:
            same.append(Supplier.company_number.in_(sorted(numbers)))
        records = _year_records(organisations, financial_year, or_(*same))
        more_names = {r.normalised_name for r in records} - names
        more_numbers = {r.company_number for r in records} - {None} - numbers
        if not more_names and not more_numbers:
            return records
        names |= more_names
        numbers |= more_numbers


def supplier_group(
    *, organisations: Sequence[Organisation], supplier_id: int, financial_year: int
) -> list[tuple[Supplier, Decimal]]:
    """The records of the business one member body's supplier is, across the bodies, with each
    one's spend in the year, in the order of shared_suppliers (by body, then record).

    NotFoundError when the supplier is not an unarchived supplier of one of the bodies.
    """
    supplier = db.session.get(Supplier, supplier_id)
    member_ids = {org.id for org in organisations}
    if supplier is None or supplier.organisation_id not in member_ids or supplier.archived_at:
        raise NotFoundError("There is no such supplier in the partnership")
    records = _linked_records(organisations, financial_year, supplier)
    if all(r.supplier_id != supplier.id for r in records):
        # No spend this year: grouped with the year's records all the same.
        records.append(
            _Record(
                supplier.id,
                supplier.organisation_id,
                supplier.name,
                supplier.normalised_name,
                supplier.company_number,
                Decimal(0),
            )
        )
    names = {org.id: org.name for org in organisations}
    for group, members in _grouped(records, names):
        if supplier.id in group.supplier_ids:
            loaded = {
                s.id: s
                for s in db.session.scalars(
                    select(Supplier).where(Supplier.id.in_(group.supplier_ids))
                )
            }
            return [(loaded[m.supplier_id], m.spend) for m in members]
    raise AssertionError("a supplier is always in one of its own groups")  # pragma: no cover


@dataclass(frozen=True)
class Reach:
    """How far a body's supplier reaches in its partnership in a year: how many bodies paid
    the business (this one included) and their spend with it together."""

    partnership: Partnership
    bodies: int
    total: Decimal


def partnership_reach(
    *, org: Organisation, supplier: Supplier, financial_year: int
) -> Reach | None:
    """The supplier across the body's partnership in a year; None when the body is in no
    partnership, the supplier is archived, or no other body paid the business that year."""
    partnership = organisation_partnership(org)
    if partnership is None or supplier.archived_at is not None:
        return None
    group = supplier_group(
        organisations=partnership.organisations,
        supplier_id=supplier.id,
        financial_year=financial_year,
    )
    bodies = len({record.organisation_id for record, _ in group})
    if bodies < 2:
        return None
    return Reach(partnership, bodies, sum((spend for _, spend in group), Decimal(0)))
