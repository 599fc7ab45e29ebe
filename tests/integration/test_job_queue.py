"""Where background jobs wait: the queue's storage chosen from the configuration (tisc.jobs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from huey.storage import PostgresStorage, SqliteStorage

from tisc import jobs
from tisc.config import ConfigError


def configured(tmp_path: Path, **config: str) -> Flask:
    app = Flask("queue-test", instance_path=str(tmp_path))
    app.config.update({"JOBS_URL": "", "JOBS_IMMEDIATE": False, **config})
    return app


def test_sqlite_keeps_jobs_in_a_file_of_the_instance_folder(tmp_path: Path) -> None:
    app = configured(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/tisc.sqlite3")
    storage = jobs.storage_for(app)
    assert isinstance(storage, SqliteStorage)
    assert storage.filename == str(tmp_path / jobs.QUEUE_FILE)


def test_postgresql_keeps_jobs_in_the_same_database_without_connecting(tmp_path: Path) -> None:
    # The host does not exist: making the app connects to nothing.
    url = "postgresql+psycopg://tisc@db.invalid:5432/tisc"
    storage = jobs.storage_for(configured(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    assert isinstance(storage, PostgresStorage)
    assert storage.dsn == "postgresql://tisc@db.invalid:5432/tisc"  # psycopg's own form


def test_a_url_names_another_store_and_immediate_runs_jobs_at_once(tmp_path: Path) -> None:
    sqlite_app = configured(tmp_path, SQLALCHEMY_DATABASE_URI="sqlite:///x.sqlite3")
    sqlite_app.config["JOBS_URL"] = str(tmp_path / "queue.sqlite3")
    assert jobs.storage_for(sqlite_app).filename == str(tmp_path / "queue.sqlite3")
    sqlite_app.config["JOBS_URL"] = "immediate"
    assert jobs.storage_for(sqlite_app) is None
    sqlite_app.config.update(JOBS_URL="", JOBS_IMMEDIATE=True)
    assert jobs.storage_for(sqlite_app) is None


def test_redis_without_its_package_is_refused_in_words(tmp_path: Path) -> None:
    try:
        import redis  # noqa: F401
    except ImportError:
        app = configured(tmp_path, JOBS_URL="redis://127.0.0.1:6379/0")
        with pytest.raises(ConfigError, match="pip install redis"):
            jobs.storage_for(app)
    else:  # installed here: it is used (connecting only when a job is queued)
        app = configured(tmp_path, JOBS_URL="redis://127.0.0.1:6379/0")
        assert type(jobs.storage_for(app)).__name__ == "RedisStorage"
