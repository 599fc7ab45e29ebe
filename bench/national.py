"""`make bench-national`: the service at national scale on PostgreSQL (not in CI).

84 bodies, five financial years, 25 million spend lines (TISC_NATIONAL_LINES for another
size), generated once by bench.national_data into the schema tisc_national of the database
TISC_BENCH_DATABASE_URL names (default: `national` on 127.0.0.1:5432, made if missing) and
kept for the next run (TISC_NATIONAL_REBUILD=1 builds it again). Then, each in a fresh
process, against its goal: the largest body's register page (150 ms), the 14-body board
dashboard (500 ms), the 14-body joint statement (5 s), the partnership register export
(30 s) and one more 200,000-row import (10 s, undone after). The last line is every figure
as one JSON object.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
from flask import Flask

from bench.__main__ import _run
from bench.national_data import GENERATOR_VERSION, LARGEST, PARTNERSHIP, PASSWORD, build

LINES = int(os.environ.get("TISC_NATIONAL_LINES", "25000000"))
URL = os.environ.get(
    "TISC_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/national"
)
# Each size in its own schema, so a quick run leaves the full register in place.
SCHEMA = "tisc_national" if LINES == 25_000_000 else f"tisc_national_{LINES}"
YEAR = "2025-26"
IMPORT_ROWS = 200_000
GOALS = {  # what each figure should stay under
    "register_page_ms": 150,
    "board_dashboard_ms": 500,
    "statement_s": 5,
    "export_csv_s": 30,
    "export_xlsx_s": 30,
    "import_s": 10,
}


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg", "postgresql")


def _schema_url() -> str:
    separator = "&" if "?" in URL else "?"
    return f"{URL}{separator}options=-csearch_path%3D{SCHEMA}"


def _prepare() -> dict[str, object]:
    """Make the database if missing; build the national register unless the kept one is of
    this size and generator; what it holds."""
    database = URL.rsplit("/", 1)[1].split("?")[0]
    if database == "test":
        raise SystemExit("bench-national never uses the shared `test` database")
    server = _plain(URL).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    wanted = {"lines": LINES, "version": GENERATOR_VERSION}
    with psycopg.connect(_plain(URL), autocommit=True) as conn:
        row = conn.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
            (SCHEMA,),
        ).fetchone()
        kept = json.loads(row[0]) if row and row[0] else None
        if kept and kept.get("wanted") == wanted and not os.environ.get("TISC_NATIONAL_REBUILD"):
            print(f"Using the national register kept in {database}.{SCHEMA}")
            _upgrade()  # the migrations added since it was built
            return kept["made"]
        print(f"Building the national register ({LINES:,} lines) in {database}.{SCHEMA}:")
        conn.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{SCHEMA}"')
    made = build(_schema_url(), LINES)
    with psycopg.connect(_plain(URL), autocommit=True) as conn:
        note = json.dumps({"wanted": wanted, "made": made}).replace("'", "''")
        conn.execute(f"COMMENT ON SCHEMA \"{SCHEMA}\" IS '{note}'")
    return made


def _upgrade() -> None:
    from flask_migrate import upgrade

    with _app().app_context():
        upgrade()


def _app() -> Flask:
    from tisc import create_app

    app = create_app({"TISC_ENV": "test", "SQLALCHEMY_DATABASE_URI": _schema_url()})
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _median_ms(client, target: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(target)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (target, response.status_code)
    return statistics.median(samples) * 1000


def _signed_in(app: Flask, email: str):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def _pages(queue) -> None:
    """The largest body's register (median of 9) and the 14-body board dashboard (of 3)."""
    app = _app()
    client = _signed_in(app, f"procurement.{LARGEST}@example.org")
    register = f"/organisations/{LARGEST}/suppliers"
    found = {
        "floor_ms": _median_ms(client, "/accessibility", 9),
        "register_page_ms": _median_ms(client, f"{register}?year={YEAR}", 9),
        "register_filtered_ms": _median_ms(
            client, f"{register}?year={YEAR}&flag=over&sort=name&page=3", 9
        ),
        "register_search_ms": _median_ms(client, f"{register}?year={YEAR}&q=roofing", 9),
    }
    board = _signed_in(app, "board@example.org")
    found["board_dashboard_ms"] = _median_ms(
        board, f"/partnerships/{PARTNERSHIP}/board?year={YEAR}", 3
    )
    found["board_docx_ms"] = _median_ms(
        board, f"/partnerships/{PARTNERSHIP}/board/report.docx?year={YEAR}", 1
    )
    queue.put(found)


def _statement_and_export(queue) -> None:
    """The 14-body joint statement (median of 3) and the partnership register export."""
    from tisc.database import db
    from tisc.services.accounts import organisations
    from tisc.services.statements import records as statements

    app = _app()
    with app.app_context():
        partnership = organisations.get_partnership(slug=PARTNERSHIP)
        statement = statements.find_statement(financial_year=2025, partnership=partnership)
        statement_id = statement.id
        db.session.rollback()
    client = _signed_in(app, "coordinator@example.org")
    target = f"/partnerships/{PARTNERSHIP}/statements/{statement_id}/documents"
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.post(target, data={"file_format": "docx"})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    found = {"statement_s": statistics.median(samples)}
    for file_format in ("csv", "xlsx"):
        started = time.perf_counter()
        response = client.get(
            f"/partnerships/{PARTNERSHIP}/suppliers/export.{file_format}?year={YEAR}"
        )
        found[f"export_{file_format}_s"] = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        found[f"export_{file_format}_mb"] = len(response.data) / 1e6
        if file_format == "csv":
            found["export_rows"] = response.data.count(b"\n") - 1
    queue.put(found)


def write_import(path: Path, names: list[tuple[str, str | None]], seed: int = 5) -> None:
    """A finance export of IMPORT_ROWS payments in 2025/26: most to the body's own suppliers
    (its largest most often), a tenth to 8,000 suppliers it has never paid."""
    from bench.data import EXPORT_HEADER, supplier_names

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    new = [(name, None) for name in supplier_names(8_000, rng)]
    start = date(2025, 4, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_HEADER)
        for n in range(IMPORT_ROWS):
            if rng.random() < 0.1:
                name, number = rng.choice(new)
            else:
                name, number = names[min(len(names) - 1, int(len(names) * rng.random() ** 3))]
            pence = int(rng.lognormvariate(11, 1.3))
            writer.writerow(
                [
                    (start + timedelta(days=rng.randrange(365))).strftime("%d/%m/%Y"),
                    f"N{n:08d}",
                    name,
                    number or "",
                    "",
                    f"CC{rng.randrange(100):03d}",
                    f"£{pence // 100:,}.{pence % 100:02d}",
                ]
            )


def _import(queue) -> None:
    """One more 200,000-row import into the largest body, committed, then undone."""
    from sqlalchemy import select

    from tisc.database import db
    from tisc.models import Supplier
    from tisc.services.accounts import organisations
    from tisc.services.imports import history
    from tisc.services.imports import importing as imports

    app = _app()
    with app.app_context(), tempfile.TemporaryDirectory() as tmp:
        org = organisations.get_organisation(slug=LARGEST)
        names = db.session.execute(
            select(Supplier.name, Supplier.company_number)
            .where(Supplier.organisation_id == org.id)
            .order_by(Supplier.id)
        ).all()
        path = Path(tmp) / "payments.csv"
        write_import(path, [tuple(n) for n in names])
        data = path.read_bytes()
        before = imports.count_lines(org=org)
        db.session.commit()
        started = time.perf_counter()
        summary = imports.import_spend(org=org, user=None, data=data, filename="payments.csv")
        db.session.commit()
        seconds = time.perf_counter() - started
        record = history.get_import(org=org, import_id=summary.import_id)
        started = time.perf_counter()
        history.undo_import(org=org, record=record, user=None)
        db.session.commit()
        undo = time.perf_counter() - started
        assert imports.count_lines(org=org) == before
    # Autovacuum is off on the bench server: without this the import and undo leave the
    # largest body's year dead rows and unset visibility bits, and the next run's register
    # page reads the heap instead of its covering indexes.
    with psycopg.connect(_plain(_schema_url()), autocommit=True) as conn:
        for table in ("spend_lines", "supplier_years", "suppliers"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    queue.put(
        {
            "import_s": seconds,
            "import_rows": summary.imported,
            "import_new_suppliers": summary.suppliers_created,
            "import_body_lines": before,
            "undo_s": undo,
        }
    )


def main() -> int:
    made = _prepare()
    with psycopg.connect(_plain(URL)) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        lines = conn.execute(f'SELECT count(*) FROM "{SCHEMA}".spend_lines').fetchone()[0]  # noqa: S608
    figures: dict[str, object] = {**made, "spend_lines": lines, "database_gb": round(size / 1e9, 2)}
    print(
        f"{lines:,} spend lines, {made['generated_suppliers']:,} suppliers, {made['bodies']} "
        f"bodies; largest {made['largest_body']} ({made['largest_lines']:,} lines, "
        f"{made['largest_suppliers']:,} suppliers), smallest {made['smallest_lines']:,} lines; "
        f"database {size / 1e9:.1f} GB"
    )
    for measure in (_pages, _statement_and_export, _import):
        found = _run(measure)
        for name, value in found.items():
            goal = GOALS.get(name)
            verdict = f" (goal {goal}: {'met' if value < goal else 'MISSED'})" if goal else ""
            print(f"{name}: {value:,.3f}{verdict}", flush=True)
            figures[name] = round(value, 3) if isinstance(value, float) else value
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
