"""Inviting suppliers to assess themselves: the link, the message to send, and the outbox."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from tisc.extensions import db
from tisc.forms.assessments import InviteForm, VersionForm, year_choices
from tisc.models import Invitation
from tisc.rules.authz import Permission
from tisc.rules.numbers import whole_number
from tisc.services.assessments import invitations
from tisc.services.assessments.years import assessment_years
from tisc.services.register import suppliers
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.saving import expected_version, saving
from tisc.web.years import moved_now, today

bp = Blueprint("invitations", __name__, url_prefix="/organisations/<org_slug>")


def invitation_link(token: str) -> str:
    """The full address of a self-assessment link."""
    path = url_for("respond.answer", token=token)
    base = current_app.config.get("BASE_URL") or request.url_root.rstrip("/")
    return base + path


def _show_link(invitation: Invitation, token: str) -> str:
    """The one time the link is shown: only its hash is kept."""
    link = invitation_link(token)
    db.session.commit()  # the invitation is kept whatever happens to the email
    try:
        sent = invitations.send_if_configured(invitation=invitation, link=link)
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Sending invitation %s failed", invitation.id)
        flash("The email could not be sent: copy the link and send it yourself", "error")
        sent = False
    form = VersionForm()
    form.version.data = str(invitation.version_id)
    return render_template(
        "invitations/link.html",
        title="Send the link to the supplier",
        org=g.org,
        invitation=invitation,
        link=link,
        sent=sent,
        message=invitations.invitation_message(invitation=invitation, link=link),
        form=form,
    )


@bp.route("/suppliers/<int:supplier_id>/invite", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def invite(org_slug: str, supplier_id: int) -> str:
    """Make a self-assessment link for a supplier."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    form = InviteForm()
    years = assessment_years(org=g.org, supplier=supplier, today=today())
    form.financial_year.choices = year_choices(years.years)
    if not form.is_submitted():
        form.financial_year.data = years.default
        form.questionnaire.data = "short" if supplier.charity_number else "standard"
        form.days.data = current_app.config["INVITATION_DAYS"]
    if form.validate_on_submit():
        with saving(form, field="financial_year") as saved:
            invitation, token = invitations.create_invitation(
                org=g.org,
                supplier=supplier,
                financial_year=form.financial_year.data,
                questionnaire_key=form.questionnaire.data,
                user=signed_in_user(),
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                days=form.days.data,
            )
        if saved:
            return _show_link(invitation, token)
    return render_template(
        "invitations/invite.html",
        title="Invite the supplier to answer",
        org=g.org,
        supplier=supplier,
        form=form,
    )


@bp.get("/invitations")
@organisation_access(Permission.READ_ORGANISATION)
def outbox(org_slug: str) -> str:
    """Every invitation and where it is: to send, sent, answered, accepted, expired."""
    asked = request.args.get("page", 1, type=whole_number)
    found, total, page = invitations.outbox(org=g.org, page=asked)
    form = VersionForm()
    return render_template(
        "invitations/outbox.html",
        title=f"Invitations – {g.org.name}",
        org=g.org,
        total=total,
        page=page,
        pages=max(1, -(-total // invitations.OUTBOX_PAGE)),
        invitations=[(i, invitations.invitation_state(i, now=moved_now())) for i in found],
        form=form,
        mail_on=current_app.config.get("MAIL_BACKEND", "none") != "none",
    )


def _invitation(invitation_id: int) -> Invitation:
    return invitations.get_invitation(org=g.org, invitation_id=invitation_id)


@bp.post("/invitations/<int:invitation_id>/sent")
@organisation_access(Permission.MANAGE_REGISTER)
def mark_sent(org_slug: str, invitation_id: int) -> Response:
    """Record that the lead sent the link from the body's own email."""
    invitation = _invitation(invitation_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        invitations.mark_sent(invitation=invitation, expected_version=expected_version(form))
    if saved:
        flash(f"The invitation to {invitation.supplier.name} is marked as sent", "success")
    return redirect(url_for("invitations.outbox", org_slug=org_slug))


@bp.post("/invitations/<int:invitation_id>/new-link")
@organisation_access(Permission.MANAGE_REGISTER)
def new_link(org_slug: str, invitation_id: int) -> str | Response:
    """A new link for a lost or expired one; the old link stops working."""
    invitation = _invitation(invitation_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        token = invitations.new_link(
            invitation=invitation,
            days=current_app.config["INVITATION_DAYS"],
            expected_version=expected_version(form),
        )
    if not saved:
        return redirect(url_for("invitations.outbox", org_slug=org_slug))
    return _show_link(invitation, token)
