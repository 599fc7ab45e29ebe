"""The shared view helpers of tisc.web, through the pages that use them: the <year:…> converter,
downloads with any file name, the one version parser and save-or-roll-back."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import attachment, page, sign_in
from tests.integration.test_imports import FILE_A, upload

# A name no hand-built header survives: Welsh letters beyond Latin-1 and a semicolon.
AWKWARD = "Taliadau Gŵyr; Ynys Môn, café.csv"


def test_a_download_with_any_file_name_gets_a_header_every_browser_reads(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    uploaded = upload(client, FILE_A, name=AWKWARD)
    assert uploaded.status_code == 302
    preview = page(client.get(uploaded.headers["Location"]))
    problems = client.get(preview.select_one("a[href*='problems.csv']")["href"])
    problems.close()
    assert problems.status_code == 200
    expected = "problems-" + AWKWARD
    assert attachment(problems.headers) == ("attachment", {"filename": expected})
    header = problems.headers["Content-Disposition"]
    # RFC 6266: the real name as UTF-8 in filename*, and an ASCII stand-in for old browsers.
    quoted = "Taliadau%20G%C5%B5yr%3B%20Ynys%20M%C3%B4n%2C%20caf%C3%A9.csv"
    assert f"filename*=UTF-8''problems-{quoted}" in header
    assert header.isascii()
