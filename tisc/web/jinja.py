"""Jinja set-up: template loaders for the GOV.UK macros, filters, and what the layout needs on
every page (the navigation's links are tisc.web.navigation's)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, g, session
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from tisc.rules.authz import Permission, permissions_from, roles_in_organisation
from tisc.rules.money import format_pounds
from tisc.rules.years import FinancialYear, long_date
from tisc.web.heat_map import heat_map_svg
from tisc.web.navigation import navigation
from tisc.web.rag_trend import rag_trend_svg

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
    app.add_template_filter(number)
    app.add_template_filter(uk_date)
    app.add_template_filter(utc_time)
    app.add_template_filter(FinancialYear, "fy")
    app.add_template_global(heat_map_svg)
    app.add_template_global(rag_trend_svg)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(layout_context)


def pounds(amount: Decimal | None) -> str:
    """£1,234.56 (or an em dash when there is no figure)."""
    return "—" if amount is None else format_pounds(amount)


def number(value: int | None) -> str:
    """A count with thousands separators: 6,787 (an em dash when there is none). Every count
    a page prints goes through here, so one page never says 6787 and another 6,787."""
    return "—" if value is None else f"{value:,}"


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


def layout_context() -> dict[str, Any]:
    """What the layout needs on every page."""
    org = g.get("org")
    can = permissions_from(roles_in_organisation(current_user, org)) if org else frozenset()
    return {
        "service_name": SERVICE_NAME,
        "navigation": navigation(),
        "current_org": org,
        "org_permissions": can,
        "Permission": Permission,
        "has_several_orgs": session.get("org_count", 0) > 1,
    }
