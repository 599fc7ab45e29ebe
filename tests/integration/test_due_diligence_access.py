"""Tenancy and roles on every due-diligence route: 404 for another body's records, 403 for
read-only roles on every change, and nothing changed either way."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.integration.due_diligence_support import SLUG, A, build_year, snapshot
from tests.integration.register_support import as_user, supplier_id
from tisc.extensions import db
from tisc.models import ContractReview, SubSupplier


@dataclass(frozen=True)
class Ids:
    supplier: int
    sub_supplier: int
    review: int


def _ids(app: Flask, slug: str, name: str) -> Ids:
    sid = supplier_id(app, slug, name)
    with app.app_context():
        sub = db.session.scalar(select(SubSupplier.id).where(SubSupplier.supplier_id == sid))
        review = db.session.scalar(
            select(ContractReview.id)
            .where(ContractReview.supplier_id == sid, ContractReview.financial_year == 2024)
            .limit(1)
        )
    return Ids(sid, sub, review)


@pytest.fixture
def records(app: Flask, two_bodies: dict) -> dict[str, Ids]:
    build_year(app)
    return {
        "alpha": _ids(app, "alpha-police", "Clean A1 Ltd"),
        "beta": _ids(app, "beta-opcc", "Beta Clean Ltd"),
        "from_assessment": _ids(app, "alpha-police", "Clean A2 Ltd"),
    }


RECORD = {"guidance_sent_on": ["1", "6", "2024"], "guidance_method": "email", "version": "1"}
SUB = {"name": "Taken Over", "tier": "2", "country": "UK", "supplies": "Mops", "version": "1"}
REVIEW = {"reviewed_on": ["1", "6", "2024"], "modern_slavery_discussed": "no", "version": "1"}
REMOVE = {"version": "1"}


def _routes(supplier: int, sub: int, review: int) -> list[tuple[str, str, dict | None]]:
    """Every due-diligence route for one supplier's year, with form data for the POSTs."""
    base = f"{A}/suppliers/{supplier}/due-diligence/{SLUG}"
    pages = [
        (f"{base}/guidance-and-plan", RECORD),
        (f"{base}/sub-suppliers/new", SUB),
        (f"{base}/sub-suppliers/{sub}", SUB),
        (f"{base}/sub-suppliers/{sub}/remove", REMOVE),
        (f"{base}/contract-reviews/new", REVIEW),
        (f"{base}/contract-reviews/{review}", REVIEW),
        (f"{base}/contract-reviews/{review}/remove", REMOVE),
    ]
    return [("GET", base, None)] + [
        (method, url, data if method == "POST" else None)
        for url, data in pages
        for method in ("GET", "POST")
    ]


def _send(client: FlaskClient, method: str, url: str, data: dict | None):
    return client.get(url) if method == "GET" else client.post(url, data=data)


def test_another_bodys_records_answer_404_and_nothing_changes(
    app: Flask, records: dict[str, Ids]
) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    own, other = records["alpha"], records["beta"]
    before = snapshot(app)
    requests = _routes(other.supplier, other.sub_supplier, other.review)
    # Alpha's own supplier with beta's sub-supplier and contract review.
    requests += [
        r
        for r in _routes(own.supplier, other.sub_supplier, other.review)
        if f"/sub-suppliers/{other.sub_supplier}" in r[1]
        or f"/contract-reviews/{other.review}" in r[1]
    ]
    assert len(requests) == 15 + 8
    for method, url, data in requests:
        response = _send(client, method, url, data)
        assert response.status_code == 404, (method, url)
        assert "Beta Clean" not in response.get_data(as_text=True), (method, url)
    assert snapshot(app) == before
    # Beta's records under beta's own address are not reachable by alpha's users either.
    assert client.get(f"/organisations/beta-opcc/due-diligence?year={SLUG}").status_code == 404
    beta = f"/organisations/beta-opcc/suppliers/{other.supplier}/due-diligence/{SLUG}"
    assert client.get(beta).status_code == 404
    assert client.post(f"{beta}/guidance-and-plan", data=RECORD).status_code == 404
    assert client.get("/organisations/beta-opcc/due-diligence/export.xlsx").status_code == 404
    assert snapshot(app) == before


def test_a_sub_supplier_from_an_assessment_cannot_be_changed_here(
    app: Flask, records: dict[str, Ids]
) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    found = records["from_assessment"]
    base = f"{A}/suppliers/{found.supplier}/due-diligence/{SLUG}/sub-suppliers/{found.sub_supplier}"
    before = snapshot(app)
    for method, url, data in [
        ("GET", base, None),
        ("POST", base, SUB),
        ("POST", f"{base}/remove", REMOVE),
    ]:
        assert _send(client, method, url, data).status_code == 404, (method, url)
    assert snapshot(app) == before


def test_unreadable_years_are_not_found(app: Flask, records: dict[str, Ids]) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    base = f"{A}/suppliers/{records['alpha'].supplier}/due-diligence"
    for year in ("2024-26", "nonsense", "1990-91", "2999-00"):
        assert client.get(f"{base}/{year}").status_code == 404, year
    assert client.get(f"{base}/{SLUG}").status_code == 200


@pytest.mark.parametrize(
    "email",
    [
        "viewer.alpha-police@example.org",
        "statement.alpha-police@example.org",
        "board@example.org",
        "coordinator@example.org",
    ],
)
def test_read_only_roles_get_403_on_every_change_and_nothing_changes(
    app: Flask, records: dict[str, Ids], email: str
) -> None:
    client = as_user(app, email)
    own = records["alpha"]
    before = snapshot(app)
    routes = _routes(own.supplier, own.sub_supplier, own.review)
    for method, url, data in routes[1:]:
        assert _send(client, method, url, data).status_code == 403, (method, url)
    assert snapshot(app) == before
    # They still read the list, the supplier's year and the export.
    assert client.get(routes[0][1]).status_code == 200
    assert client.get(f"{A}/due-diligence?year={SLUG}").status_code == 200
    assert client.get(f"{A}/due-diligence/export.xlsx?year={SLUG}").status_code == 200


def test_bodies_outside_a_users_reach_answer_404(app: Flask, records: dict[str, Ids]) -> None:
    outsider = as_user(app, "procurement.gamma-police@example.org")
    own = records["alpha"]
    for method, url, data in _routes(own.supplier, own.sub_supplier, own.review):
        assert _send(outsider, method, url, data).status_code == 404, (method, url)
    assert outsider.get(f"{A}/due-diligence").status_code == 404
    assert outsider.get(f"{A}/due-diligence/export.xlsx?year={SLUG}").status_code == 404


def test_the_partnership_export_is_for_the_partnership_only(
    app: Flask, records: dict[str, Ids]
) -> None:
    url = f"/partnerships/north-east/due-diligence/export.xlsx?year={SLUG}"
    for email in ("coordinator@example.org", "board@example.org"):
        assert as_user(app, email).get(url).status_code == 200, email
    for email in ("procurement.alpha-police@example.org", "viewer.gamma-police@example.org"):
        assert as_user(app, email).get(url).status_code == 404, email
    elsewhere = "/partnerships/elsewhere/due-diligence/export.xlsx?year=2024-25"
    assert as_user(app, "coordinator@example.org").get(elsewhere).status_code == 404
