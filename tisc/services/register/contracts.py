"""Contracts with suppliers: a contract's annual value over the threshold flags its supplier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tisc.database import db
from tisc.models import Contract, Organisation, Supplier, SupplierEvent, User
from tisc.rules.procurement import Regime
from tisc.services.errors import ConflictError, NotFoundError, ValidationError
from tisc.services.register.categories import get_category, organisation_partnership


def list_contracts(*, org: Organisation) -> Sequence[Contract]:
    """The body's contracts, newest first."""
    return db.session.scalars(
        select(Contract)
        .where(Contract.organisation_id == org.id)
        .order_by(Contract.start_date.desc(), Contract.id.desc())
    ).all()


def get_contract(*, org: Organisation, contract_id: int) -> Contract:
    """One of the body's contracts; NotFoundError for another body's."""
    contract = db.session.get(Contract, contract_id)
    if contract is None or contract.organisation_id != org.id:
        raise NotFoundError("There is no such contract")
    return contract


def _validate(
    org: Organisation,
    *,
    title: str,
    reference: str | None,
    start_date: date | None,
    end_date: date | None,
    annual_value: Decimal | None,
    total_value: Decimal | None,
    category_id: int | None,
    modern_slavery_clause: bool | None = None,
    regime: str | None = None,
) -> dict:
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter the contract title", field="title")
    if start_date is None:
        raise ValidationError("Enter the start date", field="start_date")
    if end_date is None:
        raise ValidationError("Enter the end date", field="end_date")
    if end_date < start_date:
        raise ValidationError(
            "The end date must be the same as or after the start date", field="end_date"
        )
    if annual_value is None:
        raise ValidationError("Enter the annual value", field="annual_value")
    if annual_value < 0:
        raise ValidationError("The annual value cannot be negative", field="annual_value")
    if total_value is not None and total_value < 0:
        raise ValidationError("The total value cannot be negative", field="total_value")
    category = None
    if category_id:
        partnership = organisation_partnership(org)
        if partnership is None:
            raise ValidationError("This body has no categories", field="category_id")
        category = get_category(partnership=partnership, category_id=category_id)
    if regime and regime not in {r.value for r in Regime}:
        raise ValidationError("Select the regime the contract was let under", field="regime")
    return {
        "title": title,
        "reference": (reference or "").strip() or None,
        "start_date": start_date,
        "end_date": end_date,
        "annual_value": annual_value,
        "total_value": total_value,
        "category_id": category.id if category else None,
        "modern_slavery_clause": modern_slavery_clause,
        "regime": Regime(regime) if regime else None,
    }


def add_contract(
    *,
    org: Organisation,
    supplier: Supplier,
    user: User | None,
    title: str,
    reference: str | None,
    start_date: date | None,
    end_date: date | None,
    annual_value: Decimal | None,
    total_value: Decimal | None = None,
    category_id: int | None = None,
    modern_slavery_clause: bool | None = None,
    regime: str | None = None,
) -> Contract:
    """Record a contract with one of the body's suppliers (whether it has a modern slavery
    clause: None when not recorded; the regime it was let under, a rules.procurement.Regime
    value, or None)."""
    if supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")
    values = _validate(
        org,
        title=title,
        reference=reference,
        start_date=start_date,
        end_date=end_date,
        annual_value=annual_value,
        total_value=total_value,
        category_id=category_id,
        modern_slavery_clause=modern_slavery_clause,
        regime=regime,
    )
    contract = Contract(organisation_id=org.id, supplier_id=supplier.id, **values)
    db.session.add(contract)
    _record(supplier.id, user, f"Contract added: {values['title']}")
    return contract


def update_contract(
    *,
    org: Organisation,
    contract: Contract,
    user: User | None,
    expected_version: int,
    title: str,
    reference: str | None,
    start_date: date | None,
    end_date: date | None,
    annual_value: Decimal | None,
    total_value: Decimal | None = None,
    category_id: int | None = None,
    modern_slavery_clause: bool | None = None,
    regime: str | None = None,
) -> None:
    """Change a contract; ConflictError if someone else changed it first."""
    if contract.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this contract while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    values = _validate(
        org,
        title=title,
        reference=reference,
        start_date=start_date,
        end_date=end_date,
        annual_value=annual_value,
        total_value=total_value,
        category_id=category_id,
        modern_slavery_clause=modern_slavery_clause,
        regime=regime,
    )
    for name, value in values.items():
        setattr(contract, name, value)
    _record(contract.supplier_id, user, f"Contract edited: {values['title']}")


def _record(supplier_id: int, user: User | None, summary: str) -> None:
    db.session.add(
        SupplierEvent(supplier_id=supplier_id, user_id=user.id if user else None, summary=summary)
    )
    db.session.flush()
