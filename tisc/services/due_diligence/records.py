"""Due diligence records per supplier and year: guidance sent, the staff engagement plan,
beyond-Tier-1 mapping (sub-suppliers) and contract reviews.

Reading them together (the due-diligence list, figures and exports) is in
tisc.services.due_diligence.overview, which also re-exports these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tisc.database import db
from tisc.models import (
    AssessmentStatus,
    Contract,
    ContractReview,
    DueDiligence,
    Organisation,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    SupplierEvent,
    User,
)
from tisc.rules.years import FinancialYear
from tisc.services.errors import ConflictError, NotFoundError, ValidationError

GUIDANCE_METHODS: dict[str, str] = {
    "email": "Email",
    "letter": "Letter",
    "portal": "Supplier portal",
    "meeting": "Meeting",
    "contract": "Contract terms",
}
SUB_SUPPLIER_TIERS: dict[int, str] = {2: "Tier 2", 3: "Tier 3 and below"}
STALE = (
    "Someone else changed this record while you were editing. "
    "Your changes were not saved: check the details below and try again."
)
# A sub-supplier counts as mapped when a person entered it, or its assessment is complete.
COUNTS_AS_MAPPED = or_(
    SubSupplier.assessment_id.is_(None), SupplierAssessment.status == AssessmentStatus.COMPLETE
)


def _own(org: Organisation, supplier: Supplier) -> None:
    if supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")


def _text(value: str | None, *, limit: int | None = None, field: str, name: str) -> str | None:
    value = (value or "").strip() or None
    if value is not None and limit is not None and len(value) > limit:
        raise ValidationError(f"{name} must be {limit} characters or fewer", field=field)
    return value


def _past(day: date | None, today: date, *, field: str, what: str) -> None:
    if day is not None and day > today:
        raise ValidationError(f"{what} must be today or in the past", field=field)


def _check_version(record: Any, expected_version: int | None) -> None:
    if expected_version is not None and record.version_id != expected_version:
        raise ConflictError(STALE)


def _flush() -> None:
    """Write now, so a concurrent change shows as a conflict rather than an error page.

    IntegrityError here can only be a second record for the same supplier and year, saved
    by someone else since the form was loaded. The caller rolls back.
    """
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise ConflictError(STALE) from None


def _record(supplier: Supplier, user: User | None, summary: str) -> None:
    db.session.add(
        SupplierEvent(supplier_id=supplier.id, user_id=user.id if user else None, summary=summary)
    )


# --- guidance and the staff engagement plan -------------------------------------------------


def get_due_diligence(
    *, org: Organisation, supplier: Supplier, financial_year: int
) -> DueDiligence | None:
    """The supplier's guidance and plan record for the year, if anything is recorded."""
    _own(org, supplier)
    return db.session.scalar(
        select(DueDiligence).where(
            DueDiligence.supplier_id == supplier.id,
            DueDiligence.financial_year == financial_year,
        )
    )


def update_due_diligence(
    *,
    org: Organisation,
    supplier: Supplier,
    financial_year: int,
    user: User | None,
    expected_version: int,
    guidance_sent_on: date | None,
    guidance_method: str | None,
    plan_requested_on: date | None,
    plan_received_on: date | None,
    plan_note: str | None = None,
    plan_link: str | None = None,
    today: date | None = None,
) -> DueDiligence:
    """Record guidance and the staff engagement plan for a supplier in a year.

    `expected_version` is the record's version when the form was loaded (0 when there was
    no record yet); ConflictError if someone else saved it since.
    """
    today = today or date.today()
    record = get_due_diligence(org=org, supplier=supplier, financial_year=financial_year)
    if (record.version_id if record else 0) != expected_version:
        raise ConflictError(STALE)
    method = (guidance_method or "").strip() or None
    if method is not None and method not in GUIDANCE_METHODS:
        raise ValidationError("Select how the guidance was sent", field="guidance_method")
    if guidance_sent_on is None and method is not None:
        raise ValidationError("Enter the date guidance was sent", field="guidance_sent_on")
    if guidance_sent_on is not None and method is None:
        raise ValidationError("Select how the guidance was sent", field="guidance_method")
    _past(guidance_sent_on, today, field="guidance_sent_on", what="The date guidance was sent")
    if plan_received_on is not None and plan_requested_on is None:
        raise ValidationError(
            "Enter the date the staff engagement plan was requested", field="plan_requested_on"
        )
    _past(
        plan_requested_on, today, field="plan_requested_on", what="The date the plan was requested"
    )
    _past(plan_received_on, today, field="plan_received_on", what="The date the plan was received")
    if plan_received_on and plan_requested_on and plan_received_on < plan_requested_on:
        raise ValidationError(
            "The date the plan was received must be the same as or after the date it was requested",
            field="plan_received_on",
        )
    link = _text(plan_link, limit=500, field="plan_link", name="The link")
    if link is not None and not link.lower().startswith(("https://", "http://")):
        raise ValidationError(
            "Enter a link in the correct format, like https://example.org/plan.pdf",
            field="plan_link",
        )
    if record is None:
        record = DueDiligence(
            organisation_id=org.id, supplier_id=supplier.id, financial_year=financial_year
        )
        db.session.add(record)
    record.guidance_sent_on = guidance_sent_on
    record.guidance_method = method
    record.plan_requested_on = plan_requested_on
    record.plan_received_on = plan_received_on
    record.plan_note = _text(plan_note, field="plan_note", name="The note")
    record.plan_link = link
    _record(supplier, user, f"Guidance and plan saved for {FinancialYear(financial_year).label}")
    _flush()
    return record


# --- beyond-Tier-1 mapping ------------------------------------------------------------------


@dataclass(frozen=True)
class MappedSubSupplier:
    """A sub-supplier, and whether it counts as mapped (entered here or assessment complete)."""

    record: SubSupplier
    counts: bool


def list_sub_suppliers(
    *, org: Organisation, supplier: Supplier, financial_year: int
) -> list[MappedSubSupplier]:
    """The supplier's sub-suppliers for the year, Tier 2 first."""
    _own(org, supplier)
    found = db.session.execute(
        select(SubSupplier, case((COUNTS_AS_MAPPED, True), else_=False))
        .outerjoin(SupplierAssessment, SupplierAssessment.id == SubSupplier.assessment_id)
        .where(SubSupplier.supplier_id == supplier.id, SubSupplier.financial_year == financial_year)
        .order_by(SubSupplier.tier, func.lower(SubSupplier.name), SubSupplier.id)
    )
    return [MappedSubSupplier(record, bool(counts)) for record, counts in found]


def get_sub_supplier(*, org: Organisation, supplier: Supplier, sub_supplier_id: int) -> SubSupplier:
    """One of this supplier's sub-suppliers; NotFoundError for anyone else's."""
    _own(org, supplier)
    record = db.session.get(SubSupplier, sub_supplier_id)
    if record is None or record.organisation_id != org.id or record.supplier_id != supplier.id:
        raise NotFoundError("There is no such sub-supplier")
    return record


def _sub_supplier_values(
    *, name: str, tier: int | None, country: str, supplies: str, risk_notes: str | None
) -> dict[str, Any]:
    values = {
        "name": _text(name, limit=300, field="name", name="The name"),
        "tier": tier,
        "country": _text(country, limit=100, field="country", name="The country"),
        "supplies": _text(supplies, limit=300, field="supplies", name="What they supply"),
        "risk_notes": _text(risk_notes, field="risk_notes", name="The notes"),
    }
    if values["name"] is None:
        raise ValidationError("Enter the sub-supplier's name", field="name")
    if tier not in SUB_SUPPLIER_TIERS:
        raise ValidationError("Select the sub-supplier's tier", field="tier")
    if values["country"] is None:
        raise ValidationError("Enter the country", field="country")
    if values["supplies"] is None:
        raise ValidationError("Enter what they supply", field="supplies")
    return values


def _editable(record: SubSupplier) -> None:
    if record.assessment_id is not None:
        raise ValidationError(
            "This sub-supplier came from the supplier's assessment, so it cannot be changed here",
            field="name",
        )


def add_sub_supplier(
    *,
    org: Organisation,
    supplier: Supplier,
    financial_year: int,
    user: User | None,
    name: str,
    tier: int | None,
    country: str,
    supplies: str,
    risk_notes: str | None = None,
) -> SubSupplier:
    """Map one of the supplier's own suppliers (Tier 2, or Tier 3 and below) for the year."""
    _own(org, supplier)
    values = _sub_supplier_values(
        name=name, tier=tier, country=country, supplies=supplies, risk_notes=risk_notes
    )
    record = SubSupplier(
        organisation_id=org.id, supplier_id=supplier.id, financial_year=financial_year, **values
    )
    db.session.add(record)
    _record(supplier, user, f"Sub-supplier added: {record.name} ({record.tier_label})")
    _flush()
    return record


def update_sub_supplier(
    *,
    org: Organisation,
    supplier: Supplier,
    sub_supplier: SubSupplier,
    user: User | None,
    expected_version: int,
    name: str,
    tier: int | None,
    country: str,
    supplies: str,
    risk_notes: str | None = None,
) -> None:
    """Change a sub-supplier; ConflictError if someone else changed it first."""
    get_sub_supplier(org=org, supplier=supplier, sub_supplier_id=sub_supplier.id)
    _check_version(sub_supplier, expected_version)
    _editable(sub_supplier)
    values = _sub_supplier_values(
        name=name, tier=tier, country=country, supplies=supplies, risk_notes=risk_notes
    )
    for key, value in values.items():
        setattr(sub_supplier, key, value)
    _record(supplier, user, f"Sub-supplier edited: {sub_supplier.name}")
    _flush()


def delete_sub_supplier(
    *,
    org: Organisation,
    supplier: Supplier,
    sub_supplier: SubSupplier,
    user: User | None,
    expected_version: int | None = None,
) -> None:
    """Remove a sub-supplier entered by hand."""
    get_sub_supplier(org=org, supplier=supplier, sub_supplier_id=sub_supplier.id)
    _check_version(sub_supplier, expected_version)
    _editable(sub_supplier)
    _record(supplier, user, f"Sub-supplier removed: {sub_supplier.name}")
    db.session.delete(sub_supplier)
    _flush()


# --- contract reviews -----------------------------------------------------------------------


def list_contract_reviews(
    *, org: Organisation, supplier: Supplier, financial_year: int
) -> Sequence[ContractReview]:
    """The supplier's contract reviews in the year, newest first."""
    _own(org, supplier)
    return db.session.scalars(
        select(ContractReview)
        .where(
            ContractReview.supplier_id == supplier.id,
            ContractReview.financial_year == financial_year,
        )
        .order_by(ContractReview.reviewed_on.desc(), ContractReview.id.desc())
    ).all()


def get_contract_review(*, org: Organisation, supplier: Supplier, review_id: int) -> ContractReview:
    """One of this supplier's contract reviews; NotFoundError for anyone else's."""
    _own(org, supplier)
    record = db.session.get(ContractReview, review_id)
    if record is None or record.organisation_id != org.id or record.supplier_id != supplier.id:
        raise NotFoundError("There is no such contract review")
    return record


def _review_values(
    *,
    supplier: Supplier,
    reviewed_on: date | None,
    contract_id: int | None,
    modern_slavery_discussed: bool | None,
    notes: str | None,
    actions: str | None,
    today: date,
) -> dict[str, Any]:
    if reviewed_on is None:
        raise ValidationError("Enter the date of the review", field="reviewed_on")
    _past(reviewed_on, today, field="reviewed_on", what="The date of the review")
    if contract_id is not None:
        contract = db.session.get(Contract, contract_id)
        if contract is None or contract.supplier_id != supplier.id:
            raise ValidationError("Select one of this supplier's contracts", field="contract_id")
    if modern_slavery_discussed is None:
        raise ValidationError(
            "Select yes if modern slavery was discussed", field="modern_slavery_discussed"
        )
    return {
        "reviewed_on": reviewed_on,
        "financial_year": FinancialYear.containing(reviewed_on).start_year,
        "contract_id": contract_id,
        "modern_slavery_discussed": modern_slavery_discussed,
        "notes": _text(notes, field="notes", name="The notes"),
        "actions": _text(actions, field="actions", name="The actions"),
    }


def add_contract_review(
    *,
    org: Organisation,
    supplier: Supplier,
    user: User | None,
    reviewed_on: date | None,
    contract_id: int | None,
    modern_slavery_discussed: bool | None,
    notes: str | None = None,
    actions: str | None = None,
    today: date | None = None,
) -> ContractReview:
    """Record a contract management review; its year is the financial year of its date."""
    _own(org, supplier)
    values = _review_values(
        supplier=supplier,
        reviewed_on=reviewed_on,
        contract_id=contract_id,
        modern_slavery_discussed=modern_slavery_discussed,
        notes=notes,
        actions=actions,
        today=today or date.today(),
    )
    record = ContractReview(organisation_id=org.id, supplier_id=supplier.id, **values)
    db.session.add(record)
    _record(supplier, user, f"Contract review recorded for {reviewed_on:%d/%m/%Y}")
    _flush()
    return record


def update_contract_review(
    *,
    org: Organisation,
    supplier: Supplier,
    review: ContractReview,
    user: User | None,
    expected_version: int,
    reviewed_on: date | None,
    contract_id: int | None,
    modern_slavery_discussed: bool | None,
    notes: str | None = None,
    actions: str | None = None,
    today: date | None = None,
) -> None:
    """Change a contract review; ConflictError if someone else changed it first."""
    get_contract_review(org=org, supplier=supplier, review_id=review.id)
    _check_version(review, expected_version)
    values = _review_values(
        supplier=supplier,
        reviewed_on=reviewed_on,
        contract_id=contract_id,
        modern_slavery_discussed=modern_slavery_discussed,
        notes=notes,
        actions=actions,
        today=today or date.today(),
    )
    for key, value in values.items():
        setattr(review, key, value)
    _record(supplier, user, f"Contract review of {review.reviewed_on:%d/%m/%Y} edited")
    _flush()


def delete_contract_review(
    *,
    org: Organisation,
    supplier: Supplier,
    review: ContractReview,
    user: User | None,
    expected_version: int | None = None,
) -> None:
    """Remove a contract review."""
    get_contract_review(org=org, supplier=supplier, review_id=review.id)
    _check_version(review, expected_version)
    _record(supplier, user, f"Contract review of {review.reviewed_on:%d/%m/%Y} removed")
    db.session.delete(review)
    _flush()
