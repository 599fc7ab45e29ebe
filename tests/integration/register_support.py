"""Helpers for the register tests: spend through the real importer, and reading pages back."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import page, sign_in
from tests.integration import table_snapshot
from tisc.extensions import db
from tisc.models import Category, Supplier
from tisc.services.accounts import organisations
from tisc.services.imports import importing as imports

# Tables a register action may write to; sessions and users change on sign-in, so not these.
REGISTER_TABLES = (
    "suppliers",
    "spend_lines",
    "supplier_years",
    "contracts",
    "supplier_events",
    "categories",
    "category_changes",
    "category_mappings",
    "spend_thresholds",
    "spend_imports",
)

CLEANING_TEXT = "CLEANING & JANITORIAL.CLEANING MATERIALS"  # keyword "cleaning": High
HOTEL_TEXT = "HOTEL ACCOMMODATION"  # keyword "hotel": Medium
SOFTWARE_TEXT = "SOFTWARE LICENCES"  # keyword "software": Low
UNKNOWN_TEXT = "DOG KENNELLING"  # no keyword matches


@dataclass(frozen=True)
class Pay:
    """One payment line in a finance export."""

    supplier: str
    day: str
    amount: str
    category: str = ""
    company: str = ""


def import_payments(app: Flask, org_slug: str, *payments: Pay, filename: str = "spend.csv") -> Any:
    """Import the payments as a CSV finance export through the real importer; the summary."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Supplier Name", "Payment Date", "Amount", "Category", "Company Number"])
    for p in payments:
        writer.writerow([p.supplier, p.day, p.amount, p.category, p.company])
    with app.app_context():
        summary = imports.import_spend(
            org=organisations.get_organisation(slug=org_slug),
            user=None,
            data=buffer.getvalue().encode(),
            filename=filename,
        )
        db.session.commit()
    assert summary.imported == len(payments), summary.problems
    return summary


def as_user(app: Flask, email: str) -> FlaskClient:
    """A new client signed in as the user."""
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def supplier_id(app: Flask, org_slug: str, name: str) -> int:
    """The id of a body's supplier, by its exact name."""
    with app.app_context():
        org = organisations.get_organisation(slug=org_slug)
        found = db.session.scalar(
            select(Supplier.id).where(Supplier.organisation_id == org.id, Supplier.name == name)
        )
    assert found is not None, f"no supplier {name!r} in {org_slug}"
    return found


def category_id(app: Flask, name: str, partnership: str = "north-east") -> int:
    """The id of a partnership's category, by name."""
    with app.app_context():
        owner = organisations.get_partnership(slug=partnership)
        return db.session.scalar(
            select(Category.id).where(Category.partnership_id == owner.id, Category.name == name)
        )


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of the register tables, to show that a refused request changed nothing."""
    return table_snapshot.snapshot(app, REGISTER_TABLES)


@dataclass(frozen=True)
class Row:
    """A register row as the page shows it."""

    company: str
    category: str
    payments: str
    spend: str
    tier: str
    flags: frozenset[str]


def register(client: FlaskClient, url: str) -> dict[str, Row]:
    """Supplier name -> its row, in page order, from a register page."""
    response = client.get(url)
    assert response.status_code == 200, url
    result = {}
    for tr in page(response).select("table tbody tr"):
        head = tr.select_one("th")
        company = head.select_one("span")
        cells = tr.select("td:not(.app-select-cell)")  # the tick box is not a figure
        result[head.select_one("a").get_text(strip=True)] = Row(
            company=company.get_text(strip=True) if company else "",
            category=cells[0].get_text(" ", strip=True),
            payments=cells[1].get_text(strip=True),
            spend=cells[2].get_text(strip=True),
            tier=cells[3].get_text(strip=True),
            flags=frozenset(t.get_text(strip=True) for t in cells[4].select(".govuk-tag")),
        )
    return result


def main_text(response: Any) -> str:
    """The text of the page's main element, spaces collapsed."""
    return " ".join(page(response).select_one("main").get_text(" ").split())


def error_messages(response: Any) -> list[str]:
    """The messages in the page's error summary."""
    return [a.get_text(strip=True) for a in page(response).select(".govuk-error-summary li")]


def banner(response: Any) -> str:
    """The text of the notification banner after a redirect."""
    found = page(response).select_one(".govuk-notification-banner__content")
    return " ".join(found.get_text(" ").split()) if found else ""
