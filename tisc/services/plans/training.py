"""Training records: who a body trained on modern slavery in a year, out of how many in scope.

They feed the awareness commitment and its KPI ("trained", via tisc.services.plans.kpis).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from tisc.database import db
from tisc.models import Audience, Organisation, TrainingRecord, User
from tisc.rules.years import FinancialYear, long_date
from tisc.services.errors import ConflictError, NotFoundError, ValidationError, flush_or_conflict

STALE = (
    "Someone else changed this training record while you were editing. "
    "Your changes were not saved: check the details below and try again."
)
COURSE_LIMIT = 300
# Larger than any police force or commissioner's staff; stops typing slips and overflow.
MOST_STAFF = 1_000_000


def list_training(*, org: Organisation, financial_year: int) -> Sequence[TrainingRecord]:
    """The body's training records for the year, newest delivery first."""
    return db.session.scalars(
        select(TrainingRecord)
        .where(
            TrainingRecord.organisation_id == org.id,
            TrainingRecord.financial_year == financial_year,
        )
        .order_by(TrainingRecord.delivered_on.desc().nulls_last(), TrainingRecord.id.desc())
    ).all()


def training_years(*, org: Organisation) -> list[int]:
    """The years the body has training recorded for, newest first."""
    return list(
        db.session.scalars(
            select(TrainingRecord.financial_year)
            .where(TrainingRecord.organisation_id == org.id)
            .distinct()
            .order_by(TrainingRecord.financial_year.desc())
        )
    )


def get_training(*, org: Organisation, record_id: int) -> TrainingRecord:
    """One of the body's training records; NotFoundError for another body's."""
    record = db.session.get(TrainingRecord, record_id)
    if record is None or record.organisation_id != org.id:
        raise NotFoundError("There is no such training record")
    return record


def _count(value: int | None, *, field: str, what: str) -> int:
    if value is None:
        raise ValidationError(f"Enter the number of {what}", field=field)
    if value < 0:
        raise ValidationError(f"The number of {what} cannot be negative", field=field)
    if value > MOST_STAFF:
        raise ValidationError(f"The number of {what} must be {MOST_STAFF:,} or fewer", field=field)
    return value


def _validate(
    *,
    financial_year: int,
    audience: str | None,
    course: str | None,
    delivered_on: date | None,
    staff_in_scope: int | None,
    staff_trained: int | None,
) -> dict:
    if audience not in {a.value for a in Audience}:
        raise ValidationError("Select who the training was for", field="audience")
    course = (course or "").strip()
    if not course:
        raise ValidationError("Enter the name of the course", field="course")
    if len(course) > COURSE_LIMIT:
        raise ValidationError(
            f"The course name must be {COURSE_LIMIT} characters or fewer", field="course"
        )
    year = FinancialYear(financial_year)
    if delivered_on is not None and not year.starts <= delivered_on <= year.ends:
        raise ValidationError(
            f"The date delivered must be in {year.label}: from {long_date(year.starts)} "
            f"to {long_date(year.ends)}",
            field="delivered_on",
        )
    in_scope = _count(staff_in_scope, field="staff_in_scope", what="people in scope")
    trained = _count(staff_trained, field="staff_trained", what="people trained")
    if trained > in_scope:
        raise ValidationError(
            "The number of people trained cannot be more than the number in scope",
            field="staff_trained",
        )
    return {
        "audience": Audience(audience),
        "course": course,
        "delivered_on": delivered_on,
        "staff_in_scope": in_scope,
        "staff_trained": trained,
    }


def add_training(
    *,
    org: Organisation,
    financial_year: int,
    user: User | None,
    audience: str | None,
    course: str | None,
    delivered_on: date | None,
    staff_in_scope: int | None,
    staff_trained: int | None,
) -> TrainingRecord:
    """Record training delivered in a year."""
    values = _validate(
        financial_year=financial_year,
        audience=audience,
        course=course,
        delivered_on=delivered_on,
        staff_in_scope=staff_in_scope,
        staff_trained=staff_trained,
    )
    record = TrainingRecord(organisation_id=org.id, financial_year=financial_year, **values)
    db.session.add(record)
    db.session.flush()
    return record


def update_training(
    *,
    org: Organisation,
    record: TrainingRecord,
    user: User | None,
    expected_version: int,
    audience: str | None,
    course: str | None,
    delivered_on: date | None,
    staff_in_scope: int | None,
    staff_trained: int | None,
) -> None:
    """Change a training record; ConflictError if someone else changed it first."""
    if record.organisation_id != org.id:
        raise NotFoundError("There is no such training record")
    if record.version_id != expected_version:
        raise ConflictError(STALE)
    values = _validate(
        financial_year=record.financial_year,
        audience=audience,
        course=course,
        delivered_on=delivered_on,
        staff_in_scope=staff_in_scope,
        staff_trained=staff_trained,
    )
    for name, value in values.items():
        setattr(record, name, value)
    _flush()


def delete_training(
    *, org: Organisation, record: TrainingRecord, user: User | None, expected_version: int
) -> None:
    """Remove a training record (it stops counting in the KPI)."""
    if record.organisation_id != org.id:
        raise NotFoundError("There is no such training record")
    if record.version_id != expected_version:
        raise ConflictError(STALE)
    db.session.delete(record)
    _flush()


def _flush() -> None:
    flush_or_conflict(STALE)
