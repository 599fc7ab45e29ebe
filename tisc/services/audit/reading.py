"""Reading the audit trail: who may see which events, filters, pages of events, body names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select

from tisc.database import db
from tisc.models import AuditEvent, Organisation, Partnership, User
from tisc.models.organisations import partnership_organisations
from tisc.rules.authz import ROLE_PERMISSIONS, Permission
from tisc.services.errors import NotFoundError

PER_PAGE = 50


@dataclass(frozen=True)
class AuditScope:
    """What a reader may see: everything (administrators) or some partnerships' bodies."""

    everything: bool
    partnership_ids: frozenset[int]


def reader_scope(*, user: User) -> AuditScope | None:
    """Administrators see every event, board members their partnerships'; others nothing.

    Follows Permission.READ_AUDIT: a system-wide role holding it sees everything, a
    partnership role its partnership's own records and its member bodies'.
    """
    readers = [m for m in user.memberships if Permission.READ_AUDIT in ROLE_PERMISSIONS[m.role]]
    if any(m.role.scope == "system" for m in readers):
        return AuditScope(True, frozenset())
    ids = frozenset(m.partnership_id for m in readers if m.partnership_id is not None)
    return AuditScope(False, ids) if ids else None


@dataclass(frozen=True)
class AuditFilters:
    """The trail's filters; None means any."""

    organisation_id: int | None = None
    partnership_id: int | None = None
    person: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first."""

    events: Sequence[AuditEvent]
    total: int
    page: int
    pages: int


def _member_ids(partnership_ids: frozenset[int]) -> Any:
    return select(partnership_organisations.c.organisation_id).where(
        partnership_organisations.c.partnership_id.in_(partnership_ids)
    )


def _in_partnerships(partnership_ids: frozenset[int]) -> Any:
    # A body may belong to several partnerships: its part in another partnership's records
    # (its sign-off of that partnership's statement, say) carries that partnership's id and
    # stays that partnership's.
    return or_(
        AuditEvent.partnership_id.in_(partnership_ids),
        and_(
            AuditEvent.partnership_id.is_(None),
            AuditEvent.organisation_id.in_(_member_ids(partnership_ids)),
        ),
    )


def _visible(scope: AuditScope) -> Any:
    if scope.everything:
        return True
    return _in_partnerships(scope.partnership_ids)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _conditions(scope: AuditScope, filters: AuditFilters) -> list[Any]:
    conditions = [_visible(scope)]
    if filters.organisation_id is not None:
        conditions.append(AuditEvent.organisation_id == filters.organisation_id)
    if filters.partnership_id is not None:
        # A partnership's own records and those of its member bodies.
        conditions.append(_in_partnerships(frozenset({filters.partnership_id})))
    if filters.person:
        pattern = "%" + filters.person.lower().replace("%", "").replace("_", "") + "%"
        conditions.append(func.lower(AuditEvent.actor_label).like(pattern))
    if filters.record_type:
        conditions.append(AuditEvent.record_type == filters.record_type)
    if filters.record_id:
        conditions.append(AuditEvent.record_id == filters.record_id)
    if filters.date_from is not None:
        conditions.append(AuditEvent.at >= _start_of(filters.date_from))
    if filters.date_to is not None:
        conditions.append(AuditEvent.at < _start_of(filters.date_to + timedelta(days=1)))
    return conditions


def list_events(*, scope: AuditScope, filters: AuditFilters, page: int = 1) -> AuditPage:
    """A page of the events the reader may see that match the filters, newest first."""
    where = and_(*_conditions(scope, filters))
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(where)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    events = db.session.scalars(
        select(AuditEvent)
        .where(where)
        .order_by(AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return AuditPage(events, total, page, pages)


def get_event(*, scope: AuditScope, event_id: int) -> AuditEvent:
    """One event the reader may see; NotFoundError otherwise."""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.id == event_id, _visible(scope)))
    if event is None:
        raise NotFoundError("There is no such event in the audit trail")
    return event


def visible_bodies(*, scope: AuditScope) -> tuple[list[Partnership], list[Organisation]]:
    """The partnerships and organisations a reader may filter by."""
    partnerships = select(Partnership).order_by(Partnership.name)
    organisations = select(Organisation).order_by(Organisation.name)
    if not scope.everything:
        partnerships = partnerships.where(Partnership.id.in_(scope.partnership_ids))
        organisations = organisations.where(Organisation.id.in_(_member_ids(scope.partnership_ids)))
    return list(db.session.scalars(partnerships)), list(db.session.scalars(organisations))


def record_types(*, scope: AuditScope) -> list[str]:
    """The kinds of record the reader's events are about, for the filter."""
    return list(
        db.session.scalars(
            select(AuditEvent.record_type)
            .where(_visible(scope))
            .distinct()
            .order_by(AuditEvent.record_type)
        )
    )


def body_names(*, events: Sequence[AuditEvent]) -> dict[tuple[str, int], str]:
    """Names of the bodies the events mention, by ("organisation"|"partnership", id)."""
    org_ids = {e.organisation_id for e in events if e.organisation_id is not None}
    partnership_ids = {e.partnership_id for e in events if e.partnership_id is not None}
    names: dict[tuple[str, int], str] = {}
    if org_ids:
        for org_id, name in db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
        ):
            names[("organisation", org_id)] = name
    if partnership_ids:
        for partnership_id, name in db.session.execute(
            select(Partnership.id, Partnership.name).where(Partnership.id.in_(partnership_ids))
        ):
            names[("partnership", partnership_id)] = name
    return names
