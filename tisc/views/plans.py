"""A body's action plan for a year (items by commitment, progress timelines, computed KPIs) and
its training records. Everyone who can see the body reads them; its statement role changes them.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for

from tisc.forms import DeleteForm
from tisc.forms.plans import ItemForm, StartForm, TrainingForm, UpdateForm
from tisc.models import ActionPlan, PlanItem, TrainingRecord
from tisc.rules.authz import Permission
from tisc.rules.kpis import KPIS, change, kpi_values
from tisc.rules.plans import is_overdue, status_change
from tisc.rules.years import FinancialYear
from tisc.services.plans import action_plans as plans
from tisc.services.plans import training
from tisc.services.plans.kpis import body_figures, body_kpis, training_totals
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.jinja import number
from tisc.web.saving import expected_version, saving
from tisc.web.years import asked_year, this_year, today, year_choice

bp = Blueprint("plans", __name__, url_prefix="/organisations/<org_slug>")
# Counts shown above the KPIs: what the shares are out of.
COUNTS = (
    ("suppliers_over_threshold", "Suppliers over the threshold"),
    ("high_risk_over_threshold", "Of them in high-risk categories (tier A)"),
)


def _years(*found: list[int]) -> list[FinancialYear]:
    """Years for the picker: those with records, last year, this year and next, newest first."""
    this = this_year().start_year
    years = {this - 1, this, this + 1}.union(*found)
    return [FinancialYear(y) for y in sorted(years, reverse=True)]


def _item(item_id: int) -> PlanItem:
    return plans.get_item(org=g.org, item_id=item_id)


def _plan_or_404(year: FinancialYear) -> ActionPlan:
    plan = plans.get_plan(org=g.org, financial_year=year.start_year)
    if plan is None:
        abort(404)
    return plan


def _to_overview(year: int) -> Response:
    return redirect(url_for("plans.overview", org_slug=g.org.slug, year=FinancialYear(year).slug))


def _to_item(item: PlanItem) -> Response:
    return redirect(url_for("plans.item", org_slug=g.org.slug, item_id=item.id))


# --- the plan --------------------------------------------------------------------------------


@bp.get("/action-plan")
@organisation_access(Permission.READ_ORGANISATION)
def overview(org_slug: str) -> str:
    """The year's plan by commitment, what needs updating, and the body's KPIs."""
    plan_years = plans.plan_years(org=g.org)
    # The year we are in when it has a plan, else the latest year with one.
    choice = year_choice(plan_years)
    year = choice.year
    plan = plans.get_plan(org=g.org, financial_year=year.start_year)
    day = today()
    figures = body_figures(org=g.org, financial_year=year.start_year)
    last_figures = body_figures(org=g.org, financial_year=year.start_year - 1)
    this_kpis, last_kpis = kpi_values(figures), kpi_values(last_figures)
    kpis = [
        (k, this_kpis[k.key], last_kpis[k.key], change(this_kpis[k.key], last_kpis[k.key]))
        for k in KPIS
    ]
    can_manage = Permission.MANAGE_STATEMENT in g.org_permissions
    return render_template(
        "plans/overview.html",
        title=f"Action plan {year.label} – {g.org.name}",
        org=g.org,
        year=year,
        years=_years(plan_years),
        year_choice=choice,
        year_with="with an action plan",
        year_none="No action plan for",
        plan=plan,
        sections=plans.plan_sections(plan=plan) if plan else [],
        latest=plans.latest_updates(plan=plan) if plan else {},
        needing=plans.items_needing_update(org=g.org, financial_year=year.start_year, today=day)
        if plan and can_manage
        else [],
        carry=[] if plan else plans.open_items_to_carry(org=g.org, financial_year=year.start_year),
        has_previous=plans.get_plan(org=g.org, financial_year=year.start_year - 1) is not None,
        kpis=kpis,
        kpis_by_key=this_kpis,
        counts=[(key, label, figures.get(key), last_figures.get(key)) for key, label in COUNTS],
        today=day,
        is_overdue=is_overdue,
        can_manage=can_manage,
        start_form=StartForm(),
    )


@bp.post("/action-plan/start")
@organisation_access(Permission.MANAGE_STATEMENT)
def start(org_slug: str) -> Response:
    """Start the year's plan from the commitments and last year's open items."""
    year = asked_year() or this_year()
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    with saving() as saved:
        plan = plans.start_plan(org=g.org, financial_year=year.start_year, user=signed_in_user())
        carried = sum(1 for i in plan.items if i.carried_over_from_id is not None)
    if saved:
        flash(
            f"The {year.label} plan has been started with {number(len(plan.items))} actions"
            + (
                f", {number(carried)} carried over from {FinancialYear(year.start_year - 1).label}"
                if carried
                else ""
            ),
            "success",
        )
    return _to_overview(year.start_year)


# --- items -----------------------------------------------------------------------------------


@bp.get("/action-plan/items/<int:item_id>")
@organisation_access(Permission.READ_ORGANISATION)
def item(org_slug: str, item_id: int) -> str:
    """An item's details, evidence and its timeline, newest first."""
    found = _item(item_id)
    form = UpdateForm(
        formdata=None, status=found.status.value, rag=found.rag.value, rag_reason=found.rag_reason
    )
    form.version.data = str(found.version_id)
    return _item_page(found, form)


def _item_page(found: PlanItem, form: UpdateForm | None) -> str:
    can_manage = Permission.MANAGE_STATEMENT in g.org_permissions
    origin = found.carried_over_from_id
    previous = plans.get_item(org=g.org, item_id=origin) if origin else None
    return render_template(
        "plans/item.html",
        title=found.title[:80],
        org=g.org,
        item=found,
        year=FinancialYear(found.plan.financial_year),
        previous=previous,
        previous_year=FinancialYear(previous.plan.financial_year) if previous else None,
        updates=plans.list_updates(item=found),
        status_change=status_change,
        overdue=is_overdue(found, today()),
        form=form if can_manage else None,
        can_manage=can_manage,
    )


@bp.post("/action-plan/items/<int:item_id>/updates")
@organisation_access(Permission.MANAGE_STATEMENT)
def add_update(org_slug: str, item_id: int) -> str | Response:
    """Add a progress update to an item's timeline."""
    found = _item(item_id)
    form = UpdateForm()
    if form.validate_on_submit():
        with saving(form, field="note", catch_up=found) as saved:
            plans.add_update(
                org=g.org,
                item=found,
                user=signed_in_user(),
                expected_version=expected_version(form),
                note=form.note.data,
                status=form.status.data,
                rag=form.rag.data,
                rag_reason=form.rag_reason.data,
            )
        if saved:
            flash("Your progress update has been added", "success")
            return _to_item(found)
    return _item_page(found, form)


@bp.route("/action-plan/items/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def new_item(org_slug: str) -> str | Response:
    """Add one of the body's own actions to the year's plan."""
    year = asked_year() or this_year()
    plan = _plan_or_404(year)
    return _item_form(plan, None)


@bp.route("/action-plan/items/<int:item_id>/edit", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def edit_item(org_slug: str, item_id: int) -> str | Response:
    """Change an item's details."""
    found = _item(item_id)
    return _item_form(found.plan, found)


def _item_form(plan: ActionPlan, found: PlanItem | None) -> str | Response:
    form = ItemForm(obj=found)
    if found is not None and not form.is_submitted():
        form.version.data = str(found.version_id)
    if form.validate_on_submit():
        values = {
            "title": form.title.data,
            "description": form.description.data,
            "owner": form.owner.data,
            "due_date": form.due_date.data,
            "kpi": form.kpi.data,
            "kpi_target": form.kpi_target.data,
            "evidence_links": form.evidence_links.data,
        }
        with saving(form, field="title", catch_up=found) as saved:
            if found is None:
                found = plans.add_item(org=g.org, plan=plan, user=signed_in_user(), **values)
            else:
                plans.update_item(
                    org=g.org,
                    item=found,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    **values,
                )
        if saved:
            flash("The action has been saved", "success")
            return _to_item(found)
    return render_template(
        "plans/item_form.html",
        title="Add an action" if found is None else "Change the action",
        form=form,
        org=g.org,
        item=found,
        year=FinancialYear(plan.financial_year),
    )


# --- training --------------------------------------------------------------------------------


@bp.get("/training")
@organisation_access(Permission.READ_ORGANISATION)
def training_list(org_slug: str) -> str:
    """The year's training records, their totals and the "trained" KPI."""
    found_years = training.training_years(org=g.org)
    choice = year_choice(found_years)
    year = choice.year
    totals = training_totals(org=g.org, financial_year=year.start_year)
    return render_template(
        "plans/training.html",
        title=f"Training {year.label} – {g.org.name}",
        org=g.org,
        year=year,
        years=_years(found_years),
        year_choice=choice,
        year_with="with training records",
        year_none="No training records for",
        records=training.list_training(org=g.org, financial_year=year.start_year),
        totals=totals,
        kpi=body_kpis(org=g.org, financial_year=year.start_year)["trained"],
        can_manage=Permission.MANAGE_STATEMENT in g.org_permissions,
    )


def _record(record_id: int) -> TrainingRecord:
    return training.get_training(org=g.org, record_id=record_id)


@bp.route("/training/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def new_training(org_slug: str) -> str | Response:
    """Record training delivered in the year."""
    return _training_form(asked_year() or this_year(), None)


@bp.route("/training/<int:record_id>/edit", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def edit_training(org_slug: str, record_id: int) -> str | Response:
    """Change a training record."""
    record = _record(record_id)
    return _training_form(FinancialYear(record.financial_year), record)


def _to_training(year: FinancialYear) -> Response:
    return redirect(url_for("plans.training_list", org_slug=g.org.slug, year=year.slug))


def _training_form(year: FinancialYear, record: TrainingRecord | None) -> str | Response:
    form = TrainingForm(obj=record)
    if record is not None and not form.is_submitted():
        form.version.data = str(record.version_id)
        form.audience.data = record.audience.value
    if form.validate_on_submit():
        values = {
            "audience": form.audience.data,
            "course": form.course.data,
            "delivered_on": form.delivered_on.data,
            "staff_in_scope": form.staff_in_scope.data,
            "staff_trained": form.staff_trained.data,
        }
        with saving(form, field="course", catch_up=record) as saved:
            if record is None:
                training.add_training(
                    org=g.org, financial_year=year.start_year, user=signed_in_user(), **values
                )
            else:
                training.update_training(
                    org=g.org,
                    record=record,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    **values,
                )
        if saved:
            flash(f"The training record has been saved in {year.label}", "success")
            return _to_training(year)
    return render_template(
        "plans/training_form.html",
        title="Record training" if record is None else "Change a training record",
        form=form,
        org=g.org,
        year=year,
    )


@bp.route("/training/<int:record_id>/delete", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def delete_training(org_slug: str, record_id: int) -> str | Response:
    """Ask, then remove a training record."""
    record = _record(record_id)
    year = FinancialYear(record.financial_year)
    form = DeleteForm()
    if not form.is_submitted():
        form.version.data = str(record.version_id)
    if form.validate_on_submit():
        with saving(form, field="submit") as saved:
            training.delete_training(
                org=g.org,
                record=record,
                user=signed_in_user(),
                expected_version=expected_version(form),
            )
        if saved:
            flash(f"The training record “{record.course}” has been removed", "success")
            return _to_training(year)
    return render_template(
        "plans/training_delete.html",
        title=f"Remove the training record “{record.course}”?",
        form=form,
        org=g.org,
        record=record,
        year=year,
    )
