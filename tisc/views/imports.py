"""Importing finance exports: upload, check the columns, import, see history, undo."""

from __future__ import annotations

from decimal import Decimal

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from tisc import jobs
from tisc.documents import exports
from tisc.documents.spendfiles import FIELD_LABELS, FIELDS
from tisc.extensions import db
from tisc.forms import add_error
from tisc.forms.imports import PersonalPayeeForm, UploadForm, mapping_form_class
from tisc.models import ImportJob, ImportStatus, JobKind, JobStatus
from tisc.rules.authz import Permission
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.imports import history as import_history
from tisc.services.imports import jobs as import_jobs
from tisc.services.imports import outcomes, uploads
from tisc.services.imports.importing import ImportSummary
from tisc.services.register import payees
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import confirmed, saving

bp = Blueprint("imports", __name__, url_prefix="/organisations/<org_slug>")


@bp.route("/imports/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def upload(org_slug: str) -> str | Response:
    """Step 1: choose a file. It is kept and read in the background; the next page follows."""
    form = UploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        pending = uploads.store_upload(
            org=g.org,
            user=signed_in_user(),
            filename=storage.filename or "upload",
            data=storage.read(),
        )
        job = import_jobs.start_check(org=g.org, user=signed_in_user(), upload=pending)
        return _queue(job)
    return _upload_page(form)


def _upload_page(form: UploadForm) -> str:
    return render_template(
        "imports/upload.html", title="Import a finance export", form=form, org=g.org
    )


def _queue(job: ImportJob) -> str | Response:
    """Commit the job, queue it, and follow it (straight to what it made, if it has finished:
    jobs run at once where no worker is configured)."""
    job_id = job.id  # read before the commit: reading after it would begin a transaction
    # whose snapshot (on SQLite) could not see what a job run at once then commits
    db.session.commit()
    jobs.enqueue(job_id)
    finished = import_jobs.finished_job(org=g.org, user=signed_in_user(), job_id=job_id)
    if finished is not None:
        return _after(finished)
    return redirect(url_for("imports.job", org_slug=g.org.slug, job_id=job_id))


def _after(job: ImportJob) -> str | Response:
    """Where a finished job leads: its check's page, the import, the upload page with why the
    file was refused, or its own page (an import that failed)."""
    if job.status is JobStatus.FAILED and job.kind is JobKind.CHECK:
        form = UploadForm()  # the file was refused: choose another, with why
        add_error(form, ValidationError(job.error or "", field="file"), default_field="file")
        return _upload_page(form)
    if job.status is JobStatus.DONE and job.kind is JobKind.CHECK:
        return redirect(_check_address(job))
    if job.status is JobStatus.DONE:
        result = job.result or {}
        flash(
            f"Imported {result['imported']:,} payments totalling "
            f"£{Decimal(result['total_imported']):,.2f}",
            "success",
        )
        return redirect(
            url_for("imports.detail", org_slug=g.org.slug, import_id=result["import_id"])
        )
    return redirect(url_for("imports.job", org_slug=g.org.slug, job_id=job.id))


def _check_address(job: ImportJob) -> str:
    """The check's page: the columns it was asked for are in the address (a reload keeps
    them, and finds the same check)."""
    return url_for(
        "imports.preview",
        org_slug=g.org.slug,
        upload_id=job.upload_id,
        sheet=job.asked.get("sheet") or None,
        **(job.asked.get("fields") or {}),
    )


@bp.get("/imports/jobs/<int:job_id>")
@organisation_access(Permission.MANAGE_REGISTER)
def job(org_slug: str, job_id: int) -> str | Response:
    """A file being read, checked or imported: how far it has got (the page refreshes itself),
    then what it made; or why it failed, with the way on."""
    job = import_jobs.get_job(org=g.org, user=signed_in_user(), job_id=job_id)
    progress = import_jobs.progress_of(job)
    if job.status is JobStatus.DONE or (
        job.status is JobStatus.FAILED and job.kind is JobKind.CHECK
    ):
        return _after(job)
    return render_template(
        "imports/job.html",
        title=_job_title(job, progress),
        org=g.org,
        job=job,
        progress=progress,
        status_url=url_for("imports.job_status", org_slug=org_slug, job_id=job_id),
    )


def _job_title(job: ImportJob, progress: import_jobs.JobProgress) -> str:
    if job.status is JobStatus.FAILED:
        return f"{job.file_name} was not imported"
    if progress.stalled:
        return f"The import of {job.file_name} stopped"
    return "Importing" if job.kind is JobKind.IMPORT else "Reading the file"


@bp.get("/imports/jobs/<int:job_id>/status.json")
@organisation_access(Permission.MANAGE_REGISTER)
def job_status(org_slug: str, job_id: int) -> Response:
    """How far a job has got, for the progress page's script."""
    job = import_jobs.get_job(org=g.org, user=signed_in_user(), job_id=job_id)
    return jsonify(import_jobs.progress_of(job).as_json(job))


@bp.post("/imports/jobs/<int:job_id>/retry")
@organisation_access(Permission.MANAGE_REGISTER)
def retry(org_slug: str, job_id: int) -> str | Response:
    """Ask again for a job that failed or stopped."""
    job = import_jobs.get_job(org=g.org, user=signed_in_user(), job_id=job_id)
    if job.status is JobStatus.DONE:
        return _after(job)
    return _queue(import_jobs.retry_job(org=g.org, user=signed_in_user(), job=job))


def _asked_fields() -> dict[str, str]:
    """The columns in the address ("Check again" puts every field there; none at first)."""
    return {name: request.args[name] for name in FIELDS if name in request.args}


@bp.route("/imports/uploads/<int:upload_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def preview(org_slug: str, upload_id: int) -> str | Response:
    """Step 2: what the check of the file found: the first rows, the guessed columns and what
    importing would do. Change the columns and check again, or import."""
    pending = uploads.get_upload(org=g.org, user=signed_in_user(), upload_id=upload_id)
    sheet = request.args.get("sheet") or None
    check = import_jobs.latest_check(upload=pending, sheet=sheet, fields=_asked_fields())
    if check is None:  # an address no check was asked for (edited by hand): the newest one
        newest = import_jobs.latest_check(upload=pending)
        if newest is None:
            raise NotFoundError("That upload has expired. Upload the file again.")
        return redirect(_check_address(newest))
    if check.status is not JobStatus.DONE:
        return redirect(url_for("imports.job", org_slug=org_slug, job_id=check.id))
    found = check.result or {}
    form = mapping_form_class(found["columns"], found["sheet_names"], found["examples"])()
    if form.is_submitted() and not form.submit.data:  # "Check again" with these columns
        asked = {name: request.form.get(f"field_{name}") or "" for name in FIELDS}
        return _queue(
            import_jobs.start_check(
                org=g.org,
                user=signed_in_user(),
                upload=pending,
                sheet=request.form.get("sheet") or None,
                fields=asked,
            )
        )
    summary = ImportSummary.from_kept(found["summary"]) if found.get("summary") else None
    if form.is_submitted() and summary is not None and summary.imported and form.validate():
        mapping = {name: request.form.get(f"field_{name}") or None for name in FIELDS}
        return _queue(
            import_jobs.start_import(
                org=g.org,
                user=signed_in_user(),
                upload=pending,
                sheet=request.form.get("sheet") or None,
                mapping=mapping,
            )
        )
    mapping = found["mapping"]
    for name in FIELDS:
        getattr(form, f"field_{name}").data = mapping.get(name) or ""
    form.sheet.data = found["sheet"] or ""
    for name in found["missing"]:
        label = FIELD_LABELS[name].lower()
        getattr(form, f"field_{name}").errors = [f"Choose the column that holds the {label}"]
    return render_template(
        "imports/preview.html",
        title="Check the columns",
        form=form,
        org=g.org,
        pending=pending,
        check=check,
        table=found,
        sample=found["sample"],
        sample_rows=found["sample_rows"],
        examples=found["examples"],
        mapping=mapping,
        scored=found["scored"],
        missing=found["missing"],
        summary=summary,
        previous=import_history.previous_import_of(org=g.org, checksum=found["checksum"])
        if summary
        else None,
        error=found["error"],
        fields=FIELDS,
    )


@bp.get("/imports/uploads/<int:upload_id>/problems.csv")
@organisation_access(Permission.MANAGE_REGISTER)
def upload_problems(org_slug: str, upload_id: int) -> Response:
    """The rows of a checked file that have problems, as CSV (of the check in the address,
    else the newest)."""
    pending = uploads.get_upload(org=g.org, user=signed_in_user(), upload_id=upload_id)
    check = None
    if request.args.get("check", "").isdigit():
        check = import_jobs.get_job(
            org=g.org, user=signed_in_user(), job_id=int(request.args["check"])
        )
        if check.upload_id != pending.id:
            raise NotFoundError("There is no such check.")
    check = check or import_jobs.latest_check(upload=pending)
    if check is None or check.status is not JobStatus.DONE:
        raise NotFoundError("The file has not been checked yet.")
    columns = (check.result or {}).get("columns") or []
    return _problems_csv(columns, check.problems or [], f"problems-{pending.file_name}")


def _problems_csv(columns: list[str], rows: list[dict], name: str) -> Response:
    body = exports.write_csv(
        ["Row", "Column", "Problem", *columns],
        ([r["row"], r["column"], r["message"], *r["cells"]] for r in rows),
    )
    return download(body, name.rsplit(".", 1)[0] + ".csv")


@bp.get("/imports")
@organisation_access(Permission.READ_ORGANISATION)
def history(org_slug: str) -> str:
    """Every import, newest first."""
    return render_template(
        "imports/history.html",
        title="Imports",
        org=g.org,
        records=import_history.list_imports(org=g.org),
    )


@bp.get("/imports/<int:import_id>")
@organisation_access(Permission.READ_ORGANISATION)
def detail(org_slug: str, import_id: int) -> str:
    """One import: who, when, what it added in each financial year, what to do next (suppliers
    over the threshold with no category), and its problems."""
    record = import_history.get_import(org=g.org, import_id=import_id)
    return render_template(
        "imports/detail.html",
        title=f"Import of {record.file_name}",
        org=g.org,
        record=record,
        outcome=outcomes.import_outcome(org=g.org, record=record),
    )


@bp.get("/imports/<int:import_id>/problems.csv")
@organisation_access(Permission.READ_ORGANISATION)
def problems(org_slug: str, import_id: int) -> Response:
    """The rows an import left out because of problems, as CSV."""
    record = import_history.get_import(org=g.org, import_id=import_id)
    width = max((len(p["cells"]) for p in record.problems), default=0)
    columns = [f"Column {n}" for n in range(1, width + 1)]
    return _problems_csv(columns, record.problems, f"problems-{record.file_name}")


@bp.route("/imports/<int:import_id>/undo", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def undo(org_slug: str, import_id: int) -> str | Response:
    """Take a whole import back out of the register, once confirmed on this page."""
    record = import_history.get_import(org=g.org, import_id=import_id)
    back = url_for("imports.detail", org_slug=org_slug, import_id=import_id)
    if record.status is ImportStatus.UNDONE:
        flash("This import has already been undone", "info")
        return redirect(back)
    if confirmed():
        with saving() as saved:
            removed = import_history.undo_import(org=g.org, record=record, user=signed_in_user())
        if saved:
            flash(f"Import undone: {removed:,} payments taken out of the register", "success")
        return redirect(back)
    return render_template(
        "imports/undo.html",
        title=f"Are you sure you want to undo the import of {record.file_name}?",
        org=g.org,
        record=record,
        removal=import_history.undo_preview(org=g.org, record=record),
        back=back,
    )


@bp.route("/personal-payees", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def personal_payees(org_slug: str) -> str | Response:
    """Names this body treats as private individuals."""
    form = PersonalPayeeForm()
    if form.validate_on_submit():
        with saving(form, field="name") as saved:
            payees.add_personal_payee(org=g.org, name=form.name.data)
        if saved:
            flash(f"Payments to {form.name.data} will be left out of the register", "success")
            return redirect(url_for("imports.personal_payees", org_slug=org_slug))
    return render_template(
        "imports/personal_payees.html",
        title="Private individuals",
        form=form,
        org=g.org,
        names=payees.list_personal_payees(org=g.org),
    )


@bp.route("/personal-payees/<int:payee_id>/remove", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def remove_personal_payee(org_slug: str, payee_id: int) -> str | Response:
    """Stop treating a name as a private individual, once confirmed on this page."""
    payee = payees.get_personal_payee(org=g.org, payee_id=payee_id)
    if confirmed():
        payees.remove_personal_payee(org=g.org, payee_id=payee_id)
        db.session.commit()
        flash(f"{payee.name} is no longer treated as a private individual", "success")
        return redirect(url_for("imports.personal_payees", org_slug=org_slug))
    return render_template(
        "imports/remove_personal_payee.html",
        title=f"Are you sure you want to stop treating {payee.name} as a private individual?",
        org=g.org,
        payee=payee,
    )
