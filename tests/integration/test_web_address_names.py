"""An organisation's or partnership's web address name is made from its name, never "slug"."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import page, sign_in
from tisc.services.accounts import organisations

ADMIN = "admin@example.org"


def test_the_form_asks_for_the_name_first_and_explains_the_web_address_name(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    for url, example in (
        ("/admin/organisations/new", "/organisations/west-yorkshire-police"),
        ("/admin/partnerships/new", "/partnerships/north-east"),
    ):
        form = page(client.get(url)).select_one("main form")
        names = [i["name"] for i in form.select("input[type=text]")]
        assert names[:2] == ["name", "slug"]
        assert form.select_one("label[for=slug]").get_text(strip=True) == (
            "Web address name (optional)"
        )
        assert f"Used in web addresses, like {example}" in form.select_one("#slug-hint").get_text()
        assert form.select_one("#slug")["data-web-address-from"] == "name"


def test_no_page_says_slug(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, ADMIN)
    for url in (
        "/admin/organisations/new",
        "/admin/organisations",
        "/admin/organisations/alpha-police/edit",
        "/admin/partnerships/new",
        "/admin/partnerships",
        "/admin/partnerships/north-east/edit",
        "/admin/organisations/no-such-body/edit",
    ):
        text = page(client.get(url)).get_text(" ").lower()
        assert "slug" not in text, url
    refused = client.post(
        "/admin/organisations/new", data={"name": "X", "slug": "Not Valid", "kind": "force"}
    )
    assert "slug" not in page(refused).get_text(" ").lower()


def test_an_empty_web_address_name_is_made_from_the_name(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    response = client.post(
        "/admin/organisations/new",
        data={"name": "Ça Police & Crime Commissioner", "slug": "", "kind": "commissioner"},
    )
    assert response.status_code == 302
    response = client.post("/admin/partnerships/new", data={"name": "North West", "slug": ""})
    assert response.headers["Location"] == "/admin/partnerships/north-west/edit"
    with app.app_context():
        org = organisations.get_organisation(slug="ca-police-and-crime-commissioner")
        assert org.name == "Ça Police & Crime Commissioner"


def test_a_web_address_name_typed_by_hand_is_kept(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    client.post(
        "/admin/organisations/new", data={"name": "Delta Police", "slug": "delta", "kind": "force"}
    )
    with app.app_context():
        assert organisations.get_organisation(slug="delta").name == "Delta Police"


def test_a_name_that_makes_a_taken_web_address_name_is_refused_in_words(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    response = client.post(
        "/admin/organisations/new", data={"name": "Alpha Police", "slug": "", "kind": "force"}
    )
    errors = [li.get_text(strip=True) for li in page(response).select(".govuk-error-summary li")]
    assert errors == [
        "An organisation with the web address name 'alpha-police' already exists: "
        "enter a different web address name"
    ]
    assert page(response).select_one(".govuk-error-summary a")["href"] == "#slug"
