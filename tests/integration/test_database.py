"""SQLite settings: WAL, a busy timeout, and the write lock taken at BEGIN for writes."""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from sqlalchemy import text

from tisc.database import SQLITE_BUSY_TIMEOUT_MS, write_intent
from tisc.extensions import db


@pytest.fixture
def sqlite_app(app: Flask) -> Flask:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite behaviour; this run is on PostgreSQL")
    return app


def _other_writer(app: Flask) -> sqlite3.Connection:
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    return sqlite3.connect(path, timeout=0, isolation_level=None)


def test_pragmas(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        conn = db.session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_write_transaction_holds_the_write_lock_from_its_start(sqlite_app: Flask) -> None:
    other = _other_writer(sqlite_app)
    with sqlite_app.app_context():
        db.session.execute(text("SELECT 1"))  # only a read so far, but BEGIN IMMEDIATE ran
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.session.rollback()
    other.execute("BEGIN IMMEDIATE")  # free again
    other.execute("ROLLBACK")
    other.close()


def test_a_read_only_request_does_not_block_writers(sqlite_app: Flask) -> None:
    other = _other_writer(sqlite_app)
    token = write_intent.set(False)
    try:
        with sqlite_app.app_context():
            db.session.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")  # succeeds: the reader took no write lock
            other.execute("ROLLBACK")
            db.session.rollback()
    finally:
        write_intent.reset(token)
        other.close()


def test_get_requests_read_and_posts_write(sqlite_app: Flask) -> None:
    seen: list[bool] = []

    @sqlite_app.before_request
    def record() -> None:
        seen.append(write_intent.get())

    client = sqlite_app.test_client()
    client.get("/sign-in")
    client.post("/sign-in", data={"email": "x@example.org", "password": "y"})
    assert seen == [False, True]
