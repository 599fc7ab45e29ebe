"""Database engine settings: SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

# Whether transactions in this context may write. Safe HTTP methods set it False so that
# page views read concurrently; everything else (POSTs, CLI commands) takes SQLite's write
# lock at BEGIN, so two writers queue instead of failing half way with "database is locked".
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)

SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: Engine) -> None:
    """Attach the pragmas and locking behaviour to a SQLite engine."""

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
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def init_app(app: Flask, engine: Engine) -> None:
    """Configure the engine and mark read-only requests."""
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)

    @app.before_request
    def mark_intent() -> None:
        g.write_intent_token = write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def clear_intent(_error: BaseException | None) -> None:
        # Threads are reused (and tests run requests inline): leave no intent behind.
        token = g.pop("write_intent_token", None)
        if token is not None:
            write_intent.reset(token)
