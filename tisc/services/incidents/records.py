"""A body's incidents: listing, reading, recording and changing one. Nothing here stores a
person's name: the fields are keys, dates and a short outline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import Incident, Organisation, Supplier, User
from tisc.rules.incidents import (
    SHORT_TEXT,
    IncidentStatus,
    Indicator,
    Referral,
    Remediation,
    Source,
    Tier,
    closing_problem,
    date_problems,
    join_keys,
    parse_keys,
    referral_problem,
    text_problem,
    unknown_keys,
)
from tisc.services.errors import ConflictError, NotFoundError, ValidationError, flush_or_conflict

STALE = (
    "Someone else changed this incident while you were editing. "
    "Your changes were not saved: check the details below and try again."
)


@dataclass(frozen=True)
class IncidentDetails:
    """What a person gives for an incident (as the form sends it)."""

    found_on: date | None
    tier: str | None
    indicators: Sequence[str]
    source: str | None
    referrals: Sequence[str]
    remediation_types: Sequence[str]
    status: str | None
    supplier_id: int | None = None
    summary: str | None = None
    remediation: str | None = None
    outcome: str | None = None
    closed_on: date | None = None


def list_incidents(*, org: Organisation) -> list[Incident]:
    """The body's incidents, open ones first, then newest found first."""
    found = db.session.scalars(
        select(Incident)
        .where(Incident.organisation_id == org.id)
        .options(selectinload(Incident.supplier))
        .order_by(Incident.found_on.desc(), Incident.id.desc())
    ).all()
    return sorted(found, key=lambda i: i.status is IncidentStatus.CLOSED)


def get_incident(*, org: Organisation, incident_id: int) -> Incident:
    """One of the body's incidents; NotFoundError for any other."""
    record = db.session.get(Incident, incident_id)
    if record is None or record.organisation_id != org.id:
        raise NotFoundError("There is no such incident")
    return record


def supplier_choices(*, org: Organisation) -> list[tuple[int, str]]:
    """The body's suppliers still in use, as (id, name), by name."""
    rows = db.session.execute(
        select(Supplier.id, Supplier.name)
        .where(Supplier.organisation_id == org.id, Supplier.archived_at.is_(None))
        .order_by(Supplier.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def _keys(values: Iterable[str], kind: Any, field: str, message: str) -> list[Any]:
    given = [v for v in values if v]
    if unknown_keys(given, kind):
        raise ValidationError(message, field=field)
    return parse_keys(given, kind)


def _values(org: Organisation, details: IncidentDetails, today: date) -> dict[str, Any]:
    if details.tier not in {t.value for t in Tier}:
        raise ValidationError("Select the supply-chain tier, or Not known", field="tier")
    if details.source not in {s.value for s in Source}:
        raise ValidationError("Select how the incident came to light", field="source")
    indicators = _keys(
        details.indicators, Indicator, "indicators", "Select the indicators observed"
    )
    if not indicators:
        raise ValidationError("Select at least one indicator observed", field="indicators")
    referrals = _keys(details.referrals, Referral, "referrals", "Select the referrals made")
    if not referrals:
        raise ValidationError("Select the referrals made, or None", field="referrals")
    problem = referral_problem(referrals)
    if problem:
        raise ValidationError(problem, field="referrals")
    remediations = _keys(
        details.remediation_types,
        Remediation,
        "remediation_types",
        "Select the kinds of remediation taken",
    )
    if details.status not in {s.value for s in IncidentStatus}:
        raise ValidationError("Select whether the incident is open or closed", field="status")
    status = IncidentStatus(details.status)
    dates = date_problems(
        found_on=details.found_on, closed_on=details.closed_on, status=status, today=today
    )
    if dates:
        name, message = next(iter(dates.items()))
        raise ValidationError(message, field=name)
    texts = {
        "summary": "The outline of what was found",
        "remediation": "The remediation taken",
        "outcome": "The outcome",
    }
    cleaned = {name: (getattr(details, name) or "").strip() or None for name in texts}
    for name, label in texts.items():
        problem = text_problem(cleaned[name], label, SHORT_TEXT)
        if problem:
            raise ValidationError(problem, field=name)
    problem = closing_problem(status=status, outcome=cleaned["outcome"])
    if problem:
        raise ValidationError(problem, field="outcome")
    return {
        "found_on": details.found_on,
        "tier": Tier(details.tier),
        "indicators": join_keys(indicators, Indicator),
        "source": Source(details.source),
        "referrals": join_keys(referrals, Referral),
        "remediation_types": join_keys(remediations, Remediation),
        "status": status,
        "closed_on": details.closed_on,
        "supplier_id": _supplier_of(org, details.supplier_id),
        **cleaned,
    }


def _supplier_of(org: Organisation, supplier_id: int | None) -> int | None:
    if supplier_id is None:
        return None
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None or supplier.organisation_id != org.id:
        raise ValidationError("Select one of this body's suppliers", field="supplier_id")
    return supplier.id


def _flush() -> None:
    flush_or_conflict(STALE)


def add_incident(
    *, org: Organisation, user: User | None, details: IncidentDetails, today: date
) -> Incident:
    """Record an incident of the body."""
    record = Incident(organisation_id=org.id, **_values(org, details, today))
    db.session.add(record)
    _flush()
    return record


def update_incident(
    *,
    org: Organisation,
    record: Incident,
    user: User | None,
    expected_version: int,
    details: IncidentDetails,
    today: date,
) -> None:
    """Change an incident (close it with its outcome); ConflictError if someone else changed
    it first."""
    get_incident(org=org, incident_id=record.id)
    if record.version_id != expected_version:
        raise ConflictError(STALE)
    for key, value in _values(org, details, today).items():
        setattr(record, key, value)
    _flush()
