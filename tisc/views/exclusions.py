"""Debarment and exclusions: the central debarment list (administrators import it), and on a
supplier, exclusion decisions and its connected persons and relied-on subcontractors."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms import DeleteForm, choices
from tisc.forms.exclusions import DebarmentListForm, DecisionForm, PartyForm
from tisc.models import ExclusionDecision, Supplier
from tisc.rules.authz import Permission
from tisc.services.accounts import organisations as org_service
from tisc.services.exclusions import debarment_list, decisions, parties
from tisc.services.exclusions.matches import find_matches
from tisc.services.procurements.procurements import list_procurements
from tisc.services.register import suppliers
from tisc.web.access import admin_only, organisation_access, signed_in_user
from tisc.web.saving import expected_version, saving

bp = Blueprint("exclusions", __name__)
SUPPLIER = "/organisations/<org_slug>/suppliers/<int:supplier_id>"


def _supplier(supplier_id: int) -> Supplier:
    return suppliers.get_supplier(org=g.org, supplier_id=supplier_id)


def _back(supplier: Supplier) -> Response:
    return redirect(
        url_for(
            "suppliers.detail", org_slug=g.org.slug, supplier_id=supplier.id, _anchor="debarment"
        )
    )


@bp.route("/admin/debarment-list", methods=["GET", "POST"])
@admin_only
def debarment_list_page() -> str | Response:
    """The list in force and its earlier imports; upload a new list to replace it."""
    form = DebarmentListForm()
    problems: list[str] = []
    if form.validate_on_submit():
        storage = form.file.data
        name = storage.filename or "debarment-list.csv"
        with saving(form, field="file") as saved:
            record = debarment_list.import_debarment_list(
                data=storage.read(), filename=name, user=signed_in_user()
            )
        if saved:
            found = find_matches(organisations=org_service.list_organisations())
            flash(
                f"{record.entry_count:,} entries imported from {record.file_name}: "
                f"{len(found):,} {'match' if len(found) == 1 else 'matches'} with the registers",
                "success",
            )
            return redirect(url_for("exclusions.debarment_list_page"))
        if isinstance(saved.error, debarment_list.ListRefused):
            problems = [debarment_list.problem_words(p) for p in saved.error.problems[:100]]
    return render_template(
        "exclusions/debarment_list.html",
        title="Central debarment list",
        form=form,
        summary=debarment_list.list_summary(),
        imports=debarment_list.list_imports(),
        problems=problems,
    )


# --- exclusion decisions --------------------------------------------------------------------


@bp.route(SUPPLIER + "/exclusion-decisions/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new_decision(org_slug: str, supplier_id: int) -> str | Response:
    """Record a decision on excluding the supplier."""
    return _decision_form(_supplier(supplier_id), None)


@bp.route(SUPPLIER + "/exclusion-decisions/<int:decision_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit_decision(org_slug: str, supplier_id: int, decision_id: int) -> str | Response:
    """Change a decision, or record when the Procurement Review Unit was told."""
    supplier = _supplier(supplier_id)
    record = decisions.get_decision(org=g.org, supplier=supplier, decision_id=decision_id)
    return _decision_form(supplier, record)


def _decision_form(supplier: Supplier, record: ExclusionDecision | None) -> str | Response:
    form = DecisionForm(obj=record)
    form.procurement_id.choices = choices(
        [("", "Not one recorded here")]
        + [
            (str(p.id), f"{p.title} ({p.reference})" if p.reference else p.title)
            for p in list_procurements(org=g.org)
        ]
    )
    if record is not None and not form.is_submitted():
        form.version.data = str(record.version_id)
        form.decision.data = record.decision.value
    if form.validate_on_submit():
        values = {
            "procurement_id": form.procurement_id.data,
            "procurement_reference": form.procurement_reference.data,
            "ground": form.ground.data,
            "evidence": form.evidence.data,
            "decision": form.decision.data,
            "decided_on": form.decided_on.data,
            "notified_on": form.notified_on.data,
        }
        with saving(form, field="ground", catch_up=record) as saved:
            if record is None:
                decisions.add_decision(
                    org=g.org, supplier=supplier, user=signed_in_user(), **values
                )
            else:
                decisions.update_decision(
                    org=g.org,
                    supplier=supplier,
                    record=record,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    **values,
                )
        if saved:
            flash("The exclusion decision has been saved", "success")
            return _back(supplier)
    return render_template(
        "exclusions/decision_form.html",
        title="Record an exclusion decision" if record is None else "Edit the exclusion decision",
        form=form,
        org=g.org,
        supplier=supplier,
    )


# --- connected persons and relied-on subcontractors -----------------------------------------


@bp.route(SUPPLIER + "/connected/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new_party(org_slug: str, supplier_id: int) -> str | Response:
    """Add a connected person or relied-on subcontractor."""
    supplier = _supplier(supplier_id)
    form = PartyForm()
    if form.validate_on_submit():
        with saving(form, field="name") as saved:
            parties.add_party(
                org=g.org,
                supplier=supplier,
                user=signed_in_user(),
                kind=form.kind.data,
                name=form.name.data,
                company_number=form.company_number.data,
                ppon=form.ppon.data,
            )
        if saved:
            flash(f"{' '.join(form.name.data.split())} has been added", "success")
            return _back(supplier)
    return render_template(
        "exclusions/party_form.html",
        title="Add a connected person or subcontractor",
        form=form,
        org=g.org,
        supplier=supplier,
    )


@bp.route(SUPPLIER + "/connected/<int:party_id>/remove", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def remove_party(org_slug: str, supplier_id: int, party_id: int) -> str | Response:
    """Ask, then remove a connected person or subcontractor."""
    supplier = _supplier(supplier_id)
    record = parties.get_party(org=g.org, supplier=supplier, party_id=party_id)
    name = record.name
    form = DeleteForm()
    if not form.is_submitted():
        form.version.data = str(record.version_id)
    if form.validate_on_submit():
        with saving(form, field="submit") as saved:
            parties.remove_party(
                org=g.org,
                supplier=supplier,
                record=record,
                user=signed_in_user(),
                expected_version=expected_version(form),
            )
        if saved:
            flash(f"{name} has been removed", "success")
            return _back(supplier)
    return render_template(
        "exclusions/party_remove.html",
        title=f"Remove {name}?",
        form=form,
        org=g.org,
        supplier=supplier,
        party=record,
    )
