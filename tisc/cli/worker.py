"""`flask --app tisc worker`: run background jobs (checking and importing uploaded files)."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from tisc import jobs


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="jobs run at the same time")
@with_appcontext
def worker(workers: int) -> None:
    """Run queued background jobs until stopped (Ctrl-C, or SIGTERM)."""
    if jobs.huey.immediate:
        raise click.ClickException(
            "Jobs run at once in this configuration (TISC_JOBS_URL=immediate): no worker needed"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    jobs.bind_worker(current_app._get_current_object())  # type: ignore[attr-defined]
    jobs.prepare_queue()
    click.echo(f"tisc worker: {workers} at a time, jobs from {jobs.describe_queue()}", err=True)
    # Threads: a job spends most of its time in pandas and the database, which let go of the
    # interpreter's lock; each has its own app context and database session.
    jobs.huey.create_consumer(workers=workers, worker_type="thread").run()
