"""CSRF on every POST, and security headers on every response: pages, downloads, the
supplier's link pages and every error page (400, 403, 404, 405, 413, 429, 500).

tests/integration/test_csrf_everywhere.py walks every POST route with CSRF protection on.
"""

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Factory, make_app, page, sign_in
from tests.integration.matrix_world import build_world
from tests.integration.security_support import (
    PROCUREMENT,
    client_for,
    url_for_rule,
    who_may_use,
)
from tisc.extensions import db
from tisc.models import Organisation, Role
from tisc.web.access import access_rule_of, public

ROOT = Path(__file__).resolve().parents[2]


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


# --- every header on every response -----------------------------------------------------------

REFERRER_POLICIES = {"strict-origin-when-cross-origin", "no-referrer"}
ERROR_HEADING = {
    400: "Sorry, there is a problem with your request",
    403: "You do not have permission to do this",
    404: "Page not found",
    405: "Sorry, there is a problem with your request",
    413: "The file is too large",
    429: "Too many requests",
    500: "Sorry, there is a problem with the service",
}
# What the CSP would block in a page: inline style attributes and inline event handlers.
EVENT_HANDLER = re.compile(r"^on[a-z]+$")


def csp_directives(response: Any) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def header_problems(response: Any, *, no_store: bool) -> list[str]:
    """What is missing or weak in the response's security headers; for an HTML page, what in
    it the CSP would block (an inline script without this response's nonce, a style attribute,
    an inline event handler, a javascript: link)."""
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    directives = csp_directives(response) if policy else {}
    found = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]{16,})'", directives.get("script-src", ""))
    if "unsafe-inline" in policy or "unsafe-eval" in policy or found is None:
        problems.append(f"script-src: {directives.get('script-src')!r}")
    expected = {
        "default-src": "'self'",
        "style-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    problems += [
        f"{k}: {directives.get(k)!r}" for k, v in expected.items() if directives.get(k) != v
    ]
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options DENY")
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {response.headers.get('Referrer-Policy')!r}")
    if no_store and response.headers.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control {response.headers.get('Cache-Control')!r}")
    if response.mimetype == "text/html" and found is not None and response.status_code != 302:
        html = page(response)
        inline = html.select("script:not([src])")
        if not inline:
            problems.append("no inline script: is the nonce check reaching the layout?")
        problems += [
            f"inline script without the nonce: {s.get('nonce')!r}"
            for s in inline
            if s.get("nonce") != found.group(1)
        ]
        for tag in html.find_all(True):
            for name, value in tag.attrs.items():
                if name == "style" or EVENT_HANDLER.match(name):
                    problems.append(f"<{tag.name} {name}=...>")
                elif name in ("href", "src", "action") and str(value).strip().lower().startswith(
                    "javascript:"
                ):
                    problems.append(f"<{tag.name} {name}={value}>")
    response.close()
    return problems


@contextmanager
def another_app(app: Flask, **config: Any) -> Iterator[Flask]:
    """A second app on the test database with other settings."""
    other = make_app(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **config)
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


def _check_error(response: Any, status: int, *, no_store: bool) -> None:
    assert response.status_code == status
    heading = page(response).select_one("h1").get_text(strip=True)
    assert heading == ERROR_HEADING[status]
    assert header_problems(response, no_store=no_store) == [], status


def test_not_found_forbidden_and_wrong_method_pages_carry_every_header(
    app: Flask, two_bodies: dict
) -> None:
    visitor = app.test_client()
    _check_error(visitor.get("/no-such-page"), 404, no_store=False)
    _check_error(visitor.get("/sign-out"), 405, no_store=False)
    viewer = app.test_client()
    sign_in(viewer, "viewer.alpha-police@example.org")
    _check_error(viewer.get("/admin/"), 403, no_store=True)
    _check_error(viewer.get("/organisations/gamma-police/suppliers"), 404, no_store=True)
    _check_error(viewer.get("/sign-out"), 405, no_store=True)


def test_a_refused_csrf_token_and_a_body_over_the_limit_carry_every_header(
    app: Flask, two_bodies: dict
) -> None:
    """Both are refused before the view by Flask-WTF's before_request hook: the page still
    has a nonce its inline script carries."""
    with another_app(app, WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=2000) as protected:
        visitor = protected.test_client()
        _check_error(visitor.post("/sign-in", data={"email": "x"}), 400, no_store=False)
        _check_error(visitor.post("/sign-in", data={"email": "x" * 5000}), 413, no_store=False)
        signed_in = protected.test_client()
        token = page(signed_in.get("/sign-in")).select_one("input[name=csrf_token]")["value"]
        signed_in.post(
            "/sign-in", data={"email": PROCUREMENT, "password": PASSWORD, "csrf_token": token}
        )
        _check_error(signed_in.post("/sign-out"), 400, no_store=True)
        _check_error(signed_in.post("/sign-out", data={"x": "y" * 5000}), 413, no_store=True)


def test_a_file_over_the_limit_carries_every_header(app: Flask, two_bodies: dict) -> None:
    with another_app(app, MAX_CONTENT_LENGTH=2000) as small:
        client = small.test_client()
        sign_in(client, PROCUREMENT)
        response = client.post(
            "/organisations/alpha-police/imports/new",
            data={"file": (io.BytesIO(b"a,b\n" * 2000), "big.csv")},
            content_type="multipart/form-data",
        )
        _check_error(response, 413, no_store=True)


def test_too_many_requests_carry_every_header(app: Flask, two_bodies: dict) -> None:
    with another_app(app, LOGIN_MAX_FAILURES=1) as strict:
        client = strict.test_client()
        wrong = {"email": PROCUREMENT, "password": "not the password at all"}
        assert client.post("/sign-in", data=wrong).status_code == 200
        response = client.post("/sign-in", data=wrong)
        assert response.status_code == 429
        assert header_problems(response, no_store=False) == []
        bad_link = "/respond/" + "x" * 43
        for _ in range(2):
            assert client.get(bad_link).status_code == 404
        response = client.get(bad_link)
        _check_error(response, 429, no_store=True)
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_an_unexpected_error_carries_every_header(
    app: Flask, two_bodies: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    with another_app(app) as broken:

        @broken.get("/test-only/boom")
        @public
        def boom() -> str:
            raise RuntimeError("a bug")

        visitor = broken.test_client()
        _check_error(visitor.get("/test-only/boom"), 500, no_store=False)
        signed_in = broken.test_client()
        sign_in(signed_in, PROCUREMENT)
        _check_error(signed_in.get("/test-only/boom"), 500, no_store=True)

        def failing(**_: Any) -> None:
            raise RuntimeError("the database went away")

        monkeypatch.setattr("tisc.views.main.user_organisations", failing)
        response = signed_in.get("/")
        _check_error(response, 500, no_store=True)


@pytest.mark.parametrize(
    ("url", "status"),
    [("/accessibility", 200), ("/no-such-page", 404), ("/sign-out", 405), ("/static/app.css", 200)],
)
def test_hsts_on_every_response_in_production(
    monkeypatch: pytest.MonkeyPatch, url: str, status: int
) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    production = make_app(TISC_ENV="production")
    assert production.config["TISC_ENV"] == "production"
    response = production.test_client().get(url)
    assert response.status_code == status
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert header_problems(response, no_store=False) == []


def test_no_hsts_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TISC_ENV", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    development = make_app(TISC_ENV="development")
    assert "Strict-Transport-Security" not in development.test_client().get("/").headers


def test_every_page_and_download_carries_every_header(app: Flask) -> None:
    """Every GET route of the url_map, for someone it serves: the headers, no-store whenever
    someone is signed in or holds a supplier link, and nothing inline the CSP would block."""
    world = build_world(app)
    clients: dict[str, FlaskClient] = {}
    problems, seen = [], set()
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods]
    for rule in sorted(rules, key=lambda r: r.rule):
        who = who_may_use(rule, access_rule_of(app.view_functions[rule.endpoint]))
        looks = [who] if who != "anonymous" or rule.endpoint == "static" else [who, PROCUREMENT]
        for person in looks:
            if person not in clients:
                clients[person] = client_for(app, person, world)
            response = clients[person].get(url_for_rule(app, rule, world))
            seen.add((response.status_code, response.mimetype))
            if response.status_code not in (200, 302):
                problems.append(f"{rule.rule} ({person}): {response.status_code}")
            no_store = person != "anonymous"
            problems += [
                f"{rule.rule} ({person}): {p}" for p in header_problems(response, no_store=no_store)
            ]
            if person == "supplier" and response.headers.get("Referrer-Policy") != "no-referrer":
                problems.append(f"{rule.rule}: the link's token could leak in a Referer")
    assert not problems, "\n".join(problems)
    # The walk reached pages and files of each kind, not just redirects.
    assert {m for _, m in seen} >= {
        "text/html",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }


def test_the_page_check_finds_what_the_csp_would_block(app: Flask) -> None:
    """The check used on every page above, on a page that breaks every rule."""
    with another_app(app) as bad:

        @bad.get("/test-only/inline")
        @public
        def inline() -> str:
            return render_template_string(
                '{% extends "layout.html" %}{% block main_content %}'
                '<p style="color: red" onclick="go()">Hi</p><script>go()</script>'
                '<a href="javascript:go()">Go</a>{% endblock %}'
            )

        found = header_problems(bad.test_client().get("/test-only/inline"), no_store=False)
    assert found == [
        "inline script without the nonce: None",
        "<p style=...>",
        "<p onclick=...>",
        "<a href=javascript:go()>",
    ]


def test_templates_hold_nothing_inline_the_csp_would_block() -> None:
    """The source of every HTML template (the statement pages' included): no style attribute,
    no inline event handler, no inline script without the nonce."""
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        problems += [f"{name}: {m.group(0)}" for m in re.finditer(r"\sstyle\s*=", text)]
        problems += [f"{name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
        for script in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in script.group(0) and "nonce=" not in script.group(0):
                problems.append(f"{name}: {script.group(0)}")
    assert len(list((ROOT / "templates" / "statements").glob("*.html"))) >= 5
    assert problems == []
