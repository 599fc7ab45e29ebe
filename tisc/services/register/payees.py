"""Payee names a body marks as private individuals: their payments never make suppliers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from tisc.database import db
from tisc.models import Organisation, PersonalPayee
from tisc.rules.names import normalise_supplier_name
from tisc.services.errors import DuplicateError, NotFoundError, ValidationError


def list_personal_payees(*, org: Organisation) -> Sequence[PersonalPayee]:
    """The body's personal payee names, alphabetically."""
    return db.session.scalars(
        select(PersonalPayee)
        .where(PersonalPayee.organisation_id == org.id)
        .order_by(PersonalPayee.name)
    ).all()


def add_personal_payee(*, org: Organisation, name: str) -> PersonalPayee:
    """Mark a payee name as a private individual for future imports."""
    name = (name or "").strip()
    key = normalise_supplier_name(name)
    if not key:
        raise ValidationError("Enter the payee name", field="name")
    existing = db.session.scalar(
        select(PersonalPayee).where(
            PersonalPayee.organisation_id == org.id, PersonalPayee.normalised_name == key
        )
    )
    if existing is not None:
        raise DuplicateError(f"{existing.name} is already on the list", field="name")
    payee = PersonalPayee(organisation_id=org.id, name=name, normalised_name=key)
    db.session.add(payee)
    db.session.flush()
    return payee


def get_personal_payee(*, org: Organisation, payee_id: int) -> PersonalPayee:
    """One of the body's personal payee names; NotFoundError for another body's."""
    payee = db.session.get(PersonalPayee, payee_id)
    if payee is None or payee.organisation_id != org.id:
        raise NotFoundError("There is no such name")
    return payee


def remove_personal_payee(*, org: Organisation, payee_id: int) -> None:
    """Take a name off the list."""
    db.session.delete(get_personal_payee(org=org, payee_id=payee_id))
    db.session.flush()
