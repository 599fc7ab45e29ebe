"""Due diligence: the body's list of tier A and B suppliers with figures, one supplier's year
(guidance, staff engagement plan, sub-suppliers, contract reviews), and XLSX exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from tisc.forms import DeleteForm, choices
from tisc.forms.due_diligence import ContractReviewForm, DueDiligenceForm, SubSupplierForm
from tisc.models import ContractReview, SubSupplier, Supplier
from tisc.rules.authz import Permission
from tisc.rules.due_diligence import Need
from tisc.rules.numbers import whole_number
from tisc.rules.risk import Tier
from tisc.rules.years import FinancialYear, long_date
from tisc.services.due_diligence import overview as due_diligence
from tisc.services.due_diligence.export import export_due_diligence
from tisc.services.due_diligence.goods_risk import heat_map_for_org
from tisc.services.register import rows as register
from tisc.services.register import suppliers
from tisc.web.access import organisation_access, partnership_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import expected_version, saving
from tisc.web.years import chosen_year, year_choice

# Two URL families (a body's pages, and the partnership export), so the prefix is in each rule.
bp = Blueprint("due_diligence", __name__)
ORG = "/organisations/<org_slug>"
# The converter (tisc.web.years) hands the views year_slug as a FinancialYear; 404 if not one.
YEAR = ORG + "/suppliers/<int:supplier_id>/due-diligence/<year:year_slug>"
PER_PAGE = 100


def _supplier(supplier_id: int) -> Supplier:
    return suppliers.get_supplier(org=g.org, supplier_id=supplier_id)


def _back(supplier: Supplier, year: FinancialYear) -> Response:
    return redirect(
        url_for(
            "due_diligence.supplier_year",
            org_slug=g.org.slug,
            supplier_id=supplier.id,
            year_slug=year,
        )
    )


@bp.get(ORG + "/due-diligence")
@organisation_access(Permission.READ_ORGANISATION)
def overview(org_slug: str) -> str:
    """Tier A and B suppliers for a year with what is done and missing, and the figures."""
    years = register.years_with_spend(org=g.org)
    choice = year_choice(years)
    year = choice.year if years or choice.asked else None
    args = request.args
    tier = Tier(args["tier"]) if args.get("tier") in ("A", "B") else None
    missing = Need(args["missing"]) if args.get("missing") in {n.value for n in Need} else None
    search = args.get("q", "")[:100]
    shown, figures, grid = None, None, None
    if year is not None:
        figures = due_diligence.due_diligence_figures(org=g.org, financial_year=year.start_year)
        grid = heat_map_for_org(org=g.org, financial_year=year.start_year)
        shown = due_diligence.due_diligence_page(
            org=g.org,
            financial_year=year.start_year,
            tier=tier,
            missing=missing,
            search=search,
            page=args.get("page", 1, type=whole_number),
            per_page=PER_PAGE,
        )
    return render_template(
        "due_diligence/overview.html",
        title=f"Due diligence – {g.org.name}",
        org=g.org,
        years=[FinancialYear(y) for y in years],
        year=year,
        year_choice=choice,
        year_with="with payments",
        year_none="No payments in",
        figures=figures,
        figure_labels=due_diligence.FIGURE_LABELS,
        grid=grid,
        rows=shown.rows if shown else [],
        total=shown.total if shown else 0,
        page=shown.page if shown else 1,
        pages=shown.pages if shown else 1,
        tier=tier,
        missing=missing,
        search=search,
        needs=list(Need),
        args={k: v for k, v in args.items() if k != "page" and v},
    )


@bp.get(ORG + "/due-diligence/export.xlsx")
@organisation_access(Permission.READ_ORGANISATION)
def export(org_slug: str) -> Response:
    """The body's assessments and due diligence for a year as XLSX."""
    year = chosen_year(register.years_with_spend(org=g.org))
    if year is None:
        abort(404)
    body = export_due_diligence(organisations=[g.org], financial_year=year.start_year)
    return download(body, f"{g.org.slug}-due-diligence-{year.slug}.xlsx")


@bp.get("/partnerships/<partnership_slug>/due-diligence/export.xlsx")
@partnership_access(Permission.READ_PARTNERSHIP)
def export_partnership(partnership_slug: str) -> Response:
    """Every member body's assessments and due diligence for a year as one XLSX."""
    members = g.partnership.organisations
    year = chosen_year(register.years_with_spend_in(organisations=members))
    if year is None:
        abort(404)
    body = export_due_diligence(
        organisations=members, financial_year=year.start_year, owner=g.partnership.name
    )
    return download(body, f"{g.partnership.slug}-due-diligence-{year.slug}.xlsx")


@bp.get(YEAR)
@organisation_access(Permission.READ_ORGANISATION)
def supplier_year(org_slug: str, supplier_id: int, year_slug: FinancialYear) -> str:
    """A supplier's due diligence for a year: what its tier needs and what is recorded."""
    supplier, year = _supplier(supplier_id), year_slug
    return render_template(
        "due_diligence/supplier_year.html",
        title=f"Due diligence {year.label} – {supplier.name}",
        org=g.org,
        supplier=supplier,
        year=year,
        found=due_diligence.supplier_due_diligence(
            org=g.org, supplier=supplier, financial_year=year.start_year
        ),
        methods=due_diligence.GUIDANCE_METHODS,
    )


@bp.route(YEAR + "/guidance-and-plan", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit_record(org_slug: str, supplier_id: int, year_slug: FinancialYear) -> str | Response:
    """Record guidance sent and the staff engagement plan."""
    supplier, year = _supplier(supplier_id), year_slug
    record = due_diligence.get_due_diligence(
        org=g.org, supplier=supplier, financial_year=year.start_year
    )
    form = DueDiligenceForm(obj=record)
    if not form.is_submitted():
        form.version.data = str(record.version_id if record else 0)
    if form.validate_on_submit():
        with saving(form, field="guidance_sent_on") as saved:
            due_diligence.update_due_diligence(
                org=g.org,
                supplier=supplier,
                financial_year=year.start_year,
                user=signed_in_user(),
                expected_version=expected_version(form),
                guidance_sent_on=form.guidance_sent_on.data,
                guidance_method=form.guidance_method.data,
                plan_requested_on=form.plan_requested_on.data,
                plan_received_on=form.plan_received_on.data,
                plan_note=form.plan_note.data,
                plan_link=form.plan_link.data,
            )
        if saved:
            flash(f"Guidance and plan for {supplier.name} have been saved", "success")
            return _back(supplier, year)
    return render_template(
        "due_diligence/record_form.html",
        title=f"Guidance and staff engagement plan {year.label}",
        form=form,
        org=g.org,
        supplier=supplier,
        year=year,
    )


@bp.route(YEAR + "/sub-suppliers/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new_sub_supplier(org_slug: str, supplier_id: int, year_slug: FinancialYear) -> str | Response:
    """Map a sub-supplier."""
    supplier, year = _supplier(supplier_id), year_slug
    return _sub_supplier_form(supplier, year, None)


@bp.route(YEAR + "/sub-suppliers/<int:sub_supplier_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit_sub_supplier(
    org_slug: str, supplier_id: int, year_slug: FinancialYear, sub_supplier_id: int
) -> str | Response:
    """Change a sub-supplier."""
    supplier, year = _supplier(supplier_id), year_slug
    return _sub_supplier_form(supplier, year, _sub_supplier(supplier, year, sub_supplier_id))


def _sub_supplier(supplier: Supplier, year: FinancialYear, sub_supplier_id: int) -> SubSupplier:
    record = due_diligence.get_sub_supplier(
        org=g.org, supplier=supplier, sub_supplier_id=sub_supplier_id
    )
    if record.financial_year != year.start_year or record.assessment_id is not None:
        abort(404)
    return record


def _sub_supplier_form(
    supplier: Supplier, year: FinancialYear, record: SubSupplier | None
) -> str | Response:
    form = SubSupplierForm(obj=record)
    if record is not None and not form.is_submitted():
        form.version.data = str(record.version_id)
    if form.validate_on_submit():
        values = {
            "name": form.name.data,
            "tier": form.tier.data,
            "country": form.country.data,
            "supplies": form.supplies.data,
            "risk_notes": form.risk_notes.data,
        }
        with saving(form, field="name") as saved:
            if record is None:
                due_diligence.add_sub_supplier(
                    org=g.org,
                    supplier=supplier,
                    financial_year=year.start_year,
                    user=signed_in_user(),
                    **values,
                )
            else:
                due_diligence.update_sub_supplier(
                    org=g.org,
                    supplier=supplier,
                    sub_supplier=record,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    **values,
                )
        if saved:
            flash(f"The sub-supplier {form.name.data.strip()} has been saved", "success")
            return _back(supplier, year)
    return render_template(
        "due_diligence/sub_supplier_form.html",
        title="Add a sub-supplier" if record is None else f"Edit {record.name}",
        form=form,
        org=g.org,
        supplier=supplier,
        year=year,
    )


@bp.route(YEAR + "/sub-suppliers/<int:sub_supplier_id>/remove", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def remove_sub_supplier(
    org_slug: str, supplier_id: int, year_slug: FinancialYear, sub_supplier_id: int
) -> str | Response:
    """Ask, then remove a sub-supplier."""
    supplier, year = _supplier(supplier_id), year_slug
    record = _sub_supplier(supplier, year, sub_supplier_id)
    name = record.name

    def remove(version: int) -> None:
        due_diligence.delete_sub_supplier(
            org=g.org,
            supplier=supplier,
            sub_supplier=record,
            user=signed_in_user(),
            expected_version=version,
        )

    return _confirm(supplier, year, record, f"Remove the sub-supplier {name}?", name, remove)


def _confirm(supplier, year, record, question: str, name: str, remove) -> str | Response:
    form = DeleteForm()
    if not form.is_submitted():
        form.version.data = str(record.version_id)
    if form.validate_on_submit():
        with saving(form, field="submit") as saved:
            remove(expected_version(form))
        if saved:
            flash(f"{name} has been removed", "success")
            return _back(supplier, year)
    return render_template(
        "due_diligence/confirm_remove.html",
        title=question,
        form=form,
        org=g.org,
        supplier=supplier,
        year=year,
    )


def _contract_choices(supplier: Supplier) -> list:
    options = [("", "Not about one contract")]
    options += [(str(c.id), c.title) for c in suppliers.supplier_contracts(supplier=supplier)]
    return choices(options)


def _review(supplier: Supplier, year: FinancialYear, review_id: int) -> ContractReview:
    review = due_diligence.get_contract_review(org=g.org, supplier=supplier, review_id=review_id)
    if review.financial_year != year.start_year:
        abort(404)
    return review


@bp.route(YEAR + "/contract-reviews/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new_review(org_slug: str, supplier_id: int, year_slug: FinancialYear) -> str | Response:
    """Record a contract review."""
    supplier, year = _supplier(supplier_id), year_slug
    return _review_form(supplier, year, None)


@bp.route(YEAR + "/contract-reviews/<int:review_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit_review(
    org_slug: str, supplier_id: int, year_slug: FinancialYear, review_id: int
) -> str | Response:
    """Change a contract review."""
    supplier, year = _supplier(supplier_id), year_slug
    return _review_form(supplier, year, _review(supplier, year, review_id))


def _review_form(
    supplier: Supplier, year: FinancialYear, review: ContractReview | None
) -> str | Response:
    form = ContractReviewForm(obj=review)
    form.contract_id.choices = _contract_choices(supplier)
    if review is not None and not form.is_submitted():
        form.version.data = str(review.version_id)
    if form.validate_on_submit():
        values = {
            "reviewed_on": form.reviewed_on.data,
            "contract_id": form.contract_id.data,
            "modern_slavery_discussed": form.modern_slavery_discussed.data,
            "notes": form.notes.data,
            "actions": form.actions.data,
        }
        with saving(form, field="reviewed_on") as saved:
            if review is None:
                review = due_diligence.add_contract_review(
                    org=g.org, supplier=supplier, user=signed_in_user(), **values
                )
            else:
                due_diligence.update_contract_review(
                    org=g.org,
                    supplier=supplier,
                    review=review,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    **values,
                )
            # The date decides the year it is kept in, which may not be the page's.
            saved_year = FinancialYear(review.financial_year)
        if saved:
            flash(f"The contract review has been saved in {saved_year.label}", "success")
            return _back(supplier, saved_year)
    return render_template(
        "due_diligence/review_form.html",
        title="Record a contract review" if review is None else "Edit a contract review",
        form=form,
        org=g.org,
        supplier=supplier,
        year=year,
    )


@bp.route(YEAR + "/contract-reviews/<int:review_id>/remove", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def remove_review(
    org_slug: str, supplier_id: int, year_slug: FinancialYear, review_id: int
) -> str | Response:
    """Ask, then remove a contract review."""
    supplier, year = _supplier(supplier_id), year_slug
    review = _review(supplier, year, review_id)
    name = f"The contract review of {long_date(review.reviewed_on)}"

    def remove(version: int) -> None:
        due_diligence.delete_contract_review(
            org=g.org,
            supplier=supplier,
            review=review,
            user=signed_in_user(),
            expected_version=version,
        )

    return _confirm(supplier, year, review, f"Remove {name[0].lower()}{name[1:]}?", name, remove)
