"""A new user creates their own password from a one-time link; nobody else types it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import page, sign_in
from tisc.extensions import db
from tisc.models import PasswordLink
from tisc.services.accounts import password_links, users

ADMIN = "admin@example.org"
NEW = {
    "email": "new.lead@example.org",
    "name": "Nia Lead",
    "role": "procurement",
    "scope": "organisation:beta-opcc",
}
GOOD = "meadow copper falcon quartz"


@dataclass
class Sent:
    to: str
    subject: str
    body: str


OUTBOX: list[Sent] = []


class CapturingMailer:
    """A mail backend for tests (MAIL_BACKEND "module:factory"): keeps what it sends."""

    name = "test"

    def send(self, *, to: str, subject: str, body: str) -> None:
        OUTBOX.append(Sent(to, subject, body))


@pytest.fixture
def outbox(app: Flask) -> list[Sent]:
    OUTBOX.clear()
    app.config["MAIL_BACKEND"] = f"{__name__}:CapturingMailer"
    return OUTBOX


def _title(response) -> str:
    return page(response).select_one("h1").get_text(strip=True)


def _errors(response) -> list[str]:
    return [li.get_text(strip=True) for li in page(response).select(".govuk-error-summary li")]


def _add_user(client: FlaskClient) -> str:
    """The admin adds NEW and gets the path of the one-time link."""
    response = client.post("/admin/users/new", data=NEW)
    assert response.status_code == 200, _errors(response)
    link = page(response).select_one("#password-link").get_text(strip=True)
    assert link.startswith("http://localhost/create-password/")
    return link.removeprefix("http://localhost")


def _create(client: FlaskClient, path: str, password: str = GOOD, again: str | None = None):
    return client.post(path, data={"password": password, "confirm_password": again or password})


def test_the_add_user_form_asks_for_no_password(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, ADMIN)
    form = page(client.get("/admin/users/new")).select_one("main form")
    assert form.select("input[type=password]") == []
    assert "Password" not in form.get_text()


def test_the_admin_sees_the_link_once_and_it_is_emailed(
    app: Flask, client: FlaskClient, two_bodies: dict, outbox: list[Sent]
) -> None:
    sign_in(client, ADMIN)
    response = client.post("/admin/users/new", data=NEW)
    shown = page(response)
    assert _title(response) == "Nia Lead has been added"
    link = shown.select_one("#password-link").get_text(strip=True)
    assert shown.select_one("button[data-copy-from=password-link]") is not None
    assert "Password link sent" in shown.select_one(".govuk-panel").get_text()
    assert [(m.to, m.subject) for m in outbox] == [
        ("new.lead@example.org", "Create your password for tisc")
    ]
    assert link in outbox[0].body
    # Only a fingerprint is kept: the link is nowhere in the database, nor on the user's page.
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasswordLink.token_hash)).all()
        user_id = users.find_user(email=NEW["email"]).id
    assert len(stored) == 1 and token not in stored[0]
    assert token not in client.get(f"/admin/users/{user_id}").get_data(as_text=True)


def test_without_email_the_admin_is_told_to_send_it(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, ADMIN)
    shown = page(client.post("/admin/users/new", data=NEW))
    assert shown.select_one(".govuk-panel") is None
    assert "Email is not set up" in shown.select_one("main").get_text()


def test_the_new_user_cannot_sign_in_before_creating_a_password(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    _add_user(client)
    client.post("/sign-out")
    for guess in ("", "!", GOOD):
        response = client.post("/sign-in", data={"email": NEW["email"], "password": guess})
        assert response.status_code == 200


def test_the_person_creates_a_password_and_signs_in_and_the_link_then_says_it_was_used(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    path = _add_user(client)
    person = app.test_client()
    opened = person.get(path)
    assert opened.status_code == 200 and _title(opened) == "Create a password"
    assert "12 characters or more" in page(opened).select_one("main").get_text()

    assert "Password must be 12 characters or more" in _errors(_create(person, path, "short"))
    assert "The passwords do not match" in _errors(_create(person, path, GOOD, GOOD + "x"))
    assert any("too easy to guess" in e for e in _errors(_create(person, path, "password" * 2)))

    created = _create(person, path)
    assert created.status_code == 302 and created.headers["Location"] == "/sign-in"
    banner = page(person.get("/sign-in")).select_one(".govuk-notification-banner")
    assert "Your password has been created" in banner.get_text()
    assert sign_in(person, NEW["email"], GOOD).status_code == 302
    assert person.get("/organisations/beta-opcc/suppliers").status_code == 200

    used = app.test_client().get(path)
    assert used.status_code == 410
    assert _title(used) == "This link has already been used"
    again = _create(app.test_client(), path, "another long pass phrase")
    assert again.status_code == 410 and _title(again) == "This link has already been used"
    assert sign_in(app.test_client(), NEW["email"], GOOD).status_code == 302


def test_an_expired_link_says_so_and_who_to_ask(app: Flask, two_bodies: dict) -> None:
    with app.test_request_context():
        user = users.find_user(email="viewer.alpha-police@example.org")
        _, token = password_links.issue_password_link(
            user=user, now=datetime.now(UTC) - timedelta(days=7, minutes=1)
        )
        db.session.commit()
    response = app.test_client().get(f"/create-password/{token}")
    assert response.status_code == 410
    assert _title(response) == "This link has expired"
    assert "Ask your administrator for a new one" in page(response).select_one("main").get_text()


def test_an_unknown_link_says_it_does_not_work(client: FlaskClient) -> None:
    for token in ("x" * 43, "not-a-token", "%00"):
        response = client.get(f"/create-password/{token}")
        assert response.status_code == 404
        assert _title(response) == "This link does not work"


def test_a_new_password_link_replaces_the_old_one_and_ends_sessions_when_used(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    viewer = app.test_client()
    sign_in(viewer, "viewer.alpha-police@example.org")
    sign_in(client, ADMIN)
    with app.app_context():
        user_id = users.find_user(email="viewer.alpha-police@example.org").id
    user_page = page(client.get(f"/admin/users/{user_id}"))
    assert user_page.select_one("form button, form input[type=submit]") is not None
    buttons = [b.get_text(strip=True) for b in user_page.select("main button")]
    assert "Send a new password link" in buttons

    def new_link() -> str:
        response = client.post(f"/admin/users/{user_id}/password-link")
        assert _title(response) == "A new password link for Test Person"
        return page(response).select_one("#password-link").get_text(strip=True)

    first = new_link().removeprefix("http://localhost")
    second = new_link().removeprefix("http://localhost")
    assert _title(app.test_client().get(first)) == "This link has expired"
    assert viewer.get("/organisations/alpha-police").status_code == 200  # not used yet
    assert _create(app.test_client(), second).status_code == 302
    assert viewer.get("/organisations/alpha-police").status_code == 302  # signed out


def test_the_link_page_is_never_cached_nor_sent_on_as_a_referrer(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, ADMIN)
    path = _add_user(client)
    client.post("/sign-out")
    for response in (client.get(path), client.get("/create-password/" + "x" * 43)):
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
