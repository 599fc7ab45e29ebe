"""The app factory and its configurations."""

import pytest

from tisc import create_app
from tisc.config import ConfigError

GOOD_KEY = "k" * 40


def test_test_config_is_chosen_and_isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////should/not/be/used.sqlite3")
    app = create_app({"TISC_ENV": "test"})
    assert app.testing
    assert app.config["TISC_ENV"] == "test"
    assert "should/not" not in app.config["SQLALCHEMY_DATABASE_URI"]


def test_development_uses_sqlite_under_instance_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TISC_ENV", "development")
    app = create_app()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/tisc.sqlite3")
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_database_url_is_honoured_and_postgres_gets_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TISC_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgresql://tisc@db.internal/tisc")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://tisc@db.internal/tisc"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app({"DEBUG": True})
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app()


def test_production_starts_with_a_key_and_secure_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("TISC_DEMO_PASSWORD", "anything-at-all-here")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["DEMO_PASSWORD"] is None
    assert not app.debug


def test_an_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "staging")
    with pytest.raises(ConfigError, match="TISC_ENV"):
        create_app()


def test_max_upload_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TISC_ENV", "development")
    monkeypatch.setenv("TISC_MAX_UPLOAD_BYTES", "1024")
    assert create_app().config["MAX_CONTENT_LENGTH"] == 1024


def test_tisc_today_moves_the_pages_clock_but_is_refused_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import date

    from tisc.rules.years import FinancialYear
    from tisc.web.years import this_year, today

    monkeypatch.setenv("TISC_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("TISC_TODAY", "2027-03-28")
    app = create_app()
    with app.test_request_context():
        assert today() == date(2027, 3, 28)
        assert this_year() == FinancialYear(2026)
    monkeypatch.setenv("TISC_TODAY", "next tuesday")
    with pytest.raises(ConfigError, match="TISC_TODAY must be a date"):
        create_app()
    monkeypatch.setenv("TISC_TODAY", "2027-03-28")
    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    with pytest.raises(ConfigError, match="TISC_TODAY"):
        create_app()
