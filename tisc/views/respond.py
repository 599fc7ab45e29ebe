"""The supplier's side of a self-assessment: answer, save and come back, check and send.

No account: every route takes the link's token (tisc.web.access.invitation_link) and reaches
only that one questionnaire.
"""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from tisc.forms import add_error
from tisc.forms.assessments import SUB_SUPPLIER_ROWS, SupplierSubmitForm, answers_form
from tisc.models import Invitation
from tisc.rules.years import long_date
from tisc.services.assessments import invitations
from tisc.services.assessments import records as assessments
from tisc.services.assessments.invitations import MAX_SUB_SUPPLIERS, SubSupplierInput
from tisc.services.errors import DomainError
from tisc.web.access import invitation_link
from tisc.web.errors import render_error
from tisc.web.saving import expected_version, saving

bp = Blueprint("respond", __name__, url_prefix="/respond/<token>")

# The most a supplier's form can send: every answer's evidence (5,000 characters) and link
# (500) typed in full, 50 sub-suppliers, with room for percent-encoding. Anyone holding a link
# can post, so a bigger body is refused before anything reads it.
MAX_FORM_BYTES = 256 * 1024
TOO_LARGE = (
    "Your answers are too long to save in one go, so nothing was saved. Go back, shorten "
    "the evidence you typed (or give a link to it instead) and save again."
)


@bp.before_request
def _refuse_large_bodies() -> Response | None:
    """Refuse a POST over MAX_FORM_BYTES before its form is parsed or the link is looked up."""
    if request.method != "POST":
        return None
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        refusal = make_response(
            render_error(413, TOO_LARGE, title="Your answers are too long to save")
        )
        # As on every page of the link (tisc.web.access.invitation_link): the token is in
        # the address, so it is never sent on nor cached.
        refusal.headers["Referrer-Policy"] = "no-referrer"
        refusal.headers["Cache-Control"] = "no-store"
        return refusal
    # A body without a length (chunked) is cut off at the same size while it is read.
    request.max_content_length = MAX_FORM_BYTES
    return None


def _too_many_posts(invitation: Invitation) -> tuple[str, int] | None:
    """Count this POST on the link; the refusal page when it is one too many."""
    if request.method != "POST":
        return None
    with saving(show=lambda _error: None) as counted:
        invitations.count_link_post(invitation=invitation)
    if counted or counted.error is None:
        return None
    return render_error(counted.error.status_code, counted.error.message)


def _sub_supplier_data(invitation: Invitation) -> list[dict[str, str]]:
    rows = [
        {"name": s.name, "tier": str(s.tier), "country": s.country, "supplies": s.supplies}
        for s in assessments.assessment_sub_suppliers(assessment=invitation.assessment)
    ]
    blanks = min(max(SUB_SUPPLIER_ROWS - len(rows), 2), MAX_SUB_SUPPLIERS - len(rows))
    return rows + [{"name": "", "tier": "", "country": "", "supplies": ""}] * blanks


def _sub_supplier_inputs(form) -> list[SubSupplierInput]:
    return [
        SubSupplierInput(
            row.form.name.data or "",
            row.form.tier.data or "",
            row.form.country.data or "",
            row.form.supplies.data or "",
        )
        for row in form.subs
    ]


def _show_error(form, error: DomainError) -> None:
    """Put a refusal on its sub-supplier row's field ("subs-2-name"), or on the form."""
    parts = (error.field or "").split("-")
    row = None
    if len(parts) == 3 and parts[0] == "subs" and parts[1].isdigit():
        index, name = int(parts[1]), parts[2]
        if index < len(form.subs.entries) and name in form.subs.entries[index].form:
            row = form.subs.entries[index].form
    if row is None:
        add_error(form, error, default_field="version")
        return
    row[name].errors = [*row[name].errors, error.message]
    # WTForms caches errors at every level: recompute them so the error summary lists it.
    row._errors = None
    form.subs.errors = [entry.form.errors for entry in form.subs.entries]
    form._errors = None


@bp.route("", methods=["GET", "POST"])
@invitation_link
def answer(token: str) -> str | Response | tuple[str, int]:
    """The questionnaire, with the supplier's saved answers."""
    invitation: Invitation = g.invitation
    refused = _too_many_posts(invitation)
    if refused:
        return refused
    assessment = invitation.assessment
    definition = assessment.questionnaire.definition
    form = answers_form(definition, sub_suppliers=definition.sub_suppliers)
    form.finish.label.text = "Save and check your answers"
    if not form.is_submitted():
        form.fill(assessment)
        if definition.sub_suppliers:
            form.subs.process(None, data=_sub_supplier_data(invitation))
    elif form.validate_on_submit():
        with saving(show=partial(_show_error, form)) as saved:
            invitations.save_supplier_answers(
                invitation=invitation,
                answers=form.answer_inputs(assessment),
                sub_suppliers=_sub_supplier_inputs(form) if definition.sub_suppliers else None,
                expected_version=expected_version(form),
            )
        if saved:
            if form.finish.data:
                return redirect(url_for("respond.check", token=token))
            flash(
                "Your answers have been saved. Use the same link to come back before "
                f"{long_date(invitation.expires_at)}.",
                "success",
            )
            return redirect(url_for("respond.answer", token=token))
    return render_template(
        "respond/answer.html",
        title=definition.title,
        invitation=invitation,
        assessment=assessment,
        definition=definition,
        form=form,
    )


@bp.route("/check", methods=["GET", "POST"])
@invitation_link
def check(token: str) -> str | Response | tuple[str, int]:
    """The score and recommendations; the supplier acknowledges them and sends the answers."""
    invitation: Invitation = g.invitation
    refused = _too_many_posts(invitation)
    if refused:
        return refused
    assessment = invitation.assessment
    score = invitations.supplier_score(invitation=invitation)
    form = SupplierSubmitForm()
    if not score.recommendations:
        del form.acknowledged  # nothing to acknowledge: the box is not asked
    if not form.is_submitted():
        form.version.data = str(assessment.version_id)
        form.respondent_name.data = assessment.respondent_name or invitation.contact_name
    if form.validate_on_submit():
        with saving(form, field="respondent_name") as saved:
            invitations.submit_supplier_answers(
                invitation=invitation,
                respondent_name=form.respondent_name.data,
                respondent_role=form.respondent_role.data,
                acknowledged=bool(score.recommendations and form.acknowledged.data),
                expected_version=expected_version(form),
            )
        if saved:
            # No redirect: the link stops working once the answers are sent.
            return render_template(
                "respond/sent.html",
                title="Your answers have been sent",
                invitation=invitation,
                score=score,
            )
    return render_template(
        "respond/check.html",
        title="Check your answers before sending them",
        invitation=invitation,
        assessment=assessment,
        definition=assessment.questionnaire.definition,
        sub_suppliers=assessments.assessment_sub_suppliers(assessment=assessment),
        score=score,
        form=form,
    )
