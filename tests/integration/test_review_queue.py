"""The review queue: a category the rules are not sure of (a low-confidence name rule) is a
suggestion, never applied by itself; the register counts and lists the suggestions, the supplier
page says it, and a person accepts them in bulk, after which they are the person's choice."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.audit_support import last_id, one
from tests.integration.register_support import (
    Pay,
    as_user,
    banner,
    error_messages,
    import_payments,
    register,
    snapshot,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import CategorySource, Supplier
from tisc.services.register.categorise import categorise

URL = "/organisations/alpha-police/suppliers"
LEAD = "procurement.alpha-police@example.org"
PROFESSIONAL = "Professional services, software, legal, finance"
SUGGESTION = f"Suggested: {PROFESSIONAL} (not sure: name contains CONSULTING)"


@pytest.fixture
def suppliers(app: Flask, two_bodies: dict) -> dict[str, int]:
    import_payments(
        app,
        "alpha-police",
        Pay("Castle Consulting Partners", "2024-05-01", "60000.00"),  # low confidence
        Pay("Acme Roofing Ltd", "2024-05-01", "60000.00"),  # high: applied
        Pay("Mystery Ltd", "2024-05-01", "60000.00"),  # nothing to suggest
    )
    names = ("Castle Consulting Partners", "Acme Roofing Ltd", "Mystery Ltd")
    return {name: supplier_id(app, "alpha-police", name) for name in names}


def _state(app: Flask, supplier: int) -> tuple:
    with app.app_context():
        found = db.session.get(Supplier, supplier)
        return (
            found.category.name if found.category else None,
            found.category_source,
            found.category_reason,
            found.suggested_category.name if found.suggested_category else None,
        )


def test_a_low_confidence_rule_suggests_and_never_applies(app: Flask, suppliers: dict) -> None:
    assert _state(app, suppliers["Castle Consulting Partners"]) == (
        None,
        CategorySource.NONE,
        None,
        PROFESSIONAL,
    )
    # A confident rule is applied as before, with no suggestion left beside it.
    assert _state(app, suppliers["Acme Roofing Ltd"])[1:] == (
        CategorySource.NAME,
        "name contains ROOFING",
        None,
    )
    client = as_user(app, LEAD)
    rows = register(client, f"{URL}?year=2024-25")
    castle = rows["Castle Consulting Partners"]
    # Until a person accepts it, it has no category: over the threshold, it needs one (tier A).
    assert castle.tier == "Tier A" and "Needs a category" in castle.flags
    shown = page(client.get(f"{URL}?year=2024-25"))
    inset = shown.select_one("#suggestions")
    assert (
        inset.select_one("strong")
        .get_text(" ", strip=True)
        .startswith("1 supplier in 2024/25 has a category suggested that the rules are not sure")
    )
    queue = page(client.get(inset.select_one("a")["href"]))
    suggested = [s.get_text(" ", strip=True) for s in queue.select("#main-content .app-suggestion")]
    assert suggested == [SUGGESTION]
    assert queue.select_one("#suggestions") is None  # not repeated on the queue itself
    detail = page(client.get(f"{URL}/{suppliers['Castle Consulting Partners']}"))
    keys = [k.get_text(strip=True) for k in detail.select(".govuk-summary-list__key")]
    assert "Suggested category" in keys
    hint = page(client.get(f"{URL}/{suppliers['Castle Consulting Partners']}/edit"))
    assert SUGGESTION in hint.select_one("#category_id-hint").get_text(" ", strip=True)


def test_accepting_suggestions_in_bulk_makes_them_a_persons_choice(
    app: Flask, suppliers: dict
) -> None:
    client = as_user(app, LEAD)
    ticked = [str(i) for i in suppliers.values()]
    before = snapshot(app)
    asked = client.post(f"{URL}/bulk?year=2024-25", data={"action": "accept", "supplier": ticked})
    question = page(asked)
    assert question.select_one("h1").get_text(strip=True) == (
        "Accept the suggested category of 1 supplier?"
    )
    assert [li.get_text(" ", strip=True) for li in question.select("#bulk-names li")] == [
        f"Castle Consulting Partners: {PROFESSIONAL} (not sure: name contains CONSULTING)"
    ]
    said = question.select_one("main").get_text(" ", strip=True)
    assert "2 of the suppliers selected have no suggestion and are left as they are." in said
    assert snapshot(app) == before  # asking changes nothing
    fields = {i["name"]: i["value"] for i in question.select("main form input[type=hidden]")}
    audit_from = last_id(app)
    done = client.post(question.select_one("main form")["action"], data=fields)
    assert banner(client.get(done.headers["Location"])) == (
        "1 supplier now has its suggested category"
    )
    castle = suppliers["Castle Consulting Partners"]
    assert _state(app, castle) == (
        PROFESSIONAL,
        CategorySource.CHOSEN,
        "suggestion accepted: name contains CONSULTING",
        None,
    )
    # The others are as they were.
    assert _state(app, suppliers["Mystery Ltd"]) == (None, CategorySource.NONE, None, None)
    event = one(app, after=audit_from, action="bulk-accept")
    assert event["after"]["supplier_ids"] == [castle]
    # A person's choice always wins: categorising again leaves it alone.
    with app.app_context():
        org = db.session.scalar(select(Supplier).where(Supplier.id == castle)).organisation
        categorise(organisations=[org])
        db.session.commit()
    assert _state(app, castle)[1] == CategorySource.CHOSEN
    detail = page(client.get(f"{URL}/{castle}"))
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row
        for row in detail.select(".govuk-summary-list__row")
    }
    category = rows["Category"].select_one(".govuk-summary-list__value").get_text(" ", strip=True)
    assert category.endswith("suggestion accepted: name contains CONSULTING")


def test_accepting_when_none_has_a_suggestion_is_refused_and_changes_nothing(
    app: Flask, suppliers: dict
) -> None:
    client = as_user(app, LEAD)
    before = snapshot(app)
    refused = client.post(
        f"{URL}/bulk?year=2024-25",
        data={"action": "accept", "supplier": [str(suppliers["Mystery Ltd"])], "confirmed": "yes"},
    )
    assert refused.status_code == 302
    assert error_messages(client.get(refused.headers["Location"])) == [
        "None of the selected suppliers has a suggested category to accept: choose “Give them "
        "a category” instead"
    ]
    assert snapshot(app) == before


def test_choosing_a_category_by_hand_clears_the_suggestion(app: Flask, suppliers: dict) -> None:
    client = as_user(app, LEAD)
    castle = suppliers["Castle Consulting Partners"]
    form = page(client.get(f"{URL}/{castle}/edit"))
    fields = {i["name"]: i.get("value", "") for i in form.select("main form input")}
    cleaning = next(
        o["value"] for o in form.select("#category_id option") if o.get_text().startswith("Clean")
    )
    saved = client.post(f"{URL}/{castle}/edit", data=fields | {"category_id": cleaning})
    assert saved.status_code == 302
    assert _state(app, castle)[1:] == (CategorySource.CHOSEN, None, None)
    rows = register(client, f"{URL}?year=2024-25&flag=suggested")
    assert rows == {}
