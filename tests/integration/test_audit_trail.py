"""The audit trail cannot be changed, tampering is found, and concurrent writers never fork it."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.integration.audit_support import events, last_id
from tisc.config import TestConfig
from tisc.extensions import db
from tisc.models import AuditEvent
from tisc.services.accounts import organisations
from tisc.services.register import payees

KEY = TestConfig.AUDIT_KEY.encode()


def _add_payees(app: Flask, slug: str, *names: str) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        for name in names:
            payees.add_personal_payee(org=org, name=name)
            db.session.commit()


def _sql(app: Flask, statement: str) -> None:
    with app.app_context():
        try:
            db.session.execute(text(statement))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise


def _dialect(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


def _drop_trigger(app: Flask, which: str) -> None:
    """Remove a protecting trigger, as someone with the database's own password could."""
    if _dialect(app) == "sqlite":
        _sql(app, f"DROP TRIGGER audit_events_no_{which}")
    else:
        _sql(app, "DROP TRIGGER audit_events_no_change ON audit_events")


def verify(app: Flask):
    return app.test_cli_runner().invoke(args=["verify-audit"])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET summary = 'Nothing happened' WHERE id = 2",
        "UPDATE audit_events SET actor_label = 'someone else'",
        "DELETE FROM audit_events WHERE id = 2",
        "DELETE FROM audit_events",
    ],
)
def test_plain_sql_cannot_change_or_delete_events(
    app: Flask, two_bodies: dict, statement: str
) -> None:
    before = events(app)
    assert len(before) > 10
    with pytest.raises(DatabaseError, match="audit events cannot be changed or deleted"):
        _sql(app, statement)
    assert events(app) == before


def test_postgresql_refuses_truncate_too(app: Flask, two_bodies: dict) -> None:
    if _dialect(app) != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite runs it as a DELETE, refused above")
    with pytest.raises(DatabaseError, match="audit events cannot be changed or deleted"):
        _sql(app, "TRUNCATE audit_events")
    assert len(events(app)) > 10


def test_verify_audit_passes_an_untouched_trail(app: Flask, two_bodies: dict) -> None:
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"Audit trail OK: {last_id(app):,} events" in result.output


def test_verify_audit_passes_an_empty_trail(app: Flask) -> None:
    result = verify(app)
    assert result.exit_code == 0 and "Audit trail OK: 0 events" in result.output


def test_a_summary_changed_behind_the_triggers_back_is_named(app: Flask, two_bodies: dict) -> None:
    _drop_trigger(app, "update")
    _sql(app, "UPDATE audit_events SET summary = 'Nothing to see' WHERE id = 7")
    result = verify(app)
    assert result.exit_code == 1
    assert "Audit trail broken at event 7: its contents have changed" in result.output
    assert "The 6 events before it are intact" in result.output


def test_a_deleted_event_is_named_by_the_one_after_it(app: Flask, two_bodies: dict) -> None:
    _drop_trigger(app, "delete")
    _sql(app, "DELETE FROM audit_events WHERE id = 5")
    result = verify(app)
    assert result.exit_code == 1
    assert "Audit trail broken at event 6: the event after #4 is missing" in result.output


def test_a_row_rewritten_with_a_fresh_hash_still_breaks_the_chain(
    app: Flask, two_bodies: dict
) -> None:
    from tisc.rules.audit import event_hash

    _drop_trigger(app, "update")
    forged = events(app)[3]  # event 4
    with app.app_context():
        table = AuditEvent.__table__
        row = db.session.execute(select(table).where(table.c.id == forged["id"])).mappings().one()
        fields = {**row, "actor_label": "someone else"}
        db.session.execute(
            text("UPDATE audit_events SET actor_label = :label, hash = :hash WHERE id = :id"),
            # Even someone holding the audit key cannot rewrite one event alone.
            {
                "label": "someone else",
                "hash": event_hash(row["prev_hash"], fields, key=KEY),
                "id": 4,
            },
        )
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert "broken at event 5: it does not follow from the event before it" in result.output


def test_missing_triggers_fail_even_when_the_chain_is_whole(app: Flask, two_bodies: dict) -> None:
    _drop_trigger(app, "delete")
    result = verify(app)
    assert result.exit_code == 1
    assert "chain intact" in result.output and "triggers" in result.output
    assert "missing" in result.output


def test_concurrent_writers_never_fork_the_chain(app: Flask, two_bodies: dict) -> None:
    start = last_id(app)
    threads, per_thread = 6, 5
    barrier = threading.Barrier(threads)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            barrier.wait()
            names = [f"Person {number}-{n}" for n in range(per_thread)]
            _add_payees(app, "alpha-police" if number % 2 else "beta-opcc", *names)
        except BaseException as error:  # reported below
            failures.append(error)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    added = events(app, after=start)
    assert len(added) == threads * per_thread
    assert [e["id"] for e in added] == list(range(start + 1, start + 1 + threads * per_thread))
    result = verify(app)
    assert result.exit_code == 0, result.output
    with app.app_context():
        links = db.session.execute(
            text("SELECT COUNT(DISTINCT prev_hash), COUNT(*) FROM audit_events")
        ).one()
    assert links[0] == links[1]  # no two events follow the same one


DISARMED = {
    "sqlite": [
        # Same name, but it never fires.
        "DROP TRIGGER audit_events_no_delete",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events WHEN 0 "
        "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END",
    ],
    "postgresql-disabled": ["ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"],
    "postgresql-function": [
        "CREATE OR REPLACE FUNCTION audit_events_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    ],
    # Same name, type and function, but a condition that is never true.
    "postgresql-when": [
        "DROP TRIGGER audit_events_no_change ON audit_events",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW WHEN (false) EXECUTE FUNCTION audit_events_refuse()",
    ],
    # Same type too, but updates of other columns than the summary go through.
    "postgresql-columns": [
        "DROP TRIGGER audit_events_no_change ON audit_events",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OF summary OR DELETE ON "
        "audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse()",
    ],
}
# The newest event's removal leaves the chain whole: only the trigger check can tell.
REMOVE_NEWEST = "DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)"
TAMPERING = {  # what each disarmed trigger then lets through
    # An update of another column would be caught by the chain itself: change nothing.
    "postgresql-columns": None,
}


@pytest.mark.parametrize("how", sorted(DISARMED))
def test_triggers_that_are_there_but_disarmed_fail_too(
    app: Flask, two_bodies: dict, how: str
) -> None:
    if how.split("-")[0] != _dialect(app):
        pytest.skip(f"{how} is for another database")
    for statement in DISARMED[how]:
        _sql(app, statement)
    tampering = TAMPERING.get(how, REMOVE_NEWEST)
    if tampering:
        _sql(app, tampering)
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert "triggers" in result.output and "missing" in result.output
