"""Pages that pick a year by default pick one with data, and say so; the app's clock is the
TODAY setting, so nothing here depends on the real date."""

from __future__ import annotations

from flask import Flask

from tests.conftest import page
from tests.integration.assessment_support import tier_a_supplier
from tests.integration.register_support import CLEANING_TEXT, Pay, as_user, import_payments

LEAD = "procurement.alpha-police@example.org"
TODAY = "2026-09-30"  # in 2026/27


def test_assess_and_invite_default_to_the_suppliers_own_latest_year(
    app: Flask, two_bodies: dict
) -> None:
    app.config["TODAY"] = TODAY
    supplier = tier_a_supplier(app)  # paid in 2024/25 only
    # The body has later spend with another supplier: the form must not open on that year.
    import_payments(
        app,
        "alpha-police",
        Pay("Later Ltd", "10/05/2025", "900.00", CLEANING_TEXT),
        filename="b.csv",
    )
    client = as_user(app, LEAD)
    for action in ("assess", "invite"):
        soup = page(client.get(f"/organisations/alpha-police/suppliers/{supplier}/{action}"))
        field = soup.select("input[name=financial_year], select[name=financial_year] option")
        chosen = [f["value"] for f in field if f.has_attr("checked") or f.has_attr("selected")]
        assert chosen == ["2024"], action
        # This year and last (by the app's clock) are offered too, newest first.
        assert [f["value"] for f in field][:2] == ["2026", "2025"], action


def test_the_register_opens_on_the_latest_year_with_payments_and_says_so(
    app: Flask, two_bodies: dict
) -> None:
    app.config["TODAY"] = TODAY
    tier_a_supplier(app)  # 2024/25: neither this year nor last has payments
    client = as_user(app, LEAD)
    soup = page(client.get("/organisations/alpha-police/suppliers"))
    note = soup.select_one("[data-year-note]")
    assert " ".join(note.get_text().split()) == "Showing 2024/25, the latest year with payments."
    empty = page(client.get("/organisations/alpha-police/suppliers?year=2026-27"))
    note = empty.select_one("[data-year-note]")
    assert " ".join(note.get_text().split()) == "No payments in 2026/27. See 2024/25."
    assert note.select_one("a")["href"] == "/organisations/alpha-police/suppliers?year=2024-25"
