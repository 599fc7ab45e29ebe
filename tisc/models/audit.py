"""The audit trail: one row per change, chained by hash, never changed or deleted.

No foreign keys: people, bodies and records are kept as plain ids and labels, so removing a
user or a body never has to touch (and could never rewrite) the trail. Database triggers
refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of these rows, whoever asks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, DateTime, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from tisc.models.base import Base

TABLE = "audit_events"
REFUSAL = "audit events cannot be changed or deleted"

# The statements that protect the table, per dialect; the migration runs the same ones.
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
    f"CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()",
    f"CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse()",
)
SQLITE_TRIGGER_NAMES = ("audit_events_no_update", "audit_events_no_delete")
POSTGRESQL_TRIGGER_NAMES = ("audit_events_no_change", "audit_events_no_truncate")


class AuditEvent(Base):
    """Who changed what, in which body, when, and the values before and after."""

    __tablename__ = TABLE
    __table_args__ = (
        Index("ix_audit_events_organisation_id_id", "organisation_id", "id"),
        Index("ix_audit_events_partnership_id_id", "partnership_id", "id"),
        Index("ix_audit_events_record", "record_type", "record_id"),
    )

    # Given by the appender (the last id plus one, under the chain's lock), never by the
    # database: a gap in the numbers is then itself a sign that an event was removed.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # "person@example.org", "command line: import-spend", "supplier by invitation link #4".
    actor_label: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    partnership_id: Mapped[int | None] = mapped_column(Integer)
    # create, update, delete, or a named action such as import, undo, merge.
    action: Mapped[str] = mapped_column(String(30))
    # The table name of the record, e.g. "suppliers"; its id as text (some keys have two parts).
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(300))
    # Canonical JSON (tisc.rules.audit): changed columns for updates, all for create/delete.
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.record_type} {self.record_id}>"


# Tests (and `db.create_all()`) build tables without migrations: protect them the same way.
for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(
        AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
