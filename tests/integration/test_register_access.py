"""Tenancy and roles on register routes: 404 for another body's records, 403 for read-only roles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import page
from tests.integration.register_support import (
    UNKNOWN_TEXT,
    Pay,
    as_user,
    category_id,
    import_payments,
    snapshot,
    supplier_id,
)

A = "/organisations/alpha-police"
CONTRACT = {
    "title": "Changed",
    "start_date": ["1", "4", "2024"],
    "end_date": ["31", "3", "2025"],
    "annual_value": "99999.99",
    "category_id": "",
    "version": "1",
}


@dataclass(frozen=True)
class Ids:
    supplier: int
    other_supplier: int
    contract: int
    import_id: int
    mapping: int


def _records(app: Flask, slug: str, email: str) -> Ids:
    """A body's suppliers, a contract, an import and a mapping, made as its procurement user."""
    summary = import_payments(
        app,
        slug,
        Pay(f"{slug} Supplier Ltd", "2024-05-01", "100.00", UNKNOWN_TEXT),
        Pay(f"{slug} Other Ltd", "2024-05-01", "5.00"),
        filename=f"{slug}.csv",
    )
    sid = supplier_id(app, slug, f"{slug} Supplier Ltd")
    client = as_user(app, email)
    url = f"/organisations/{slug}/suppliers/{sid}"
    assert client.post(f"{url}/contracts/new", data=CONTRACT).status_code == 302
    contract = page(client.get(url)).select_one("main table a[href*='/contracts/']")["href"]
    mapped = client.post(
        f"/organisations/{slug}/finance-categories",
        data={
            "category_text": UNKNOWN_TEXT,
            "category_id": str(category_id(app, "Waste and recycling")),
        },
    )
    assert mapped.status_code == 302
    html = page(client.get(f"/organisations/{slug}/finance-categories"))
    mapping = html.select_one("main table a[href*='/remove']")["href"].split("/")[-2]
    return Ids(
        supplier=sid,
        other_supplier=supplier_id(app, slug, f"{slug} Other Ltd"),
        contract=int(contract.rsplit("/", 1)[1]),
        import_id=summary.import_id,
        mapping=int(mapping),
    )


@pytest.fixture
def records(app: Flask, two_bodies: dict) -> dict[str, Ids]:
    return {
        "alpha": _records(app, "alpha-police", "procurement.alpha-police@example.org"),
        "beta": _records(app, "beta-opcc", "procurement.beta-opcc@example.org"),
    }


def _requests(own: Ids, other: Ids) -> list[tuple[str, str, dict | None]]:
    """Every supplier, contract, import and mapping route, aimed at another body's records."""
    s = f"{A}/suppliers/{other.supplier}"
    mine = f"{A}/suppliers/{own.supplier}"
    edit = {"name": "Taken Over Ltd", "category_id": "", "version": "1"}
    return [
        ("GET", s, None),
        ("GET", f"{s}/edit", None),
        ("POST", f"{s}/edit", edit),
        ("POST", f"{s}/archive", {"archived": "yes", "confirmed": "yes"}),
        ("GET", f"{s}/archive", None),
        ("POST", f"{s}/reviewed", {}),
        ("GET", f"{s}/contracts/new", None),
        ("POST", f"{s}/contracts/new", CONTRACT),
        ("GET", f"{s}/contracts/{other.contract}", None),
        ("POST", f"{s}/contracts/{other.contract}", CONTRACT),
        ("GET", f"{mine}/contracts/{other.contract}", None),
        ("POST", f"{mine}/contracts/{other.contract}", CONTRACT),
        ("POST", f"{A}/suppliers/merge", {"keep": own.supplier, "merge": other.supplier}),
        ("POST", f"{A}/suppliers/merge", {"keep": other.supplier, "merge": own.supplier}),
        ("GET", f"{A}/imports/{other.import_id}", None),
        ("GET", f"{A}/imports/{other.import_id}/problems.csv", None),
        ("POST", f"{A}/imports/{other.import_id}/undo", {}),
        ("POST", f"{A}/finance-categories/{other.mapping}/remove", {"confirmed": "yes"}),
        ("GET", f"{A}/finance-categories/{other.mapping}/remove", None),
    ]


def _send(client: FlaskClient, method: str, url: str, data: dict | None):
    return client.get(url) if method == "GET" else client.post(url, data=data)


def test_another_bodys_records_answer_404_and_nothing_changes(
    app: Flask, records: dict[str, Ids]
) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    for method, url, data in _requests(records["alpha"], records["beta"]):
        response = _send(client, method, url, data)
        assert response.status_code == 404, (method, url)
        assert "beta-opcc" not in response.get_data(as_text=True), (method, url)
    assert snapshot(app) == before
    # The same records under their own body's address are not reachable either.
    beta = f"/organisations/beta-opcc/suppliers/{records['beta'].supplier}"
    assert client.get(beta).status_code == 404
    assert client.post(f"{beta}/archive", data={"archived": "yes"}).status_code == 404
    assert snapshot(app) == before


def _manage_requests(own: Ids) -> list[tuple[str, str, dict | None]]:
    s = f"{A}/suppliers/{own.supplier}"
    edit = {"name": "Renamed Ltd", "category_id": "", "version": "1"}
    return [
        ("GET", f"{A}/suppliers/new", None),
        ("POST", f"{A}/suppliers/new", {"name": "Brand New Ltd", "category_id": ""}),
        ("GET", f"{s}/edit", None),
        ("POST", f"{s}/edit", edit),
        ("POST", f"{s}/archive", {"archived": "yes", "confirmed": "yes"}),
        ("GET", f"{s}/archive", None),
        ("POST", f"{s}/reviewed", {}),
        ("GET", f"{s}/contracts/new", None),
        ("POST", f"{s}/contracts/new", CONTRACT),
        ("GET", f"{s}/contracts/{own.contract}", None),
        ("POST", f"{s}/contracts/{own.contract}", CONTRACT),
        ("POST", f"{A}/suppliers/merge", {"keep": own.supplier, "merge": own.other_supplier}),
        ("POST", f"{A}/imports/{own.import_id}/undo", {}),
        ("POST", f"{A}/finance-categories", {"category_text": "X", "category_id": "1"}),
        ("POST", f"{A}/finance-categories/{own.mapping}/remove", {"confirmed": "yes"}),
        ("GET", f"{A}/finance-categories/{own.mapping}/remove", None),
    ]


@pytest.mark.parametrize(
    "email",
    [
        "viewer.alpha-police@example.org",
        "statement.alpha-police@example.org",
        "board@example.org",
        "coordinator@example.org",
    ],
)
def test_read_only_roles_get_403_on_every_register_change_and_nothing_changes(
    app: Flask, records: dict[str, Ids], email: str
) -> None:
    client = as_user(app, email)
    before = snapshot(app)
    for method, url, data in _manage_requests(records["alpha"]):
        assert _send(client, method, url, data).status_code == 403, (method, url)
    assert snapshot(app) == before
    # They still read the register and the supplier.
    assert client.get(f"{A}/suppliers/{records['alpha'].supplier}").status_code == 200
    assert client.get(f"{A}/finance-categories").status_code == 200
    assert client.get(f"{A}/suppliers/duplicates").status_code == 200
