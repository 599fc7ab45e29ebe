"""Sign-in throttling per client address as well as per account (README, "Sign-in throttling")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Factory, page
from tisc.extensions import db
from tisc.models import Role
from tisc.services.accounts import users as user_service
from tisc.services.errors import ThrottledError, ValidationError

ATTACKER = "203.0.113.7"
HOME = "198.51.100.20"
VICTIM = "admin@example.org"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The password of every check that computes an argon2 hash."""
    calls: list[str] = []
    real = user_service.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        calls.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(user_service, "verify_password", counting)
    return calls


def _sign_in(client: FlaskClient, email: str, password: str, address: str):
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _refused(response) -> bool:
    summary = page(response).select_one(".govuk-error-summary")
    return response.status_code == 429 and "Too many failed attempts" in summary.get_text()


def test_spraying_many_accounts_from_one_address_is_stopped_without_hashing(
    app: Flask, client: FlaskClient, factory: Factory, hashes: list[str]
) -> None:
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 6
    emails = [f"person{n}@example.org" for n in range(8)]
    for email in emails:
        factory.user(email, Role.ADMIN)
    # One guess at each account: no account reaches its own limit of five.
    for email in emails[:6]:
        assert _sign_in(client, email, "Spring2026!!!", ATTACKER).status_code == 200
    assert len(hashes) == 6
    for email in emails[6:]:
        assert _refused(_sign_in(client, email, "Spring2026!!!", ATTACKER))
    # Even the right password is refused from that address, and nothing more is hashed.
    assert _refused(_sign_in(client, emails[7], PASSWORD, ATTACKER))
    assert len(hashes) == 6
    # Someone else, elsewhere, is not affected.
    assert _sign_in(app.test_client(), emails[7], PASSWORD, HOME).status_code == 302


def test_unknown_addresses_count_towards_the_address_limit(
    app: Flask, client: FlaskClient, hashes: list[str]
) -> None:
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 3
    for n in range(3):
        _sign_in(client, f"nobody{n}@example.org", "guess guess guess", ATTACKER)
    assert _refused(_sign_in(client, "nobody9@example.org", "guess guess guess", ATTACKER))
    assert len(hashes) == 3


def test_the_real_user_signs_in_from_their_usual_address_while_an_attacker_keeps_failing(
    app: Flask, factory: Factory, hashes: list[str]
) -> None:
    factory.user(VICTIM, Role.ADMIN)
    real_user = app.test_client()
    assert _sign_in(real_user, VICTIM, PASSWORD, HOME).status_code == 302
    real_user.post("/sign-out")

    # An attacker from many addresses (no one address reaches its limit) locks the account...
    for n in range(5):
        attacker = app.test_client()
        assert _sign_in(attacker, VICTIM, f"wrong guess {n}!", f"203.0.113.{n}").status_code == 200
    hashed = len(hashes)
    # ...so that from a new address even the right password is refused, without hashing...
    assert _refused(_sign_in(app.test_client(), VICTIM, PASSWORD, "203.0.113.99"))
    assert len(hashes) == hashed
    # ...but the real user, from where they signed in before, still gets in.
    response = _sign_in(real_user, VICTIM, PASSWORD, HOME)
    assert response.status_code == 302
    assert real_user.get("/admin/users").status_code == 200


def test_the_limits_reset_after_the_window(app: Flask, factory: Factory) -> None:
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 3
    factory.user(VICTIM, Role.ADMIN)

    def attempt(email: str, password: str, at: datetime) -> str:
        with app.test_request_context():
            try:
                user_service.authenticate(email=email, password=password, address=ATTACKER, now=at)
                return "signed in"
            except ThrottledError:
                return "refused"
            except ValidationError:
                return "wrong"
            finally:
                db.session.commit()

    for n in range(3):
        assert attempt(f"nobody{n}@example.org", "guess guess guess", NOW) == "wrong"
    assert attempt(VICTIM, PASSWORD, NOW + timedelta(minutes=14)) == "refused"
    assert attempt(VICTIM, PASSWORD, NOW + timedelta(minutes=15, seconds=1)) == "signed in"

    # The account's own lock ends after its window too (the address limit left out of it).
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 100
    for n in range(5):
        assert attempt(VICTIM, f"wrong guess {n}!", NOW + timedelta(hours=1)) == "wrong"
    stranger = "192.0.2.1"
    with app.test_request_context():
        locked = NOW + timedelta(hours=1, minutes=10)
        with pytest.raises(ThrottledError):
            user_service.authenticate(email=VICTIM, password=PASSWORD, address=stranger, now=locked)
        user = user_service.authenticate(
            email=VICTIM, password=PASSWORD, address=stranger, now=locked + timedelta(minutes=6)
        )
        assert user.email == VICTIM
