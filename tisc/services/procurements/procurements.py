"""A body's procurements: list, read, add and change, with their key dates checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import Contract, Organisation, Procurement, User
from tisc.rules.procurement import KeyDates, Regime, cpv_problem, date_problems, parse_cpv_codes
from tisc.services.errors import ConflictError, NotFoundError, ValidationError
from tisc.services.register.categories import get_category, organisation_partnership


def list_procurements(*, org: Organisation) -> Sequence[Procurement]:
    """The body's procurements, newest tender notice first (those without one first of all:
    they are still being planned)."""
    return db.session.scalars(
        select(Procurement)
        .where(Procurement.organisation_id == org.id)
        .options(selectinload(Procurement.assessment), selectinload(Procurement.category))
        .order_by(
            Procurement.tender_notice_on.is_(None).desc(),
            Procurement.tender_notice_on.desc(),
            Procurement.id.desc(),
        )
    ).all()


def get_procurement(*, org: Organisation, procurement_id: int) -> Procurement:
    """One of the body's procurements; NotFoundError for another body's."""
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.organisation_id != org.id:
        raise NotFoundError("There is no such procurement")
    return procurement


def procurement_for_contract(*, contract: Contract) -> Procurement | None:
    """The procurement that awarded a contract, if one is recorded (the newest)."""
    return db.session.scalars(
        select(Procurement)
        .where(Procurement.contract_id == contract.id)
        .order_by(Procurement.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class ProcurementDetails:
    """What a person gives for a procurement (checked by the service, not trusted)."""

    title: str | None
    regime: str | None
    cpv_codes: str | None
    reference: str | None = None
    estimated_value: Decimal | None = None
    category_id: int | None = None
    countries: str | None = None
    tender_notice_on: date | None = None
    award_on: date | None = None
    start_on: date | None = None
    end_on: date | None = None
    contract_id: int | None = None


def _validate(org: Organisation, details: ProcurementDetails) -> dict:
    d = details
    title, regime, cpv_codes, estimated_value = d.title, d.regime, d.cpv_codes, d.estimated_value
    tender_notice_on, award_on, start_on, end_on = (
        d.tender_notice_on,
        d.award_on,
        d.start_on,
        d.end_on,
    )
    category_id, contract_id, reference, countries = (
        d.category_id,
        d.contract_id,
        d.reference,
        d.countries,
    )
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter the procurement title", field="title")
    if regime not in {r.value for r in Regime}:
        raise ValidationError(
            "Select whether the procurement runs under PCR 2015 or the Procurement Act 2023",
            field="regime",
        )
    problem = cpv_problem(cpv_codes)
    if problem:
        raise ValidationError(problem, field="cpv_codes")
    if estimated_value is not None and estimated_value < 0:
        raise ValidationError("The estimated value cannot be negative", field="estimated_value")
    dates = KeyDates(tender_notice_on, award_on, start_on, end_on)
    for field, message in date_problems(dates).items():
        raise ValidationError(message, field=field)
    category = None
    if category_id:
        partnership = organisation_partnership(org)
        if partnership is None:
            raise ValidationError("This body has no categories", field="category_id")
        category = get_category(partnership=partnership, category_id=category_id)
    contract = None
    if contract_id:
        contract = db.session.get(Contract, contract_id)
        if contract is None or contract.organisation_id != org.id:
            raise ValidationError("Choose one of the body's contracts", field="contract_id")
    codes, _ = parse_cpv_codes(cpv_codes)
    return {
        "title": title,
        "reference": (reference or "").strip() or None,
        "regime": Regime(regime),
        "cpv_codes": " ".join(codes),
        "estimated_value": estimated_value,
        "category_id": category.id if category else None,
        "countries": " ".join((countries or "").split()) or None,
        "tender_notice_on": tender_notice_on,
        "award_on": award_on,
        "start_on": start_on,
        "end_on": end_on,
        "contract_id": contract.id if contract else None,
    }


def add_procurement(
    *, org: Organisation, user: User | None, details: ProcurementDetails
) -> Procurement:
    """Record a procurement of the body."""
    procurement = Procurement(organisation_id=org.id, **_validate(org, details))
    db.session.add(procurement)
    db.session.flush()
    return procurement


def update_procurement(
    *,
    org: Organisation,
    procurement: Procurement,
    user: User | None,
    expected_version: int,
    details: ProcurementDetails,
) -> None:
    """Change a procurement; ConflictError if someone else changed it first."""
    if procurement.organisation_id != org.id:
        raise NotFoundError("There is no such procurement")
    if procurement.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this procurement while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    for name, value in _validate(org, details).items():
        setattr(procurement, name, value)
    db.session.flush()
