"""SQLite settings: WAL, a busy timeout, and the write lock taken at BEGIN for writes."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import text

from tisc.database import SQLITE_BUSY_TIMEOUT_MS, WriteTurns, write_intent
from tisc.extensions import db
from tisc.web.access import public


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


def test_after_a_request_commits_it_reads_without_the_write_lock(sqlite_app: Flask) -> None:
    # Found by tests/integration/test_concurrency.py: a save that committed, then loaded the
    # expired organisation for its redirect, queued for the write lock again and timed out.
    other = _other_writer(sqlite_app)
    seen: list[str] = []

    @sqlite_app.post("/_test/commit-then-read")
    @public
    def commit_then_read() -> str:
        db.session.execute(text("SELECT 1"))
        for step in ("before the commit", "after the commit"):
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                seen.append(f"{step}: free")
            except sqlite3.OperationalError:
                seen.append(f"{step}: locked")
            if step == "before the commit":
                db.session.commit()
                db.session.execute(text("SELECT 1"))  # a new transaction, after the commit
        return "done"

    assert sqlite_app.test_client().post("/_test/commit-then-read").status_code == 200
    other.close()
    assert seen == ["before the commit: locked", "after the commit: free"]


def test_writers_in_one_process_take_turns_in_order_and_a_give_up_is_skipped() -> None:
    turns = WriteTurns()
    assert turns.take(timeout=1)  # the first writer holds the lock
    assert not turns.take(timeout=0.01)  # one gives up waiting: its turn must not block others
    order: list[int] = []

    def writer(number: int) -> None:
        assert turns.take(timeout=10)
        order.append(number)
        turns.give_back()

    threads = []
    for number in range(5):
        threads.append(threading.Thread(target=writer, args=(number,)))
        threads[-1].start()
        deadline = time.monotonic() + 5
        while turns._next_ticket < number + 3 and time.monotonic() < deadline:  # in the queue
            time.sleep(0.001)
    turns.give_back()
    for thread in threads:
        thread.join(timeout=10)
    assert order == [0, 1, 2, 3, 4]
