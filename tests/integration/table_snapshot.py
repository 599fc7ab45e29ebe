"""Every row of every table, and what changed between two readings: how the security tests
(the authorisation matrix, CSRF, stale forms) see whether a request saved anything; and
snapshot, the rows of a few named tables, which the feature tests compare before and after a
refused request.

Rows are read raw, straight from the DB-API cursor, in primary key order, and compared value
by value; a fingerprint stands for them by each table's row count and a hash of its rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import Flask
from sqlalchemy import Connection, select

from tisc.extensions import db

Rows = dict[str, list[tuple]]  # table name -> its rows


def read_tables(connection: Connection) -> Rows:
    """Every row of every table, read on the given connection: SQLAlchemy Core's SELECT of
    each table in db.metadata.sorted_tables in primary key order, run on the connection's
    own DB-API cursor (raw values: result processing would be most of the matrix's time)."""
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        found = {}
        for name, sql in _selects(connection):
            cursor.execute(sql)
            found[name] = cursor.fetchall()
        return found
    finally:
        cursor.close()


def every_table(app: Flask) -> Rows:
    """Every row of every table as committed, read on a connection of its own."""
    with app.app_context(), db.engine.connect() as connection:
        return read_tables(connection)


def snapshot(app: Flask, tables: Iterable[str]) -> dict[str, list[str]]:
    """Every row of the named tables, read in an app context of its own, each row as text and
    sorted: equal before and after a request that changed nothing in them."""
    with app.app_context():
        found = db.metadata.tables
        return {
            name: sorted(repr(tuple(row)) for row in db.session.execute(select(found[name])))
            for name in tables
        }


def fingerprint(rows: Rows) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of all its rows' values."""
    return {
        name: (len(table), _digest(repr([_hashable(row) for row in table]).encode()))
        for name, table in rows.items()
    }


def changed_tables(before: Rows, after: Rows) -> dict[str, str]:
    """Table -> "rows before -> rows after" for each table whose rows differ, compared value
    by value (what the fingerprint's hash stands for, without hashing thousands of times)."""
    return {
        name: f"{len(before[name])} -> {len(after[name])} rows"
        for name in before
        if before[name] != after[name]
    }


def _hashable(row: tuple) -> tuple:
    # Documents and templates: their hash stands for their bytes.
    return tuple(_digest(v) if isinstance(v, bytes | memoryview) else v for v in row)


def _digest(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()


_SELECTS: dict[str, list[tuple[str, str]]] = {}


def _selects(connection: Connection) -> list[tuple[str, str]]:
    """(table name, SELECT of all its rows) for every table, compiled once per dialect."""
    dialect = connection.dialect
    if dialect.name not in _SELECTS:
        _SELECTS[dialect.name] = [
            (
                table.name,
                str(select(table).order_by(*table.primary_key.columns).compile(dialect=dialect)),
            )
            for table in db.metadata.sorted_tables
        ]
    return _SELECTS[dialect.name]
