"""An uploaded file's name, whatever the browser sent, is kept clean and every download that
uses it answers with one well-formed Content-Disposition header (issue 14, item 4)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.conftest import attachment, page, sign_in
from tests.integration.test_imports import FILE_A
from tisc.extensions import db
from tisc.models import PendingUpload, SpendImport

LEAD = "procurement.alpha-police@example.org"
HOSTILE = 'a"b\r\nX-Evil: 1.csv'


def _upload_named(client: FlaskClient, name: str):
    """Upload FILE_A under `name`, spelt as RFC 7578 allows (filename*), so that any character
    at all, CR and LF included, reaches the app as a browser-supplied name."""
    boundary = "tisc-boundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="payments.csv"; '
        f"filename*=UTF-8''{quote(name, safe='')}\r\n"
        "Content-Type: text/csv\r\n\r\n"
        f"{FILE_A}\r\n--{boundary}--\r\n"
    ).encode()
    return client.post(
        "/organisations/alpha-police/imports/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _one_clean_attachment(response) -> str:
    """The file name of a 200 download with exactly one parsable, uninjected header."""
    response.close()
    assert response.status_code == 200
    assert len(response.headers.getlist("Content-Disposition")) == 1
    assert "X-Evil" not in response.headers
    header = response.headers["Content-Disposition"]
    assert header.isascii() and "\r" not in header and "\n" not in header
    disposition, params = attachment(response.headers)
    assert disposition == "attachment" and set(params) == {"filename"}
    return params["filename"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (HOSTILE, "ab X-Evil: 1.csv"),
        ("Taliadau Gŵyr 支払い.csv", "Taliadau Gŵyr 支払い.csv"),
        ('\r\n"\u202e"\t', "upload"),  # nothing left after cleaning
        ("../../secret\\payments.csv", "-..-secret-payments.csv"),
    ],
)
def test_every_download_named_after_an_upload_answers_200_with_one_clean_header(
    app: Flask, client: FlaskClient, two_bodies: dict, sent: str, kept: str
) -> None:
    sign_in(client, LEAD)
    uploaded = _upload_named(client, sent)
    assert uploaded.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PendingUpload.file_name)) == kept
    preview_url = uploaded.headers["Location"]
    preview = page(client.get(preview_url))
    problems = client.get(preview.select_one("a[href*='problems.csv']")["href"])
    assert _one_clean_attachment(problems) == f"problems-{kept.rsplit('.', 1)[0]}.csv"

    form = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in preview.select("select")
    }
    form["submit"] = "Import these payments"
    imported = client.post(preview_url, data=form)
    assert imported.status_code == 302
    detail = client.get(imported.headers["Location"])
    assert detail.status_code == 200
    assert kept in page(detail).select_one("h1").get_text()
    link = page(detail).select_one("a[href$='problems.csv']")["href"]
    assert _one_clean_attachment(client.get(link)) == f"problems-{kept.rsplit('.', 1)[0]}.csv"


def test_a_name_stored_before_names_were_cleaned_still_downloads(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, LEAD)
    preview_url = _upload_named(client, "payments.csv").headers["Location"]
    preview = page(client.get(preview_url))
    form = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in preview.select("select")
    }
    form["submit"] = "Import these payments"
    detail_url = client.post(preview_url, data=form).headers["Location"]
    with app.app_context():
        db.session.execute(update(SpendImport).values(file_name=HOSTILE))
        db.session.commit()
    link = page(client.get(detail_url)).select_one("a[href$='problems.csv']")["href"]
    assert _one_clean_attachment(client.get(link)) == "problems-ab X-Evil: 1.csv"


def test_a_name_that_is_not_ascii_has_an_ascii_stand_in_beside_it(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, LEAD)
    preview = page(client.get(_upload_named(client, "支払い.csv").headers["Location"]))
    problems = client.get(preview.select_one("a[href*='problems.csv']")["href"])
    assert _one_clean_attachment(problems) == "problems-支払い.csv"
    header = problems.headers["Content-Disposition"]
    assert "filename=problems-.csv;" in header
    assert "filename*=UTF-8''problems-%E6%94%AF%E6%89%95%E3%81%84.csv" in header
