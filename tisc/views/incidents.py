"""A body's incident and remediation log: the list, recording and changing an incident, and
its page. Restricted: the body's statement and procurement leads and administrators; anyone
else answers 404 (the board and coordinators see the counts on the board dashboard)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms import choices
from tisc.forms.incidents import NO_NAMES, IncidentForm
from tisc.models import Incident
from tisc.rules.years import long_date
from tisc.services.incidents import records as service
from tisc.web.access import incident_access, signed_in_user
from tisc.web.saving import expected_version, saving
from tisc.web.years import today

bp = Blueprint("incidents", __name__, url_prefix="/organisations/<org_slug>/incidents")


@bp.get("")
@incident_access
def index(org_slug: str) -> str:
    """The body's incidents, open ones first."""
    return render_template(
        "incidents/index.html",
        title=f"Incidents and remediation – {g.org.name}",
        org=g.org,
        incidents=service.list_incidents(org=g.org),
    )


@bp.route("/new", methods=["GET", "POST"])
@incident_access
def new(org_slug: str) -> str | Response:
    """Record an incident."""
    return _form(None)


@bp.route("/<int:incident_id>/edit", methods=["GET", "POST"])
@incident_access
def edit(org_slug: str, incident_id: int) -> str | Response:
    """Change an incident, or close it with its outcome."""
    return _form(service.get_incident(org=g.org, incident_id=incident_id))


@bp.get("/<int:incident_id>")
@incident_access
def detail(org_slug: str, incident_id: int) -> str:
    """An incident: what was found, the referrals, the remediation and its outcome."""
    incident = service.get_incident(org=g.org, incident_id=incident_id)
    return render_template(
        "incidents/detail.html",
        title=f"Incident found on {long_date(incident.found_on)}",
        org=g.org,
        incident=incident,
    )


def _form(incident: Incident | None) -> str | Response:
    form = IncidentForm(obj=incident)
    form.supplier_id.choices = choices(
        [("", "Not recorded"), *((str(i), name) for i, name in service.supplier_choices(org=g.org))]
    )
    if incident is None and not form.is_submitted():
        form.status.data = "open"
    if incident is not None and not form.is_submitted():
        form.version.data = str(incident.version_id)
        form.tier.data = incident.tier.value
        form.source.data = incident.source.value
        form.status.data = incident.status.value
        form.indicators.data = [i.value for i in incident.indicator_list]
        form.referrals.data = [r.value for r in incident.referral_list]
        form.remediation_types.data = [r.value for r in incident.remediation_list]
    if form.validate_on_submit():
        details = service.IncidentDetails(
            found_on=form.found_on.data,
            supplier_id=form.supplier_id.data,
            tier=form.tier.data,
            indicators=form.indicators.data or [],
            source=form.source.data,
            summary=form.summary.data,
            referrals=form.referrals.data or [],
            remediation_types=form.remediation_types.data or [],
            remediation=form.remediation.data,
            outcome=form.outcome.data,
            status=form.status.data,
            closed_on=form.closed_on.data,
        )
        with saving(form, field="found_on") as saved:
            if incident is None:
                incident = service.add_incident(
                    org=g.org, user=signed_in_user(), details=details, today=today()
                )
            else:
                service.update_incident(
                    org=g.org,
                    record=incident,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    details=details,
                    today=today(),
                )
        if saved:
            assert incident is not None
            flash("The incident has been saved", "success")
            return redirect(
                url_for("incidents.detail", org_slug=g.org.slug, incident_id=incident.id)
            )
    return render_template(
        "incidents/form.html",
        title="Record an incident" if incident is None else "Edit the incident",
        org=g.org,
        form=form,
        incident=incident,
        no_names=NO_NAMES,
    )
