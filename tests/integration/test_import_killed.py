"""An import killed half way (a separate `flask --app tisc import-spend` process, SIGKILL while
it writes spend lines) leaves nothing of itself behind, and the database stays sound."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.integration.register_support import Pay, import_payments
from tisc.extensions import db
from tisc.models import SpendImport, SpendLine, Supplier, SupplierYear
from tisc.services.accounts import organisations
from tisc.services.imports import importing as imports

ROWS = 300_000
WRITING = "Writing spend lines..."
AFTER_WRITING = "Refreshing totals and flags..."
DEADLINE = 60  # seconds for the child to reach the write stage, on a slow shared machine


def big_export(path: Path) -> None:
    """300,000 payments to 3,000 suppliers, none of them in the register yet."""
    lines = ["Supplier Name,Payment Date,Net Amount,Transaction Number"]
    lines += [
        f"Killed Supplier {n % 3000} Ltd,{1 + n % 28:02d}/0{1 + n % 9}/2024,{n % 5000}.50,K{n}"
        for n in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n")


def state(app: Flask) -> dict[str, object]:
    """Counts of what an import writes, and the totals that must agree with the lines."""
    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        return {
            "lines": count(SpendLine),
            "suppliers": count(Supplier),
            "imports": count(SpendImport),
            "years": count(SupplierYear),
            "money in lines": db.session.scalar(select(func.sum(SpendLine.amount))),
            "imported rows": db.session.scalar(select(func.sum(SpendImport.imported))),
            "killed": db.session.scalar(
                select(func.count())
                .select_from(SpendImport)
                .where(SpendImport.file_name == "big.csv")
            ),
        }


CHILD = "tisc-killed-import"  # the child's PostgreSQL application_name


def copy_in_progress(app: Flask) -> bool:
    """On PostgreSQL: whether the child is running the spend lines COPY right now."""
    with app.app_context():
        return bool(
            db.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :child "
                    "AND state = 'active' AND query LIKE 'COPY spend_lines%'"
                ),
                {"child": CHILD},
            )
        )


def test_an_import_killed_while_writing_leaves_no_trace(
    app: Flask, two_bodies: dict, tmp_path: Path, capsys
) -> None:
    import_payments(app, "alpha-police", Pay("Before Ltd", "2024-04-02", "12.34"))
    before = state(app)
    export = tmp_path / "big.csv"
    big_export(export)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    postgres = url.startswith("postgresql")
    separator = "&" if "?" in url else "?"
    child_url = f"{url}{separator}application_name={CHILD}" if postgres else url
    env = {**os.environ, "TISC_ENV": "test", "TISC_TEST_DATABASE_URL": child_url}
    started = time.perf_counter()
    command = ["import-spend", str(export), "--org", "alpha-police"]
    child = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tisc", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(
        target=lambda: [lines.put(x.strip()) for x in child.stderr], daemon=True
    )
    reader.start()
    stages = []
    try:
        while WRITING not in stages:
            left = DEADLINE - (time.perf_counter() - started)
            try:
                stages.append(lines.get(timeout=max(left, 0.01)))
            except queue.Empty:
                pytest.fail(f"no {WRITING!r} within {DEADLINE} s; the import said {stages}")
        reached = time.perf_counter() - started
        if postgres:  # wait until the COPY is really running
            while not copy_in_progress(app) and time.perf_counter() - started < DEADLINE:
                time.sleep(0.02)
        else:
            time.sleep(0.2)  # the lines take seconds to write; a fifth of one in, kill it
        child.send_signal(signal.SIGKILL)
        killed = time.perf_counter() - started
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
    reader.join(timeout=5)
    child.stderr.close()
    while not lines.empty():
        stages.append(lines.get())
    assert child.returncode == -signal.SIGKILL
    # Killed during the write: it never got as far as refreshing totals, let alone finishing.
    assert stages[-1] == WRITING, stages
    assert AFTER_WRITING not in stages

    after = state(app)
    assert after == before  # no lines, suppliers or import record of the killed import
    assert after["killed"] == 0
    with app.app_context():
        if not postgres:
            connection = db.session.connection()
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        db.session.rollback()

    # The database carries on: the next import works and every count agrees with the lines.
    with app.app_context():
        summary = imports.import_spend(
            org=organisations.get_organisation(slug="alpha-police"),
            user=None,
            data=b"Supplier Name,Payment Date,Net Amount\nAfter Ltd,03/04/2024,5.00\n",
            filename="after.csv",
        )
        db.session.commit()
    final = state(app)
    assert summary.imported == 1
    assert final["lines"] == before["lines"] + 1 == final["imported rows"]
    assert final["money in lines"] == before["money in lines"] + Decimal("5.00")
    with app.app_context():
        totals = db.session.scalar(select(func.sum(SupplierYear.annual_spend)))
    assert totals == final["money in lines"]
    with capsys.disabled():
        kind = "postgresql" if postgres else "sqlite"
        print(
            f"\n  {kind}: {ROWS:,} rows; writing began {reached:.1f} s after start, "
            f"killed at {killed:.1f} s; test {time.perf_counter() - started:.1f} s"
        )
