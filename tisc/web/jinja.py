"""Jinja set-up: template loaders for the GOV.UK macros, filters and the navigation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, g, request, session, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from tisc.rules.authz import ROLE_PERMISSIONS, Permission, permissions_from, roles_in_organisation
from tisc.rules.money import format_pounds
from tisc.rules.years import FinancialYear, long_date

SERVICE_NAME = "Modern slavery transparency"


def init_app(app: Flask) -> None:
    """Loaders, filters and globals for every template."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.add_template_filter(pounds)
    app.add_template_filter(uk_date)
    app.add_template_filter(utc_time)
    app.add_template_filter(FinancialYear, "fy")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(layout_context)


def pounds(amount: Decimal | None) -> str:
    """£1,234.56 (or an em dash when there is no figure)."""
    return "—" if amount is None else format_pounds(amount)


def uk_date(value: date | datetime | None) -> str:
    """17 August 2022."""
    if value is None:
        return "—"
    return long_date(value)


def utc_time(value: datetime | None) -> str:
    """29 Nov 2026, 12:13:55 (a naive time, as SQLite returns it, is taken to be UTC)."""
    if value is None:
        return "—"
    moment = value.astimezone(UTC) if value.tzinfo else value
    return f"{moment.day} {moment:%b %Y, %H:%M:%S}"


def _navigation() -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    items = [{"text": "Home", "href": url_for("main.home"), "active": endpoint == "main.home"}]
    org = g.get("org") or _only_organisation()
    if org is not None:
        items.append(
            {
                "text": "Overview",
                "href": url_for("organisations.overview", org_slug=org.slug),
                "active": endpoint == "organisations.overview",
            }
        )
        items.append(
            {
                "text": "Suppliers",
                "href": url_for("suppliers.register_list", org_slug=org.slug),
                "active": endpoint.startswith(("suppliers.", "categories.map")),
            }
        )
        items.append(
            {
                "text": "Due diligence",
                "href": url_for("due_diligence.overview", org_slug=org.slug),
                "active": endpoint.startswith(("due_diligence.", "assessments.", "invitations.")),
            }
        )
        items.append(
            {
                "text": "Action plan",
                "href": url_for("plans.overview", org_slug=org.slug),
                "active": endpoint.startswith("plans."),
            }
        )
        items.append(
            {
                "text": "Imports",
                "href": url_for("imports.history", org_slug=org.slug),
                "active": endpoint.startswith("imports."),
            }
        )
    partnership = next((m.partnership for m in current_user.memberships if m.partnership), None)
    if org is not None or partnership is not None:
        items.append(
            {
                "text": "Statement",
                "href": url_for("statements.body_statement", org_slug=org.slug)
                if org is not None
                else url_for(
                    "statements.partnership_statements", partnership_slug=partnership.slug
                ),
                "active": endpoint.startswith(("statements.", "statement_documents.")),
            }
        )
    for membership in current_user.memberships:
        if membership.partnership is not None:
            items.append(
                {
                    "text": "Partnership",
                    "href": url_for(
                        "organisations.partnership",
                        partnership_slug=membership.partnership.slug,
                    ),
                    "active": endpoint.startswith(
                        ("organisations.partnership", "organisations.shared")
                    ),
                }
            )
            items.append(
                {
                    "text": "Board",
                    "href": url_for(
                        "board.dashboard", partnership_slug=membership.partnership.slug
                    ),
                    "active": endpoint.startswith("board."),
                }
            )
            break
    if current_user.is_admin:
        items.append(
            {
                "text": "Admin",
                "href": url_for("admin.index"),
                "active": endpoint.startswith("admin."),
            }
        )
    if any(Permission.READ_AUDIT in ROLE_PERMISSIONS[m.role] for m in current_user.memberships):
        items.append(
            {
                "text": "Audit trail",
                "href": url_for("audit.events"),
                "active": endpoint.startswith("audit."),
            }
        )
    items.append(
        {
            "text": "Your account",
            "href": url_for("auth.change_password"),
            "active": endpoint == "auth.change_password",
        }
    )
    return items


def _only_organisation() -> Any:
    """The one organisation of a user with a single body membership, for the navigation."""
    orgs = {m.organisation for m in current_user.memberships if m.organisation is not None}
    has_partnership = any(m.partnership is not None for m in current_user.memberships)
    return orgs.pop() if len(orgs) == 1 and not has_partnership else None


def layout_context() -> dict[str, Any]:
    """What the layout needs on every page."""
    org = g.get("org")
    can = permissions_from(roles_in_organisation(current_user, org)) if org else frozenset()
    return {
        "service_name": SERVICE_NAME,
        "navigation": _navigation(),
        "current_org": org,
        "org_permissions": can,
        "Permission": Permission,
        "has_several_orgs": session.get("org_count", 0) > 1,
    }
