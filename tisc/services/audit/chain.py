"""The audit trail: who is acting, queuing events, appending them to the chain at commit,
and checking the chain (reading it back is tisc.services.audit.reading).

Events are queued during a transaction (by the session hooks in tisc.services.audit.capture,
or by record_event for bulk statements that bypass the ORM) and written just before the
transaction commits, under the chain's lock, so that the lock is held for milliseconds
rather than for the whole of a long import, and a rolled-back change leaves no event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session, SessionTransaction

from tisc.database import db
from tisc.models import AuditEvent
from tisc.models.audit import (
    POSTGRESQL_TRIGGER_NAMES,
    POSTGRESQL_TRIGGERS,
    SQLITE_TRIGGER_NAMES,
    SQLITE_TRIGGERS,
)
from tisc.models.base import utcnow
from tisc.rules.audit import (
    GENESIS_HASH,
    HASHED_FIELDS,
    ChainResult,
    check_chain,
    clean_summary,
    event_hash,
    stored_json,
    utc_text,
)

# Any constant will do: every appender on PostgreSQL takes this transaction-level lock
# before reading the last hash, so two transactions never chain onto the same event.
CHAIN_LOCK_KEY = 0x7415C_A0D17
PENDING_KEY = "audit_pending"
# pg_trigger.tgtype of each protecting trigger: ROW 1, BEFORE 2, DELETE 8, UPDATE 16, TRUNCATE 32.
POSTGRESQL_TRIGGER_TYPES = dict(
    zip(POSTGRESQL_TRIGGER_NAMES, (1 | 2 | 8 | 16, 2 | 32), strict=True)
)


# --- who is acting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user's id and a label ("person@example.org", "demo data")."""

    user_id: int | None
    label: str


_actor: ContextVar[Actor | Callable[[], Actor] | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(actor: Actor | Callable[[], Actor] | str) -> Iterator[None]:
    """Label the changes made inside the block (a command, a supplier's link, the demo)."""
    token = _actor.set(Actor(None, actor) if isinstance(actor, str) else actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    """Who is labelled as acting now ("system" when nobody is)."""
    return _resolve(_actor.get())


def _resolve(chosen: Actor | Callable[[], Actor] | None) -> Actor:
    # A callable is asked at commit: a supplier's link is known, and a person who has just
    # signed in is signed in, only after the first changes of the request were queued.
    if chosen is None:
        return Actor(None, "system")
    return chosen if isinstance(chosen, Actor) else chosen()


# --- the key ----------------------------------------------------------------------------------


class AuditKeyMissing(RuntimeError):
    """No audit key is configured: events cannot be hashed or checked."""


def audit_key() -> bytes:
    """The configured audit key (TISC_AUDIT_KEY; in development instance/audit.key)."""
    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise AuditKeyMissing("No audit key is configured: set TISC_AUDIT_KEY")
    return key.encode("utf-8")


# --- queuing and appending --------------------------------------------------------------------


@dataclass
class PendingEvent:
    """An event waiting for its transaction to commit."""

    action: str
    record_type: str
    record_id: str | None
    summary: str
    organisation_id: int | None
    partnership_id: int | None
    before: str | None
    after: str | None
    transaction: SessionTransaction | None = field(default=None, repr=False)
    actor: Actor | Callable[[], Actor] | None = field(default=None, repr=False)


def queue(session: Session, event: PendingEvent) -> None:
    """Keep an event with the session until its transaction commits (or drop it on rollback).

    The actor in charge now is kept with it (resolved at commit).
    """
    event.transaction = session.get_nested_transaction() or session.get_transaction()
    event.actor = _actor.get()
    session.info.setdefault(PENDING_KEY, []).append(event)


def record_event(
    *,
    action: str,
    record_type: str,
    record_id: int | str | None,
    summary: str,
    organisation_id: int | None = None,
    partnership_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Record a change the session hooks cannot see (bulk statements); written at commit."""
    queue(
        db.session(),
        PendingEvent(
            action=action,
            record_type=record_type,
            record_id=None if record_id is None else str(record_id),
            summary=clean_summary(summary),
            organisation_id=organisation_id,
            partnership_id=partnership_id,
            before=stored_json(before),
            after=stored_json(after),
        ),
    )


def append_pending(session: Session) -> int:
    """Write the session's queued events to the chain; returns how many. Called at commit."""
    pending: list[PendingEvent] = session.info.pop(PENDING_KEY, [])
    if not pending:
        return 0
    actors: dict[int, Actor] = {}
    for event in pending:
        if id(event.actor) not in actors:
            actors[id(event.actor)] = _resolve(event.actor)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    # SQLite: a transaction that has written holds the database's only write lock, so no
    # other transaction can append between this read and the insert.
    last = connection.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    next_id, prev_hash = (last.id + 1, last.hash) if last else (1, GENESIS_HASH)
    key = audit_key()
    at = utcnow()
    at_text = utc_text(at)  # what the hash covers; the row keeps the time itself
    rows = []
    for offset, event in enumerate(pending):
        actor = actors[id(event.actor)]
        fields = {
            "id": next_id + offset,
            "at": at_text,
            "actor_user_id": actor.user_id,
            "actor_label": clean_summary(actor.label),
            "organisation_id": event.organisation_id,
            "partnership_id": event.partnership_id,
            "action": event.action,
            "record_type": event.record_type,
            "record_id": event.record_id,
            "summary": event.summary,
            "before": event.before,
            "after": event.after,
        }
        digest = event_hash(prev_hash, fields, key=key)
        rows.append({**fields, "at": at, "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    connection.execute(insert(AuditEvent.__table__), rows)
    return len(rows)


def drop_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    """Forget events queued inside a transaction (or savepoint) that was rolled back."""
    pending: list[PendingEvent] | None = session.info.get(PENDING_KEY)
    if not pending:
        return
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)
        return

    def inside(event: PendingEvent) -> bool:
        current = event.transaction
        while current is not None:
            if current is transaction:
                return True
            current = current.parent
        return False

    session.info[PENDING_KEY] = [e for e in pending if not inside(e)]


# --- checking the chain -----------------------------------------------------------------------


def configured_unkeyed_up_to() -> int:
    """The configured cut-over: the last event written before the trail was keyed (0: none)."""
    return int(current_app.config.get("AUDIT_UNKEYED_UP_TO") or 0)


def verify_chain(*, unkeyed_up_to: int | None = None) -> ChainResult:
    """Walk every event in id order and check each hash and link: keyed with the audit key,
    or plain SHA-256 up to the cut-over (`unkeyed_up_to`, by default the configured one)."""
    key = audit_key()
    if unkeyed_up_to is None:
        unkeyed_up_to = configured_unkeyed_up_to()
    columns = [getattr(AuditEvent, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")]
    rows = db.session.execute(
        select(*columns).order_by(AuditEvent.id).execution_options(yield_per=5000)
    )
    try:
        return check_chain((row._mapping for row in rows), key=key, unkeyed_up_to=unkeyed_up_to)
    finally:
        rows.close()  # a break stops early: release PostgreSQL's server-side cursor


def stored_hash(*, event_id: int) -> str | None:
    """The hash stored with one event (None when there is no such event)."""
    return db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == event_id))


def missing_triggers() -> list[str]:
    """The triggers that refuse changes to events but are not in the database as written.

    A trigger that is there but cannot fire counts as missing: on SQLite one recreated with
    another body, on PostgreSQL one disabled, limited by a WHEN condition or to some columns,
    or whose function no longer refuses.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        stored = dict(
            connection.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"
                ),
                {"t": AuditEvent.__tablename__},
            ).all()
        )
        expected = dict(zip(SQLITE_TRIGGER_NAMES, SQLITE_TRIGGERS, strict=True))
        return [
            name
            for name, sql in expected.items()
            if _spaced(stored.get(name) or "") != _spaced(sql)
        ]
    if connection.dialect.name == "postgresql":
        refusing = _spaced(POSTGRESQL_TRIGGERS[0].split("$$")[1])
        armed = {
            name: tgtype
            for name, tgtype, source in connection.execute(
                text(
                    "SELECT t.tgname, t.tgtype, p.prosrc FROM pg_trigger t"
                    " JOIN pg_proc p ON p.oid = t.tgfoid"
                    " WHERE NOT t.tgisinternal AND t.tgrelid = to_regclass(:t)"
                    " AND t.tgenabled IN ('O', 'A') AND p.proname = 'audit_events_refuse'"
                    # No WHEN condition and no column list: either could stop it firing.
                    " AND t.tgqual IS NULL AND t.tgattr = ''::int2vector"
                ),
                {"t": AuditEvent.__tablename__},
            ).all()
            if _spaced(source) == refusing
        }
        return [
            name for name, tgtype in POSTGRESQL_TRIGGER_TYPES.items() if armed.get(name) != tgtype
        ]
    return []


def _spaced(sql: str) -> str:
    return " ".join(sql.split())
