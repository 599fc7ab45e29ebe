"""An organisation's overview, and the partnership overview and shared register."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request

from tisc.rules.authz import Permission, permissions_from
from tisc.rules.numbers import whole_number
from tisc.rules.years import FinancialYear
from tisc.services.due_diligence.partnership_supplier import partnership_supplier
from tisc.services.register import export as register_export
from tisc.services.register import partnership as partnership_register
from tisc.services.register import rows as register
from tisc.services.register import suppliers
from tisc.web.access import organisation_access, partnership_access
from tisc.web.downloads import download
from tisc.web.years import chosen_year, this_year, year_choice

bp = Blueprint("organisations", __name__)

SHARED_PER_PAGE = 50


@bp.get("/organisations/<org_slug>")
@organisation_access(Permission.READ_ORGANISATION)
def overview(org_slug: str) -> str:
    """What the organisation is, who leads, and its register by year."""
    return render_template(
        "organisations/overview.html",
        title=g.org.name,
        org=g.org,
        summaries=register.spend_summaries(org=g.org),
        supplier_count=suppliers.count_suppliers(org=g.org),
    )


def _partnership_years() -> list[int]:
    return register.years_with_spend_in(organisations=g.partnership.organisations)


@bp.get("/partnerships/<partnership_slug>")
@partnership_access(Permission.READ_PARTNERSHIP)
def partnership(partnership_slug: str) -> str:
    """Every member body side by side for a year."""
    members = g.partnership.organisations
    years = _partnership_years()
    choice = year_choice(years)
    year = choice.year if years or choice.asked else None
    rows = (
        register.partnership_summaries(organisations=members, financial_year=year.start_year)
        if year is not None
        else [(org, None) for org in members]
    )
    return render_template(
        "organisations/partnership.html",
        title=g.partnership.name,
        partnership=g.partnership,
        years=[FinancialYear(y) for y in years],
        year=year,
        year_choice=choice,
        year_with="with payments",
        year_none="No payments in",
        rows=rows,
        can_manage_categories=Permission.MANAGE_CATEGORIES in permissions_from(g.partnership_roles),
    )


@bp.get("/partnerships/<partnership_slug>/suppliers")
@partnership_access(Permission.READ_PARTNERSHIP)
def shared_suppliers(partnership_slug: str) -> str:
    """Suppliers across the member bodies, each shown once with every body's spend."""
    years = _partnership_years()
    year = chosen_year(years)
    search = request.args.get("q", "")[:100]
    found = (
        partnership_register.shared_suppliers(
            organisations=g.partnership.organisations,
            financial_year=year.start_year,
            search=search,
        )
        if year is not None
        else []
    )
    pages = max(1, -(-len(found) // SHARED_PER_PAGE))
    page = max(1, min(request.args.get("page", 1, type=whole_number), pages))
    shown = found[(page - 1) * SHARED_PER_PAGE : page * SHARED_PER_PAGE]
    if year is not None:
        partnership_register.with_worst_tiers(
            groups=shown, organisations=g.partnership.organisations, financial_year=year.start_year
        )
    return render_template(
        "organisations/shared_suppliers.html",
        title=f"Suppliers across {g.partnership.name}",
        partnership=g.partnership,
        years=[FinancialYear(y) for y in years],
        year=year,
        search=search,
        rows=shown,
        total=len(found),
        shared=sum(1 for s in found if s.bodies > 1),
        page=page,
        pages=pages,
    )


@bp.get("/partnerships/<partnership_slug>/suppliers/<int:supplier_id>")
@partnership_access(Permission.READ_PARTNERSHIP)
def shared_supplier(partnership_slug: str, supplier_id: int) -> str:
    """One business across the member bodies, found by any body's record of it: spend, each
    body's tier, category and latest assessment, and the worst tier."""
    years = _partnership_years()
    year = chosen_year(years) or this_year()
    view = partnership_supplier(
        organisations=g.partnership.organisations,
        supplier_id=supplier_id,
        financial_year=year.start_year,
    )
    return render_template(
        "organisations/partnership_supplier.html",
        title=f"{view.supplier.name} across {g.partnership.name}",
        partnership=g.partnership,
        years=[FinancialYear(y) for y in years],
        year=year,
        view=view,
    )


@bp.get("/partnerships/<partnership_slug>/suppliers/export.<file_format>")
@partnership_access(Permission.READ_PARTNERSHIP)
def export_partnership(partnership_slug: str, file_format: str) -> Response:
    """Every member body's register for a year, as one CSV or XLSX."""
    if file_format not in ("csv", "xlsx"):
        abort(404)
    year = chosen_year(_partnership_years())
    if year is None:
        abort(404)
    body = register_export.export_register(
        organisations=g.partnership.organisations,
        financial_year=year.start_year,
        file_format=file_format,
        owner=g.partnership.name,
    )
    return download(body, f"{g.partnership.slug}-register-{year.slug}.{file_format}")
