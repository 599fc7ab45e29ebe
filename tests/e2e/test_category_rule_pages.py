"""In a real browser, by keyboard and mouse: a coordinator edits the partnership's name rules,
is told what is wrong with a bad version, saves a good one and puts the shipped file back.
Every page passes axe-core (WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.register_support import Pay, import_payments, supplier_id
from tisc.extensions import db
from tisc.models import Supplier

CLEANING = "Cleaning services and materials"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    build_two_bodies(live.factory)
    import_payments(live.app, "alpha-police", Pay("Happy Kennels Ltd", "2024-05-01", "60000.00"))


def _reason(live: Live) -> str | None:
    with live.app.app_context():
        found = db.session.get(Supplier, supplier_id(live.app, "alpha-police", "Happy Kennels Ltd"))
        return found.category_reason


def test_a_coordinator_edits_the_name_rules(new_tab: Callable[[], Tab], live: Live) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes("coordinator@example.org", PASSWORD)
    tab.go("/partnerships/north-east/categories")
    tab.follow(tab.page.get_by_role("link", name="Rules for automatic categories"))
    assert tab.h1() == "Rules for automatic categories"
    tab.follow(tab.page.get_by_role("link", name="Words in suppliers' names"))
    box = tab.page.get_by_label("Rules", exact=True)
    shipped = box.input_value()

    box.fill(shipped + "kennels,Cleanng,high\n")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Save").click()
    # The refusal answers 400, as a form with errors should: the browser's note of it (and
    # the tab's) are expected; nothing else is.
    tab.problems = [p for p in tab.problems if "400" not in p]
    tab.check()
    summary = tab.page.locator(".govuk-error-summary")
    assert "‘Cleanng’ is not one of this partnership's categories" in summary.inner_text()
    summary.get_by_role("link").click()  # the summary's link takes the focus to the box
    assert tab.page.evaluate("document.activeElement.id") == "text"

    box.fill(shipped + f'kennels,"{CLEANING}",high\n')
    tab.page.get_by_label("What changed and why (optional)").fill("Kennels are cleaned")
    tab.page.get_by_label("What changed and why (optional)").focus()
    tab.press_to_next_page("Enter")  # Enter in the note's box sends the form
    assert tab.banner() == "Version 2 of these rules is in force. 1 supplier changed category."
    assert _reason(live) == "name contains KENNELS"

    tab.follow(tab.page.get_by_role("link", name="Restore this version (version 1)"))
    assert tab.h1() == "Are you sure you want to put version 1 back in force?"
    tab.page.get_by_role("button", name="Yes, put version 1 back in force").focus()
    tab.press_to_next_page("Enter")
    assert tab.banner() == "Version 1 is back in force as version 3. 1 supplier changed category."
    assert _reason(live) is None
