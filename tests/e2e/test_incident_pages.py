"""In a real browser: a body's incident log as its statement lead keeps it (the form's warning
against identifying anyone, its error summary, a saved incident) and the board's counts, with
no link to the log. Every page reached passes axe-core (WCAG 2.2 AA) with no console errors or
CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live

LOG = "/organisations/alpha-police/incidents"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    build_two_bodies(live.factory)


def test_an_incident_is_recorded_and_the_board_sees_only_counts(
    new_tab: Callable[[], Tab],
) -> None:
    lead = new_tab()
    lead.sign_in_behind_the_scenes("statement.alpha-police@example.org", PASSWORD)
    lead.go(f"{LOG}/new")
    assert "Do not enter the name" in lead.main_text()
    lead.follow(lead.page.get_by_role("button", name="Save incident"))
    summary = lead.page.locator(".govuk-error-summary").inner_text()
    assert "Enter the date the indicators were found" in summary
    assert "Select at least one indicator observed" in summary
    found = date.today()
    for part, value in (("Day", found.day), ("Month", found.month), ("Year", found.year)):
        lead.page.locator("#found_on").get_by_label(part).fill(str(value))
    lead.page.locator("input[name=tier]").first.check()
    lead.page.locator("input[name=indicators][value=debt]").check()
    lead.page.locator("input[name=indicators][value=documents]").check()
    lead.page.locator("input[name=source][value=audit]").check()
    lead.page.locator("input[name=referrals][value=nrm]").check()
    lead.page.locator("input[name=status][value=open]").check()
    lead.follow(lead.page.get_by_role("button", name="Save incident"))
    assert lead.banner()
    lead.go(LOG)
    assert lead.page.locator("main table tbody tr").count() == 1

    board = new_tab()
    board.sign_in_behind_the_scenes("board@example.org", PASSWORD)
    board.go("/partnerships/north-east/board")
    assert "Incidents and remediation" in board.main_text()
    assert board.page.locator(f"main a[href^='{LOG}']").count() == 0  # counts, never the log
