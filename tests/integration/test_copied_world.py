"""The suite's shortcut holds: a world built once and copied into later tests' databases
(tests.conftest.copied_world) is row for row the world built, and never lands on top of
something a test wrote first."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import (
    PG_URL,
    Factory,
    _database_file_of,
    _saved_worlds,
    build_two_bodies,
    copied_world,
    empty_postgres_tables,
)
from tests.integration.table_snapshot import every_table
from tisc.extensions import db

WORLD = "copied_world_probe"


@pytest.fixture
def builds(factory: Factory) -> Iterator[list[int]]:
    """How many times the probe world was built; it is forgotten afterwards."""
    built: list[int] = []
    yield built
    _saved_worlds.pop(WORLD, None)


def _emptied(app: Flask, sqlite_template: Path | None) -> None:
    """The test's database as the app fixture gave it: empty, untouched."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        if PG_URL:
            empty_postgres_tables()
            db.engine.dispose()
    if sqlite_template:
        database = _database_file_of(app)
        for log in (
            database.with_name(database.name + "-wal"),
            database.with_name(database.name + "-shm"),
        ):
            log.unlink(missing_ok=True)
        shutil.copyfile(sqlite_template, database)


def test_a_copied_world_is_the_built_world_row_for_row(
    app: Flask, factory: Factory, sqlite_template: Path | None, builds: list[int]
) -> None:
    def build(factory: Factory) -> dict[str, str]:
        builds.append(1)
        return build_two_bodies(factory)

    first = copied_world(WORLD, factory, build, sqlite_template)
    built = every_table(app)
    assert built["users"], "the world has its people"

    _emptied(app, sqlite_template)  # (reading it now would touch it: no copy then)
    second = copied_world(WORLD, factory, build, sqlite_template)

    assert len(builds) == 1  # copied, not built again
    assert second == first
    assert every_table(app) == built
    # The copy's sequences are past its rows: the next record gets a new id.
    factory.partnership("after-the-copy", "After the copy")
    assert len(every_table(app)["partnerships"]) == len(built["partnerships"]) + 1


def test_a_world_is_built_afresh_on_top_of_what_a_test_wrote_first(
    app: Flask, factory: Factory, sqlite_template: Path | None, builds: list[int]
) -> None:
    def build(factory: Factory) -> dict[str, str]:
        builds.append(1)
        return build_two_bodies(factory)

    copied_world(WORLD, factory, build, sqlite_template)
    _emptied(app, sqlite_template)
    factory.partnership("written-first", "Written first")

    copied_world(WORLD, factory, build, sqlite_template)

    assert len(builds) == 2  # built again, not copied over the test's own record
    slugs = {row[1] for row in every_table(app)["partnerships"]}
    assert {"written-first", "north-east", "elsewhere"} <= slugs
