"""The development secret key: random, kept in the instance folder, never a fixed string."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import PASSWORD
from tisc import create_app
from tisc.extensions import db
from tisc.models import Role
from tisc.services.accounts import users as user_service
from tisc.web import sessions

# The key every development server used to sign its cookies with, printed in the source.
OLD_FIXED_KEY = "dev-only-not-secret"


@pytest.fixture(autouse=True)
def no_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TISC_SECRET_KEY", raising=False)


def _development_app(instance: Path) -> Flask:
    return create_app(
        {
            "TISC_ENV": "development",
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'dev.sqlite3'}",
        }
    )


def test_each_instance_folder_gets_its_own_random_key(tmp_path: Path) -> None:
    first = _development_app(tmp_path / "one").config["SECRET_KEY"]
    second = _development_app(tmp_path / "two").config["SECRET_KEY"]
    assert first != second
    assert len(first) >= 32 and first != OLD_FIXED_KEY


def test_the_key_is_kept_so_sessions_survive_a_restart(tmp_path: Path) -> None:
    first = _development_app(tmp_path).config["SECRET_KEY"]
    assert _development_app(tmp_path).config["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_the_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    _development_app(tmp_path)
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_a_configured_key_is_used_and_no_file_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TISC_SECRET_KEY", "t" * 40)
    assert _development_app(tmp_path).config["SECRET_KEY"] == "t" * 40
    assert not (tmp_path / "secret_key").exists()


def test_a_cookie_signed_with_the_old_fixed_key_opens_nothing(tmp_path: Path) -> None:
    app = _development_app(tmp_path)
    with app.app_context():
        db.create_all()
        admin = user_service.create_user(
            email="admin@example.org", name="Admin", password=PASSWORD, role=Role.ADMIN
        )
        db.session.commit()
        session_id = admin.get_id()
    # What an attacker who read the source could make: the admin's session, signed with the key
    # in the source.
    forger = Flask("forger")
    forger.secret_key = OLD_FIXED_KEY
    # A whole session as a sign-in makes it (the times too), so only the key can refuse it.
    moment = int(sessions.now())
    forged = {
        "_user_id": session_id,
        "_fresh": True,
        sessions.SIGNED_IN_AT: moment,
        sessions.SEEN_AT: moment,
    }
    serializer = forger.session_interface.get_signing_serializer(forger)
    cookie = serializer.dumps(forged)

    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]

    # The same forgery with the app's own key does open it: the test can tell the difference.
    forger.secret_key = app.config["SECRET_KEY"]
    client.set_cookie(
        app.config["SESSION_COOKIE_NAME"],
        forger.session_interface.get_signing_serializer(forger).dumps(forged),
    )
    assert client.get("/admin/users").status_code == 200
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_make_run_warns_when_development_settings_serve_the_network() -> None:
    import os
    import subprocess

    from tisc.config import ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("TISC_ENV", "MAKEFLAGS")}

    def check(host: str) -> str:
        done = subprocess.run(
            ["make", "--no-print-directory", "-s", "check-address", f"HOST={host}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stderr

    everywhere = "0.0.0.0"  # noqa: S104 (what the README's example serves)
    assert f"WARNING: development settings are being served on {everywhere}" in check(everywhere)
    assert check("127.0.0.1") == ""
