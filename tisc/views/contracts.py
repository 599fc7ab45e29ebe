"""A contract's own page and its management: KPIs, yearly performance ratings, the reviews
recorded against it, and the flag for a contract over £5m with fewer than three KPIs.
(Adding and changing a contract's details stays with the supplier: views.suppliers.)"""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms import choices
from tisc.forms.procurements import KpiForm, RatingForm
from tisc.models import Contract
from tisc.rules.authz import Permission
from tisc.rules.procurement import clause_words, kpi_check
from tisc.rules.years import FinancialYear
from tisc.services.exclusions.matches import find_matches
from tisc.services.procurements import contract_management as management
from tisc.services.procurements import procurements
from tisc.services.register import contracts
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.saving import confirmed, saving
from tisc.web.years import this_year, today

bp = Blueprint("contracts", __name__, url_prefix="/organisations/<org_slug>/contracts")


def _page(
    contract: Contract, kpi_form: KpiForm | None = None, rating_form: RatingForm | None = None
) -> str:
    kpis = management.list_kpis(contract=contract)
    return render_template(
        "contracts/detail.html",
        title=contract.title,
        org=g.org,
        contract=contract,
        kpis=kpis,
        check=kpi_check(
            total_value=contract.total_value, annual_value=contract.annual_value, kpis=len(kpis)
        ),
        clause=clause_words(contract.modern_slavery_clause),
        ratings=management.list_ratings(contract=contract),
        reviews=management.contract_reviews(contract=contract),
        procurement=procurements.procurement_for_contract(contract=contract),
        debarment_matches=find_matches(
            organisations=[g.org], supplier_ids=[contract.supplier_id], today=today()
        ),
        kpi_form=kpi_form or KpiForm(formdata=None),
        rating_form=rating_form or _rating_form(contract, formdata=None),
        error_forms=[kpi_form, rating_form],
    )


def _years(contract: Contract) -> list[FinancialYear]:
    """The financial years the contract runs in, up to this one, newest first."""
    first = FinancialYear.containing(contract.start_date).start_year
    last = min(FinancialYear.containing(contract.end_date), this_year()).start_year
    return [FinancialYear(y) for y in range(max(last, first), first - 1, -1)]


def _rating_form(contract: Contract, **kwargs: object) -> RatingForm:
    form = RatingForm(**kwargs)
    form.financial_year.choices = choices(
        (str(year.start_year), year.label) for year in _years(contract)
    )
    return form


@bp.get("/<int:contract_id>")
@organisation_access(Permission.READ_ORGANISATION)
def detail(org_slug: str, contract_id: int) -> str:
    """A contract: its details, regime and clause, KPIs (with the £5m flag), ratings by year,
    contract reviews and the procurement that awarded it."""
    return _page(contracts.get_contract(org=g.org, contract_id=contract_id))


@bp.post("/<int:contract_id>/kpis")
@organisation_access(Permission.MANAGE_REGISTER)
def new_kpi(org_slug: str, contract_id: int) -> str | Response:
    """Add a KPI to the contract."""
    contract = contracts.get_contract(org=g.org, contract_id=contract_id)
    form = KpiForm()
    if form.validate_on_submit():
        with saving(form, field="description") as saved:
            management.add_kpi(
                org=g.org,
                contract=contract,
                user=signed_in_user(),
                description=form.description.data,
                target=form.target.data,
                measure=form.measure.data,
                modern_slavery=form.modern_slavery.data,
            )
        if saved:
            flash(f"The KPI {form.description.data} has been added", "success")
            return redirect(_here(contract))
    return _page(contract, kpi_form=form)


@bp.route("/<int:contract_id>/kpis/<int:kpi_id>/remove", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def remove_kpi(org_slug: str, contract_id: int, kpi_id: int) -> str | Response:
    """Remove a KPI, once confirmed."""
    contract = contracts.get_contract(org=g.org, contract_id=contract_id)
    kpi = management.get_kpi(contract=contract, kpi_id=kpi_id)
    if not confirmed():
        return render_template(
            "contracts/remove_kpi.html",
            title=f"Are you sure you want to remove the KPI {kpi.description}?",
            org=g.org,
            contract=contract,
            kpi=kpi,
        )
    with saving() as saved:
        management.remove_kpi(org=g.org, contract=contract, kpi=kpi)
    if saved:
        flash(f"The KPI {kpi.description} has been removed", "success")
    return redirect(_here(contract))


@bp.post("/<int:contract_id>/ratings")
@organisation_access(Permission.MANAGE_REGISTER)
def rate(org_slug: str, contract_id: int) -> str | Response:
    """Record the contract's performance rating for a financial year (a year already rated
    takes the new rating)."""
    contract = contracts.get_contract(org=g.org, contract_id=contract_id)
    form = _rating_form(contract)
    if form.validate_on_submit():
        with saving(form, field="rating") as saved:
            management.rate_contract(
                org=g.org,
                contract=contract,
                user=signed_in_user(),
                today=today(),
                financial_year=form.financial_year.data,
                rating=form.rating.data,
                note=form.note.data,
            )
        if saved:
            year = FinancialYear(form.financial_year.data)
            flash(f"The rating for {year.label} has been saved", "success")
            return redirect(_here(contract))
    return _page(contract, rating_form=form)


def _here(contract: Contract) -> str:
    return url_for("contracts.detail", org_slug=g.org.slug, contract_id=contract.id)
