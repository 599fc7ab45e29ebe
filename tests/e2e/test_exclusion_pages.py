"""In a real browser: the debarment list upload (administrators), a listed supplier's page with
its warning and matches, the exclusion decision form with its error summary and its
procurement, the procurement's exclusions, and the board's Procurement Act figures. Every page
reached passes axe-core (WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.exclusion_support import (
    BY_NUMBER,
    LIST_CSV,
    register_with_listed_suppliers,
    write_list,
)
from tests.integration.procurement_support import make_procurement
from tisc.rules.years import FinancialYear

A = "/organisations/alpha-police"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> dict[str, int]:
    """Alpha's register with the suppliers the test list names, and a procurement."""
    build_two_bodies(live.factory)
    ids = register_with_listed_suppliers(live.app)
    washing = make_procurement(live.app, "alpha-police", "Vehicle washing")
    return {"listed": ids[BY_NUMBER], "washing": washing}


def test_the_list_upload_supplier_warning_and_decision_pass_axe(
    new_tab: Callable[[], Tab], world: dict[str, int], tmp_path
) -> None:
    admin = new_tab()
    admin.sign_in_behind_the_scenes("admin@example.org", PASSWORD)
    admin.go("/admin/debarment-list")
    admin.follow(admin.page.get_by_role("button", name="Upload and import"))
    assert "Select a CSV or Excel file" in admin.page.locator(".govuk-error-summary").inner_text()
    admin.page.set_input_files("input[name=file]", str(write_list(tmp_path, LIST_CSV)))
    admin.follow(admin.page.get_by_role("button", name="Upload and import"))
    assert "imported" in admin.banner()

    lead = new_tab()
    lead.sign_in_behind_the_scenes("procurement.alpha-police@example.org", PASSWORD)
    lead.go(f"{A}/suppliers/{world['listed']}")
    assert "mandatory ground" in lead.page.locator("#debarment-warning").inner_text()
    lead.follow(lead.page.get_by_role("button", name="Record an exclusion decision"))
    lead.follow(lead.page.get_by_role("button", name="Save decision"))
    summary = lead.page.locator(".govuk-error-summary").inner_text()
    assert "Enter the exclusion ground" in summary and "Select the decision" in summary
    lead.page.get_by_label("Procurement (optional)").select_option(label="Vehicle washing")
    lead.page.get_by_label("Exclusion ground").fill("Modern slavery offence (mandatory)")
    lead.page.get_by_label("Excluded", exact=True).check()
    today = date.today()
    for part, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        lead.page.locator("#decided_on").get_by_label(part).fill(str(value))
    lead.follow(lead.page.get_by_role("button", name="Save decision"))
    assert lead.banner() == "The exclusion decision has been saved"
    lead.follow(lead.page.get_by_role("link", name="Vehicle washing"))
    assert lead.page.locator("#procurement-exclusions").inner_text().count(BY_NUMBER) == 1

    board = new_tab()
    board.sign_in_behind_the_scenes("board@example.org", PASSWORD)
    board.go("/partnerships/north-east/board")
    figures = board.summary_list("#procurement-counts")
    assert (
        figures[f"Exclusion decisions recorded in {FinancialYear.containing(today).label}"] == "1"
    )
