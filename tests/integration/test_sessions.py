"""A sign-in ends on the server: when you sign out, after a spell idle, and after a day."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Factory, page, sign_in
from tisc.models import Role
from tisc.web import sessions

EMAIL = "admin@example.org"


class FakeClock:
    """Seconds since the epoch, moved on by the test instead of by sleeping."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, *, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(sessions, "now", fake)
    return fake


def _session_cookie(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_cookie_copied_before_signing_out_stops_working(
    app: Flask, client: FlaskClient, factory: Factory, clock: FakeClock
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    sign_in(client, EMAIL)
    assert client.get("/admin/users").status_code == 200
    copied = _session_cookie(app, client)

    client.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    assert _signed_out(thief.get("/admin/users"))


def test_signing_out_ends_the_other_sessions_too(
    app: Flask, client: FlaskClient, factory: Factory, clock: FakeClock
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    other_device = app.test_client()
    sign_in(client, EMAIL)
    sign_in(other_device, EMAIL)
    client.post("/sign-out")
    assert _signed_out(other_device.get("/admin/users"))
    assert sign_in(client, EMAIL).status_code == 302  # signing in again works
    assert client.get("/admin/users").status_code == 200


def test_a_session_left_idle_ends_with_a_message(
    app: Flask, client: FlaskClient, factory: Factory, clock: FakeClock
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    sign_in(client, EMAIL)
    clock.advance(minutes=29)
    assert client.get("/admin/users").status_code == 200  # each request starts the wait again
    clock.advance(minutes=29)
    assert client.get("/admin/users").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/admin/users")
    assert _signed_out(response) and "next=/admin/users" in response.headers["Location"]
    notice = page(client.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert notice is not None
    assert "had not used tisc for 30 minutes" in notice.get_text(" ", strip=True)
    # The session is gone, not merely hidden for one request.
    assert _signed_out(client.get("/admin/users"))


def test_the_idle_time_is_a_setting(
    factory: Factory, clock: FakeClock, app: Flask, client: FlaskClient
) -> None:
    app.config["SESSION_IDLE_MINUTES"] = 5
    factory.user(EMAIL, Role.ADMIN)
    sign_in(client, EMAIL)
    clock.advance(minutes=6)
    assert _signed_out(client.get("/admin/users"))


def test_a_busy_session_still_ends_after_the_session_lifetime(
    app: Flask, client: FlaskClient, factory: Factory, clock: FakeClock
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    sign_in(client, EMAIL)
    for _ in range(8 * 60 // 20):  # a request every 20 minutes for 8 hours
        clock.advance(minutes=20)
        client.get("/admin/")
    clock.advance(minutes=20)
    assert _signed_out(client.get("/admin/users"))
