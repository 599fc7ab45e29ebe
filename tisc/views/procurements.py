"""A body's procurements: the list (with its contracts), adding and changing one, its page,
and its PPN 009 risk assessment."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms import choices
from tisc.forms.procurements import Ppn009Form, ProcurementForm
from tisc.models import Procurement
from tisc.rules.authz import Permission
from tisc.rules.ppn009 import (
    Characteristic,
    below_highest,
    late_warning,
    missing_mitigations,
    parse_mitigations,
)
from tisc.rules.procurement import suggested_regime
from tisc.services.exclusions.decisions import decisions_in
from tisc.services.procurements import contract_management, ppn009
from tisc.services.procurements import procurements as service
from tisc.services.register import contracts
from tisc.services.register.categories import list_categories, organisation_partnership
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.saving import expected_version, saving
from tisc.web.years import today

bp = Blueprint("procurements", __name__, url_prefix="/organisations/<org_slug>/procurements")


@bp.get("")
@organisation_access(Permission.READ_ORGANISATION)
def index(org_slug: str) -> str:
    """The body's procurements with their PPN 009 risk, and its contracts with their KPIs,
    clause and latest rating."""
    found = service.list_procurements(org=g.org)
    return render_template(
        "procurements/index.html",
        title=f"Procurements and contracts – {g.org.name}",
        org=g.org,
        procurements=found,
        late={p.id: _late(p) for p in found},
        contracts=contract_management.contract_summaries(
            contracts=contracts.list_contracts(org=g.org)
        ),
    )


@bp.route("/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new(org_slug: str) -> str | Response:
    """Record a procurement."""
    return _form(None)


@bp.route("/<int:procurement_id>/edit", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit(org_slug: str, procurement_id: int) -> str | Response:
    """Change a procurement."""
    return _form(service.get_procurement(org=g.org, procurement_id=procurement_id))


@bp.get("/<int:procurement_id>")
@organisation_access(Permission.READ_ORGANISATION)
def detail(org_slug: str, procurement_id: int) -> str:
    """A procurement: its details and key dates, its PPN 009 assessment, its contract."""
    procurement = service.get_procurement(org=g.org, procurement_id=procurement_id)
    return render_template(
        "procurements/detail.html",
        title=procurement.title,
        org=g.org,
        procurement=procurement,
        late=_late(procurement),
        suggested_regime=suggested_regime(procurement.tender_notice_on),
        exclusion_decisions=decisions_in(org=g.org, procurement=procurement, today=today()),
        Characteristic=Characteristic,
    )


@bp.get("/<int:procurement_id>/ppn009")
@organisation_access(Permission.READ_ORGANISATION)
def assessment(org_slug: str, procurement_id: int) -> str:
    """The PPN 009 risk assessment as recorded, with the suggestion and what it is based on,
    and a warning when it was recorded after the tender notice."""
    procurement = service.get_procurement(org=g.org, procurement_id=procurement_id)
    recorded = procurement.assessment
    return render_template(
        "procurements/assessment.html",
        title=f"PPN 009 risk assessment: {procurement.title}",
        org=g.org,
        procurement=procurement,
        assessment=recorded,
        late=_late(procurement),
        suggestion=ppn009.suggestion_for(procurement=procurement),
        below_highest=recorded is not None and below_highest(recorded.levels, recorded.overall),
        missing=missing_mitigations(recorded.overall, recorded.mitigation_list) if recorded else [],
        Characteristic=Characteristic,
    )


@bp.route("/<int:procurement_id>/ppn009/edit", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit_assessment(org_slug: str, procurement_id: int) -> str | Response:
    """Record the PPN 009 risk assessment, or review it."""
    procurement = service.get_procurement(org=g.org, procurement_id=procurement_id)
    recorded = procurement.assessment
    form = Ppn009Form(obj=recorded)
    if recorded is not None and not form.is_submitted():
        form.version.data = str(recorded.version_id)
        form.mitigations.data = [m.value for m in recorded.mitigation_list]
        for characteristic in Characteristic:
            getattr(form, characteristic.value).data = recorded.level(characteristic).value
        form.overall.data = recorded.overall.value
    if form.validate_on_submit():
        given = ppn009.AssessmentInput(
            levels={c: getattr(form, c.value).data for c in Characteristic},
            notes={c: getattr(form, f"{c.value}_note").data for c in Characteristic},
            overall=form.overall.data,
            reasons=form.reasons.data,
            mitigations=parse_mitigations(form.mitigations.data or []),
            mitigation_note=form.mitigation_note.data,
        )
        with saving(form, field="overall") as saved:
            ppn009.record_assessment(
                procurement=procurement,
                user=signed_in_user(),
                today=today(),
                expected_version=None if recorded is None else expected_version(form),
                given=given,
            )
        if saved:
            flash("The PPN 009 risk assessment has been saved", "success")
            return redirect(
                url_for(
                    "procurements.assessment", org_slug=g.org.slug, procurement_id=procurement.id
                )
            )
    return render_template(
        "procurements/assessment_form.html",
        title=f"PPN 009 risk assessment: {procurement.title}",
        org=g.org,
        procurement=procurement,
        form=form,
        suggestion=ppn009.suggestion_for(procurement=procurement),
        Characteristic=Characteristic,
    )


def _late(procurement: Procurement) -> str | None:
    recorded = procurement.assessment
    if recorded is None:
        return None
    return late_warning(
        assessed_on=recorded.assessed_on, tender_notice_on=procurement.tender_notice_on
    )


def _form(procurement: Procurement | None) -> str | Response:
    form = ProcurementForm(obj=procurement)
    categories = list_categories(partnership=organisation_partnership(g.org))
    form.category_id.choices = choices(
        [("", "Not set"), *((str(c.id), f"{c.name} ({c.risk.label} risk)") for c in categories)]
    )
    form.contract_id.choices = choices(
        [
            ("", "None yet"),
            *(
                (str(c.id), f"{c.title} – {c.supplier.name}")
                for c in contracts.list_contracts(org=g.org)
            ),
        ]
    )
    if procurement is None and not form.is_submitted():
        # What a procurement started today runs under: the person may choose otherwise.
        suggested = suggested_regime(today())
        form.regime.data = suggested.value if suggested else None
    if procurement is not None and not form.is_submitted():
        form.version.data = str(procurement.version_id)
        form.regime.data = procurement.regime.value
        form.cpv_codes.data = ", ".join(procurement.cpv_list)
    if form.validate_on_submit():
        details = service.ProcurementDetails(
            title=form.title.data,
            reference=form.reference.data,
            regime=form.regime.data,
            cpv_codes=form.cpv_codes.data,
            estimated_value=form.estimated_value.data,
            category_id=form.category_id.data,
            countries=form.countries.data,
            tender_notice_on=form.tender_notice_on.data,
            award_on=form.award_on.data,
            start_on=form.start_on.data,
            end_on=form.end_on.data,
            contract_id=form.contract_id.data,
        )
        with saving(form, field="title") as saved:
            if procurement is None:
                procurement = service.add_procurement(
                    org=g.org, user=signed_in_user(), details=details
                )
            else:
                service.update_procurement(
                    org=g.org,
                    procurement=procurement,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    details=details,
                )
        if saved:
            assert procurement is not None
            flash(f"The procurement {procurement.title} has been saved", "success")
            return redirect(
                url_for("procurements.detail", org_slug=g.org.slug, procurement_id=procurement.id)
            )
    return render_template(
        "procurements/form.html",
        title="Add a procurement" if procurement is None else f"Edit {procurement.title}",
        org=g.org,
        form=form,
        procurement=procurement,
    )
