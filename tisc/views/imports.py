"""Importing finance exports: upload, check the columns, import, see history, undo."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from tisc.documents import exports
from tisc.documents.spendfiles import FIELD_LABELS, FIELDS, REQUIRED_FIELDS
from tisc.extensions import db
from tisc.forms.imports import PersonalPayeeForm, UploadForm, mapping_form_class
from tisc.models import ImportStatus
from tisc.rules.authz import Permission
from tisc.services.errors import ValidationError
from tisc.services.imports import history as import_history
from tisc.services.imports import importing as imports
from tisc.services.imports import outcomes, uploads
from tisc.services.register import payees
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import confirmed, saving

bp = Blueprint("imports", __name__, url_prefix="/organisations/<org_slug>")

PREVIEW_ROWS = 10


@bp.route("/imports/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def upload(org_slug: str) -> str | Response:
    """Step 1: choose a file."""
    form = UploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        data = storage.read()
        filename = storage.filename or "upload"
        with saving(form, field="file") as saved:
            imports.read_spend_file(data=data, filename=filename, uploaded=True)  # or refuse it
            pending = uploads.store_upload(
                org=g.org, user=signed_in_user(), filename=filename, data=data
            )
        if saved:
            return redirect(url_for("imports.preview", org_slug=org_slug, upload_id=pending.id))
    return render_template(
        "imports/upload.html", title="Import a finance export", form=form, org=g.org
    )


def _asked_mapping(table_columns: list[str]) -> dict[str, str | None]:
    """The columns chosen on the page: sent with the form, or kept in the address after "Check
    again" so that a reload keeps them. A column the file (or its chosen sheet) does not have
    is left to the guess."""
    if request.method == "POST":
        asked = {name: request.form.get(f"field_{name}") for name in FIELDS}
    else:
        asked = {name: request.args.get(name) for name in FIELDS}
    return {
        name: column or None
        for name, column in asked.items()
        if column is not None and (not column or column in table_columns)
    }


@bp.route("/imports/uploads/<int:upload_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def preview(org_slug: str, upload_id: int) -> str | Response:
    """Step 2: the first rows with the guessed columns; change them and check again (kept in
    the address, so a reload keeps them), then import."""
    pending = uploads.get_upload(org=g.org, user=signed_in_user(), upload_id=upload_id)
    sheet = (request.form if request.method == "POST" else request.args).get("sheet") or None
    table = imports.read_spend_file(
        data=pending.data, filename=pending.file_name, sheet=sheet, uploaded=True
    )
    guess = imports.guess_table_columns(table=table)
    mapping = {
        **imports.effective_mapping(org=g.org, table=table, guess=guess),
        **_asked_mapping(table.columns),
    }
    # Why a field found by header words and content got its column, while it still has it.
    scored = {
        name: choice for name, choice in guess.scored.items() if mapping.get(name) == choice.column
    }
    chosen = {name: column for name, column in mapping.items() if column}
    examples = table.examples_by_column()
    form = mapping_form_class(table.columns, table.sheet_names, examples)()
    if form.is_submitted() and not form.submit.data:
        # "Check again": show the result at an address that holds the choices (Post/Redirect/Get).
        return redirect(
            url_for(
                "imports.preview",
                org_slug=org_slug,
                upload_id=upload_id,
                sheet=table.sheet or None,
                **{name: mapping.get(name) or "" for name in FIELDS},
            )
        )
    for name in FIELDS:
        getattr(form, f"field_{name}").data = mapping.get(name) or ""
    form.sheet.data = table.sheet or ""
    missing = [name for name in REQUIRED_FIELDS if not mapping.get(name)]
    plan = error = None
    if not missing:
        try:
            plan = imports.plan_import(
                org=g.org,
                data=pending.data,
                filename=pending.file_name,
                sheet=sheet,
                mapping=mapping,
                table=table,
                guess=guess,
            )
        except ValidationError as refused:
            error = refused.message
    if form.is_submitted() and plan is not None and plan.lines.shape[0] and form.validate():
        summary = imports.write_plan(
            org=g.org, user=signed_in_user(), plan=plan, filename=pending.file_name
        )
        uploads.discard_upload(upload=pending)
        db.session.commit()
        flash(
            f"Imported {summary.imported:,} payments totalling £{summary.total_imported:,.2f}",
            "success",
        )
        return redirect(url_for("imports.detail", org_slug=org_slug, import_id=summary.import_id))
    for name in missing:
        label = FIELD_LABELS[name].lower()
        getattr(form, f"field_{name}").errors = [f"Choose the column that holds the {label}"]
    previous = plan and import_history.previous_import_of(org=g.org, checksum=plan.checksum)
    return render_template(
        "imports/preview.html",
        title="Check the columns",
        form=form,
        org=g.org,
        pending=pending,
        table=table,
        sample=table.rows.head(PREVIEW_ROWS).values.tolist(),
        sample_rows=table.row_numbers[:PREVIEW_ROWS].tolist(),
        examples=examples,
        mapping=mapping,
        scored=scored,
        missing=missing,
        plan=plan,
        summary=plan.summary(dry_run=True) if plan else None,
        previous=previous,
        error=error,
        fields=FIELDS,
        mapping_args=chosen,
    )


@bp.get("/imports/uploads/<int:upload_id>/problems.csv")
@organisation_access(Permission.MANAGE_REGISTER)
def upload_problems(org_slug: str, upload_id: int) -> Response:
    """The rows of a checked file that have problems, as CSV."""
    pending = uploads.get_upload(org=g.org, user=signed_in_user(), upload_id=upload_id)
    sheet = request.args.get("sheet") or None
    table = imports.read_spend_file(
        data=pending.data, filename=pending.file_name, sheet=sheet, uploaded=True
    )
    requested = {name: request.args.get(name) or None for name in FIELDS if name in request.args}
    plan = imports.plan_import(
        org=g.org,
        data=pending.data,
        filename=pending.file_name,
        sheet=sheet,
        mapping=requested,
        table=table,
    )
    rows = imports.problem_rows(table, plan.parsed.problems)
    return _problems_csv(table.columns, rows, f"problems-{pending.file_name}")


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
