"""A supplier's completed Slavery and Trafficking Risk Template: upload, preview, import, and
the file kept with the draft assessment it filled."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms.assessments import StrtConfirmForm, StrtUploadForm, year_choices
from tisc.models import Supplier
from tisc.rules.authz import Permission
from tisc.services.assessments import records as assessments
from tisc.services.assessments import strt
from tisc.services.assessments.years import assessment_years
from tisc.services.errors import DomainError
from tisc.services.register import suppliers
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import saving
from tisc.web.years import today

bp = Blueprint("assessment_strt", __name__, url_prefix="/organisations/<org_slug>")


def _supplier(supplier_id: int) -> Supplier:
    return suppliers.get_supplier(org=g.org, supplier_id=supplier_id)


@bp.route("/suppliers/<int:supplier_id>/strt", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def upload(org_slug: str, supplier_id: int) -> str | Response:
    """Step 1: the supplier's completed template and the year its assessment is for."""
    supplier = _supplier(supplier_id)
    form = StrtUploadForm()
    years = assessment_years(org=g.org, supplier=supplier, today=today())
    form.financial_year.choices = year_choices(years.years)
    if not form.is_submitted():
        form.financial_year.data = years.default
    if form.validate_on_submit():
        storage = form.file.data
        with saving(form, field="file") as saved:
            kept = strt.upload_strt(
                org=g.org,
                supplier=supplier,
                financial_year=form.financial_year.data,
                filename=storage.filename or "strt.xlsx",
                data=storage.read(),
                user=signed_in_user(),
            )
        if saved:
            return redirect(
                url_for(
                    "assessment_strt.preview",
                    org_slug=org_slug,
                    supplier_id=supplier.id,
                    file_id=kept.id,
                )
            )
    return render_template(
        "assessments/strt_upload.html",
        title="Import a completed STRT",
        org=g.org,
        supplier=supplier,
        form=form,
    )


@bp.route("/suppliers/<int:supplier_id>/strt/<int:file_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def preview(org_slug: str, supplier_id: int, file_id: int) -> str | Response:
    """Step 2: each STRT answer and the question it fills, or why it does not; confirming
    puts them into the draft assessment."""
    supplier = _supplier(supplier_id)
    strt_file = strt.get_strt_file(org=g.org, supplier=supplier, file_id=file_id)
    back = url_for("suppliers.detail", org_slug=org_slug, supplier_id=supplier.id)
    if strt_file.assessment_id is not None:
        return redirect(
            url_for("assessments.detail", org_slug=org_slug, assessment_id=strt_file.assessment_id)
        )
    form = StrtConfirmForm()
    if form.validate_on_submit():
        with saving() as saved:
            assessment = strt.import_strt(
                org=g.org, supplier=supplier, strt_file=strt_file, user=signed_in_user()
            )
        if saved:
            flash(
                f"The draft assessment now has {len(assessment.answers)} answers. Check them "
                "against the template, answer the rest and submit it."
            )
            return redirect(
                url_for("assessments.answer", org_slug=org_slug, assessment_id=assessment.id)
            )
        return redirect(back)
    try:
        found = strt.strt_preview(org=g.org, supplier=supplier, strt_file=strt_file)
    except DomainError as error:  # the year's assessment moved on since the upload
        flash(str(error))
        return redirect(back)
    return render_template(
        "assessments/strt_preview.html",
        title="Check the answers from the STRT",
        org=g.org,
        supplier=supplier,
        preview=found,
        form=form,
    )


@bp.get("/assessments/<int:assessment_id>/strt/<int:file_id>")
@organisation_access(Permission.READ_ORGANISATION)
def download_file(org_slug: str, assessment_id: int, file_id: int) -> Response:
    """The template as the supplier sent it, kept as evidence with the assessment."""
    assessment = assessments.get_assessment(org=g.org, assessment_id=assessment_id)
    strt_file = strt.get_assessment_strt_file(assessment=assessment, file_id=file_id)
    return download(strt_file.data, strt_file.file_name, etag=strt_file.sha256)
