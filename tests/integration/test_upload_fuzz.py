"""Uploads under attack: random and mangled files never get a server error, and hostile files
(bombs, disguises, macros, oversize, a million rows) are refused quickly with a message.

The fuzz tests drive both the upload page (upload, preview, confirm) and the import service
that `flask --app tisc import-spend` runs, on whichever database the suite runs on.
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import page, sign_in
from tests.integration import upload_support as files
from tests.integration.fuzz_files import ANY_FILE
from tisc.documents.spendfiles.columns import FIELD_MAX_LENGTHS
from tisc.extensions import db
from tisc.models import PendingUpload, SpendImport, SpendLine, Supplier
from tisc.rules.names import KEY_LENGTH
from tisc.services.accounts import organisations
from tisc.services.errors import ValidationError
from tisc.services.imports import importing as imports

UPLOAD = "/organisations/alpha-police/imports/new"
PROCUREMENT = "procurement.alpha-police@example.org"
REFUSAL_SECONDS = 2.0  # the bound for every hostile file
REFUSAL_MEMORY = 200 * 1024 * 1024
# One app (and database) serves every example of a test: what one example stores is just
# more register for the next, which is fine, as any state must be handled.
SHARED_APP = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def procurement(app: Flask, client: FlaskClient, two_bodies: dict) -> FlaskClient:
    assert sign_in(client, PROCUREMENT).status_code == 302
    return client


def post_file(client: FlaskClient, data: bytes, filename: str):
    # The body is encoded here in memory: the test client would spool a big one to a
    # temporary file that it never closes (a ResourceWarning, an error under this suite).
    upload = FileStorage(io.BytesIO(data), filename, content_type="application/octet-stream")
    boundary, body = encode_multipart({"file": upload})
    return client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def error_message(response) -> str:
    """The error summary's text on a form page ("" if there is none)."""
    summary = page(response).select_one(".govuk-error-summary .govuk-error-summary__body")
    return summary.get_text(" ", strip=True) if summary else ""


def counts(app: Flask) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (PendingUpload, SpendImport, SpendLine, Supplier)
        )


# --- the fuzz tests ----------------------------------------------------------------------------


@settings(max_examples=80, suppress_health_check=SHARED_APP)
@given(upload=ANY_FILE)
def test_any_upload_gets_a_page_with_a_message_never_an_error(
    app: Flask, procurement: FlaskClient, upload: tuple[bytes, str]
) -> None:
    data, name = upload
    response = post_file(procurement, data, name)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused: the upload page again, saying why
        assert error_message(response), "a refusal without a message"
        event("refused on upload")
        return
    preview_url = response.headers["Location"]
    preview = procurement.get(preview_url)
    assert preview.status_code == 200
    shown = page(preview)
    assert shown.select_one("h1").get_text(strip=True) == "Check the columns"
    if shown.select_one("button[name=submit], input[name=submit]") is None:
        event("previewed, nothing to import")
        return  # the page says which columns to choose, or why nothing can be imported
    form = {
        select["name"]: (select.select_one("option[selected]") or {}).get("value", "")
        for select in shown.select("form select")
    }
    confirmed = procurement.post(preview_url, data={**form, "submit": "Import these payments"})
    assert confirmed.status_code in (200, 302), confirmed.status_code
    event(f"confirmed: {confirmed.status_code}")
    if confirmed.status_code == 302:
        detail = page(procurement.get(confirmed.headers["Location"]))
        banner = detail.select_one(".govuk-notification-banner")
        assert banner is not None and banner.get_text(strip=True)
    else:
        assert error_message(confirmed) or page(confirmed).select_one(".govuk-error-summary")


@settings(max_examples=200, suppress_health_check=SHARED_APP)
@given(upload=ANY_FILE)
def test_the_import_service_imports_or_refuses_with_a_message(
    app: Flask, two_bodies: dict, upload: tuple[bytes, str]
) -> None:
    data, name = upload
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        try:
            summary = imports.import_spend(org=org, user=None, data=data, filename=name)
        except ValidationError as refused:
            db.session.rollback()
            assert refused.message.strip()
            event("refused: " + refused.message.split(" ", 1)[-1][:40])  # statistics
            return
        db.session.commit()  # an import that was accepted must also be stored
        event("imported")
        assert (
            summary.imported + summary.excluded + summary.rejected + summary.duplicates_skipped >= 1
        )
        assert summary.import_id is not None


def test_long_values_are_row_problems_not_database_errors(app: Flask, two_bodies: dict) -> None:
    # Found by the fuzzer on PostgreSQL: a 301-character name or a 101-character reference
    # reached the database and failed the whole import with a server error.
    body = (
        "Supplier Name,Payment Date,Net Amount,Transaction Number\n"
        + "S" * 301
        + ",01/04/2024,1.00,T1\n"
        + "Fine Ltd,01/04/2024,2.00,"
        + "R" * 101
        + "\n"
        + "Fine Ltd,01/04/2024,3.00,T3\n"
        + "&" * 300
        + ",01/04/2024,4.00,T4\n"
    )
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        summary = imports.import_spend(org=org, user=None, data=body.encode(), filename="l.csv")
        db.session.commit()
    assert (summary.imported, summary.rejected) == (2, 2)
    assert [(p.row, p.message) for p in summary.problems] == [
        (2, "The supplier name is longer than 300 characters"),
        (3, "The transaction reference is longer than 100 characters"),
    ]


def test_the_length_limits_are_the_register_columns_sizes() -> None:
    sized = {
        "supplier_name": Supplier.name,
        "reference": SpendLine.reference,
        "category_text": SpendLine.category_text,
        "company_number": Supplier.company_number,
        "vat_number": Supplier.vat_number,
        "charity_number": Supplier.charity_number,
        "cost_centre": SpendLine.cost_centre,
    }
    assert {name: column.type.length for name, column in sized.items()} == FIELD_MAX_LENGTHS
    assert Supplier.category_text.type.length >= FIELD_MAX_LENGTHS["category_text"]
    assert Supplier.normalised_name.type.length == KEY_LENGTH


def test_a_null_byte_deep_in_a_csv_is_refused_with_its_line(app: Flask, two_bodies: dict) -> None:
    body = b"Supplier Name,Payment Date,Net Amount\n" + b"Acme Ltd,01/04/2024,1.00\n" * 999
    body += b"Ac\x00me,01/04/2024,1.00\n"
    with app.app_context(), pytest.raises(ValidationError) as refused:
        imports.import_spend(
            org=organisations.get_organisation(slug="alpha-police"),
            user=None,
            data=body,
            filename="n.csv",
        )
    assert refused.value.message == (
        "n.csv has a null character on line 1,001, so it is damaged or not a CSV file: "
        "export it again from your finance system."
    )


def test_a_workbook_naming_a_far_row_or_column_is_refused_at_once(
    app: Flask, procurement: FlaskClient
) -> None:
    # openpyxl's own reader fills the gap up to the row a sheet names, and pads a row out to
    # its last column: a few bytes could make it loop for ever or take gigabytes. The reader
    # now (python-calamine) makes a dense grid of the sheet: it would allocate 512 GB for the
    # far corner and abort the whole process, so the sheet is measured first (sheetscan).
    def workbook(rows: bytes) -> bytes:
        sheet = (
            b"<worksheet " + files.MAIN_NS + b"><sheetData>" + rows + b"</sheetData></worksheet>"
        )
        return files.with_entries(files.small_workbook(), {"xl/worksheets/sheet1.xml": sheet})

    header = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Supplier Name</t></is></c></row>'
    far_row = workbook(header + b'<row r="2000000000"><c r="A2"><v>1</v></c></row>')
    wide = workbook(b'<row r="1"><c r="A1"><v>1</v></c><c r="ZZZ1"><v>1</v></c></row>')
    far_corner = workbook(header + b'<row r="2"><c r="XFD1048576"><v>1</v></c></row>')
    for data, message in (
        (far_row, "could not be read as an Excel workbook"),
        (wide, "more than 500 columns wide"),
        (far_corner, "more than 500 columns wide"),
    ):
        started = time.perf_counter()
        response = post_file(procurement, data, "far.xlsx")
        assert time.perf_counter() - started < REFUSAL_SECONDS
        assert message in error_message(response)


# --- hostile files ---------------------------------------------------------------------------

HOSTILE: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "zip bomb": (files.zip_bomb, "bomb.xlsx", "expands to far more data than a spend file holds"),
    "entity bomb in a sheet": (
        files.entity_bomb_in_sheet,
        "laughs.xlsx",
        "could not be read as an Excel workbook",
    ),
    "entity bomb in the shared strings": (
        files.entity_bomb_in_shared_strings,
        "laughs.xlsx",
        "could not be read as an Excel workbook",
    ),
    "picture named .xlsx": (files.png_bytes, "photo.xlsx", "is not an Excel .xlsx file"),
    "workbook with macros named .xlsm": (
        files.workbook_with_macros,
        "macro.xlsm",
        "contains macros",
    ),
    "workbook with macros named .xlsx": (
        files.workbook_with_macros,
        "macro.xlsx",
        "contains macros",
    ),
    "million-row CSV": (
        files.million_row_csv,
        "million.csv",
        "has more than 250,000 rows of spend, so split it into smaller files",
    ),
    "million-row workbook": (
        files.million_row_xlsx,
        "million.xlsx",
        "has more than 250,000 rows of spend, so split it into smaller files",
    ),
}


def measured_post(client: FlaskClient, data: bytes, filename: str):
    """The response, the seconds it took, and the peak memory Python allocated for it.

    The page is warmed first (a new app compiles its templates on first use, which a running
    server has long done), then timed, then posted again under tracemalloc, which slows
    Python down and so must not be timed.
    """
    post_file(client, b"", "warm.csv")
    started = time.perf_counter()
    response = post_file(client, data, filename)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        again = post_file(client, data, filename)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert again.status_code == response.status_code
    return response, seconds, peak


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_files_are_refused_quickly_with_a_message(
    app: Flask, procurement: FlaskClient, kind: str, capsys: pytest.CaptureFixture
) -> None:
    make, filename, message = HOSTILE[kind]
    data = make()
    assert len(data) < app.config["MAX_CONTENT_LENGTH"]  # the upload limit is not what stops it
    before = counts(app)
    response, seconds, peak = measured_post(procurement, data, filename)
    assert response.status_code == 200
    assert message in error_message(response)
    assert page(response).select_one("title").get_text().startswith("Error: ")
    assert seconds < REFUSAL_SECONDS, f"{kind}: refused in {seconds:.2f} s"
    assert peak < REFUSAL_MEMORY, f"{kind}: {peak / 2**20:.0f} MB"
    assert counts(app) == before  # nothing stored, not even the pending upload
    with capsys.disabled():
        print(f"\n  {kind}: {len(data):,} bytes, {seconds:.3f} s, peak {peak / 2**20:.1f} MB")


def test_a_file_over_the_size_limit_gets_the_file_too_large_page(
    app: Flask, procurement: FlaskClient, capsys: pytest.CaptureFixture
) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 20 * 1024 * 1024  # the real setting, not a test's
    data = files.oversized_csv(limit + 1)
    before = counts(app)
    response, seconds, peak = measured_post(procurement, data, "big.csv")
    assert response.status_code == 413
    shown = page(response)
    assert shown.select_one("h1").get_text(strip=True) == "The file is too large"
    assert "smaller than 20 MB" in shown.select_one("main").get_text(" ", strip=True)
    assert shown.select_one("footer.govuk-footer") is not None  # the service's own layout
    assert seconds < REFUSAL_SECONDS and peak < REFUSAL_MEMORY
    assert counts(app) == before
    with capsys.disabled():
        print(f"\n  too large: {len(data):,} bytes, {seconds:.3f} s, peak {peak / 2**20:.1f} MB")


def test_the_command_line_limit_still_takes_a_million_rows(app: Flask, two_bodies: dict) -> None:
    # The upload limit is the browser's: import-spend reads up to MAX_IMPORT_ROWS.
    assert app.config["MAX_IMPORT_ROWS"] >= files.ONE_MILLION
    with app.app_context():
        table = imports.read_spend_file(data=files.million_row_csv(), filename="m.csv")
    assert len(table.rows) == files.ONE_MILLION
