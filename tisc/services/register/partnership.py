"""The partnership's view of its members' registers: a supplier used by several bodies, once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from tisc.database import db
from tisc.models import Organisation, Supplier, SupplierYear
from tisc.rules.names import normalise_supplier_name


@dataclass
class SharedSupplier:
    """One business as the partnership sees it: each body's spend with it, and the total."""

    name: str
    company_number: str | None
    spend_by_body: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.spend_by_body.values(), Decimal(0))

    @property
    def bodies(self) -> int:
        return len(self.spend_by_body)


def shared_suppliers(
    *, organisations: Sequence[Organisation], financial_year: int, search: str = ""
) -> list[SharedSupplier]:
    """Suppliers across the member bodies for a year, joined on company number or name.

    Largest total spend first.
    """
    names = {org.id: org.name for org in organisations}
    query = (
        select(
            Supplier.organisation_id,
            Supplier.name,
            Supplier.normalised_name,
            Supplier.company_number,
            SupplierYear.annual_spend,
        )
        .join(SupplierYear, SupplierYear.supplier_id == Supplier.id)
        .where(
            SupplierYear.financial_year == financial_year,
            Supplier.organisation_id.in_(list(names)),
            Supplier.archived_at.is_(None),
        )
        # A stable order, so the same spelling names a shared supplier every time.
        .order_by(Supplier.organisation_id, Supplier.id)
    )
    groups: dict[str, SharedSupplier] = {}
    by_number: dict[str, SharedSupplier] = {}
    for org_id, name, key, number, spend in db.session.execute(query):
        group = (by_number.get(number) if number else None) or groups.get(key)
        if group is None:
            group = SharedSupplier(name=name, company_number=number)
        groups.setdefault(key, group)
        if number:
            by_number.setdefault(number, group)
            group.company_number = group.company_number or number
        body = names[org_id]
        group.spend_by_body[body] = group.spend_by_body.get(body, Decimal(0)) + spend
    unique = list({id(g): g for g in groups.values()}.values())
    term = normalise_supplier_name(search) if search.strip() else ""
    if term:
        # Search after grouping, so a match on one spelling still shows every body's spend.
        matching = {id(groups[key]) for key in groups if term in key}
        unique = [g for g in unique if id(g) in matching]
    return sorted(unique, key=lambda g: (-g.total, g.name))
