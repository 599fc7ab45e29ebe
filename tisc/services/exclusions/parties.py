"""The connected persons and relied-on subcontractors recorded for a supplier: the exclusion
grounds reach them too, so they are matched against the debarment list as the supplier is."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import ConnectedParty, Organisation, Supplier, SupplierEvent, User
from tisc.rules.debarment import PartyKind
from tisc.services.errors import ConflictError, NotFoundError, ValidationError, flush_or_conflict
from tisc.services.exclusions.decisions import STALE


def _own(org: Organisation, supplier: Supplier) -> None:
    if supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")


def list_parties(*, org: Organisation, supplier: Supplier) -> Sequence[ConnectedParty]:
    """The supplier's connected persons and subcontractors, by kind and name."""
    _own(org, supplier)
    return db.session.scalars(
        select(ConnectedParty)
        .where(ConnectedParty.organisation_id == org.id, ConnectedParty.supplier_id == supplier.id)
        .order_by(ConnectedParty.kind, func.lower(ConnectedParty.name), ConnectedParty.id)
    ).all()


def get_party(*, org: Organisation, supplier: Supplier, party_id: int) -> ConnectedParty:
    """One of this supplier's connected parties; NotFoundError for anyone else's."""
    _own(org, supplier)
    record = db.session.get(ConnectedParty, party_id)
    if record is None or record.organisation_id != org.id or record.supplier_id != supplier.id:
        raise NotFoundError("There is no such connected person or subcontractor")
    return record


def _text(value: str | None, limit: int, field: str, what: str) -> str | None:
    text = " ".join((value or "").split()) or None
    if text is not None and len(text) > limit:
        raise ValidationError(f"{what} must be {limit} characters or fewer", field=field)
    return text


def add_party(
    *,
    org: Organisation,
    supplier: Supplier,
    user: User | None,
    kind: str | None,
    name: str,
    company_number: str | None = None,
    ppon: str | None = None,
) -> ConnectedParty:
    """Record a connected person or relied-on subcontractor of the supplier."""
    _own(org, supplier)
    if kind not in {k.value for k in PartyKind}:
        raise ValidationError(
            "Select whether it is a connected person or a subcontractor", field="kind"
        )
    clean_name = _text(name, 300, "name", "The name")
    if clean_name is None:
        raise ValidationError("Enter the name", field="name")
    number = _text(company_number, 20, "company_number", "The company number")
    record = ConnectedParty(
        organisation_id=org.id,
        supplier_id=supplier.id,
        kind=PartyKind(kind),
        name=clean_name,
        company_number=number.upper() if number else None,
        ppon=_text(ppon, 40, "ppon", "The PPON"),
    )
    db.session.add(record)
    db.session.add(
        SupplierEvent(
            supplier_id=supplier.id,
            user_id=user.id if user else None,
            summary=f"{record.kind.label} added: {record.name}",
        )
    )
    db.session.flush()
    return record


def remove_party(
    *,
    org: Organisation,
    supplier: Supplier,
    record: ConnectedParty,
    user: User | None,
    expected_version: int | None = None,
) -> None:
    """Remove a connected person or subcontractor; ConflictError if it changed since shown."""
    get_party(org=org, supplier=supplier, party_id=record.id)
    if expected_version is not None and record.version_id != expected_version:
        raise ConflictError(STALE)
    db.session.add(
        SupplierEvent(
            supplier_id=supplier.id,
            user_id=user.id if user else None,
            summary=f"{record.kind.label} removed: {record.name}",
        )
    )
    db.session.delete(record)
    flush_or_conflict(STALE)
