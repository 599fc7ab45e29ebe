"""`flask --app tisc backup` and `restore`: a round trip gives back every row of every table,
and a restore that cannot be right (wrong file, wrong kind, no --yes) changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import delete, select

from tests.integration import due_diligence_support as dd_support
from tests.integration import plan_support
from tests.integration.register_support import Pay, import_payments
from tests.integration.table_snapshot import snapshot
from tisc.extensions import db
from tisc.models import ContractReview, Supplier
from tisc.services.accounts import organisations
from tisc.services.register import suppliers


@pytest.fixture
def data(app: Flask, two_bodies: dict) -> None:
    """Registers, assessments, due diligence and a plan in two bodies: most tables hold rows."""
    dd_support.build_year(app)
    plan_support.start(app, "alpha-police", 2024)
    item_id = plan_support.add_item(app, "alpha-police", 2024, "Train buyers")
    plan_support.update(app, item_id, "in_progress")


def run(app: Flask, *args: str, input: str | None = None) -> Result:
    return app.test_cli_runner().invoke(args=list(args), input=input)


def every_row(app: Flask) -> dict[str, list[str]]:
    """Every row of every table the models define, in a stable order."""
    return snapshot(app, [table.name for table in db.metadata.sorted_tables])


def change_everything(app: Flask) -> None:
    """An import, a new supplier, a renamed one and a deleted review: after the backup."""
    import_payments(app, "alpha-police", Pay("After Backup Ltd", "2024-06-01", "10.00"))
    with app.app_context():
        acme = db.session.scalar(select(Supplier).where(Supplier.name == "Clean A3 Ltd"))
        acme.name = "Renamed after the backup"
        db.session.execute(delete(ContractReview).where(ContractReview.id == 1))
        db.session.commit()


def test_a_backup_restores_every_row_of_every_table(
    app: Flask, data: None, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    backed_up = every_row(app)
    assert sum(len(rows) for rows in backed_up.values()) > 100
    out = tmp_path / "tisc.backup"
    made = run(app, "backup", "--out", str(out))
    assert made.exit_code == 0, made.output
    assert f"to {out} ({out.stat().st_size:,} bytes)" in made.output

    change_everything(app)
    assert every_row(app) != backed_up

    restored = run(app, "restore", str(out), "--yes")
    assert restored.exit_code == 0, restored.output
    assert every_row(app) == backed_up

    # The database carries on: new records get fresh ids (sequences came back too).
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        suppliers.add_supplier(org=org, user=None, name="After Restore Ltd")
        db.session.commit()
    assert "After Restore Ltd" in str(every_row(app)["suppliers"])
    rows = sum(map(len, backed_up.values()))
    with capsys.disabled():
        print(f"\n  {db_kind(app)}: {rows} rows backed up in {out.stat().st_size:,} bytes")


def test_restore_asks_first_and_no_answers_change_nothing(
    app: Flask, data: None, tmp_path: Path
) -> None:
    out = tmp_path / "tisc.backup"
    assert run(app, "backup", "--out", str(out)).exit_code == 0
    change_everything(app)
    changed = every_row(app)
    refused = run(app, "restore", str(out), input="n\n")
    assert refused.exit_code == 1
    assert "replaces every record in the database" in refused.output
    assert every_row(app) == changed
    agreed = run(app, "restore", str(out), input="y\n")
    assert agreed.exit_code == 0, agreed.output
    assert every_row(app) != changed


def other_kind_of_backup(app: Flask, tmp_path: Path) -> tuple[Path, str]:
    """A backup of the other kind of database than the one under test, and the refusal."""
    if db_kind(app) == "sqlite":
        fake = tmp_path / "pg.backup"
        fake.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        return fake, "pg.backup is a PostgreSQL backup, but this service's database is SQLite"
    other = tmp_path / "sqlite.backup"
    sqlite3.connect(other).execute("CREATE TABLE organisations (id INTEGER)").connection.close()
    return other, "sqlite.backup is a SQLite backup, but this service's database is PostgreSQL"


def db_kind(app: Flask) -> str:
    return "sqlite" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else "postgresql"


def test_files_that_are_not_backups_of_this_database_are_refused(
    app: Flask, data: None, tmp_path: Path
) -> None:
    before = every_row(app)
    spend = tmp_path / "spend.csv"
    spend.write_text("Supplier Name,Amount\nAcme,1\n")
    other, other_message = other_kind_of_backup(app, tmp_path)
    stranger = tmp_path / "stranger.sqlite3"
    sqlite3.connect(stranger).execute("CREATE TABLE notes (id INTEGER)").connection.close()
    cases = [
        (spend, "spend.csv is not a backup made by `flask --app tisc backup`"),
        (tmp_path / "missing.backup", "There is no backup file"),
        (other, other_message),
    ]
    if db_kind(app) == "sqlite":
        cases.append((stranger, "is a SQLite database but not a backup of this service"))
    for path, message in cases:
        result = run(app, "restore", str(path), "--yes")
        assert result.exit_code == 1
        assert message in result.output
        assert "nothing was restored" in result.output or "no backup file" in result.output
    assert every_row(app) == before


def test_backup_explains_a_missing_folder(app: Flask, tmp_path: Path) -> None:
    result = run(app, "backup", "--out", str(tmp_path / "nowhere" / "x.backup"))
    assert result.exit_code == 1
    assert "There is no folder" in result.output


def test_without_pg_dump_a_postgresql_backup_says_what_to_install(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_kind(app) != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL; this run is on SQLite")
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no pg_dump on it
    result = run(app, "backup", "--out", str(tmp_path / "x.backup"))
    assert result.exit_code == 1
    assert "pg_dump is not installed (or not on PATH)" in result.output
    assert not (tmp_path / "x.backup").exists()


def test_a_sqlite_backup_is_one_file_that_passes_its_integrity_check(
    app: Flask, data: None, tmp_path: Path
) -> None:
    if db_kind(app) != "sqlite":
        pytest.skip("the SQLite backup file; this run is on PostgreSQL")
    out = tmp_path / "tisc.sqlite3"
    assert run(app, "backup", "--out", str(out)).exit_code == 0
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM suppliers").fetchone()[0] > 0
    copy.close()
    assert not Path(f"{out}-wal").exists()
