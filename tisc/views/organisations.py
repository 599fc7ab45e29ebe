"""An organisation's overview and supplier register, and the partnership overview."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from tisc.rules.years import FinancialYear
from tisc.security import Permission, organisation_access, partnership_access
from tisc.services import suppliers

bp = Blueprint("organisations", __name__)


def _chosen_year(available: list[int]) -> int | None:
    """The ?year=2024-25 asked for, else the newest year with data."""
    asked = request.args.get("year")
    if asked:
        try:
            return FinancialYear.parse(asked).start_year
        except ValueError:
            abort(404)
    return available[0] if available else None


@bp.get("/organisations/<org_slug>")
@organisation_access(Permission.READ_ORGANISATION)
def overview(org_slug: str) -> str:
    """What the organisation is, who leads, and its spend by year."""
    return render_template(
        "organisations/overview.html",
        title=g.org.name,
        org=g.org,
        summaries=suppliers.spend_summaries(org=g.org),
        supplier_count=suppliers.count_suppliers(org=g.org),
    )


@bp.get("/organisations/<org_slug>/suppliers")
@organisation_access(Permission.READ_ORGANISATION)
def suppliers_list(org_slug: str) -> str:
    """The register for one financial year, largest spend first."""
    years = suppliers.years_with_spend(org=g.org)
    year = _chosen_year(years)
    page_number = request.args.get("page", 1, type=int)
    register = (
        suppliers.register_page(org=g.org, financial_year=year, page=page_number)
        if year is not None
        else None
    )
    return render_template(
        "organisations/suppliers.html",
        title=f"Suppliers – {g.org.name}",
        org=g.org,
        years=[FinancialYear(y) for y in years],
        year=FinancialYear(year) if year is not None else None,
        register=register,
    )


@bp.get("/partnerships/<partnership_slug>")
@partnership_access(Permission.READ_PARTNERSHIP)
def partnership(partnership_slug: str) -> str:
    """Every member body side by side for a year."""
    members = g.partnership.organisations
    years = sorted(
        {y for org in members for y in suppliers.years_with_spend(org=org)}, reverse=True
    )
    year = _chosen_year(years)
    rows = (
        suppliers.partnership_summaries(organisations=members, financial_year=year)
        if year is not None
        else [(org, None) for org in members]
    )
    return render_template(
        "organisations/partnership.html",
        title=g.partnership.name,
        partnership=g.partnership,
        years=[FinancialYear(y) for y in years],
        year=FinancialYear(year) if year is not None else None,
        rows=rows,
    )
