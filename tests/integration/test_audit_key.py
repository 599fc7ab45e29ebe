"""The audit chain is keyed (HMAC-SHA256 with a key outside the database): someone with
database rights but not the key cannot rewrite an event and recompute the chain unnoticed
(issue 14, item 8). Also the cut-over for events written before the key, and the anchor."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text

from tests.integration.test_audit_trail import KEY, _drop_trigger, _sql, verify
from tisc import create_app
from tisc.config import ConfigError
from tisc.extensions import db
from tisc.models import AuditEvent
from tisc.models.audit import (
    POSTGRESQL_TRIGGER_NAMES,
    POSTGRESQL_TRIGGERS,
    SQLITE_TRIGGER_NAMES,
    SQLITE_TRIGGERS,
)
from tisc.rules.audit import GENESIS_HASH, event_hash


def _put_triggers_back(app: Flask) -> None:
    """The protecting triggers as the migration made them: a careful attacker tidies up."""
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        for name in POSTGRESQL_TRIGGER_NAMES if postgresql else SQLITE_TRIGGER_NAMES:
            on = " ON audit_events" if postgresql else ""
            db.session.execute(text(f"DROP TRIGGER IF EXISTS {name}{on}"))
        for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
            db.session.execute(text(statement))
        db.session.commit()


def _rehash(app: Flask, *, keys: dict[int, bytes | None], summary: tuple[int, str] | None = None):
    """Rewrite the stored chain as someone with database rights can (triggers off): change one
    event's summary, then recompute each event's link and hash with the key `keys` gives its id
    (None: plain SHA-256); ids not in `keys` keep their hash unless an earlier one changed."""
    _drop_trigger(app, "update")
    with app.app_context():
        table = AuditEvent.__table__
        rows = db.session.execute(select(table).order_by(table.c.id)).mappings().all()
        prev = GENESIS_HASH
        for row in rows:
            fields = dict(row)
            if summary and row["id"] == summary[0]:
                fields["summary"] = summary[1]
            if row["id"] in keys or prev != row["prev_hash"] or fields != dict(row):
                digest = event_hash(prev, fields, key=keys.get(row["id"]))
                db.session.execute(
                    text(
                        "UPDATE audit_events SET summary = :summary, prev_hash = :prev, "
                        "hash = :hash WHERE id = :id"
                    ),
                    {"summary": fields["summary"], "prev": prev, "hash": digest, "id": row["id"]},
                )
                prev = digest
            else:
                prev = row["hash"]
        db.session.commit()
    _put_triggers_back(app)
    return len(rows)


def _verify(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["verify-audit", *args])


def test_a_rewrite_recomputed_with_plain_sha256_is_found(app: Flask, two_bodies: dict) -> None:
    assert verify(app).exit_code == 0  # with the key, everything verifies
    count = _rehash(app, keys={}, summary=(7, "Nothing to see"))
    _rehash(app, keys=dict.fromkeys(range(7, count + 1)))  # every later hash recomputed
    result = verify(app)
    assert result.exit_code == 1
    assert "Audit trail broken at event 7: its contents have changed" in result.output
    assert "not made with the audit key" in result.output
    assert "The 6 events before it are intact" in result.output


def test_the_same_rewrite_with_the_key_would_pass(app: Flask, two_bodies: dict) -> None:
    """Why the key must stay outside the database: whoever holds it can rewrite the chain."""
    count = _rehash(app, keys={}, summary=(7, "Nothing to see"))
    _rehash(app, keys=dict.fromkeys(range(7, count + 1), KEY))
    assert verify(app).exit_code == 0


def test_another_key_finds_nothing_intact(app: Flask, two_bodies: dict) -> None:
    app.config["AUDIT_KEY"] = "a different key, from another install"
    result = verify(app)
    assert result.exit_code == 1 and "broken at event 1" in result.output


def test_events_from_before_the_key_pass_up_to_the_cut_over_only(
    app: Flask, two_bodies: dict
) -> None:
    # Events 1-5 as they were hashed before the trail was keyed; the rest keyed after them.
    count = _rehash(app, keys=dict.fromkeys(range(1, 6)))
    _rehash(app, keys=dict.fromkeys(range(6, count + 1), KEY))
    refused = verify(app)
    assert refused.exit_code == 1 and "broken at event 1" in refused.output
    passed = _verify(app, "--unkeyed-up-to", "5")
    assert passed.exit_code == 0, passed.output
    assert "the first 5 written before the trail was keyed" in passed.output
    app.config["AUDIT_UNKEYED_UP_TO"] = 5  # TISC_AUDIT_UNKEYED_UP_TO
    assert verify(app).exit_code == 0
    # No downgrade: past the cut-over, a rewrite recomputed without the key is still found.
    _rehash(app, keys=dict.fromkeys(range(8, count + 1)), summary=(8, "Nothing to see"))
    result = verify(app)
    assert result.exit_code == 1 and "broken at event 8" in result.output


def test_the_anchor_finds_the_newest_events_removed(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    anchor = tmp_path / "audit-anchor.json"
    first = _verify(app, "--anchor", str(anchor))
    assert first.exit_code == 0 and f"Anchor written to {anchor}" in first.output
    written = json.loads(anchor.read_text())
    assert written["hash"] in first.output
    assert _verify(app, "--anchor", str(anchor)).exit_code == 0
    _drop_trigger(app, "delete")
    _sql(app, "DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)")
    _put_triggers_back(app)
    assert verify(app).exit_code == 0  # the chain alone cannot tell
    result = _verify(app, "--anchor", str(anchor))
    assert result.exit_code == 1, result.output
    assert f"event {written['event']} is missing or holds another hash" in result.output
    assert json.loads(anchor.read_text()) == written  # a failed check keeps the anchor


def test_production_refuses_to_start_without_an_audit_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    for key in (None, "short"):
        if key is None:
            monkeypatch.delenv("TISC_AUDIT_KEY", raising=False)
        else:
            monkeypatch.setenv("TISC_AUDIT_KEY", key)
        with pytest.raises(ConfigError, match="TISC_AUDIT_KEY"):
            create_app()
    monkeypatch.setenv("TISC_AUDIT_KEY", "k" * 40)
    assert create_app().config["AUDIT_KEY"] == "k" * 40


def _development_app(instance: Path) -> Flask:
    return create_app(
        {
            "TISC_ENV": "development",
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'dev.sqlite3'}",
        }
    )


def test_development_makes_its_audit_key_once_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TISC_AUDIT_KEY", "SECRET_KEY", "TISC_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    key = _development_app(tmp_path).config["AUDIT_KEY"]
    path = tmp_path / "audit.key"
    assert len(key) >= 32 and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _development_app(tmp_path).config["AUDIT_KEY"] == key  # kept across restarts
    # Not the session key's file: another key altogether.
    assert (tmp_path / "secret_key").read_text().strip() != key
    assert _development_app(tmp_path / "other").config["AUDIT_KEY"] != key


def test_a_configured_audit_key_is_used_and_no_file_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TISC_AUDIT_KEY", "a" * 40)
    assert _development_app(tmp_path).config["AUDIT_KEY"] == "a" * 40
    assert not (tmp_path / "audit.key").exists()
