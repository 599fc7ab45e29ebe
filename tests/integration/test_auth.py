"""Signing in and out, throttling, passwords."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import PASSWORD, Factory, page, sign_in
from tisc.extensions import db
from tisc.models import LoginThrottle, Role, User

EMAIL = "procurement.alpha@example.org"


def _user(app: Flask, email: str = EMAIL) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _error_text(response) -> str:
    summary = page(response).select_one(".govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def test_signing_in_takes_you_home_and_signing_out_ends_the_session(
    client: FlaskClient, factory: Factory
) -> None:
    factory.partnership()
    factory.org("alpha", partnership="north-east")
    factory.user(EMAIL, Role.PROCUREMENT, org="alpha", name="Pat Procurement")
    response = sign_in(client, EMAIL)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = page(client.get("/"))
    assert home.select_one("h1").get_text(strip=True) == "Your work"
    assert home.select_one(".govuk-caption-l").get_text(strip=True) == "Pat Procurement"
    assert client.get("/organisations/alpha").status_code == 200

    client.post("/sign-out")
    response = client.get("/organisations/alpha")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_email_is_matched_without_regard_to_case_or_spaces(
    client: FlaskClient, factory: Factory
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    assert sign_in(client, "  Procurement.ALPHA@example.org ").status_code == 302


def test_passwords_are_stored_as_argon2id(app: Flask, factory: Factory) -> None:
    factory.user(EMAIL, Role.ADMIN)
    user = _user(app)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    client: FlaskClient, factory: Factory
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    wrong = sign_in(client, EMAIL, "not the right password")
    unknown = sign_in(client, "nobody@example.org", "not the right password")
    assert wrong.status_code == unknown.status_code == 200
    assert _error_text(wrong) == _error_text(unknown)
    assert "Enter a correct email address and password" in _error_text(wrong)
    assert page(wrong).select_one("title").get_text().startswith("Error: ")


def test_empty_fields_get_govuk_messages(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "", "password": ""})
    text = _error_text(response)
    assert "Enter your email address" in text and "Enter your password" in text
    links = [a["href"] for a in page(response).select(".govuk-error-summary a")]
    assert links == ["#email", "#password"]


def test_five_failures_lock_the_account_even_with_the_right_password(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    for _ in range(5):
        sign_in(client, EMAIL, "wrong password here")
    assert _user(app).failed_login_count == 5
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in _error_text(response)
    assert client.get("/admin/").status_code == 302  # still signed out


def test_an_unknown_email_is_locked_in_the_same_way(app: Flask, client: FlaskClient) -> None:
    for _ in range(5):
        sign_in(client, "nobody@example.org", "wrong password here")
    response = sign_in(client, "nobody@example.org", "wrong password here")
    assert response.status_code == 429
    assert "Too many failed attempts" in _error_text(response)
    with app.app_context():
        assert db.session.scalar(select(LoginThrottle.failed_login_count)) == 5


def test_the_lock_expires(app: Flask, client: FlaskClient, factory: Factory) -> None:
    factory.user(EMAIL, Role.ADMIN)
    for _ in range(5):
        sign_in(client, EMAIL, "wrong password here")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        user.locked_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    assert sign_in(client, EMAIL).status_code == 302
    assert _user(app).failed_login_count == 0


def test_a_deactivated_user_cannot_sign_in(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    factory.user("other.admin@example.org", Role.ADMIN)
    with app.app_context():
        db.session.scalar(select(User).where(User.email == EMAIL)).active = False
        db.session.commit()
    response = sign_in(client, EMAIL)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in _error_text(response)


def test_next_only_redirects_within_the_site(client: FlaskClient, factory: Factory) -> None:
    factory.user(EMAIL, Role.ADMIN)
    response = client.post(
        "/sign-in?next=https://evil.example/steal", data={"email": EMAIL, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    response = client.post(
        "/sign-in?next=/admin/users", data={"email": EMAIL, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/users"


def test_changing_the_password_ends_other_sessions(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    other_device = app.test_client()
    sign_in(client, EMAIL)
    sign_in(other_device, EMAIL)
    new = "velvet harbour tangerine piano"
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200  # this session carries on
    assert other_device.get("/admin/").status_code == 302  # the other one is signed out
    client.post("/sign-out")
    assert sign_in(client, EMAIL, PASSWORD).status_code == 200
    assert sign_in(client, EMAIL, new).status_code == 302


def test_password_change_refusals_change_nothing(
    app: Flask, client: FlaskClient, factory: Factory
) -> None:
    factory.user(EMAIL, Role.ADMIN)
    before = _user(app).password_hash
    sign_in(client, EMAIL)
    cases = [
        (
            {
                "current_password": "wrong one entirely",
                "new_password": "velvet harbour tangerine",
                "confirm_password": "velvet harbour tangerine",
            },
            "current password is not correct",
        ),
        (
            {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
            "12 characters or more",
        ),
        (
            {
                "current_password": PASSWORD,
                "new_password": "velvet harbour tangerine",
                "confirm_password": "velvet harbour satsuma",
            },
            "The passwords do not match",
        ),
    ]
    for data, message in cases:
        response = client.post("/account/password", data=data)
        assert response.status_code == 200
        assert message in _error_text(response)
    assert _user(app).password_hash == before


def _sign_in_meets_another(monkeypatch, on_verify) -> None:
    """Make another sign-in save its change while this one checks the password."""
    from tisc.services.accounts import users as user_service

    real = user_service.verify_password

    def verify_then_race(password_hash, password):
        on_verify()
        return real(password_hash, password)

    monkeypatch.setattr(user_service, "verify_password", verify_then_race)


def test_two_sign_ins_to_one_account_at_once_both_succeed(
    app: Flask, client: FlaskClient, factory: Factory, monkeypatch
) -> None:
    from sqlalchemy import update

    factory.partnership()
    factory.org("alpha-police", partnership="north-east")
    factory.user(EMAIL, Role.VIEWER, org="alpha-police")
    # The other sign-in saved its last-sign-in time first: this one's version is stale.
    _sign_in_meets_another(
        monkeypatch,
        lambda: db.session.execute(
            update(User)
            .where(User.email == EMAIL)
            .values(version_id=User.version_id + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    response = sign_in(client, EMAIL)
    assert response.status_code == 302
    user = _user(app)
    assert user.last_login_at is not None and user.version_id == 3


def test_two_first_failures_for_one_unknown_address_are_both_counted(
    app: Flask, client: FlaskClient, monkeypatch
) -> None:
    import hashlib

    from sqlalchemy import insert

    email = "nobody@example.org"
    digest = hashlib.sha256(email.encode()).hexdigest()

    # The other failure inserted the address's throttle row first.
    def other_failure() -> None:
        with db.session.no_autoflush:
            db.session.execute(
                insert(LoginThrottle).values(email_digest=digest, failed_login_count=1)
            )

    _sign_in_meets_another(monkeypatch, other_failure)
    response = client.post("/sign-in", data={"email": email, "password": "wrong password 1"})
    assert response.status_code == 200
    assert _error_text(response)
    with app.app_context():
        assert db.session.get(LoginThrottle, digest).failed_login_count == 2
