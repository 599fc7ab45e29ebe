"""The shared view helpers of tisc.web, through the pages that use them: the <year:…> converter,
downloads with any file name, the one version parser and save-or-roll-back."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.exceptions import NotFound

from tests.conftest import attachment, make_app, page, sign_in
from tests.integration.stale_cases import CONFLICT
from tests.integration.test_imports import FILE_A, upload
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations
from tisc.web.navigation import NAVIGATION
from tisc.web.saving import NOT_A_VERSION, expected_version

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


# --- one version parser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "read"),
    [("3", 3), ("0", 0)]
    + [(sent, NOT_A_VERSION) for sent in ("", None, "abc", "-1", " 3", "3.0", "²")],
)
def test_a_version_is_ascii_digits_or_matches_no_record(sent: str | None, read: int) -> None:
    assert expected_version(SimpleNamespace(version=SimpleNamespace(data=sent))) == read


@pytest.mark.parametrize("version", ["", "abc", "²", "99999999999999999999999"])
def test_a_missing_or_malformed_version_is_refused_as_stale_not_an_error(
    app: Flask, client: FlaskClient, two_bodies: dict, version: str
) -> None:
    sign_in(client, "admin@example.org")
    data = {"name": "Alpha Constabulary", "kind": "force", "version": version}
    response = client.post("/admin/organisations/alpha-police/edit", data=data)
    assert response.status_code == 200
    errors = [li.get_text(strip=True) for li in page(response).select(".govuk-error-summary li")]
    assert any(CONFLICT.search(error) for error in errors), errors
    with app.app_context():
        assert organisations.get_organisation(slug="alpha-police").name == "Alpha Police"


# --- the <year:…> converter ---------------------------------------------------------------------

YEAR_PAGE = "/organisations/alpha-police/suppliers/1/due-diligence/{}"


@pytest.mark.parametrize("text", ["2024-25", "2024-2025", "2000-01"])
def test_the_year_converter_reads_a_financial_year_the_service_keeps(text: str) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    endpoint, values = app.url_map.bind("").match(YEAR_PAGE.format(text))
    assert endpoint == "due_diligence.supplier_year"
    assert values["year_slug"] == FinancialYear(int(text[:4]))


@pytest.mark.parametrize("text", ["2024-26", "9999-00", "1999-00", "soon", "2024_25", "2024"])
def test_any_other_year_in_an_address_is_no_such_page(text: str) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    with pytest.raises(NotFound):
        app.url_map.bind("").match(YEAR_PAGE.format(text))


def test_the_year_converter_builds_the_same_address_from_a_year_its_number_or_its_slug() -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.test_request_context():
        built = {
            url_for(
                "due_diligence.supplier_year", org_slug="alpha-police", supplier_id=1, year_slug=y
            )
            for y in (FinancialYear(2024), 2024, "2024-25")
        }
    assert built == {YEAR_PAGE.format("2024-25")}


# --- the navigation's data ----------------------------------------------------------------------


def test_every_navigation_link_goes_to_a_page_and_is_current_on_some() -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    endpoints = set(app.view_functions)
    for item in NAVIGATION:
        assert item.endpoint in endpoints, item
        assert item.endpoint.startswith(item.current_on), item
        for prefix in item.current_on:
            assert any(e.startswith(prefix) for e in endpoints), (item.text, prefix)
