"""Shared fixtures: a fresh app and database for each test, a client, and factories.

The database is a fresh SQLite file (a copy of an empty one), or, when TISC_TEST_DATABASE_URL is
set, the worker's PostgreSQL schema with every table emptied (see empty_postgres_tables).
No app context is held open during a test: each request gets its own, as in production.

`make test` runs the tests on both cores (pytest-xdist): each worker is a process of its own,
with its own temporary directory (so its own SQLite files) and its own PostgreSQL schema.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import make_url, text
from werkzeug.http import parse_options_header

from tests.template_code import SHARED_TEMPLATE_CODE
from tests.url_builders import share_url_builders
from tisc import create_app
from tisc.extensions import db
from tisc.models import OrganisationKind, Role
from tisc.services.accounts import organisations as org_service
from tisc.services.accounts import users as user_service

PASSWORD = "correct horse battery staple"
T = TypeVar("T")

# CI machines have two busy cores: judge properties, not how fast one example ran.
settings.register_profile("tisc", deadline=None)
settings.load_profile("tisc")


share_url_builders()


def make_app(**config: Any) -> Flask:
    """A test app with the given settings on top of TestConfig; it compiles no template another
    app of this test process has compiled (see tests/template_code.py)."""
    app = create_app({"TISC_ENV": "test", **config})
    app.jinja_env.bytecode_cache = SHARED_TEMPLATE_CODE
    return app


# An app built as development or production in a test finds its audit key here, so none makes
# instance/audit.key; the tests of a missing key take it away.
os.environ.setdefault("TISC_AUDIT_KEY", "audit-key-of-the-test-process-" + "k" * 16)

PG_URL = os.environ.get("TISC_TEST_DATABASE_URL")
# Each test process gets its own PostgreSQL schema: the xdist worker's name ("gw0", or "main"
# without xdist) says whose it is, the process id keeps runs side by side (two worktrees on
# one database) apart.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
PG_SCHEMA = f"tisc_test_{WORKER}_{os.getpid()}"


def with_search_path(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use the given schema.

    Its commits do not wait for the disk (synchronous_commit off): a test database need not
    survive a power cut, and waiting for the disk was most of the PostgreSQL run's time."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


@pytest.fixture(scope="session", autouse=True)
def postgres_schema() -> Iterator[None]:
    if not PG_URL:
        yield
        return
    from sqlalchemy import create_engine

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    yield
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        for (snapshot,) in conn.execute(
            text("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"),
            {"prefix": f"{PG_SCHEMA}__"},
        ):
            conn.execute(text(f'DROP SCHEMA "{snapshot}" CASCADE'))
    engine.dispose()


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when TISC_TEST_DATABASE_URL is set, else a fresh SQLite file (WAL and all)."""
    if PG_URL:
        return with_search_path(PG_URL, PG_SCHEMA)
    return f"sqlite:///{database_file(tmp_path)}"


def database_file(folder: Path) -> Path:
    """The SQLite file of database_url(folder)."""
    return folder / "test.sqlite3"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """An SQLite file with every table and no rows (create_all's work, done once per test
    process), which each test's database starts as a copy of; None on PostgreSQL."""
    if PG_URL:
        return None
    folder = tmp_path_factory.mktemp("template")
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(folder))
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    path = database_file(folder)
    # Closing the last connection moved the write-ahead log into the file: a copy is whole.
    assert not path.with_name(f"{path.name}-wal").exists(), "the template's log is still open"
    return path


@pytest.fixture
def app(tmp_path: Path, sqlite_template: Path | None) -> Iterator[Flask]:
    if sqlite_template:  # a new file, the template's copy (it goes with tmp_path)
        shutil.copyfile(sqlite_template, database_file(tmp_path))
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(tmp_path))
    if PG_URL:
        with app.app_context():
            empty_postgres_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# What the worker's schema looks like straight after create_all: its tables (and their
# columns), triggers and functions. A test that changed any of them (the audit trail's tamper
# tests drop triggers; a module's world drops every table when it is done) leaves another.
SCHEMA_SHAPE = text(
    """
    SELECT md5(coalesce(string_agg(part, '|' ORDER BY part), '')) FROM (
        SELECT c.relname || ':' || c.relkind::text || ':' || c.relnatts AS part
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema()
        UNION ALL
        SELECT pg_get_triggerdef(t.oid) || ':' || t.tgenabled::text
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND NOT t.tgisinternal
        UNION ALL
        SELECT p.proname || ':' || md5(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema()
    ) AS shape
    """
)
# Every row goes and every sequence used starts again at 1, in one round trip. The replica role
# skips triggers: the foreign keys' (so the order does not matter) and the audit trail's
# refusal to delete (this is the test database being emptied, not a record being changed).
# setval, not ALTER SEQUENCE RESTART, which gives a sequence a new file: four times slower.
EMPTY_SCHEMA = text(
    """
    SET LOCAL session_replication_role = replica;
    DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
            EXECUTE format('DELETE FROM %I', r.tablename);
        END LOOP;
        FOR r IN SELECT sequencename FROM pg_sequences
                 WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP
            PERFORM setval(quote_ident(r.sequencename), 1, false);
        END LOOP;
    END $$;
    """
)
_created_shape: str | None = None


def empty_postgres_tables() -> None:
    """Gives the test an empty database in the worker's PostgreSQL schema: the tables of the
    last test emptied when their shape is create_all's, else dropped and created again.

    Emptying is about ten times quicker than dropping and creating 38 tables, and it was most
    of the PostgreSQL run's time."""
    global _created_shape
    with db.engine.begin() as connection:
        if _created_shape and connection.execute(SCHEMA_SHAPE).scalar_one() == _created_shape:
            connection.execute(EMPTY_SCHEMA)
            return
    db.drop_all()  # another shape, or nothing: a run may follow one that was interrupted
    db.create_all()
    with db.engine.begin() as connection:
        _created_shape = connection.execute(SCHEMA_SHAPE).scalar_one()


# What the worker's schema's sequences belong to: each is set past its column's highest value
# after a snapshot is copied back.
OWNED_SEQUENCES = text(
    """
    SELECT s.relname, t.relname, a.attname
    FROM pg_class s
    JOIN pg_namespace n ON n.oid = s.relnamespace
    JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE s.relkind = 'S' AND n.nspname = current_schema()
    """
)


def save_postgres_snapshot(name: str) -> None:
    """Copies every table of the worker's schema, rows and all, into a schema of its own, so
    that tests reading a big seeded world (the demo) copy it back instead of seeding it again:
    PostgreSQL's answer to the SQLite file copied per test. Dropped with the worker's schema."""
    snapshot = f"{PG_SCHEMA}__{name}"
    with db.engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{snapshot}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{snapshot}"'))
        for table in db.metadata.sorted_tables:
            connection.execute(
                text(f'CREATE TABLE "{snapshot}"."{table.name}" AS TABLE "{table.name}"')
            )


def restore_postgres_snapshot(name: str) -> None:
    """Empties the worker's schema and copies a snapshot's rows back, sequences moved past
    them, so that the test starts on exactly the world that was saved."""
    snapshot = f"{PG_SCHEMA}__{name}"
    with db.engine.begin() as connection:
        connection.execute(EMPTY_SCHEMA)  # and triggers off for the rest of this transaction
        for table in db.metadata.sorted_tables:
            connection.execute(
                text(
                    f'INSERT INTO "{table.name}" OVERRIDING SYSTEM VALUE '  # noqa: S608 - our tables
                    f'SELECT * FROM "{snapshot}"."{table.name}"'
                )
            )
        for sequence, table, column in connection.execute(OWNED_SEQUENCES).all():
            connection.execute(
                text(
                    f'SELECT setval(\'"{sequence}"\', coalesce(max("{column}"), 0) + 1, false) '  # noqa: S608
                    f'FROM "{table}"'  # the catalogue's names for our own sequences and tables
                )
            )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Factory:
    """Creates records in their own app context and commits, returning keys not objects."""

    app: Flask

    def partnership(self, slug: str = "north-east", name: str = "North East") -> str:
        with self.app.app_context():
            org_service.create_partnership(slug=slug, name=name)
            db.session.commit()
        return slug

    def org(
        self,
        slug: str,
        *,
        name: str | None = None,
        kind: OrganisationKind = OrganisationKind.FORCE,
        partnership: str | None = None,
    ) -> str:
        with self.app.app_context():
            org_service.create_organisation(
                slug=slug,
                name=name or slug.replace("-", " ").title(),
                kind=kind,
                partnership=org_service.get_partnership(slug=partnership) if partnership else None,
            )
            db.session.commit()
        return slug

    def user(
        self,
        email: str,
        role: Role | None = None,
        *,
        org: str | None = None,
        partnership: str | None = None,
        password: str = PASSWORD,
        name: str = "Test Person",
    ) -> int:
        with self.app.app_context():
            user = user_service.create_user(
                email=email,
                name=name,
                password=password,
                role=role,
                organisation=org_service.get_organisation(slug=org) if org else None,
                partnership=org_service.get_partnership(slug=partnership) if partnership else None,
            )
            db.session.commit()
            return user.id


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def two_bodies(factory: Factory, sqlite_template: Path | None) -> dict[str, str]:
    """A partnership of two bodies plus a body outside it, with users for each role (built
    once per test process, then copied: see copied_world)."""
    return copied_world("two_bodies", factory, build_two_bodies, sqlite_template)


# What each world's build returned, by name, once it has been built and saved in this process.
_saved_worlds: dict[str, Any] = {}


def copied_world(
    name: str,
    factory: Factory,
    build: Callable[[Factory], T],
    sqlite_template: Path | None,
) -> T:
    """build(factory) in the test's database: built by the first test of the process that asks,
    saved, and copied into later tests' databases (an SQLite file copied, a PostgreSQL snapshot
    restored), which is several times quicker than building it again.

    A copy only ever goes into a database nothing has touched yet; a test that wrote something
    first gets the world built on top, as before."""
    app = factory.app
    if not _untouched(app):
        return build(factory)
    if name in _saved_worlds:
        with app.app_context():
            if sqlite_template:
                db.engine.dispose()
                shutil.copyfile(_saved_world_file(sqlite_template, name), _database_file_of(app))
            else:
                restore_postgres_snapshot(name)
        return _saved_worlds[name]
    result = build(factory)
    with app.app_context():
        if sqlite_template:
            db.session.remove()
            db.engine.dispose()  # the last connection closed: the log is back in the file
            shutil.copyfile(_database_file_of(app), _saved_world_file(sqlite_template, name))
        else:
            save_postgres_snapshot(name)
    _saved_worlds[name] = result
    return result


def _database_file_of(app: Flask) -> Path:
    return Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database or "")


def _saved_world_file(sqlite_template: Path, name: str) -> Path:
    return sqlite_template.with_name(f"{name}.sqlite3")


# No sequence of the worker's schema has been used since it was emptied: no row was added.
NOTHING_ADDED = text(
    "SELECT NOT EXISTS (SELECT 1 FROM pg_sequences"
    " WHERE schemaname = current_schema() AND last_value IS NOT NULL)"
)


def _untouched(app: Flask) -> bool:
    """Whether the test's database is still as the app fixture made it: an SQLite file nothing
    has opened (opening it in WAL mode makes its log), or PostgreSQL tables with no row added."""
    if not PG_URL:
        database = _database_file_of(app)
        return database.exists() and not database.with_name(f"{database.name}-wal").exists()
    with app.app_context(), db.engine.connect() as connection:
        return bool(connection.execute(NOTHING_ADDED).scalar_one())


def build_two_bodies(factory: Factory) -> dict[str, str]:
    """The two_bodies world (also built once per module by the browser tests)."""
    factory.partnership("north-east")
    factory.partnership("elsewhere", "Somewhere else")
    factory.org("alpha-police", partnership="north-east")
    factory.org("beta-opcc", kind=OrganisationKind.COMMISSIONER, partnership="north-east")
    factory.org("gamma-police", partnership="elsewhere")
    factory.user("admin@example.org", Role.ADMIN)
    factory.user("coordinator@example.org", Role.COORDINATOR, partnership="north-east")
    factory.user("board@example.org", Role.BOARD, partnership="north-east")
    for slug in ("alpha-police", "beta-opcc", "gamma-police"):
        for role in (Role.PROCUREMENT, Role.STATEMENT, Role.VIEWER):
            factory.user(f"{role.value}.{slug}@example.org", role, org=slug)
    return {"a": "alpha-police", "b": "beta-opcc", "outside": "gamma-police"}


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form."""
    return client.post("/sign-in", data={"email": email, "password": password})


def attachment(headers: Any) -> tuple[str, dict[str, str]]:
    """A response's Content-Disposition read as a browser reads it: ("attachment", {params}).

    Compared whole, so a header that names the file in any other way (or not only as
    `filename`) does not match.
    """
    return parse_options_header(headers["Content-Disposition"])


def page(response: Any) -> BeautifulSoup:
    """The response parsed as HTML."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
