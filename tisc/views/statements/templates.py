"""Administration of statement templates: upload (checked), list, download, try, deactivate."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from tisc.extensions import db
from tisc.forms.statement_templates import TemplateUploadForm
from tisc.services.statements import templates
from tisc.services.statements.samples import sample_context
from tisc.services.statements.templates import TemplateRenderError
from tisc.web import downloads  # the module: download is also a view here
from tisc.web.access import admin_only, signed_in_user
from tisc.web.saving import confirmed, saving

bp = Blueprint("statement_templates", __name__, url_prefix="/admin/statement-templates")


def _index(try_error: str | None = None, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "statement_templates/index.html",
            title=("Error: " if try_error else "") + "Statement templates",
            rows=templates.list_template_rows(),
            try_error=try_error,
        ),
        status,
    )


@bp.get("/")
@admin_only
def index() -> tuple[str, int]:
    """Every uploaded template."""
    return _index()


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def upload() -> str | Response:
    """Upload a template; it is checked and nothing is stored if it is refused."""
    form = TemplateUploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        with saving(form, field="file") as saved:
            template = templates.upload_template(
                name=form.name.data,
                file_name=storage.filename or "template.docx",
                data=storage.read(),
                user=signed_in_user(),
            )
        if saved:
            flash(f"{template.name} has been checked and added", "success")
            return redirect(url_for("statement_templates.index"))
    return render_template(
        "statement_templates/upload.html",
        title="Upload a statement template",
        form=form,
        placeholders=sorted(templates.KNOWN_PLACEHOLDERS),
    )


@bp.get("/<int:template_id>/download")
@admin_only
def download(template_id: int) -> Response:
    """The template exactly as it was uploaded."""
    template = templates.get_template(template_id=template_id)
    return downloads.download(template.content, template.file_name)


@bp.route("/<int:template_id>/deactivate", methods=["GET", "POST"])
@admin_only
def deactivate(template_id: int) -> str | Response:
    """Stop offering a template for new statements, once confirmed (the GET, or a POST
    without it, asks first)."""
    template = templates.get_template(template_id=template_id)
    if not confirmed():
        return render_template(
            "statement_templates/deactivate_confirm.html",
            title=f"Are you sure you want to withdraw {template.name}?",
            template=template,
            documents=templates.count_template_documents(template=template),
        )
    templates.deactivate_template(template=template)
    db.session.commit()
    flash(f"{template.name} will no longer be offered", "success")
    return redirect(url_for("statement_templates.index"))


@bp.post("/<int:template_id>/try")
@admin_only
def try_template(template_id: int) -> Response | tuple[str, int]:
    """The template filled in with made-up figures, in a separate limited process."""
    template = templates.get_template(template_id=template_id)
    try:
        body = templates.render_in_subprocess(
            template_bytes=template.content, context=sample_context()
        )
    except TemplateRenderError as error:
        return _index(try_error=f"{template.name}: {error.message}", status=400)
    stem = template.file_name.rsplit(".", 1)[0] or "template"
    return downloads.download(body, f"{stem}-sample.docx")
