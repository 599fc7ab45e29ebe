"""Background import jobs: checking or importing an uploaded file away from the web request.

A page asks for a job (`start_check`, `start_import`) and follows it (`get_job`,
`progress_of`); a worker runs it (`tisc.jobs`) through `claim_job`, `run_check`,
`read_for_import`, `write_import` and `fail_job`. Reading and checking a file only read the
database; what an import writes, and the job's own "done", are one transaction, so a worker
killed half way leaves nothing of the import behind and the job can be tried again.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from tisc.database import db, intending
from tisc.documents.spendfiles import FIELDS, REQUIRED_FIELDS, RawTable
from tisc.models import (
    ImportJob,
    JobKind,
    JobStatus,
    Organisation,
    PendingUpload,
    User,
)
from tisc.models.base import utcnow
from tisc.rules import import_progress
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.imports import importing
from tisc.services.imports.uploads import discard_upload
from tisc.services.register import matching

SAMPLE_ROWS = 10  # the first rows the preview page shows
SHOWN_PROBLEMS = 20  # the problems the preview page lists (all are in its download)


# --- asking for a job and following it --------------------------------------------------------


def start_check(
    *,
    org: Organisation,
    user: User | None,
    upload: PendingUpload,
    sheet: str | None = None,
    fields: dict[str, str] | None = None,
) -> ImportJob:
    """Ask for the upload to be read and checked, with the columns chosen on the page (none at
    first: they are guessed). The caller commits, then queues the job."""
    return _new_job(org, user, upload, JobKind.CHECK, {"sheet": sheet, "fields": fields or {}})


def start_import(
    *,
    org: Organisation,
    user: User | None,
    upload: PendingUpload,
    sheet: str | None,
    mapping: dict[str, str | None],
) -> ImportJob:
    """Ask for the upload to be imported with these columns. The caller commits, then queues."""
    fields = {name: mapping.get(name) or "" for name in FIELDS}
    return _new_job(org, user, upload, JobKind.IMPORT, {"sheet": sheet, "fields": fields})


def _new_job(
    org: Organisation, user: User | None, upload: PendingUpload, kind: JobKind, asked: dict
) -> ImportJob:
    job = ImportJob(
        organisation_id=org.id,
        user_id=user.id if user else None,
        upload_id=upload.id,
        kind=kind,
        status=JobStatus.QUEUED,
        file_name=upload.file_name,
        asked=asked,
        attempts=0,
    )
    db.session.add(job)
    db.session.flush()
    return job


def get_job(*, org: Organisation, user: User | None, job_id: int) -> ImportJob:
    """One of this person's jobs in this body; NotFoundError for anyone else's."""
    job = db.session.get(ImportJob, job_id)
    if not _asked_by(job, org, user):
        raise NotFoundError("There is no such import.")
    return job


def finished_job(*, org: Organisation, user: User | None, job_id: int) -> ImportJob | None:
    """One of this person's jobs if it has finished (read afresh: a worker may have just
    finished it), else None."""
    job = db.session.get(ImportJob, job_id, populate_existing=True)
    return job if _asked_by(job, org, user) and job.finished else None


def _asked_by(job: ImportJob | None, org: Organisation, user: User | None) -> bool:
    return (
        job is not None
        and job.organisation_id == org.id
        and job.user_id == (user.id if user else None)
    )


def latest_check(
    *, upload: PendingUpload, sheet: str | None = None, fields: dict[str, str] | None = None
) -> ImportJob | None:
    """The newest check of the upload asked with this sheet and these columns (any, when
    neither is given and `fields` is None)."""
    jobs = db.session.scalars(
        select(ImportJob)
        .where(ImportJob.upload_id == upload.id, ImportJob.kind == JobKind.CHECK)
        .order_by(ImportJob.id.desc())
    )
    for job in jobs:
        if fields is None or (
            job.asked.get("sheet") == sheet and job.asked.get("fields") == fields
        ):
            return job
    return None


def retry_job(*, org: Organisation, user: User | None, job: ImportJob) -> ImportJob:
    """The same job asked again (it failed or stopped); NotFoundError once the upload is gone."""
    upload = _kept_upload(job)
    if upload is None:
        raise NotFoundError("That upload has expired. Upload the file again.")
    return _new_job(org, user, upload, job.kind, dict(job.asked))


@dataclass(frozen=True)
class JobProgress:
    """What the progress page says about a job."""

    percent: int
    stalled: bool  # it was running and has stopped: offer to try again
    waiting_long: bool  # still waiting for a worker after a minute

    def as_json(self, job: ImportJob) -> dict[str, Any]:
        """For the page's script: the counts, the stage and whether it has finished."""
        return {
            "status": job.status.value,
            "stage": job.stage,
            "percent": self.percent,
            "rows_read": job.rows_read,
            "rows_checked": job.rows_checked,
            "rows_written": job.rows_written,
            "finished": job.finished or self.stalled,
        }


def progress_of(job: ImportJob, *, now: datetime | None = None) -> JobProgress:
    """How far the job has got, and whether it has stopped or is waiting long."""
    now = now or utcnow()
    times = import_progress.JobTimes(
        created_at=_aware(job.created_at),
        heartbeat_at=_aware(job.heartbeat_at) if job.heartbeat_at else None,
        worker_gone=_worker_gone(job.worker),
    )
    percent = (
        100
        if job.status is JobStatus.DONE
        else import_progress.percent_done(
            stage=job.stage,
            importing=job.kind is JobKind.IMPORT,
            written=job.rows_written or 0,
            to_write=job.rows_to_write or 0,
        )
    )
    return JobProgress(
        percent=percent,
        stalled=import_progress.has_stalled(
            times, running=job.status is JobStatus.RUNNING, now=now
        ),
        waiting_long=import_progress.waiting_long(
            times, queued=job.status is JobStatus.QUEUED, now=now
        ),
    )


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; every time tisc stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def this_worker() -> str:
    """This process, as a job records who runs it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_gone(worker: str | None) -> bool:
    # Only a process on this machine can be seen to be gone; elsewhere the heartbeat tells.
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


# --- running a job (the worker) ---------------------------------------------------------------


def claim_job(*, job_id: int) -> ImportJob | None:
    """Mark a queued job running in this process (None if it is gone or already finished).
    The caller commits."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return None
    now = utcnow()
    job.status = JobStatus.RUNNING
    job.attempts += 1
    job.worker = this_worker()
    job.started_at = job.heartbeat_at = now
    job.stage = None
    return job


def report(*, job_id: int, stage: str, **counts: int) -> None:
    """Record the stage a job has reached (and its counts) at once, in a transaction of its
    own, so the page sees it while the job's own reading goes on. Not while this thread holds
    SQLite's write lock (it would wait for itself): the job's writing reports before it."""
    with intending(write=True), db.engine.begin() as connection:
        connection.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(stage=stage, heartbeat_at=utcnow(), **counts)
        )


def _kept_upload(job: ImportJob) -> PendingUpload | None:
    """The job's upload, while it is kept."""
    return db.session.get(PendingUpload, job.upload_id) if job.upload_id else None


def _upload_of(job: ImportJob) -> PendingUpload:
    upload = _kept_upload(job)
    if upload is None:
        raise ValidationError("The upload has expired. Upload the file again.", field="file")
    return upload


def _read(job: ImportJob) -> tuple[RawTable, bytes]:
    upload = _upload_of(job)
    report(job_id=job.id, stage=import_progress.READING)
    data = upload.data
    table = importing.read_spend_file(
        data=data, filename=upload.file_name, sheet=job.asked.get("sheet"), uploaded=True
    )
    return table, data


def _fields_in(table: RawTable, fields: dict[str, str]) -> dict[str, str | None]:
    """The columns chosen on the page that this file (its chosen sheet) has; "" is "not in the
    file". A column the file does not have is left to the guess."""
    return {
        name: column or None
        for name, column in fields.items()
        if name in FIELDS and (not column or column in table.columns)
    }


@dataclass
class CheckFound:
    """What a check found: what the preview page shows, and the rows with problems."""

    result: dict[str, Any]
    problems: list[dict[str, Any]]


def run_check(*, job: ImportJob, org: Organisation) -> CheckFound:
    """Read and check the job's upload, writing nothing (`finish_check` keeps what it found).
    A file that cannot be read at all raises ValidationError (the job fails with it)."""
    table, data = _read(job)
    report(job_id=job.id, stage=import_progress.CHECKING, rows_read=len(table.rows))
    guess = importing.guess_table_columns(table=table)
    asked = _fields_in(table, job.asked.get("fields") or {})
    mapping = importing.effective_mapping(org=org, table=table, requested=asked, guess=guess)
    missing = [name for name in REQUIRED_FIELDS if not mapping.get(name)]
    summary = error = None
    problems: list[dict[str, Any]] = []
    if not missing:
        try:
            chosen, parsed = importing.check_rows(org=org, table=table, mapping=mapping)
            report(job_id=job.id, stage=import_progress.MATCHING, rows_checked=len(table.rows))
            plan = importing.match_rows(
                org=org,
                table=table,
                mapping=chosen,
                parsed=parsed,
                checksum=importing.checksum_of(data),
            )
            summary = plan.summary(dry_run=True).kept(problems=SHOWN_PROBLEMS)
            problems = importing.problem_rows(table, parsed.problems)
        except ValidationError as refused:
            error = refused.message
    scored = {
        name: {
            "column": choice.column,
            "reason": choice.reason,
            "alternative": choice.alternative,
            "alternative_reason": choice.alternative_reason,
        }
        for name, choice in guess.scored.items()
        if mapping.get(name) == choice.column
    }
    result = {
        "sheet": table.sheet,
        "sheet_names": list(table.sheet_names),
        "columns": list(table.columns),
        "sample": table.rows.head(SAMPLE_ROWS).values.tolist(),
        "sample_rows": [int(n) for n in table.row_numbers[:SAMPLE_ROWS]],
        "examples": table.examples_by_column(),
        "mapping": mapping,
        "scored": scored,
        "missing": missing,
        "summary": summary,
        "error": error,
        "checksum": importing.checksum_of(data),
    }
    return CheckFound(result, problems)


def finish_check(*, job: ImportJob, found: CheckFound) -> None:
    """Keep what a check found on its job, done. The caller commits."""
    job.result = found.result
    job.problems = found.problems
    _finish(job, JobStatus.DONE)


@dataclass
class ReadFile:
    """A file read, checked and matched for an import, before anything is written."""

    plan: importing.Plan
    register: tuple[int, ...]  # the register as matching read it (matching.register_state)


def read_for_import(*, job: ImportJob, org: Organisation) -> ReadFile:
    """Read, check and match the upload of an import job, and decide its new suppliers'
    categories (only reading the database, so without SQLite's write lock); a file with no
    usable row raises ValidationError."""
    table, data = _read(job)
    report(job_id=job.id, stage=import_progress.CHECKING, rows_read=len(table.rows))
    fields = job.asked.get("fields") or {}
    requested = {name: column or None for name, column in fields.items() if name in FIELDS}
    chosen, parsed = importing.check_rows(org=org, table=table, mapping=requested)
    if parsed.lines.empty and parsed.excluded.empty:
        raise ValidationError(
            "The file has no usable rows: every row has a problem. Check the column choices.",
            field="file",
        )
    register = matching.register_state(organisation_id=org.id)  # before matching reads it
    plan = importing.match_rows(
        org=org, table=table, mapping=chosen, parsed=parsed, checksum=importing.checksum_of(data)
    )
    plan.decisions = matching.decide_categories(
        org=org, suppliers=plan.matches.new_suppliers.values()
    )
    report(job_id=job.id, stage=import_progress.WRITING, rows_checked=len(table.rows))
    return ReadFile(plan, register)


def lock_register(*, org: Organisation) -> None:
    """Make other imports into this body's register wait for this one to commit (on SQLite
    the write lock, taken at BEGIN, already does)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Organisation.id).where(Organisation.id == org.id).with_for_update()
        )


def write_import(
    *, job: ImportJob, org: Organisation, user: User | None, read: ReadFile
) -> importing.ImportSummary:
    """Write the matched rows, finishing the job in the same transaction (the caller holds the
    write lock and commits). Where the register changed since they were matched, they are
    matched again first. A file that adds nothing raises ValidationError saying why."""
    plan = read.plan
    if matching.register_state(organisation_id=org.id) != read.register:
        plan = importing.match_rows(
            org=org,
            table=plan.table,
            mapping=plan.mapping,
            parsed=plan.parsed,
            checksum=plan.checksum,
        )
        plan.decisions = read.plan.decisions  # those still new keep their categories
    if plan.lines.empty:
        raise ValidationError(plan.summary(dry_run=True).why_nothing, field="file")
    summary = importing.write_plan(org=org, user=user, plan=plan, filename=job.file_name)
    upload = _upload_of(job)
    job.upload_id = None
    discard_upload(upload=upload)
    job.rows_to_write = job.rows_written = summary.imported
    job.result = {
        "import_id": summary.import_id,
        "imported": summary.imported,
        "total_imported": f"{summary.total_imported:.2f}",
    }
    _finish(job, JobStatus.DONE)
    return summary


def fail_job(*, job_id: int, message: str, refused: bool = False) -> None:
    """Mark a job failed with why, in words for the person who asked. A file refused by its
    check (it cannot be read) is not kept: nothing of it stays behind. The caller commits."""
    job = db.session.get(ImportJob, job_id)
    if job is None:
        return
    job.error = message[:2000]
    # A refusal (the file adds nothing, cannot be read) would only be refused again: its page
    # offers to check the file again, not to try again.
    job.result = {"refused": refused}
    upload = _kept_upload(job)
    if refused and job.kind is JobKind.CHECK and upload is not None:
        job.upload_id = None
        db.session.flush()
        discard_upload(upload=upload)
    _finish(job, JobStatus.FAILED)


def _finish(job: ImportJob, status: JobStatus) -> None:
    job.status = status
    job.finished_at = job.heartbeat_at = utcnow()
    db.session.flush()
