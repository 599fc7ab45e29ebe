"""Categories and thresholds (partnership) and a body's finance category mappings."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.extensions import db
from tisc.forms import choices
from tisc.forms.categories import CategoryForm, ThresholdForm
from tisc.forms.suppliers import MapTextForm
from tisc.rules.authz import Permission
from tisc.rules.years import FinancialYear
from tisc.services.register import categories, thresholds
from tisc.web.access import organisation_access, partnership_access, signed_in_user
from tisc.web.saving import confirmed, expected_version, saving
from tisc.web.years import this_year

bp = Blueprint("categories", __name__)


def _index_page(form: ThresholdForm, status: int = 200) -> tuple[str, int]:
    current = this_year().start_year
    years = [FinancialYear(y) for y in range(current + 1, current - 3, -1)]
    return (
        render_template(
            "categories/index.html",
            title="Categories and thresholds",
            partnership=g.partnership,
            categories=categories.list_categories(partnership=g.partnership),
            thresholds=[
                (
                    year,
                    thresholds.partnership_threshold(
                        partnership=g.partnership, financial_year=year.start_year
                    ),
                )
                for year in years
            ],
            form=form,
        ),
        status,
    )


@bp.get("/partnerships/<partnership_slug>/categories")
@partnership_access(Permission.MANAGE_CATEGORIES)
def index(partnership_slug: str) -> tuple[str, int]:
    """The partnership's categories with their risk, and its thresholds."""
    return _index_page(ThresholdForm())


@bp.route("/partnerships/<partnership_slug>/categories/<int:category_id>", methods=["GET", "POST"])
@partnership_access(Permission.MANAGE_CATEGORIES)
def edit(partnership_slug: str, category_id: int) -> str | Response:
    """Change a category; the change is recorded."""
    category = categories.get_category(partnership=g.partnership, category_id=category_id)
    form = CategoryForm(obj=category)
    if not form.is_submitted():
        form.version.data = str(category.version_id)
        form.risk.data = category.risk.value
    if form.validate_on_submit():
        with saving(form, field="name") as saved:
            categories.update_category(
                category=category,
                user=signed_in_user(),
                expected_version=expected_version(form),
                name=form.name.data,
                risk=form.risk.data,
                reason=form.reason.data,
                cpv_codes=form.cpv_codes.data,
                keywords=form.keywords.data,
            )
        if saved:
            flash(f"{form.name.data} has been saved", "success")
            return redirect(url_for("categories.index", partnership_slug=partnership_slug))
    return render_template(
        "categories/edit.html",
        title=f"Edit {category.name}",
        form=form,
        partnership=g.partnership,
        category=category,
        history=categories.category_history(category=category),
    )


@bp.post("/partnerships/<partnership_slug>/thresholds")
@partnership_access(Permission.MANAGE_CATEGORIES)
def set_threshold(partnership_slug: str) -> tuple[str, int] | Response:
    """Set the over-threshold limit for a year."""
    form = ThresholdForm()
    if form.validate_on_submit():
        year = form.financial_year()
        with saving(form, field="amount") as saved:
            thresholds.set_threshold(
                partnership=g.partnership,
                financial_year=year.start_year,
                amount=Decimal(form.amount.data).quantize(Decimal("0.01")),
            )
        if saved:
            flash(f"The threshold for {year.label} is now £{form.amount.data:,.2f}", "success")
            return redirect(url_for("categories.index", partnership_slug=partnership_slug))
    return _index_page(form, 400)


def _mapping_page(form: MapTextForm | None = None, status: int = 200) -> tuple[str, int]:
    partnership = categories.organisation_partnership(g.org)
    options = categories.list_categories(partnership=partnership)
    return (
        render_template(
            "categories/mappings.html",
            title="Finance categories",
            org=g.org,
            unmapped=categories.unmapped_texts(org=g.org),
            mappings=categories.list_mappings(org=g.org),
            category_choices=[(c.id, f"{c.name} ({c.risk.label} risk)") for c in options],
            form=form,
        ),
        status,
    )


@bp.get("/organisations/<org_slug>/finance-categories")
@organisation_access(Permission.READ_ORGANISATION)
def mappings(org_slug: str) -> tuple[str, int]:
    """Finance category text with no category yet, and the body's saved mappings."""
    return _mapping_page()


@bp.post("/organisations/<org_slug>/finance-categories")
@organisation_access(Permission.MANAGE_REGISTER)
def map_text(org_slug: str) -> tuple[str, int] | Response:
    """Map a finance category text once; every supplier with that text follows."""
    form = MapTextForm()
    partnership = categories.organisation_partnership(g.org)
    form.category_id.choices = choices(
        [("", "Choose a category")]
        + [(str(c.id), c.name) for c in categories.list_categories(partnership=partnership)]
    )
    if form.validate():
        with saving(form, field="category_id") as saved:
            changed = categories.map_category_text(
                org=g.org,
                user=signed_in_user(),
                category_text=form.category_text.data,
                category_id=form.category_id.data,
            )
        if saved:
            flash(
                f"Mapped “{form.category_text.data}”: {changed:,} suppliers now follow it",
                "success",
            )
            return redirect(url_for("categories.mappings", org_slug=org_slug))
    return _mapping_page(form, 400)


@bp.route(
    "/organisations/<org_slug>/finance-categories/<int:mapping_id>/remove", methods=["GET", "POST"]
)
@organisation_access(Permission.MANAGE_REGISTER)
def remove_mapping(org_slug: str, mapping_id: int) -> str | Response:
    """Forget a mapping, once confirmed (the GET, or a POST without it, asks first)."""
    if not confirmed():
        mapping = categories.get_mapping(org=g.org, mapping_id=mapping_id)
        return render_template(
            "categories/remove_mapping_confirm.html",
            title=f"Are you sure you want to remove the mapping for “{mapping.category_text}”?",
            org=g.org,
            mapping=mapping,
            suppliers=categories.mapping_supplier_count(org=g.org, mapping=mapping),
        )
    categories.remove_mapping(org=g.org, mapping_id=mapping_id)
    db.session.commit()
    flash("The mapping has been removed", "success")
    return redirect(url_for("categories.mappings", org_slug=org_slug))
