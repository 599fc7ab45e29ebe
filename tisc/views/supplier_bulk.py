"""Bulk work in a body's register: the suppliers ticked on the page, or every one matching the
register's filters, given a category or their suggested one, invited to assess themselves,
marked reviewed or archived, after a confirmation page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from tisc.extensions import db
from tisc.rules.authz import Permission
from tisc.rules.numbers import id_ranges, optional_id, parse_id_ranges
from tisc.services.assessments import bulk_invitations
from tisc.services.errors import ValidationError
from tisc.services.register import bulk
from tisc.services.register import rows as register
from tisc.views.suppliers import register_filters
from tisc.web.access import organisation_access, signed_in_user
from tisc.web.saving import confirmed
from tisc.web.years import chosen_year

bp = Blueprint("supplier_bulk", __name__, url_prefix="/organisations/<org_slug>")


def _ids(values: list[str]) -> list[int]:
    """The ids ticked (one per field) or carried by the confirmation page (as id ranges);
    anything unreadable is left out, so the service says nothing was selected."""
    found: list[int] = []
    for value in values:
        try:
            found.extend(parse_id_ranges(value))
        except ValueError:
            continue
    return found


@bp.post("/suppliers/bulk")
@organisation_access(Permission.MANAGE_REGISTER)
def bulk_action(org_slug: str) -> str | Response:
    """Ask first, then do one action on many suppliers. The register's filters travel in the
    address; the ticked suppliers (or "all matching") and the action in the form."""
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    back = url_for("suppliers.register_list", org_slug=org_slug, **args)
    year = chosen_year(register.years_with_spend(org=g.org))
    every = request.form.get("all_matching") == "yes" and year is not None
    try:
        plan = bulk.plan_bulk(
            org=g.org,
            action=request.form.get("action"),
            ids=_ids(request.form.getlist("supplier")),
            filters=register_filters(year) if every and year is not None else None,
            category_id=optional_id(request.form.get("category_id")),
            financial_year=year.start_year if year is not None else None,
        )
    except ValidationError as error:
        field = {"action": "#bulk-action", "category_id": "#bulk-category"}.get(
            error.field or "", "#bulk"
        )
        flash({"text": error.message, "href": field}, "error-summary")
        return redirect(back)
    days = current_app.config["INVITATION_DAYS"]
    if not confirmed():
        return render_template(
            "suppliers/bulk_confirm.html",
            title=bulk.question(plan),
            ids=id_ranges(plan.ids),
            org=g.org,
            plan=plan,
            back=back,
            action_url=url_for("supplier_bulk.bulk_action", org_slug=org_slug, **args),
            days=days,
            year=year,
            already_assessed=bulk_invitations.already_assessed(
                org=g.org, supplier_ids=plan.ids, financial_year=plan.financial_year
            )
            if plan.action == "invite" and plan.financial_year is not None
            else 0,
        )
    if plan.action == "invite" and plan.financial_year is not None:
        invited = bulk_invitations.invite_suppliers(
            org=g.org,
            supplier_ids=plan.ids,
            financial_year=plan.financial_year,
            user=signed_in_user(),
            days=days,
        )
        db.session.commit()
        flash(bulk_invitations.done_message(invited), "success")
        return redirect(url_for("invitations.outbox", org_slug=org_slug))
    changed = bulk.apply_bulk(org=g.org, plan=plan, user=signed_in_user())
    db.session.commit()
    flash(bulk.done_message(plan, changed), "success")
    return redirect(back)
