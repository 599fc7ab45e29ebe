"""Many people saving at once, through real requests: every acknowledged write is stored, none
fails with "database is locked" or a server error, and racing edits of one record get the
conflict message rather than overwriting each other.

16 threads, each with its own test client (so its own session and, per request, its own app
context and database connection), send 25 writes each as fast as they can: half of them
contract reviews (new records: for one supplier all threads share, and for the thread's own),
half progress updates on action-plan items (the shared item, and the thread's own), which
carry the item's version and so race each other on the shared one.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import page, sign_in
from tests.integration.plan_support import STALE, add_item, start, this_year
from tests.integration.register_support import Pay, import_payments, supplier_id
from tisc.extensions import db
from tisc.models import ContractReview, PlanItem, ProgressUpdate

THREADS = 16
WRITES = 25
A = "/organisations/alpha-police"
PROCUREMENT = "procurement.alpha-police@example.org"
STATEMENT = "statement.alpha-police@example.org"


@dataclass(frozen=True)
class Write:
    """One POST a thread made and what came back."""

    thread: int
    kind: str  # "review" or "update"
    target: str  # "shared" or "own"
    note: str
    status: int
    conflict: bool = False


@pytest.fixture
def records(app: Flask, two_bodies: dict) -> dict:
    """A supplier and a plan item shared by all threads, and one of each per thread."""
    owners = range(THREADS // 2)
    import_payments(
        app,
        "alpha-police",
        Pay("Shared Ltd", "2024-05-01", "100.00"),
        *(Pay(f"Own {n} Ltd", "2024-05-01", "100.00") for n in owners),
    )
    year = this_year()
    start(app, "alpha-police", year)
    return {
        "suppliers": {
            "shared": supplier_id(app, "alpha-police", "Shared Ltd"),
            **{n: supplier_id(app, "alpha-police", f"Own {n} Ltd") for n in owners},
        },
        "items": {
            "shared": add_item(app, "alpha-police", year, "Shared action"),
            **{n: add_item(app, "alpha-police", year, f"Own action {n}") for n in owners},
        },
    }


def review_form(note: str) -> dict:
    return {
        "reviewed_on": ["2", "9", "2024"],
        "contract_id": "",
        "modern_slavery_discussed": "yes",
        "notes": note,
        "actions": "",
    }


def signed_in(app: Flask, number: int) -> FlaskClient:
    """Thread `number`'s client: even threads add reviews (procurement), odd ones update."""
    client = app.test_client()
    assert sign_in(client, PROCUREMENT if number % 2 == 0 else STATEMENT).status_code == 302
    return client


def run_thread(
    client: FlaskClient, number: int, records: dict, start_line: threading.Barrier
) -> list[Write]:
    """Wait for everyone, then send WRITES writes; what each one answered."""
    reviewer = number % 2 == 0
    own = number // 2
    done: list[Write] = []
    start_line.wait()
    for n in range(WRITES):
        target = "shared" if n % 2 == 0 else "own"
        key = "shared" if target == "shared" else own
        note = f"thread {number} write {n} ({target})"
        if reviewer:
            sid = records["suppliers"][key]
            url = f"{A}/suppliers/{sid}/due-diligence/2024-25/contract-reviews/new"
            response = client.post(url, data=review_form(note))
            done.append(Write(number, "review", target, note, response.status_code))
            continue
        url = f"{A}/action-plan/items/{records['items'][key]}"
        shown = client.get(url)
        assert shown.status_code == 200, shown.status_code
        version = page(shown).select_one("#update-form input[name=version]")["value"]
        data = {"note": note, "status": "in_progress", "rag": "green", "version": version}
        response = client.post(f"{url}/updates", data=data)
        conflict = response.status_code == 200 and STALE in page(response).get_text(" ")
        done.append(Write(number, "update", target, note, response.status_code, conflict))
    return done


def test_many_writers_at_once_lose_nothing_and_never_lock(
    app: Flask, records: dict, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with app.app_context():
        shared_item = db.session.get(PlanItem, records["items"]["shared"])
        shared_version = shared_item.version_id
    start_line = threading.Barrier(THREADS)
    results: dict[int, list[Write]] = {}
    failures: list[BaseException] = []

    # Signed in one after another: simultaneous sign-ins are not what this measures.
    clients = [signed_in(app, number) for number in range(THREADS)]

    def work(number: int) -> None:
        try:
            results[number] = run_thread(clients[number], number, records, start_line)
        except BaseException as error:  # reported below, with the thread's number
            failures.append(error)
            start_line.abort()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    seconds = time.perf_counter() - started
    assert not failures, failures
    writes = [write for n in range(THREADS) for write in results[n]]
    assert len(writes) == THREADS * WRITES

    # Every answer is a success, or (racing on the shared item only) the conflict message.
    acknowledged = [w for w in writes if w.status == 302]
    conflicts = [w for w in writes if w.conflict]
    assert len(acknowledged) + len(conflicts) == len(writes), {
        (w.kind, w.target, w.status) for w in writes if w.status != 302 and not w.conflict
    }
    assert all(w.kind == "update" and w.target == "shared" for w in conflicts)
    assert all(w.status == 302 for w in writes if w.kind == "review" or w.target == "own")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    assert not any("locked" in r.getMessage().lower() for r in caplog.records)

    # Every acknowledged write is stored, once; nothing refused was.
    with app.app_context():
        reviews = db.session.scalars(
            select(ContractReview.notes).where(ContractReview.notes.like("thread %"))
        ).all()
        updates = db.session.scalars(
            select(ProgressUpdate.note).where(ProgressUpdate.note.like("thread %"))
        ).all()
        final_version = db.session.get(PlanItem, records["items"]["shared"]).version_id
    assert sorted(reviews) == sorted(w.note for w in acknowledged if w.kind == "review")
    assert sorted(updates) == sorted(w.note for w in acknowledged if w.kind == "update")
    shared_updates = [w for w in acknowledged if w.kind == "update" and w.target == "shared"]
    # Each stored update moved the shared item's version on by one: none was lost in a race.
    assert final_version == shared_version + len(shared_updates)
    assert shared_updates  # the race was real: some got through...
    with app.app_context():
        kind = db.engine.dialect.name
    with capsys.disabled():
        print(
            f"\n  {kind}: {THREADS} threads x {WRITES} writes = {len(writes)} in {seconds:.1f} s "
            f"({len(writes) / seconds:.0f}/s): {len(acknowledged)} stored, "
            f"{len(conflicts)} conflicts on the shared item, 0 errors"
        )


def test_simultaneous_sign_ins_to_one_account_all_succeed(
    app: Flask, two_bodies: dict, caplog: pytest.LogCaptureFixture
) -> None:
    # Each sign-in saves the account's row (last sign-in, failure count) under its version:
    # sixteen at once must take turns, not fail each other's version check with a 500.
    caplog.set_level(logging.ERROR)
    start_line = threading.Barrier(THREADS)
    answers: list[int] = []

    def work() -> None:
        client = app.test_client()
        start_line.wait()
        answers.append(sign_in(client, PROCUREMENT).status_code)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert answers == [302] * THREADS
    assert [r.getMessage() for r in caplog.records] == []
