"""Scoring suppliers: the body's assessments, answering, reviewing, accepting and sharing."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from tisc.forms import choices
from tisc.forms.assessments import (
    AdjustForm,
    AdoptForm,
    StartForm,
    VersionForm,
    answers_form,
    year_choices,
)
from tisc.models import AssessmentStatus, Supplier, SupplierAssessment
from tisc.rules.authz import Permission
from tisc.rules.questionnaire import Section, SectionStatus, section_status
from tisc.services.assessments import records as assessments
from tisc.services.assessments import strt
from tisc.services.assessments.years import assessment_years
from tisc.services.register import suppliers
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.saving import confirmed, expected_version, saving
from tisc.web.years import today

bp = Blueprint("assessments", __name__, url_prefix="/organisations/<org_slug>")


def _supplier(supplier_id: int) -> Supplier:
    return suppliers.get_supplier(org=g.org, supplier_id=supplier_id)


def _assessment(assessment_id: int) -> SupplierAssessment:
    return assessments.get_assessment(org=g.org, assessment_id=assessment_id)


def _to_detail(assessment: SupplierAssessment) -> Response:
    return redirect(url_for("assessments.detail", org_slug=g.org.slug, assessment_id=assessment.id))


@bp.get("/assessments")
@organisation_access(Permission.READ_ORGANISATION)
def index(org_slug: str) -> str:
    """The body's assessments, with those awaiting review first."""
    status = request.args.get("status")
    wanted = AssessmentStatus(status) if status in {s.value for s in AssessmentStatus} else None
    found = assessments.list_assessments(org=g.org, status=wanted)
    awaiting = assessments.list_assessments(org=g.org, status=AssessmentStatus.AWAITING_REVIEW)
    return render_template(
        "assessments/index.html",
        title=f"Assessments – {g.org.name}",
        org=g.org,
        assessments=found,
        awaiting=awaiting,
        status=wanted,
        statuses=list(AssessmentStatus),
    )


@bp.route("/suppliers/<int:supplier_id>/assess", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def start(org_slug: str, supplier_id: int) -> str | Response:
    """Start an assessment that the body answers itself."""
    supplier = _supplier(supplier_id)
    form = StartForm()
    years = assessment_years(org=g.org, supplier=supplier, today=today())
    form.financial_year.choices = year_choices(years.years)
    if not form.is_submitted():
        form.financial_year.data = years.default
        form.questionnaire.data = "short" if supplier.charity_number else "standard"
    if form.validate_on_submit():
        with saving(form, field="financial_year") as saved:
            assessment = assessments.start_assessment(
                org=g.org,
                supplier=supplier,
                financial_year=form.financial_year.data,
                questionnaire_key=form.questionnaire.data,
                user=signed_in_user(),
            )
        if saved:
            return redirect(
                url_for("assessments.answer", org_slug=org_slug, assessment_id=assessment.id)
            )
    return render_template(
        "assessments/start.html", title="Assess a supplier", org=g.org, supplier=supplier, form=form
    )


def _answers_url(assessment: SupplierAssessment, section: Section | None = None) -> str:
    return url_for(
        "assessments.answer",
        org_slug=g.org.slug,
        assessment_id=assessment.id,
        section=section.key if section else None,
    )


def _next_section(assessment: SupplierAssessment, after: Section) -> Section | None:
    """The first section after `after` that is not complete yet, if any."""
    sections = assessment.questionnaire.definition.sections
    answers = assessment.answer_map
    later = sections[sections.index(after) + 1 :]
    return next(
        (s for s in later if section_status(s, answers) is not SectionStatus.COMPLETED), None
    )


@bp.route("/assessments/<int:assessment_id>/answers", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def answer(org_slug: str, assessment_id: int) -> str | Response:
    """Answer the questionnaire about the supplier: a task list of its sections, one page per
    section (?section=key, checked when you continue), and submitting once all are done."""
    assessment = _assessment(assessment_id)
    if assessment.status is not AssessmentStatus.DRAFT:
        if request.method == "POST":
            flash(f"Nothing was saved: the assessment is {assessment.status.label.lower()}")
        return _to_detail(assessment)
    definition = assessment.questionnaire.definition
    section = definition.section(request.args.get("section"))
    if request.args.get("section") and section is None:
        abort(404)
    form = answers_form(definition, buyer=True)
    form.finish.label.text = "Submit the assessment"
    if not form.is_submitted():
        form.fill(assessment)
    elif form.validate_on_submit() and (
        section is None or not form.next.data or form.require_answers(section)
    ):
        user = signed_in_user()
        with saving(form, field="version") as saved:
            assessments.save_answers(
                assessment=assessment,
                answers=form.answer_inputs(assessment, posted=request.form),
                expected_version=expected_version(form),
            )
            if form.finish.data:
                assessments.submit_assessment(
                    assessment=assessment, user=user, expected_version=None
                )
        if saved:
            if form.finish.data:
                flash(f"The assessment of {assessment.supplier.name} is complete", "success")
                return _to_detail(assessment)
            if form.next.data and section is not None:
                return redirect(_answers_url(assessment, _next_section(assessment, section)))
            flash("Your answers have been saved as a draft", "success")
            return redirect(_answers_url(assessment))
    title = f"Assess {assessment.supplier.name}"
    if section is None:
        answers = assessment.answer_map
        statuses = [(s, section_status(s, answers)) for s in definition.sections]
        return render_template(
            "assessments/answer.html",
            title=title,
            org=g.org,
            assessment=assessment,
            definition=definition,
            statuses=statuses,
            done=sum(status is SectionStatus.COMPLETED for _, status in statuses),
            complete=all(status is SectionStatus.COMPLETED for _, status in statuses),
            section_url=lambda s: _answers_url(assessment, s),
            form=form,
        )
    number = definition.sections.index(section) + 1
    return render_template(
        "assessments/answer_section.html",
        title=f"{section.buyer_title or section.title} – {title}",
        org=g.org,
        assessment=assessment,
        definition=definition,
        section=section,
        number=number,
        task_list_url=_answers_url(assessment),
        form=form,
    )


@bp.get("/assessments/<int:assessment_id>")
@organisation_access(Permission.READ_ORGANISATION)
def detail(org_slug: str, assessment_id: int) -> str:
    """An assessment: score, rating and why, recommendations, every answer."""
    assessment = _assessment(assessment_id)
    rated = assessments.rate_assessment(org=g.org, assessment=assessment)
    change_url: Callable[[str], str] | None = None
    if (
        assessment.status is AssessmentStatus.AWAITING_REVIEW
        and Permission.MANAGE_REGISTER in g.org_permissions
    ):

        def change_url(key: str) -> str:
            return url_for(
                "assessments.adjust",
                org_slug=org_slug,
                assessment_id=assessment.id,
                question_key=key,
            )

    action_form = VersionForm()
    action_form.version.data = str(assessment.version_id)
    return render_template(
        "assessments/detail.html",
        title=f"Assessment of {assessment.supplier.name}",
        org=g.org,
        assessment=assessment,
        rated=rated,
        change_url=change_url,
        action_form=action_form,
        sub_suppliers=assessments.assessment_sub_suppliers(assessment=assessment),
        invitation=assessments.assessment_invitation(assessment=assessment),
        strt_files=strt.assessment_strt_files(assessment=assessment),
    )


@bp.route("/assessments/<int:assessment_id>/answers/<question_key>/change", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def adjust(org_slug: str, assessment_id: int, question_key: str) -> str | Response:
    """Change one of the supplier's answers while reviewing, with a reason."""
    assessment = _assessment(assessment_id)
    question = assessment.questionnaire.definition.question(question_key)
    if question is None:
        abort(404)
    if assessment.status is not AssessmentStatus.AWAITING_REVIEW:
        return _to_detail(assessment)
    given = next((a for a in assessment.answers if a.question_key == question_key), None)
    form = AdjustForm()
    form.option.choices = choices((o.key, o.label) for o in question.options)
    form.option.label.text = question.text
    if not form.is_submitted():
        form.version.data = str(assessment.version_id)
        form.option.data = given.option_key if given else None
    if form.validate_on_submit():
        with saving(form, field="option") as saved:
            assessments.adjust_answer(
                assessment=assessment,
                question_key=question_key,
                option_key=form.option.data,
                reason=form.reason.data,
                user=signed_in_user(),
                expected_version=expected_version(form),
            )
        if saved:
            flash("The answer has been changed", "success")
            return _to_detail(assessment)
    return render_template(
        "assessments/adjust.html",
        title="Change an answer",
        org=g.org,
        assessment=assessment,
        question=question,
        given=given,
        form=form,
    )


def _act(assessment_id: int, action: Callable[..., None], done: str) -> Response:
    assessment = _assessment(assessment_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        action(
            assessment=assessment, user=signed_in_user(), expected_version=expected_version(form)
        )
    if saved:
        flash(done.format(supplier=assessment.supplier.name), "success")
    return _to_detail(assessment)


@bp.post("/assessments/<int:assessment_id>/accept")
@organisation_access(Permission.MANAGE_REGISTER)
def accept(org_slug: str, assessment_id: int) -> Response:
    """Accept a supplier's self-assessment as it stands (after any changes)."""
    return _act(
        assessment_id,
        assessments.accept_assessment,
        "You have accepted the assessment of {supplier}",
    )


@bp.route("/assessments/<int:assessment_id>/cancel", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def cancel(org_slug: str, assessment_id: int) -> str | Response:
    """Cancel an assessment that is not complete; its link stops working. The GET (or a POST
    without confirmation) asks first."""
    if not confirmed():
        assessment = _assessment(assessment_id)
        return render_template(
            "assessments/cancel_confirm.html",
            title=f"Are you sure you want to cancel the assessment of {assessment.supplier.name}?",
            org=g.org,
            assessment=assessment,
        )
    return _act(
        assessment_id,
        assessments.cancel_assessment,
        "The assessment of {supplier} has been cancelled",
    )


@bp.get("/suppliers/<int:supplier_id>/shared-assessments/<int:assessment_id>")
@organisation_access(Permission.READ_ORGANISATION)
def shared(org_slug: str, supplier_id: int, assessment_id: int) -> str:
    """Another body's complete assessment of the same business, to read and adopt."""
    supplier = _supplier(supplier_id)
    shared_assessment = assessments.get_shared_assessment(
        org=g.org, supplier=supplier, assessment_id=assessment_id
    )
    form = AdoptForm()
    form.financial_year.choices = year_choices(
        assessment_years(org=g.org, supplier=supplier, today=today()).years
    )
    form.financial_year.data = shared_assessment.financial_year
    return render_template(
        "assessments/shared.html",
        title=f"Assessment of {supplier.name} shared by {shared_assessment.organisation.name}",
        org=g.org,
        supplier=supplier,
        shared=shared_assessment,
        definition=shared_assessment.questionnaire.definition,
        form=form,
    )


@bp.post("/suppliers/<int:supplier_id>/shared-assessments/<int:assessment_id>/adopt")
@organisation_access(Permission.MANAGE_REGISTER)
def adopt(org_slug: str, supplier_id: int, assessment_id: int) -> str | Response:
    """Use a partner's assessment as this body's for a year, instead of asking again."""
    supplier = _supplier(supplier_id)
    shared_assessment = assessments.get_shared_assessment(
        org=g.org, supplier=supplier, assessment_id=assessment_id
    )
    form = AdoptForm()
    form.financial_year.choices = year_choices(
        assessment_years(org=g.org, supplier=supplier, today=today()).years
    )
    if form.validate_on_submit():
        with saving(form, field="financial_year") as saved:
            adopted = assessments.adopt_assessment(
                org=g.org,
                supplier=supplier,
                shared=shared_assessment,
                financial_year=form.financial_year.data,
                user=signed_in_user(),
            )
        if saved:
            flash(
                f"{supplier.name} now has the assessment shared by "
                f"{shared_assessment.organisation.name}",
                "success",
            )
            return _to_detail(adopted)
    return render_template(
        "assessments/shared.html",
        title=f"Assessment of {supplier.name} shared by {shared_assessment.organisation.name}",
        org=g.org,
        supplier=supplier,
        shared=shared_assessment,
        definition=shared_assessment.questionnaire.definition,
        form=form,
    )
