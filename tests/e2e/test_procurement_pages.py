"""In a real browser: a procurement's page and its PPN 009 risk assessment, recorded late (its
warning on both pages), the assessment form with its error summary, a contract's page short of
KPIs. Every page reached passes axe-core (WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.procurement_support import make_contract, make_procurement
from tests.integration.register_support import category_id

A = "/organisations/alpha-police"
LATE = "PPN 009 asks for it before the tender notice"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> dict[str, int]:
    """A contract over £5m with two KPIs, awarded by a procurement assessed late, and a
    procurement not assessed yet."""
    build_two_bodies(live.factory)
    contract = make_contract(live.app, "alpha-police", total="6000000.00", kpis=2, clause=True)
    late = make_procurement(
        live.app,
        "alpha-police",
        "Nitrile gloves",
        category=category_id(live.app, "PPE and body armour"),
        countries="Malaysia",
        contract_id=contract,
        assessed_on=date(2025, 6, 9),
        overall="high",
    )
    fresh = make_procurement(live.app, "alpha-police", "Grounds maintenance")
    return {"contract": contract, "late": late, "fresh": fresh}


def test_the_procurement_and_assessment_pages_pass_axe(
    new_tab: Callable[[], Tab], world: dict[str, int]
) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes("procurement.alpha-police@example.org", PASSWORD)
    tab.go(f"{A}/procurements")
    tab.follow(tab.page.get_by_role("link", name="Nitrile gloves"))
    assert LATE in tab.page.locator("#late-warning").inner_text()
    tab.follow(tab.page.get_by_role("link", name="See the assessment"))
    assert tab.h1() == "PPN 009 risk assessment"
    assert LATE in tab.page.locator("#late-warning").inner_text()
    assert "Suggested by tisc: High" in tab.page.locator("#suggestion").inner_text()
    tab.follow(tab.page.get_by_role("link", name="Back to the procurement"))
    tab.follow(tab.page.get_by_role("link", name="Cleaning of stations"))
    assert "needs at least 3 KPIs" in tab.page.locator("#kpi-warning").inner_text()


def test_the_assessment_form_and_its_errors_pass_axe(
    new_tab: Callable[[], Tab], world: dict[str, int]
) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes("procurement.alpha-police@example.org", PASSWORD)
    tab.go(f"{A}/procurements/{world['fresh']}/ppn009/edit")
    tab.follow(tab.page.get_by_role("button", name="Save assessment"))
    summary = tab.page.locator(".govuk-error-summary").inner_text()
    assert "Select the industry risk" in summary and "Enter the reasons" in summary
    for name in ("industry", "workforce", "location", "context", "commodity", "business_model"):
        tab.page.locator(f"input[name={name}][value=low]").check()
    tab.page.locator("input[name=overall][value=low]").check()
    tab.page.get_by_label("Reasons for the overall risk").fill("Grass cutting by our own staff")
    tab.page.get_by_label("Contract clauses").check()
    tab.follow(tab.page.get_by_role("button", name="Save assessment"))
    assert tab.h1() == "PPN 009 risk assessment"
    assert tab.banner() == "The PPN 009 risk assessment has been saved"
    # Recorded today, after the tender notice on 1 May 2025.
    assert LATE in tab.page.locator("#late-warning").inner_text()
