"""CSRF on every POST, and security headers on every response."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Factory, make_app, page
from tisc.extensions import db
from tisc.models import Organisation, Role


@pytest.fixture
def csrf_client(app, factory: Factory):
    """A client of an app that shares the test database but has CSRF protection on."""
    factory.user("admin@example.org", Role.ADMIN)
    protected = make_app(
        WTF_CSRF_ENABLED=True, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    yield protected, protected.test_client()
    with protected.app_context():
        db.engine.dispose()


def _token(client: FlaskClient, url: str) -> str:
    return page(client.get(url)).select_one("input[name=csrf_token]")["value"]


def test_sign_in_without_a_token_is_refused(csrf_client) -> None:
    _, client = csrf_client
    response = client.post("/sign-in", data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_sign_in_with_a_token_works(csrf_client) -> None:
    _, client = csrf_client
    token = _token(client, "/sign-in")
    response = client.post(
        "/sign-in", data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_a_state_change_without_a_token_changes_nothing(csrf_client) -> None:
    app, client = csrf_client
    token = _token(client, "/sign-in")
    client.post(
        "/sign-in", data={"email": "admin@example.org", "password": PASSWORD, "csrf_token": token}
    )
    form = {"slug": "new-body", "name": "New Body", "kind": "force"}
    assert client.post("/admin/organisations/new", data=form).status_code == 400
    assert client.post("/sign-out").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0
    form["csrf_token"] = _token(client, "/admin/organisations/new")
    assert client.post("/admin/organisations/new", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


@pytest.mark.parametrize("url", ["/", "/sign-in", "/no-such-page", "/static/app.css"])
def test_security_headers_on_every_response(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # test config is plain HTTP
    response.close()


def test_the_inline_script_carries_the_nonce_of_its_response(client: FlaskClient) -> None:
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    scripts = page(response).select("script:not([src])")
    assert scripts and all(s.get("nonce") == nonce for s in scripts)
    assert (
        client.get("/").headers["Content-Security-Policy"]
        != response.headers["Content-Security-Policy"]
    )


def test_hsts_outside_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    response = make_app(TISC_ENV="production").test_client().get("/accessibility")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_are_not_cached(client: FlaskClient, factory: Factory) -> None:
    factory.user("admin@example.org", Role.ADMIN)
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    client.post("/sign-in", data={"email": "admin@example.org", "password": PASSWORD})
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client: FlaskClient, factory: Factory) -> None:
    factory.user("admin@example.org", Role.ADMIN)
    response = client.post("/sign-in", data={"email": "admin@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
