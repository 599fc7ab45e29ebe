"""A body's supplier register: the list, exports, supplier pages, editing, contracts, merging."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from tisc.extensions import db
from tisc.forms import choices
from tisc.forms.suppliers import ContractForm, MergeForm, SupplierForm
from tisc.rules.authz import Permission, permissions_from, roles_in_partnership
from tisc.rules.numbers import whole_number
from tisc.rules.risk import RiskLevel, Tier
from tisc.rules.years import FinancialYear
from tisc.services.assessments import records as assessments
from tisc.services.errors import NotFoundError
from tisc.services.exclusions import decisions as exclusion_decisions
from tisc.services.exclusions import parties as connected_parties
from tisc.services.exclusions.matches import find_matches, match_flags
from tisc.services.procurements import contract_management
from tisc.services.register import contracts, suppliers
from tisc.services.register import export as register_export
from tisc.services.register import merge as supplier_merge
from tisc.services.register import partnership as partnership_register
from tisc.services.register import rows as register
from tisc.services.register.categories import list_categories, organisation_partnership
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import confirmed, expected_version, saving
from tisc.web.years import chosen_year, today, year_choice

bp = Blueprint("suppliers", __name__, url_prefix="/organisations/<org_slug>")


def register_filters(year: FinancialYear) -> register.RegisterFilters:
    """The register's filters from the page's address (anything unreadable is ignored)."""
    args = request.args
    category = args.get("category", type=whole_number)
    risk = args.get("risk")
    tier = args.get("tier")
    return register.RegisterFilters(
        financial_year=year.start_year,
        search=args.get("q", "")[:100],
        category_id=category,
        risk=RiskLevel(risk) if risk in {r.value for r in RiskLevel} else None,
        tier=Tier(tier) if tier in {t.value for t in Tier} else None,
        flag=args.get("flag") if args.get("flag") in register.FLAGS else None,
        sort=args.get("sort") if args.get("sort") in register.SORTS else "spend",
    )


def _category_choices(include_auto: str) -> list:
    options = [("", include_auto)]
    options += [
        (str(c.id), f"{c.name} ({c.risk.label} risk)")
        for c in list_categories(partnership=organisation_partnership(g.org))
    ]
    return choices(options)


@bp.get("/suppliers")
@organisation_access(Permission.READ_ORGANISATION)
def register_list(org_slug: str) -> str:
    """The register for a year: search, filter, sort, page through."""
    years = register.years_with_spend(org=g.org)
    # The year we are in when it has payments, else the latest year with payments.
    choice = year_choice(years)
    year = choice.year if years or choice.asked else None
    page = None
    filters = None
    needs_category = suggested = 0
    if year is not None:
        filters = register_filters(year)
        page = register.register_page(
            org=g.org, filters=filters, page=request.args.get("page", 1, type=whole_number)
        )
        needs_category, suggested = page.needs_category, page.suggested
    debarred = (
        match_flags(org=g.org, supplier_ids=[row.supplier.id for row in page.rows], today=today())
        if page is not None
        else {}
    )
    return render_template(
        "suppliers/register.html",
        title=f"Supplier register – {g.org.name}",
        org=g.org,
        years=[FinancialYear(y) for y in years],
        year=year,
        year_choice=choice,
        year_with="with payments",
        year_none="No payments in",
        filters=filters,
        register=page,
        needs_category=needs_category,
        suggested=suggested,
        debarred=debarred,
        categories=list_categories(partnership=organisation_partnership(g.org)),
        args={k: v for k, v in request.args.items() if k != "page" and v},
    )


@bp.get("/suppliers/export.<file_format>")
@organisation_access(Permission.READ_ORGANISATION)
def export(org_slug: str, file_format: str) -> Response:
    """The register for a year as CSV or XLSX."""
    if file_format not in ("csv", "xlsx"):
        abort(404)
    year = chosen_year(register.years_with_spend(org=g.org))
    if year is None:
        abort(404)
    body = register_export.export_register(
        organisations=[g.org], financial_year=year.start_year, file_format=file_format
    )
    return download(body, f"{g.org.slug}-register-{year.slug}.{file_format}")


@bp.get("/suppliers/<int:supplier_id>")
@organisation_access(Permission.READ_ORGANISATION)
def detail(org_slug: str, supplier_id: int) -> str:
    """A supplier: details, spend by year with flags and reasons, a year's payments a page at
    a time, contracts, history."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    years = suppliers.supplier_years(supplier=supplier)
    payment_year = chosen_year([y.financial_year for y in years])
    payments = None
    if payment_year is not None:
        payments = suppliers.supplier_payments(
            supplier=supplier,
            financial_year=payment_year.start_year,
            page=request.args.get("page", 1, type=int),
        )
    year_flags = {
        y.financial_year: register.assess_supplier_year(org=g.org, supplier=supplier, year=y)
        for y in years
    }
    reach = None
    if payment_year is not None:
        reach = partnership_register.partnership_reach(
            org=g.org, supplier=supplier, financial_year=payment_year.start_year
        )
    # Other bodies' spend is for those who read the partnership (its coordinators and board).
    sees_partnership = reach is not None and Permission.READ_PARTNERSHIP in permissions_from(
        roles_in_partnership(signed_in_user(), reach.partnership)
    )
    supplier_contracts = suppliers.supplier_contracts(supplier=supplier)
    checks = contract_management.kpi_checks(contracts=supplier_contracts)
    return render_template(
        "suppliers/detail.html",
        title=supplier.name,
        org=g.org,
        supplier=supplier,
        years=years,
        assessments=year_flags,
        payments=payments,
        payment_year=payment_year,
        payment_years=[FinancialYear(y.financial_year) for y in years],
        contracts=supplier_contracts,
        contract_checks=checks,
        missing_kpis=[c for c in supplier_contracts if checks[c.id].missing],
        history=suppliers.supplier_history(supplier=supplier),
        assessment_history=assessments.assessment_history(org=g.org, supplier=supplier),
        shared_assessments=assessments.shared_assessments(org=g.org, supplier=supplier),
        reach=reach,
        sees_partnership=sees_partnership,
        debarment_matches=find_matches(
            organisations=[g.org], supplier_ids=[supplier.id], today=today()
        ),
        exclusion_decisions=exclusion_decisions.list_decisions(
            org=g.org, supplier=supplier, today=today()
        ),
        connected_parties=connected_parties.list_parties(org=g.org, supplier=supplier),
    )


@bp.route("/suppliers/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new(org_slug: str) -> str | Response:
    """Add a supplier by hand."""
    form = SupplierForm()
    form.category_id.choices = _category_choices("From the finance category")
    if form.validate_on_submit():
        with saving(form, field="name") as saved:
            supplier = suppliers.add_supplier(
                org=g.org,
                user=signed_in_user(),
                name=form.name.data,
                company_number=form.company_number.data,
                category_id=form.category_id.data,
                notes=form.notes.data,
                ppon=form.ppon.data,
            )
        if saved:
            flash(f"{supplier.name} has been added", "success")
            return redirect(url_for("suppliers.detail", org_slug=org_slug, supplier_id=supplier.id))
    return render_template(
        "suppliers/form.html", title="Add a supplier", form=form, org=g.org, supplier=None
    )


@bp.route("/suppliers/<int:supplier_id>/edit", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit(org_slug: str, supplier_id: int) -> str | Response:
    """Change a supplier's name, company number, category or notes."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    form = SupplierForm(obj=supplier)
    form.category_id.choices = _category_choices("From the finance category")
    if not form.is_submitted():
        form.version.data = str(supplier.version_id)
        chosen = supplier.category_source.value == "chosen"
        form.category_id.data = supplier.category_id if chosen else None
    if form.validate_on_submit():
        with saving(form, field="name") as saved:
            suppliers.update_supplier(
                org=g.org,
                supplier=supplier,
                user=signed_in_user(),
                expected_version=expected_version(form),
                name=form.name.data,
                company_number=form.company_number.data,
                category_id=form.category_id.data,
                notes=form.notes.data,
                ppon=form.ppon.data,
            )
        if saved:
            flash(f"{supplier.name} has been saved", "success")
            return redirect(url_for("suppliers.detail", org_slug=org_slug, supplier_id=supplier_id))
    return render_template(
        "suppliers/form.html",
        title=f"Edit {supplier.name}",
        form=form,
        org=g.org,
        supplier=supplier,
    )


@bp.route("/suppliers/<int:supplier_id>/archive", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def archive(org_slug: str, supplier_id: int) -> str | Response:
    """Archive or restore a supplier (form field 'archived': 'yes' or 'no'). Archiving is
    asked about first (the GET, or a POST without confirmation); restoring is not."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    archived = request.method == "GET" or request.form.get("archived") == "yes"
    if archived and not confirmed():
        return render_template(
            "suppliers/archive_confirm.html",
            title=f"Are you sure you want to archive {supplier.name}?",
            org=g.org,
            supplier=supplier,
            years=suppliers.supplier_years(supplier=supplier),
        )
    suppliers.set_archived(supplier=supplier, user=signed_in_user(), archived=archived)
    db.session.commit()
    flash(f"{supplier.name} has been {'archived' if archived else 'restored'}", "success")
    return redirect(url_for("suppliers.detail", org_slug=org_slug, supplier_id=supplier_id))


@bp.post("/suppliers/<int:supplier_id>/reviewed")
@organisation_access(Permission.MANAGE_REGISTER)
def reviewed(org_slug: str, supplier_id: int) -> Response:
    """Mark a new supplier as looked at."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    suppliers.mark_reviewed(supplier=supplier, user=signed_in_user())
    db.session.commit()
    flash(f"{supplier.name} is no longer marked as new", "success")
    return redirect(url_for("suppliers.detail", org_slug=org_slug, supplier_id=supplier_id))


@bp.get("/suppliers/duplicates")
@organisation_access(Permission.READ_ORGANISATION)
def duplicates(org_slug: str) -> str:
    """Suppliers that may be the same business, for a person to merge."""
    return render_template(
        "suppliers/duplicates.html",
        title="Possible duplicates",
        org=g.org,
        pairs=suppliers.possible_duplicates(org=g.org),
    )


@bp.route("/suppliers/merge", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def merge(org_slug: str) -> str | Response:
    """What merging one supplier into another would move; merging them once confirmed."""
    given = request.form if request.method == "POST" else request.args
    ids = (given.get("keep", ""), given.get("merge", ""))
    # ASCII digits only ("²" is a digit to str.isdigit), and within a database id's range.
    try:
        keep_id, merge_id = (whole_number(value) for value in ids)
    except ValueError:
        abort(400)
    keep = suppliers.get_supplier(org=g.org, supplier_id=keep_id)
    other = suppliers.get_supplier(org=g.org, supplier_id=merge_id)
    back = url_for("suppliers.duplicates", org_slug=org_slug)
    name = other.name  # for the message: the record is gone once merged
    if request.method == "POST" and not MergeForm().validate():
        abort(400)
    # A refusal (the two cannot be merged) is flashed on the duplicates page.
    with saving(passes=(NotFoundError,)) as saved:
        if request.method == "GET":
            preview = supplier_merge.merge_preview(org=g.org, keep=keep, merge=other)
        else:
            supplier_merge.merge_suppliers(org=g.org, keep=keep, merge=other, user=signed_in_user())
    if not saved:
        return redirect(back)
    if request.method == "POST":
        flash(f"{name} has been merged into {keep.name}", "success")
        return redirect(url_for("suppliers.detail", org_slug=org_slug, supplier_id=keep.id))
    return render_template(
        "suppliers/merge.html",
        title=f"Merge {other.name} into {keep.name}",
        org=g.org,
        preview=preview,
        form=MergeForm(formdata=None, keep=str(keep.id), merge=str(other.id)),
        back=back,
    )


@bp.route("/suppliers/<int:supplier_id>/contracts/new", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def new_contract(org_slug: str, supplier_id: int) -> str | Response:
    """Record a contract with a supplier."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    return _contract_form(supplier, None)


@bp.route("/suppliers/<int:supplier_id>/contracts/<int:contract_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_REGISTER)
def edit_contract(org_slug: str, supplier_id: int, contract_id: int) -> str | Response:
    """Change a contract."""
    supplier = suppliers.get_supplier(org=g.org, supplier_id=supplier_id)
    contract = contracts.get_contract(org=g.org, contract_id=contract_id)
    if contract.supplier_id != supplier.id:
        abort(404)
    return _contract_form(supplier, contract)


def _contract_form(supplier, contract) -> str | Response:
    form = ContractForm(obj=contract)
    form.category_id.choices = _category_choices("Not set")
    if contract is not None and not form.is_submitted():
        form.version.data = str(contract.version_id)
        form.regime.data = contract.regime.value if contract.regime else ""
    if form.validate_on_submit():
        values = {
            "title": form.title.data,
            "reference": form.reference.data,
            "start_date": form.start_date.data,
            "end_date": form.end_date.data,
            "annual_value": form.annual_value.data,
            "total_value": form.total_value.data,
            "category_id": form.category_id.data,
            "modern_slavery_clause": form.modern_slavery_clause.data,
            "regime": form.regime.data or None,
        }
        with saving(form, field="title") as saved:
            if contract is None:
                contracts.add_contract(
                    org=g.org, supplier=supplier, user=signed_in_user(), **values
                )
            else:
                contracts.update_contract(
                    org=g.org,
                    contract=contract,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    **values,
                )
        if saved:
            flash(f"The contract {form.title.data} has been saved", "success")
            return redirect(
                url_for("suppliers.detail", org_slug=g.org.slug, supplier_id=supplier.id)
            )
    return render_template(
        "suppliers/contract_form.html",
        title="Add a contract" if contract is None else f"Edit {contract.title}",
        form=form,
        org=g.org,
        supplier=supplier,
        contract=contract,
    )
