"""`make bench`: import speed against a bare pandas read, peak memory, and register page speed;
the last line is every figure as one JSON object.

Each measurement runs in a fresh process so that its peak memory is its own.
Set TISC_BENCH_ROWS (default 1,000,000) to try other sizes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from queue import Empty

from flask import Flask

ROWS = int(os.environ.get("TISC_BENCH_ROWS", "1000000"))
SUPPLIERS = max(10, ROWS // 50)
PG_URL = os.environ.get(
    "TISC_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "bench lantern orchard"  # noqa: S105 - a throwaway account in a throwaway database


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_read(path: str, queue: multiprocessing.Queue) -> None:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    queue.put({"seconds": time.perf_counter() - started, "rows": len(frame), "peak_mb": _peak_mb()})


def _app(url: str) -> Flask:
    from tisc import create_app
    from tisc.extensions import db

    app = create_app({"TISC_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _import(path: str, url: str, queue: multiprocessing.Queue) -> None:
    from tisc.extensions import db
    from tisc.services.accounts import organisations
    from tisc.services.imports import importing as imports

    app = _app(url)
    with app.app_context():
        partnership = organisations.create_partnership(slug="bench", name="Bench")
        org = organisations.create_organisation(
            slug="bench-police", name="Bench Police", kind="force", partnership=partnership
        )
        db.session.commit()
        data = Path(path).read_bytes()
        started = time.perf_counter()
        summary = imports.import_spend(org=org, user=None, data=data, filename="bench.csv")
        db.session.commit()
        seconds = time.perf_counter() - started
    queue.put(
        {
            "seconds": seconds,
            "rows": summary.imported,
            "suppliers": summary.suppliers_created,
            "peak_mb": _peak_mb(),
        }
    )


def _register_page(path: str, url: str, queue: multiprocessing.Queue) -> None:
    from tisc.extensions import db
    from tisc.models import Role
    from tisc.services.accounts import organisations, users
    from tisc.services.imports import importing as imports

    app = _app(url)
    with app.app_context():
        partnership = organisations.create_partnership(slug="bench", name="Bench")
        org = organisations.create_organisation(
            slug="bench-police", name="Bench Police", kind="force", partnership=partnership
        )
        users.create_user(
            email="lead@example.org",
            name="Lead",
            password=PASSWORD,
            role=Role.PROCUREMENT,
            organisation=org,
        )
        imports.import_spend(org=org, user=None, data=Path(path).read_bytes(), filename="b.csv")
        db.session.commit()
        suppliers = imports.count_lines(org=org)
    client = app.test_client()
    client.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD})

    def timed(target: str) -> float:
        samples = []
        for _ in range(15):
            started = time.perf_counter()
            response = client.get(target)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (target, response.status_code)
        return statistics.median(samples)

    floor = timed("/accessibility")
    page = timed("/organisations/bench-police/suppliers?year=2024-25")
    filtered = timed(
        "/organisations/bench-police/suppliers?year=2024-25&flag=over&sort=name&page=3"
    )
    due_diligence = timed("/organisations/bench-police/due-diligence?year=2024-25")
    queue.put(
        {
            "floor_ms": floor * 1000,
            "page_ms": page * 1000,
            "filtered_ms": filtered * 1000,
            "due_diligence_ms": due_diligence * 1000,
            "lines": suppliers,
        }
    )


def _categorise(path: str, url: str, queue: multiprocessing.Queue) -> None:
    """Categorising a 100,000-supplier body whose export had no category column, so every
    supplier goes through every source (another body's decision, the reference list, words in
    its name), beside reading the same suppliers' rows back."""
    from sqlalchemy import select, update

    from tisc.extensions import db
    from tisc.models import CategorySource, Supplier
    from tisc.services.accounts import organisations
    from tisc.services.imports import importing as imports
    from tisc.services.register.categories import categorise_suppliers

    app = _app(url)
    with app.app_context():
        partnership = organisations.create_partnership(slug="bench", name="Bench")
        org = organisations.create_organisation(
            slug="bench-police", name="Bench Police", kind="force", partnership=partnership
        )
        imports.import_spend(org=org, user=None, data=Path(path).read_bytes(), filename="b.csv")
        db.session.execute(
            update(Supplier)
            .where(Supplier.organisation_id == org.id)
            .values(
                category_text=None,
                category_id=None,
                category_source=CategorySource.NONE,
                category_reason=None,
                suggested_category_id=None,
                suggested_source=None,
                suggested_reason=None,
            )
        )
        db.session.commit()
        rows = select(
            Supplier.id,
            Supplier.name,
            Supplier.normalised_name,
            Supplier.company_number,
            Supplier.category_text,
            Supplier.category_id,
        ).where(Supplier.organisation_id == org.id)
        floor, seconds, changed = [], [], 0
        for _ in range(3):
            started = time.perf_counter()
            suppliers = len(db.session.execute(rows).all())
            floor.append(time.perf_counter() - started)
            started = time.perf_counter()
            changed = categorise_suppliers(org=org)
            db.session.flush()
            seconds.append(time.perf_counter() - started)
            db.session.rollback()
    queue.put(
        {
            "seconds": statistics.median(seconds),
            "floor_seconds": statistics.median(floor),
            "suppliers": suppliers,
            "changed": changed,
        }
    )


def _board_pages(url: str, queue: multiprocessing.Queue) -> None:
    """The demo partnership (14 bodies): board dashboard and board report against a floor."""
    from sqlalchemy import text

    from tisc.demo import seed as demo
    from tisc.extensions import db

    app = _app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        demo.seed_demo(password=PASSWORD)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load (it is off on some test servers):
            # without statistics the planner takes the small demo tables for empty ones and
            # picks nested loops that cost the dashboard a third of its time.
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": "board@example.org", "password": PASSWORD})

    def timed(target: str) -> float:
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            response = client.get(target)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (target, response.status_code)
        return statistics.median(samples)

    floor = timed("/accessibility")
    board = "/partnerships/north-east/board"
    queue.put(
        {
            "floor_ms": floor * 1000,
            "dashboard_ms": timed(f"{board}?year=2025-26") * 1000,
            "docx_ms": timed(f"{board}/report.docx?year=2025-26") * 1000,
        }
    )


def _supplier_link(url: str, queue: multiprocessing.Queue) -> None:
    """A POST of 8,000 sub-supplier rows to a supplier's link, against opening the link."""
    from bench.supplier_link import measure

    measure(_app(url), PASSWORD, queue)


# The statement template with next to nothing in it: what docxtpl costs on its own.
def _statement(path: str, url: str, queue: multiprocessing.Queue) -> None:
    """The joint statement of the 14 demo bodies, one of them holding a million spend lines:
    generated end to end (figures, Word document, kept) beside docxtpl filling the same
    template with the small made-up context of "Try it" (three bodies, no database)."""
    from tisc.demo import seed as demo
    from tisc.extensions import db
    from tisc.models import Role
    from tisc.services.accounts import organisations, users
    from tisc.services.board.report import render_docx
    from tisc.services.imports import importing as imports
    from tisc.services.statements import records as statements
    from tisc.services.statements.documents import DEFAULT_TEMPLATE
    from tisc.services.statements.figures import statement_figures
    from tisc.services.statements.samples import sample_context

    app = _app(url)
    with app.app_context():
        demo.seed_demo(password=PASSWORD)
        partnership = organisations.get_partnership(slug="north-east")
        big = organisations.get_organisation(slug="west-yorkshire-police")
        imports.import_spend(org=big, user=None, data=Path(path).read_bytes(), filename="b.csv")
        users.create_user(
            email="bench.coordinator@example.org",
            name="Bench",
            password=PASSWORD,
            role=Role.COORDINATOR,
            partnership=partnership,
        )
        for year in (2024, 2025):  # last year's statement too: both years' figures are read
            if statements.find_statement(financial_year=year, partnership=partnership) is None:
                statements.create_statement(financial_year=year, user=None, partnership=partnership)
        db.session.commit()
        statement = statements.find_statement(financial_year=2025, partnership=partnership)
        statement_id, lines = statement.id, imports.count_lines(org=big)
        figures = []
        for _ in range(3):
            started = time.perf_counter()
            statement_figures(statement=statement)
            figures.append(time.perf_counter() - started)
        template = DEFAULT_TEMPLATE.read_bytes()
        floor = []
        for _ in range(7):
            started = time.perf_counter()
            render_docx(template=template, context=sample_context(), title="Statement")
            floor.append(time.perf_counter() - started)
    client = app.test_client()
    client.post("/sign-in", data={"email": "bench.coordinator@example.org", "password": PASSWORD})
    target = f"/partnerships/north-east/statements/{statement_id}/documents"
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.post(target, data={"file_format": "docx"})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    queue.put(
        {
            "seconds": statistics.median(samples),
            "figures_seconds": statistics.median(figures),
            "floor_seconds": statistics.median(floor),
            "lines": lines,
        }
    )


def _run(target: Callable[..., None], *args: str) -> dict[str, float]:
    """Run one measurement in a fresh process and return what it reports."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, queue))
    process.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not process.is_alive():
                raise RuntimeError(
                    f"{target.__name__} failed (exit code {process.exitcode})"
                ) from None
    process.join()
    return result


BENCH_SCHEMA = "tisc_bench"


def _postgres_schema(schema: str = BENCH_SCHEMA) -> str | None:
    """A fresh schema for the benchmark (so no other tables are touched), as a database URL
    whose connections use it, or None when PostgreSQL is not reachable."""
    try:
        import psycopg

        plain = PG_URL.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(plain, connect_timeout=2, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception:  # any failure means "not available"
        return None
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


def main() -> int:
    from bench.data import write_export

    # The figures again, as one JSON line at the end, for a machine to read.
    figures: dict[str, object] = {"rows": ROWS, "suppliers": SUPPLIERS}

    def keep(label: str, **found: float) -> None:
        suffix = label.lower()
        figures.update({f"{name}_{suffix}": round(value, 3) for name, value in found.items()})

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.csv"
        started = time.perf_counter()
        write_export(export, rows=ROWS, suppliers=SUPPLIERS)
        print(
            f"Generated {ROWS:,} rows, {SUPPLIERS:,} suppliers, "
            f"{export.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s"
        )
        floor = _run(_bare_read, str(export))
        figures.update(
            bare_read_s=round(floor["seconds"], 3), bare_read_peak_mb=round(floor["peak_mb"])
        )
        print(
            f"Floor: pandas.read_csv alone: {floor['seconds']:.2f} s, "
            f"peak {floor['peak_mb']:.0f} MB"
        )
        databases = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")]
        postgres = _postgres_schema()
        if postgres:
            databases.append(("PostgreSQL", postgres))
        else:
            print("PostgreSQL: not reachable, skipped")
        for label, url in databases:
            result = _run(_import, str(export), url)
            ratio = result["seconds"] / floor["seconds"]
            keep(label, import_s=result["seconds"], ratio=ratio, peak_mb=result["peak_mb"])
            print(
                f"{label}: import end to end {result['seconds']:.2f} s = {ratio:.2f} x "
                f"the bare read (target 3x); {result['rows'] / result['seconds']:,.0f} rows/s; "
                f"{result['suppliers']:,} suppliers; peak {result['peak_mb']:.0f} MB "
                "(target 1,536 MB)"
            )
        # A register of 100,000 suppliers: one payment each.
        register_export = Path(tmp) / "register.csv"
        write_export(register_export, rows=100_000 * 3, suppliers=100_000, seed=2)
        for label, url in databases:
            result = _run(_register_page, str(register_export), url)
            keep(
                label,
                register_page_ms=result["page_ms"],
                due_diligence_page_ms=result["due_diligence_ms"],
            )
            print(
                f"{label}: register page of a 100,000-supplier body {result['page_ms']:.0f} ms "
                f"(filtered and sorted {result['filtered_ms']:.0f} ms; target 150 ms); "
                f"floor page {result['floor_ms']:.1f} ms; "
                f"ratio {result['page_ms'] / result['floor_ms']:.1f}x"
            )
            print(
                f"{label}: due-diligence page of the same body "
                f"{result['due_diligence_ms']:.0f} ms; "
                f"ratio {result['due_diligence_ms'] / result['floor_ms']:.1f}x the floor page"
            )
        for label, url in databases:
            result = _run(_categorise, str(register_export), url)
            keep(label, categorise_s=result["seconds"], categorised_suppliers=result["suppliers"])
            print(
                f"{label}: categorising {result['suppliers']:,} suppliers with no category "
                f"text ({result['changed']:,} categorised by name or reference list) "
                f"{result['seconds']:.2f} s (target 5 s); reading their rows "
                f"{result['floor_seconds'] * 1000:.0f} ms; ratio "
                f"{result['seconds'] / result['floor_seconds']:.1f}x"
            )
        for label, url in databases:
            result = _run(_board_pages, url)
            keep(label, board_dashboard_ms=result["dashboard_ms"], board_docx_ms=result["docx_ms"])
            print(
                f"{label}: board dashboard of the 14 demo bodies {result['dashboard_ms']:.0f} ms, "
                f"board report .docx {result['docx_ms']:.0f} ms; floor page "
                f"{result['floor_ms']:.1f} ms; ratios "
                f"{result['dashboard_ms'] / result['floor_ms']:.0f}x and "
                f"{result['docx_ms'] / result['floor_ms']:.0f}x"
            )
        for label, url in databases:
            result = _run(_supplier_link, url)
            print(
                f"{label}: a {result['bytes'] / 1000:,.0f} KB POST of 8,000 sub-supplier rows to a "
                f"supplier's link refused in {result['refused_ms']:.1f} ms (goal: under 1 s; "
                f"30 s before the limit); opening the link {result['floor_ms']:.1f} ms; ratio "
                f"{result['refused_ms'] / result['floor_ms']:.2f}x"
            )
        for label, url in databases:
            result = _run(_statement, str(export), url)
            keep(label, statement_s=result["seconds"])
            print(
                f"{label}: joint statement of the 14 demo bodies, one holding "
                f"{result['lines']:,} spend lines: {result['seconds']:.2f} s end to end "
                f"(target 2 s; figures {result['figures_seconds']:.2f} s); docxtpl with a "
                f"made-up context {result['floor_seconds'] * 1000:.0f} ms; ratio "
                f"{result['seconds'] / result['floor_seconds']:.1f}x"
            )
    if postgres:
        import psycopg

        plain = PG_URL.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{BENCH_SCHEMA}" CASCADE')
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
