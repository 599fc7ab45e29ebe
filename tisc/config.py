"""Configuration classes, chosen by TISC_ENV. Secrets come only from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

# The project folder: templates/, statements/ and suppliers/ sit beside the tisc package.
ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith("postgres://"):  # Heroku-style URLs name no driver
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{INSTANCE_DIR / 'tisc.sqlite3'}"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


MIN_AUDIT_KEY_LENGTH = 32


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    # Development only: with no configured key (SECRET_KEY, TISC_AUDIT_KEY), make one and keep
    # it in the instance folder (secret_key, audit.key).
    GENERATE_SECRET_KEY = False
    DEBUG = False
    TESTING = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = ""  # filled from DATABASE_URL by environment_overrides
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Uploads (finance exports, templates) are refused above this size.
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # The command line imports bigger files than the browser uploads, but not without limit.
    MAX_IMPORT_BYTES = 512 * 1024 * 1024
    # Rows of spend in one file: a browser upload (read by the background worker, which holds
    # it in memory while it checks it), and the command line.
    MAX_UPLOAD_ROWS = 250_000
    # Where background jobs wait for a worker (tisc.jobs): "" chooses by the database.
    JOBS_URL = ""
    JOBS_IMMEDIATE = False
    MAX_IMPORT_ROWS = 2_000_000
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    # A sign-in lasts at most this many seconds, and ends after this many idle minutes.
    PERMANENT_SESSION_LIFETIME = 8 * 60 * 60
    SESSION_IDLE_MINUTES = 30
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds it
    # Sign-in throttling (README, "Sign-in throttling"): this many failures lock an account for
    # this many minutes, except from addresses its user signed in from in the last
    # LOGIN_KNOWN_ADDRESS_DAYS; this many failures from one client address, to any accounts,
    # lock that address for the same time.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    LOGIN_ADDRESS_MAX_FAILURES = 20
    LOGIN_KNOWN_ADDRESS_DAYS = 30
    # argon2id cost (RFC 9106 second recommended option: 64 MiB, 3 passes).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 4
    # Published in the README for the demo accounts; production refuses demo data.
    DEMO_PASSWORD: str | None = "tisc-demo-2026"  # noqa: S105
    HSTS = True
    # Email for supplier invitations: "none" (outbox only), "log", or "module:factory".
    MAIL_BACKEND = "none"
    # The address links in invitations start with (TISC_BASE_URL); in a request, when it is
    # not set, the address the lead is using.
    BASE_URL: str | None = None
    # One-time links to set a password last this many days.
    PASSWORD_LINK_DAYS = 7
    # Self-assessment links last this many days unless the lead chooses otherwise.
    INVITATION_DAYS = 30
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto headers are trusted
    # (TISC_TRUSTED_PROXIES): the client address counts bad links and failed sign-ins.
    TRUSTED_PROXIES = 0
    # Keys the audit trail's hashes (HMAC-SHA256), kept outside the database (TISC_AUDIT_KEY).
    AUDIT_KEY: str | None = None
    # Events up to this id were written before the trail was keyed and hold plain SHA-256
    # hashes (TISC_AUDIT_UNKEYED_UP_TO; 0 for a trail keyed from its first event).
    AUDIT_UNKEYED_UP_TO = 0
    # The date every page takes as today (TISC_TODAY=YYYY-MM-DD): set only by tests and to
    # show the demo "on" another day; None is the real date. Production refuses it.
    TODAY: date | str | None = None

    @classmethod
    def environment_overrides(cls) -> dict[str, Any]:
        """Settings read from the environment when the app is created (not at import)."""
        overrides: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": _database_url()}
        for name in ("TISC_SECRET_KEY", "SECRET_KEY"):  # TISC_SECRET_KEY wins
            if os.environ.get(name):
                overrides["SECRET_KEY"] = os.environ[name]
                break
        if os.environ.get("TISC_MAX_UPLOAD_BYTES"):
            overrides["MAX_CONTENT_LENGTH"] = int(os.environ["TISC_MAX_UPLOAD_BYTES"])
        if os.environ.get("TISC_MAX_UPLOAD_ROWS"):
            overrides["MAX_UPLOAD_ROWS"] = int(os.environ["TISC_MAX_UPLOAD_ROWS"])
        if os.environ.get("TISC_JOBS_URL"):
            overrides["JOBS_URL"] = os.environ["TISC_JOBS_URL"].strip()
        if os.environ.get("TISC_MAIL_BACKEND"):
            overrides["MAIL_BACKEND"] = os.environ["TISC_MAIL_BACKEND"]
        if os.environ.get("TISC_SESSION_IDLE_MINUTES"):
            overrides["SESSION_IDLE_MINUTES"] = int(os.environ["TISC_SESSION_IDLE_MINUTES"])
        if os.environ.get("TISC_TRUSTED_PROXIES"):
            overrides["TRUSTED_PROXIES"] = int(os.environ["TISC_TRUSTED_PROXIES"])
        if os.environ.get("TISC_BASE_URL"):
            overrides["BASE_URL"] = os.environ["TISC_BASE_URL"].rstrip("/")
        if os.environ.get("TISC_AUDIT_KEY"):
            overrides["AUDIT_KEY"] = os.environ["TISC_AUDIT_KEY"].strip()
        if os.environ.get("TISC_AUDIT_UNKEYED_UP_TO"):
            overrides["AUDIT_UNKEYED_UP_TO"] = int(os.environ["TISC_AUDIT_UNKEYED_UP_TO"])
        if os.environ.get("TISC_TODAY"):
            try:
                overrides["TODAY"] = date.fromisoformat(os.environ["TISC_TODAY"].strip())
            except ValueError:
                raise ConfigError("TISC_TODAY must be a date like 2026-09-30") from None
        if cls.DEMO_PASSWORD is not None and os.environ.get("TISC_DEMO_PASSWORD"):
            overrides["DEMO_PASSWORD"] = os.environ["TISC_DEMO_PASSWORD"]
        return overrides

    @classmethod
    def validate(cls, config: Mapping[str, Any]) -> None:
        """Raise ConfigError when the final settings are unsafe for this environment."""


class DevelopmentConfig(Config):
    """A laptop: SQLite under instance/, plain-HTTP cookies, and unless SECRET_KEY or
    TISC_SECRET_KEY is set, a random key made on first run and kept in instance/secret_key
    (the audit key likewise in instance/audit.key unless TISC_AUDIT_KEY is set)."""

    ENV_NAME = "development"
    GENERATE_SECRET_KEY = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    HSTS = False


class TestConfig(Config):
    """The test suite: its own database, cheap hashing, CSRF off unless a test turns it on."""

    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    HSTS = False
    JOBS_IMMEDIATE = True  # a job runs in the request that asks for it
    AUDIT_KEY = "test-only-audit-key-not-secret"

    @classmethod
    def environment_overrides(cls) -> dict[str, Any]:
        # Tests never touch DATABASE_URL: a developer's real database stays safe.
        return {"SQLALCHEMY_DATABASE_URI": os.environ.get("TISC_TEST_DATABASE_URL") or "sqlite://"}


class ProductionConfig(Config):
    """Real use: refuses to start without a secret key or with debugging on."""

    ENV_NAME = "production"
    DEMO_PASSWORD = None

    @classmethod
    def validate(cls, config: Mapping[str, Any]) -> None:
        key = config.get("SECRET_KEY") or ""
        if len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to at least 32 random characters in production"
            )
        if len(config.get("AUDIT_KEY") or "") < MIN_AUDIT_KEY_LENGTH:
            raise ConfigError(
                "TISC_AUDIT_KEY must be set to at least 32 random characters in production: "
                "it keys the audit trail, so keep it outside the database"
            )
        if config.get("DEBUG") or os.environ.get("FLASK_DEBUG", "").lower() in ("1", "true"):
            raise ConfigError("DEBUG must be off in production")
        if config.get("DEMO_PASSWORD"):
            raise ConfigError("Demo passwords are not allowed in production")
        if config.get("TODAY"):
            raise ConfigError("TISC_TODAY (a fixed date) is not allowed in production")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(env_name: str | None) -> type[Config]:
    """The config class for TISC_ENV; development when unset."""
    name = (env_name or "development").strip().lower()
    if name not in CONFIGS:
        raise ConfigError(f"TISC_ENV must be one of {', '.join(CONFIGS)}, not {env_name!r}")
    return CONFIGS[name]
