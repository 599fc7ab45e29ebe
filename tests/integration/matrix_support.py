"""How the authorisation matrix addresses its requests, sends them and sees what they changed
(the routes and their form data: matrix_routes; reading every table: table_snapshot).

One connection: the world (tests/integration/matrix_world.py) is committed once; then every
request runs inside a transaction on one connection, which the app's session joins with
SAVEPOINTs (a commit in a view is a RELEASE SAVEPOINT, a rollback in a view goes back to its
savepoint, as it would in its own transaction). Every table is read on that connection after
the request, so the reading shows exactly what the request would have saved; then the
transaction is rolled back. So each request starts from the same world in any order, and an
append-only table (the audit trail, whose triggers refuse DELETE) needs no cleaning up.

The tables are read when the database says the request wrote something (write_mark), and
compared row by row, value by value, with the world's rows; with TISC_MATRIX_FULL_READS=1
they are read after every request, which also checks that the write mark misses nothing.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection
from werkzeug.routing import Rule

from tests.conftest import database_url, make_app
from tests.integration.matrix_routes import File, R
from tests.integration.matrix_world import World, build_world
from tests.integration.table_snapshot import Rows, changed_tables, fingerprint, read_tables
from tisc.extensions import db

# --- the matrix's requests ------------------------------------------------------------------

# Target -> the body whose address is used: "own" is alpha-police (north-east), "sibling"
# beta-opcc in the same partnership, "outside" gamma-police (elsewhere); "mixed" is the own
# address with another body's record ids; "bad-link" a self-assessment link that does not
# exist; "-" a route that names nothing of a body's.
ADDRESSED = {
    "own": "alpha",
    "sibling": "beta",
    "outside": "gamma",
    "mixed": "alpha",
    "bad-link": "alpha",
    "-": "alpha",
}
SLUGS = {"org_slug", "partnership_slug"}
SAME_IN_EVERY_BODY = {"year_slug", "file_format", "question_key", "template_id", "filename"}
_ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def arguments(rule: Rule) -> set[str]:
    return set(_ARGUMENT.findall(rule.rule))


def targets(route: R, rule: Rule) -> list[str]:
    """The targets a route is tried at."""
    names = arguments(rule)
    if "token" in names:
        return ["own", "sibling", "outside", "bad-link"]
    if not names - SAME_IN_EVERY_BODY:
        return ["-"]
    # A partnership's address is the same for both its bodies.
    found = ["own", "outside"] if "partnership_slug" in names else ["own", "sibling", "outside"]
    scoped = route.rule.partition(":")[0] in ("organisation", "partnership", "incidents")
    # A fixed argument is the same for every body (a kind of rules): nothing to mix.
    if route.mixed is not None or (
        scoped and names - SLUGS - SAME_IN_EVERY_BODY - set(route.fixed)
    ):
        found.append("mixed")
    return found


def other_body(route: R) -> str:
    """Whose record ids the "mixed" target uses: another body in the partnership, or the
    other partnership's."""
    return "beta" if route.rule.startswith(("organisation:", "incidents:")) else "gamma"


def request_for(
    world: World, route: R, rule: Rule, target: str, method: str
) -> tuple[str, dict[str, Any] | None]:
    """The address and form data of one request."""
    if target == "mixed":
        own, theirs = world.values("alpha"), world.values(other_body(route))
        if route.mixed is not None:
            values = {**own, **{name: theirs[name] for name in route.mixed}}
        else:
            values = {**theirs, **{name: own[name] for name in SLUGS}}
    else:
        values = world.values(ADDRESSED[target])
    if target == "bad-link":
        values["token"] = "x" * len(values["token"])  # well formed, no such link
    joint = "partnership_slug" in arguments(rule)  # the partnership's statements, not a body's

    def argument(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in route.fixed:
            return route.fixed[name]
        name = route.ids.get(name, name)
        return values.get(f"joint_{name}", values[name]) if joint else values[name]

    url = _ARGUMENT.sub(argument, rule.rule)
    if route.query:
        url += "?" + route.query.format_map(values)
    if method == "GET":
        return url, None
    data = route.post(values, world) if callable(route.post) else (route.post or {})
    return url, {name: _filled(value, values) for name, value in data.items()}


def _filled(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format_map(values)
    if isinstance(value, list):
        return [_filled(v, values) for v in value]
    if isinstance(value, File):
        return (io.BytesIO(value.data), value.name)
    return value


# --- running requests ----------------------------------------------------------------------


@dataclass
class Matrix:
    """The app, the one connection every request runs on, the world and its rows."""

    app: Flask
    connection: Connection
    world: World
    rows: Rows
    # Read every table after every request, not only after those that wrote (slower).
    full_reads: bool = os.environ.get("TISC_MATRIX_FULL_READS") == "1"

    def send(self, role: str, method: str, url: str, data: dict | None) -> tuple[Any, dict]:
        """The response (read and closed) and the tables it changed; then all is undone."""
        client = self.app.test_client()
        if role in self.world.cookies:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.world.cookies[role])
        with rolled_back(self.connection):
            mark = write_mark(self.connection)
            response = client.open(url, method=method, data=data)
            response.get_data()
            response.close()  # a file it sends (static, downloads) is closed
            wrote = write_mark(self.connection) != mark
            after = read_tables(self.connection) if wrote or self.full_reads else self.rows
        changed = changed_tables(self.rows, after)
        assert wrote or not changed, f"{url}: the write mark missed changes to {changed}"
        return response, changed


@contextmanager
def matrix_on(path: Path) -> Iterator[Matrix]:
    """A new database with the world in it, and the matrix that sends requests to it."""
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(path))
    with app.app_context():
        db.drop_all()  # a PostgreSQL run may follow one that was interrupted
        db.create_all()
    try:
        world = build_world(app)
        with app.app_context():
            connection = db.engine.connect()
        try:
            rows = read_tables(connection)
            connection.rollback()
            with requests_on(app, connection):
                yield Matrix(app, connection, world, rows)
            after = fingerprint(read_tables(connection))
            assert after == fingerprint(rows), "a request of the matrix was not rolled back"
            connection.rollback()
        finally:
            connection.close()
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@contextmanager
def requests_on(app: Flask, connection: Connection) -> Iterator[None]:
    """While open, the app's sessions use this one connection."""
    engines = db._app_engines[app]  # Flask-SQLAlchemy's engines of this app only
    engine = engines[None]
    engines[None] = connection  # type: ignore[assignment]
    try:
        yield
    finally:
        engines[None] = engine


@contextmanager
def rolled_back(connection: Connection) -> Iterator[None]:
    """A transaction and a savepoint that the app's session nests in; rolled back after."""
    transaction = connection.begin()
    # In a SAVEPOINT, a session joining the connection makes its own SAVEPOINTs for its
    # commits and rollbacks (join_transaction_mode "conservative_savepoint", the default).
    connection.begin_nested()
    try:
        yield
    finally:
        transaction.rollback()


def write_mark(connection: Connection) -> object:
    """A value that moves whenever a row is inserted, updated or deleted on the connection:
    SQLite's count of changed rows (triggers included), or the PostgreSQL transaction id,
    which a transaction is given at its first write (in a SAVEPOINT too) and never before.
    When it has not moved, no table can differ."""
    if connection.dialect.name == "sqlite":
        return connection.connection.dbapi_connection.total_changes
    return connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned()").scalar()
