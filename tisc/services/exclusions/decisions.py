"""A body's exclusion decisions on its suppliers, and where each stands on telling the
Procurement Review Unit (within 30 days of an exclusion: `rules/debarment.notification`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import (
    ExclusionDecision,
    Organisation,
    Procurement,
    Supplier,
    SupplierEvent,
    User,
)
from tisc.rules.debarment import Decision, Notification, notification
from tisc.services.errors import ConflictError, NotFoundError, ValidationError, flush_or_conflict

STALE = (
    "Someone else changed this record while you were editing. "
    "Your changes were not saved: check the details below and try again."
)


@dataclass(frozen=True)
class DecisionRow:
    """A decision and where telling the Unit stands today."""

    record: ExclusionDecision
    notification: Notification


def decisions_in(
    *, org: Organisation, procurement: Procurement, today: date | None = None
) -> list[DecisionRow]:
    """The body's exclusion decisions made in one of its procurements, newest first."""
    records = db.session.scalars(
        select(ExclusionDecision)
        .where(
            ExclusionDecision.organisation_id == org.id,
            ExclusionDecision.procurement_id == procurement.id,
        )
        .options(selectinload(ExclusionDecision.supplier))  # the page names each supplier
        .order_by(ExclusionDecision.decided_on.desc(), ExclusionDecision.id.desc())
    ).all()
    today = today or date.today()
    return [
        DecisionRow(d, notification(d.decision, d.decided_on, d.notified_on, today))
        for d in records
    ]


def _own(org: Organisation, supplier: Supplier) -> None:
    if supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")


def list_decisions(
    *, org: Organisation, supplier: Supplier, today: date | None = None
) -> list[DecisionRow]:
    """The supplier's exclusion decisions, newest first, each with its notification state."""
    _own(org, supplier)
    today = today or date.today()
    found = db.session.scalars(
        select(ExclusionDecision)
        .where(
            ExclusionDecision.organisation_id == org.id,
            ExclusionDecision.supplier_id == supplier.id,
        )
        .order_by(ExclusionDecision.decided_on.desc(), ExclusionDecision.id.desc())
    )
    return [
        DecisionRow(d, notification(d.decision, d.decided_on, d.notified_on, today)) for d in found
    ]


def get_decision(*, org: Organisation, supplier: Supplier, decision_id: int) -> ExclusionDecision:
    """One of this supplier's decisions; NotFoundError for anyone else's."""
    _own(org, supplier)
    record = db.session.get(ExclusionDecision, decision_id)
    if record is None or record.organisation_id != org.id or record.supplier_id != supplier.id:
        raise NotFoundError("There is no such exclusion decision")
    return record


def _procurement_of(org: Organisation, procurement_id: int | None) -> int | None:
    """The id of one of the body's procurements; ValidationError for any other."""
    if procurement_id is None:
        return None
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None or procurement.organisation_id != org.id:
        raise ValidationError("Select one of this body's procurements", field="procurement_id")
    return procurement.id


def _values(
    *,
    ground: str,
    evidence: str | None,
    decision: str | None,
    decided_on: date | None,
    notified_on: date | None,
    procurement_reference: str | None,
    today: date,
) -> dict[str, Any]:
    ground = (ground or "").strip()
    reference = (procurement_reference or "").strip() or None
    if not ground:
        raise ValidationError("Enter the exclusion ground", field="ground")
    if decision not in {d.value for d in Decision}:
        raise ValidationError("Select the decision", field="decision")
    if decided_on is None:
        raise ValidationError("Enter the date of the decision", field="decided_on")
    if decided_on > today:
        raise ValidationError(
            "The date of the decision must be today or in the past", field="decided_on"
        )
    if notified_on is not None:
        if Decision(decision) is not Decision.EXCLUDED:
            raise ValidationError(
                "Only an exclusion is notified to the Procurement Review Unit: leave the date "
                "blank, or choose Excluded",
                field="notified_on",
            )
        if notified_on < decided_on:
            raise ValidationError(
                "The date the Unit was told must be the same as or after the decision",
                field="notified_on",
            )
        if notified_on > today:
            raise ValidationError(
                "The date the Unit was told must be today or in the past", field="notified_on"
            )
    if reference is not None and len(reference) > 100:
        raise ValidationError(
            "The procurement reference must be 100 characters or fewer",
            field="procurement_reference",
        )
    return {
        "ground": ground,
        "evidence": (evidence or "").strip() or None,
        "decision": Decision(decision),
        "decided_on": decided_on,
        "notified_on": notified_on,
        "procurement_reference": reference,
    }


def _event(supplier: Supplier, user: User | None, summary: str) -> None:
    db.session.add(
        SupplierEvent(supplier_id=supplier.id, user_id=user.id if user else None, summary=summary)
    )


def _flush() -> None:
    flush_or_conflict(STALE)


def add_decision(
    *,
    org: Organisation,
    supplier: Supplier,
    user: User | None,
    ground: str,
    decision: str | None,
    decided_on: date | None,
    evidence: str | None = None,
    notified_on: date | None = None,
    procurement_id: int | None = None,
    procurement_reference: str | None = None,
    today: date | None = None,
) -> ExclusionDecision:
    """Record a decision on excluding the supplier, decided by `user`."""
    _own(org, supplier)
    values = _values(
        ground=ground,
        evidence=evidence,
        decision=decision,
        decided_on=decided_on,
        notified_on=notified_on,
        procurement_reference=procurement_reference,
        today=today or date.today(),
    )
    record = ExclusionDecision(
        organisation_id=org.id,
        supplier_id=supplier.id,
        decided_by_id=user.id if user else None,
        procurement_id=_procurement_of(org, procurement_id),
        **values,
    )
    db.session.add(record)
    _event(supplier, user, f"Exclusion decision recorded: {record.decision.label}")
    _flush()
    return record


def update_decision(
    *,
    org: Organisation,
    supplier: Supplier,
    record: ExclusionDecision,
    user: User | None,
    expected_version: int,
    ground: str,
    decision: str | None,
    decided_on: date | None,
    evidence: str | None = None,
    notified_on: date | None = None,
    procurement_id: int | None = None,
    procurement_reference: str | None = None,
    today: date | None = None,
) -> None:
    """Change a decision (say when the Unit was told); ConflictError if someone else changed
    it first."""
    get_decision(org=org, supplier=supplier, decision_id=record.id)
    if record.version_id != expected_version:
        raise ConflictError(STALE)
    values = _values(
        ground=ground,
        evidence=evidence,
        decision=decision,
        decided_on=decided_on,
        notified_on=notified_on,
        procurement_reference=procurement_reference,
        today=today or date.today(),
    )
    record.procurement_id = _procurement_of(org, procurement_id)
    for key, value in values.items():
        setattr(record, key, value)
    if user is not None:
        record.decided_by_id = user.id
    _event(supplier, user, f"Exclusion decision changed: {record.decision.label}")
    _flush()
