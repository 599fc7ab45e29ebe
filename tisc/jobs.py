"""Background jobs: the queue (Huey) and the task that checks or imports an uploaded file.

Why Huey: a small, long-maintained queue whose storage can be a SQLite file (nothing more to
install on a laptop), the PostgreSQL database the app already uses, or Redis, behind one API;
its consumer runs tasks in threads or processes; and its "immediate" mode runs a task at once,
in the caller, which is how the tests and a worker-less `flask run` use it.

Which storage (TISC_JOBS_URL, the config's JOBS_URL): unset, the app's own PostgreSQL database
when DATABASE_URL names one (tables huey_*), else `instance/tisc-jobs.sqlite3`; `redis://...`
for Redis (with the `redis` package installed); `immediate` to run every job at once, in the
request that asks for it (as the tests do).
A worker is `flask --app tisc worker` (`make run` starts one beside the web server).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.exceptions import ConfigurationError
from huey.storage import (
    BaseSqlStorage,
    BaseStorage,
    MemoryStorage,
    PostgresStorage,
    RedisStorage,
    SqliteStorage,
)

from tisc.config import ConfigError
from tisc.database import db, intending
from tisc.models import JobKind, Organisation, User
from tisc.services.audit.chain import Actor, acting_as
from tisc.services.errors import DomainError
from tisc.services.imports import jobs as import_jobs

log = logging.getLogger(__name__)
FAILED = (
    "Something went wrong while reading or importing the file, and nothing was added to the "
    "register. Try again; if it happens again, tell your administrator."
)


def storage_for(app: Flask) -> BaseStorage | None:
    """The queue's storage for this app (see the module's docstring); None: run at once."""
    url = (app.config.get("JOBS_URL") or "").strip()
    database = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    if url == "immediate" or app.config.get("JOBS_IMMEDIATE"):
        return None
    if url.startswith(("redis://", "rediss://")):
        try:
            return RedisStorage("tisc", url=url)
        except ConfigurationError:
            raise ConfigError(
                "TISC_JOBS_URL names Redis, but the redis package is not installed here: "
                "pip install redis"
            ) from None
    if url.startswith("postgres") or (not url and database.startswith("postgres")):
        dsn = (url or database).replace("postgresql+psycopg://", "postgresql://")
        return PostgresStorage("tisc", dsn=dsn, create_tables=False)
    filename = url or str(Path(app.instance_path) / QUEUE_FILE)
    return SqliteStorage("tisc", filename=filename, create_tables=False)


QUEUE_FILE = "tisc-jobs.sqlite3"
# The tasks are declared on this queue when tisc is imported; its storage is chosen when the
# app is made (init_app), from the app's configuration.
huey = Huey("tisc", storage_class=MemoryStorage)
_worker_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Give the queue the storage this app's configuration names (or run jobs at once)."""
    storage = storage_for(app)
    huey.immediate = storage is None
    if storage is not None:
        huey.storage = storage


def describe_queue() -> str:
    """Where the queue keeps its jobs, in words (no password)."""
    storage = huey.storage
    if isinstance(storage, SqliteStorage):
        return f"the file {storage.filename}"
    if isinstance(storage, PostgresStorage):
        return "the PostgreSQL database"
    if isinstance(storage, RedisStorage):
        return "Redis"
    return "memory"


def bind_worker(app: Flask) -> None:
    """The app a worker process runs its jobs in (`flask --app tisc worker`)."""
    global _worker_app
    _worker_app = app


@contextmanager
def _job_context() -> Iterator[None]:
    # A job has an app context (and database session) of its own, also when run at once
    # inside a request: it commits as it goes, which the request's session must not see.
    app = current_app._get_current_object() if has_app_context() else _worker_app  # type: ignore[attr-defined]
    if app is None:
        raise RuntimeError(
            "No app for background jobs: start the worker with flask --app tisc worker"
        )
    with app.app_context():
        yield


_schema_ready: set[int] = set()


def prepare_queue() -> None:
    """Create the queue's tables, once per storage in this process. Not when the app is made:
    making an app never connects to anything."""
    storage = huey.storage
    if isinstance(storage, BaseSqlStorage) and id(storage) not in _schema_ready:
        storage.initialize_schema()
        _schema_ready.add(id(storage))


def enqueue(job_id: int) -> None:
    """Queue a job the request has committed (run now, in immediate mode)."""
    prepare_queue()
    run_import_job(job_id)


@huey.task()
def run_import_job(job_id: int) -> None:
    """The worker's task: check or import one uploaded file."""
    with _job_context():
        run(job_id)


def run(job_id: int) -> None:
    """Run a job: claim it, read and check the file without the write lock, then (an import)
    write it in one transaction that also marks the job done. A refusal fails the job with
    its words; anything else fails it with a general message, and is logged."""
    with intending(write=True):
        job = import_jobs.claim_job(job_id=job_id)
        db.session.commit()
    if job is None:
        return
    try:
        with intending(write=False):
            org = db.session.get(Organisation, job.organisation_id)
            user = db.session.get(User, job.user_id) if job.user_id else None
            actor = Actor(user.id, user.email) if user else "background import"
            kind = job.kind
        with acting_as(actor):
            if kind is JobKind.CHECK:
                with intending(write=False):  # reading and checking: never SQLite's write lock
                    found = import_jobs.run_check(job=job, org=org)
                    db.session.rollback()
                with intending(write=True):
                    import_jobs.finish_check(job=job, found=found)
                    db.session.commit()
                return
            with intending(write=False):
                read = import_jobs.read_for_import(job=job, org=org)
                db.session.rollback()  # end the reading transaction before writing
            with intending(write=True):
                import_jobs.lock_register(org=org)
                import_jobs.write_import(job=job, org=org, user=user, read=read)
                db.session.commit()
    except DomainError as refused:
        _fail(job_id, refused.message, refused=True)
    except Exception:
        log.exception("Import job %s failed", job_id)
        _fail(job_id, FAILED)


def _fail(job_id: int, message: str, *, refused: bool = False) -> None:
    db.session.rollback()
    with intending(write=True):
        import_jobs.fail_job(job_id=job_id, message=message, refused=refused)
        db.session.commit()
