"""Helpers for the assessment tests: a high-risk supplier over the threshold, and answers."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import page
from tests.integration.register_support import (
    CLEANING_TEXT,
    Pay,
    as_user,
    error_messages,
    import_payments,
    main_text,
    supplier_id,
)
from tisc.extensions import db
from tisc.rules.questionnaire import Definition
from tisc.services.accounts import organisations
from tisc.services.assessments import questionnaires

# A tier A supplier in alpha-police's 2024/25 register: cleaning (high risk), over £50,000.
TIER_A = "Sparkle Cleaning Ltd"
LEAD = "procurement.alpha-police@example.org"


def tier_a_supplier(app: Flask, org_slug: str = "alpha-police", name: str = TIER_A) -> int:
    """Import spend that makes a tier A supplier for 2024/25; its id."""
    import_payments(
        app,
        org_slug,
        Pay(name, "10/05/2024", "40000.00", CLEANING_TEXT, "01234567"),
        Pay(name, "10/06/2024", "20000.00", CLEANING_TEXT, "01234567"),
        filename=f"{org_slug}.csv",
    )
    return supplier_id(app, org_slug, name)


def definition(app: Flask, key: str = "standard") -> Definition:
    """The partnership's current definition of a form."""
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        return questionnaires.current_questionnaire(partnership=partnership, key=key).definition


def best_answers(form: Definition) -> dict[str, str]:
    """Form data answering every question with its best option."""
    return {f"q-{q.key}": next(o.key for o in q.options if o.score == 4) for q in form.questions}


def worst_answers(form: Definition) -> dict[str, str]:
    """Form data answering every question with its lowest-scoring applicable option."""
    return {
        f"q-{q.key}": min((o for o in q.options if o.score is not None), key=lambda o: o.score).key
        for q in form.questions
    }


def hidden(client: FlaskClient, url: str) -> dict[str, str]:
    """The CSRF token and version of the first form on a page (empty when CSRF is off)."""
    soup = page(client.get(url))
    return {
        field["name"]: field.get("value", "")
        for field in soup.select("main form input[type=hidden]")
        if field.get("name") in ("csrf_token", "version")
    }


def count(app: Flask, model: type) -> int:
    """How many rows a table has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def invite(app: Flask, supplier: int, **fields: str) -> tuple[str, str]:
    """Invite as alpha-police's lead; the link's path and the page text."""
    lead = as_user(app, LEAD)
    data = {"financial_year": "2024", "questionnaire": "standard", "days": "30", **fields}
    response = lead.post(f"/organisations/alpha-police/suppliers/{supplier}/invite", data=data)
    assert response.status_code == 200, error_messages(response)
    address = page(response).select_one("#invitation-link")["value"]
    return re.sub(r"^https?://[^/]+", "", address), main_text(response)
