"""Reading, checking and importing an upload in a background job: the upload returns at once to
a progress page; the file is read without the write lock, so another body's save goes on
meanwhile; a killed worker or a failure leaves nothing half imported, and "Try again" works."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import page, sign_in
from tisc import jobs
from tisc.extensions import db
from tisc.models import (
    ImportJob,
    JobKind,
    JobStatus,
    PendingUpload,
    PersonalPayee,
    SpendImport,
    SpendLine,
    Supplier,
)
from tisc.rules import import_progress
from tisc.services.accounts import organisations
from tisc.services.imports import importing
from tisc.services.imports import jobs as import_jobs
from tisc.services.register import spend_lines
from tisc.services.register import suppliers as register_suppliers
from tisc.services.register.matching import register_state

A = "/organisations/alpha-police"
B = "/organisations/beta-opcc"
FILE = (
    "Supplier Name,Payment Date,Net Amount\n"
    "Acme Ltd,01/04/2024,100.00\n"
    "Northern Couriers Ltd,02/05/2024,250.50\n"
    "Acme Ltd,03/06/2024,49.50\n"
)
WAIT = 60  # seconds a paused job waits for the test before giving up (never reached when passing)


def counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (SpendImport, SpendLine, PendingUpload)
        )


def job_row(app: Flask, job_id: int) -> ImportJob:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        db.session.expunge(job)
        return job


def upload(client: FlaskClient, body: str = FILE, name: str = "payments.csv"):
    return client.post(
        f"{A}/imports/new",
        data={"file": (io.BytesIO(body.encode()), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Jobs wait in a queue (as with a worker) instead of running in the request: the ids
    asked for, for the test to run as the worker would."""
    asked: list[int] = []
    monkeypatch.setattr(jobs, "enqueue", asked.append)
    yield asked


def test_the_upload_returns_at_once_to_a_progress_page_without_reading_the_file(
    app: Flask, client: FlaskClient, two_bodies: dict, queued: list[int]
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    response = upload(client)
    assert response.status_code == 302
    [job_id] = queued
    assert response.headers["Location"] == f"{A}/imports/jobs/{job_id}"
    job = job_row(app, job_id)
    assert (job.kind, job.status, job.rows_read) == (JobKind.CHECK, JobStatus.QUEUED, None)

    waiting = page(client.get(response.headers["Location"]))
    assert waiting.select_one("h1").get_text(strip=True) == "Reading the file"
    status = waiting.select_one("[role=status]").get_text(" ", strip=True)
    assert status == "Waiting to start (0% done)"
    assert waiting.select_one("progress")["value"] == "0"
    # Without JavaScript the page asks again by itself.
    refresh = waiting.select_one("noscript meta[http-equiv=refresh]")
    assert refresh is not None and refresh["content"] == "3"
    assert waiting.select_one("[data-job-status-url]")["data-job-status-url"].endswith(
        f"/imports/jobs/{job_id}/status.json"
    )

    with app.app_context():
        jobs.run(job_id)  # the worker
    done = client.get(f"{A}/imports/jobs/{job_id}")
    assert done.status_code == 302  # a finished check leads to its columns
    preview = page(client.get(done.headers["Location"]))
    assert preview.select_one("h1").get_text(strip=True) == "Check the columns"
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in preview.select(".govuk-summary-list__row")
    }
    assert rows["Payments to add"] == "3 totalling £400.00"
    assert client.get(f"{A}/imports/jobs/{job_id}/status.json").get_json() == {
        "status": "done",
        "stage": import_progress.MATCHING,
        "percent": 100,
        "rows_read": 3,
        "rows_checked": 3,
        "rows_written": None,
        "finished": True,
    }


def _pause_at(
    monkeypatch: pytest.MonkeyPatch, stage: str
) -> tuple[threading.Event, threading.Event]:
    """Stop a job when it reports `stage`, until the test lets it go."""
    reached, go = threading.Event(), threading.Event()
    report = import_jobs.report

    def pausing(*, job_id: int, stage: str = stage, **counts: int) -> None:
        report(job_id=job_id, stage=stage, **counts)
        if stage == wanted:
            reached.set()
            assert go.wait(WAIT), "the test never let the job go on"

    wanted = stage
    monkeypatch.setattr(import_jobs, "report", pausing)
    return reached, go


def _in_thread(app: Flask, job_id: int) -> threading.Thread:
    def work() -> None:
        with app.app_context():
            jobs.run(job_id)

    worker = threading.Thread(target=work)
    worker.start()
    return worker


@pytest.mark.parametrize("importing", [False, True], ids=["checking", "importing"])
def test_another_body_saves_while_a_file_is_read_and_checked(
    app: Flask,
    client: FlaskClient,
    two_bodies: dict,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
    importing: bool,
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    upload(client)
    if importing:  # the check first, then the import asked for on the columns page
        with app.app_context():
            jobs.run(queued[-1])
        preview_url = client.get(f"{A}/imports/jobs/{queued[-1]}").headers["Location"]
        form = {
            s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
            for s in page(client.get(preview_url)).select("select")
        }
        assert client.post(preview_url, data={**form, "submit": "yes"}).status_code == 302
    job_id = queued[-1]
    reached, go = _pause_at(monkeypatch, import_progress.CHECKING)
    worker = _in_thread(app, job_id)
    try:
        assert reached.wait(WAIT)
        # The file has been read and is being checked: the page says so.
        shown = page(client.get(f"{A}/imports/jobs/{job_id}"))
        assert (
            shown.select_one("[role=status]")
            .get_text(" ", strip=True)
            .startswith(import_progress.CHECKING)
        )
        rows_read = shown.select_one("[data-job-count=rows_read]").get_text(strip=True)
        assert rows_read == "3"
        # Meanwhile another body saves (on SQLite it would wait for the write lock, then fail).
        other = FlaskClient(app)
        sign_in(other, "procurement.beta-opcc@example.org")
        saved = other.post(f"{B}/personal-payees", data={"name": "A Private Person"})
        assert saved.status_code == 302
    finally:
        go.set()
        worker.join(WAIT)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalPayee)) == 1
    job = job_row(app, job_id)
    assert job.status is JobStatus.DONE
    assert counts(app)[1] == (3 if importing else 0)


def test_a_job_that_fails_while_writing_leaves_nothing_and_can_be_tried_again(
    app: Flask,
    client: FlaskClient,
    two_bodies: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    preview_url = upload(client).headers["Location"]
    form = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in page(client.get(preview_url)).select("select")
    }
    before = counts(app)

    def broken(**_: object) -> None:
        raise RuntimeError("the disk filled up")

    with monkeypatch.context() as patch:
        patch.setattr(spend_lines, "add_to_years", broken)  # after the lines are written
        response = client.post(preview_url, data={**form, "submit": "yes"})
    assert response.status_code == 302
    failed = page(client.get(response.headers["Location"]))
    summary = failed.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert jobs.FAILED in summary and "Nothing was added to the register." in summary
    assert counts(app) == before  # no import, no lines; the upload is kept for another try

    again = client.post(failed.select_one("form[action$='/retry']")["action"])
    assert again.status_code == 302
    detail = page(client.get(again.headers["Location"]))
    banner = detail.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "Imported 3 payments totalling £400.00" in banner
    assert counts(app) == (before[0] + 1, before[1] + 3, 0)


def test_a_job_whose_worker_was_killed_says_so_and_runs_again(
    app: Flask, client: FlaskClient, two_bodies: dict, queued: list[int]
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    upload(client)
    [job_id] = queued
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        job.status = JobStatus.RUNNING
        job.stage = import_progress.READING
        # A process of this machine that is no longer running.
        job.worker = f"{import_jobs.this_worker().rpartition(':')[0]}:{2**22 + 12345}"
        db.session.commit()
    stopped = page(client.get(f"{A}/imports/jobs/{job_id}"))
    title = stopped.select_one(".govuk-error-summary__title").get_text(strip=True)
    assert title == "It stopped before it finished"
    assert stopped.select_one("h1").get_text(strip=True) == "The import of payments.csv stopped"
    assert stopped.select_one("noscript meta[http-equiv=refresh]") is None
    assert client.get(f"{A}/imports/jobs/{job_id}/status.json").get_json()["finished"] is True

    retried = client.post(f"{A}/imports/jobs/{job_id}/retry")
    assert retried.status_code == 302
    [_, again] = queued
    with app.app_context():
        jobs.run(again)
    assert client.get(f"{A}/imports/jobs/{again}").status_code == 302  # to its columns
    assert job_row(app, again).status is JobStatus.DONE


def test_a_job_answers_only_the_person_who_asked(
    app: Flask, client: FlaskClient, two_bodies: dict, queued: list[int]
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    upload(client)
    [job_id] = queued
    for email, url in (
        ("procurement.beta-opcc@example.org", f"{B}/imports/jobs/{job_id}"),
        ("statement.alpha-police@example.org", f"{A}/imports/jobs/{job_id}"),
        ("admin@example.org", f"{A}/imports/jobs/{job_id}"),
    ):
        other = FlaskClient(app)
        sign_in(other, email)
        assert other.get(url).status_code in (403, 404), email
        assert other.get(f"{url}/status.json").status_code in (403, 404), email
    other = FlaskClient(app)
    sign_in(other, "admin@example.org")
    assert other.post(f"{A}/imports/jobs/{job_id}/retry").status_code == 404
    assert len(queued) == 1  # nothing asked again


def test_an_import_that_adds_nothing_fails_in_words_and_keeps_the_upload(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    preview_url = upload(client).headers["Location"]
    form = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in page(client.get(preview_url)).select("select")
    }
    # Between the check and the import, the same payments arrive by the command line.
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        importing.import_spend(org=org, user=None, data=FILE.encode(), filename="same.csv")
        db.session.commit()
    before = counts(app)
    response = client.post(preview_url, data={**form, "submit": "yes"})
    failed = page(client.get(response.headers["Location"]))
    summary = failed.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "already in the register" in summary
    assert counts(app) == before  # nothing added, the upload kept
    assert failed.select_one("h1").get_text(strip=True) == "payments.csv was not imported"
    assert failed.select_one("form[action$='/retry']") is None  # it would only be refused again
    again = failed.select_one("form[action*='/imports/uploads/']")
    assert again.select_one("button").get_text(strip=True) == "Check the file again"
    sent = {field["name"]: field.get("value", "") for field in again.select("input, button")}
    checked = client.post(again["action"], data=sent)
    preview = page(client.get(checked.headers["Location"]))
    assert "already in the register" in preview.select_one("[data-nothing-to-import]").get_text()
    assert preview.select_one("[name=submit]") is None  # nothing to import: no Import button


def _confirm_columns(app: Flask, client: FlaskClient, queued: list[int]) -> int:
    """Upload, run the check as the worker would and confirm its columns: the import job."""
    upload(client)
    with app.app_context():
        jobs.run(queued[-1])
    preview_url = client.get(f"{A}/imports/jobs/{queued[-1]}").headers["Location"]
    form = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in page(client.get(preview_url)).select("select")
    }
    assert client.post(preview_url, data={**form, "submit": "yes"}).status_code == 302
    return queued[-1]


@pytest.mark.parametrize("change", ["supplier added", "payments imported", "supplier renamed"])
def test_an_import_is_matched_again_when_the_register_changed_after_its_match(
    app: Flask,
    client: FlaskClient,
    two_bodies: dict,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    """A job matches the file before it takes the write lock; a change to the register in
    between is seen, not written over (a stale match would fail on the register's unique keys,
    or put payments on a supplier that has another name now)."""
    sign_in(client, "procurement.alpha-police@example.org")
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        supplier = register_suppliers.add_supplier(org=org, user=None, name="Old Name Ltd")
        db.session.commit()
        renamed_id, org_id = supplier.id, org.id
    job_id = _confirm_columns(app, client, queued)
    reached, go = _pause_at(monkeypatch, import_progress.WRITING)
    worker = _in_thread(app, job_id)
    try:
        assert reached.wait(WAIT)  # matched, its new suppliers' categories decided
        with app.app_context():
            org = organisations.get_organisation(slug="alpha-police")
            if change == "supplier added":
                register_suppliers.add_supplier(org=org, user=None, name="Acme Ltd")
            elif change == "payments imported":
                first_two = "\n".join(FILE.splitlines()[:3]) + "\n"
                importing.import_spend(
                    org=org, user=None, data=first_two.encode(), filename="a.csv"
                )
            else:  # the lead renames a supplier to the name the file pays
                supplier = db.session.get(Supplier, renamed_id)
                register_suppliers.update_supplier(
                    org=org,
                    supplier=supplier,
                    user=None,
                    expected_version=supplier.version_id,
                    name="Northern Couriers Ltd",
                    company_number=None,
                    category_id=None,
                    notes=None,
                )
            db.session.commit()
    finally:
        go.set()
        worker.join(WAIT)
    assert job_row(app, job_id).status is JobStatus.DONE
    with app.app_context():
        named = dict(
            db.session.execute(
                select(Supplier.name, func.count(SpendLine.id))
                .join(SpendLine, SpendLine.supplier_id == Supplier.id)
                .where(Supplier.organisation_id == org_id)
                .group_by(Supplier.name)
            ).all()
        )
        total = db.session.scalar(
            select(func.sum(SpendLine.__table__.c.amount_pence)).where(
                SpendLine.organisation_id == org_id
            )
        )
    # Every payment once, each business once, to the penny.
    assert named == {"Acme Ltd": 2, "Northern Couriers Ltd": 1}
    assert total == Decimal("400.00")


def test_the_register_state_changes_with_every_change_matching_reads(
    app: Flask, two_bodies: dict
) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        states = [register_state(organisation_id=org.id)]
        supplier = register_suppliers.add_supplier(org=org, user=None, name="Acme Ltd")
        db.session.commit()
        states.append(register_state(organisation_id=org.id))
        register_suppliers.update_supplier(
            org=org,
            supplier=supplier,
            user=None,
            expected_version=supplier.version_id,
            name="Acme Trading Ltd",
            company_number="01234567",
            category_id=None,
            notes=None,
        )
        db.session.commit()
        states.append(register_state(organisation_id=org.id))
        importing.import_spend(org=org, user=None, data=FILE.encode(), filename="a.csv")
        db.session.commit()
        states.append(register_state(organisation_id=org.id))
        other = organisations.get_organisation(slug="beta-opcc")
        importing.import_spend(org=other, user=None, data=FILE.encode(), filename="b.csv")
        db.session.commit()
        states.append(register_state(organisation_id=org.id))
    assert len(set(states[:4])) == 4  # each change is seen
    assert states[4] == states[3]  # another body's import is not this register's change
