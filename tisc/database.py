"""The database: the unbound Flask-SQLAlchemy `db` the services use, and engine settings
(SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE for writes)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ARRAY, ColumnElement, Integer, any_, bindparam, event
from sqlalchemy.engine import Engine

from tisc.models.base import Base

# Created unbound; create_app binds it (tisc.extensions re-exports it for views and tests).
db = SQLAlchemy(model_class=Base)

# Whether transactions in this context may write. Safe HTTP methods set it False so that
# page views read concurrently; everything else (POSTs, CLI commands) takes SQLite's write
# lock at BEGIN, so two writers queue instead of failing half way with "database is locked".
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)

SQLITE_BUSY_TIMEOUT_MS = 15_000


@contextmanager
def intending(*, write: bool) -> Iterator[None]:
    """Transactions begun inside the block may write (True: on SQLite they take the write lock
    at BEGIN) or only read (False), whatever the request or command around them says."""
    token = write_intent.set(write)
    try:
        yield
    finally:
        write_intent.reset(token)


class WriteTurns:
    """First come, first served: the order in which this process's writers get the write lock.

    SQLite's busy handler is no queue: a waiting writer sleeps and polls, up to every 100 ms,
    and a writer that has just arrived polls sooner, so under a steady stream of writes (16
    threads saving at once) one unlucky writer could wait past the busy timeout and fail with
    "database is locked". Writers in one process take a ticket here before BEGIN IMMEDIATE
    and wait their turn without polling; other processes still meet SQLite's busy handler.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._abandoned: set[int] = set()

    def take(self, timeout: float) -> bool:
        """Wait for this writer's turn; False (and no turn) after `timeout` seconds."""
        with self._changed:
            ticket = self._next_ticket
            self._next_ticket += 1
            if self._changed.wait_for(lambda: self._serving == ticket, timeout):
                return True
            self._abandoned.add(ticket)  # skipped when its turn comes
            return False

    def give_back(self) -> None:
        """End this writer's turn: the next in line goes."""
        with self._changed:
            self._serving += 1
            while self._serving in self._abandoned:
                self._abandoned.discard(self._serving)
                self._serving += 1
            self._changed.notify_all()


def configure_sqlite(engine: Engine) -> None:
    """Attach the pragmas and locking behaviour to a SQLite engine."""
    turns = WriteTurns()

    def end_turn(info: dict) -> None:
        if info.pop("write_turn", False):
            turns.give_back()

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache: index inserts during a million-line import stay in memory.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if not _may_write():
            connection.exec_driver_sql("BEGIN")
            return
        # Past the busy timeout without a turn, BEGIN IMMEDIATE still tries (and SQLite
        # reports the lock) rather than this process hanging on.
        connection.info["write_turn"] = turns.take(SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            end_turn(connection.info)
            raise

    # The turn ends with the transaction, however it ends.
    @event.listens_for(engine, "commit")
    def on_commit(connection: Any) -> None:
        end_turn(connection.info)
        # A request commits once, at its end: what follows (loading what the commit expired
        # for the redirect, rendering) only reads. Taking the write lock again for that
        # queued behind every other writer and, under load, timed out as "database is
        # locked" after the save had succeeded.
        if has_request_context():
            g.write_committed = True

    @event.listens_for(engine, "rollback")
    def on_rollback(connection: Any) -> None:
        end_turn(connection.info)

    @event.listens_for(engine.pool, "reset")
    def on_reset(_dbapi_connection: Any, record: Any, _reset_state: Any) -> None:
        end_turn(record.info)

    @event.listens_for(engine.pool, "invalidate")
    def on_invalidate(_dbapi_connection: Any, record: Any, _error: Any) -> None:
        end_turn(record.info)


def _may_write() -> bool:
    """Whether a transaction beginning now should take the write lock at BEGIN."""
    return write_intent.get() and not (has_request_context() and g.get("write_committed"))


def init_app(app: Flask, engine: Engine) -> None:
    """Configure the engine and mark read-only requests."""
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)

    @app.before_request
    def mark_intent() -> None:
        g.write_intent_token = write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))
        g.pop("write_committed", None)  # g outlives a request run inside an app context

    @app.teardown_request
    def clear_intent(_error: BaseException | None) -> None:
        # Threads are reused (and tests run requests inline): leave no intent behind.
        token = g.pop("write_intent_token", None)
        if token is not None:
            write_intent.reset(token)


_IN_LIST = 1_000  # ids per IN list where each id is a parameter
_ARRAY = 50_000  # ids per array parameter on PostgreSQL


def id_batches(column: ColumnElement[int], ids: Sequence[int]) -> Iterator[ColumnElement[bool]]:
    """`column IN ids` as a few conditions, for updating tens of thousands of rows: on
    PostgreSQL one array parameter per 50,000 ids (`= ANY(...)`: no 65,535-parameter limit and
    no list to expand into the statement); elsewhere an IN list of 1,000 ids at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(ids), _ARRAY):
            chunk = list(ids[start : start + _ARRAY])
            yield column == any_(bindparam(None, chunk, type_=ARRAY(Integer)))
        return
    for start in range(0, len(ids), _IN_LIST):
        yield column.in_(ids[start : start + _IN_LIST])
