"""In a real browser: a progress update on an action-plan item, the collaboration board's
dashboard, and the joint statement generated and downloaded as a Word document. Every page
reached passes axe-core (WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.board_support import RED_RISK, build_board
from tests.integration.plan_support import add_item, start, this_year
from tests.integration.statement_doc_support import ALPHA_PART, make_statement
from tisc.rules.years import FinancialYear

STATEMENT_A = "statement.alpha-police@example.org"
BOARD = "board@example.org"
COORDINATOR = "coordinator@example.org"
ACTION = "Train every buyer in modern slavery risks"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    """north-east's 2024/25 year of plans, spend and due diligence (board_support), its joint
    statement for 2024/25, and alpha-police's plan for this year with one action."""
    build_two_bodies(live.factory)
    build_board(live.app)
    make_statement(live.app)
    start(live.app, "alpha-police", this_year())
    add_item(live.app, "alpha-police", this_year(), ACTION, owner="Head of Procurement")


def test_update_an_action_plan_item(new_tab: Callable[[], Tab]) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes(STATEMENT_A, PASSWORD)
    tab.go("/")
    tab.follow(tab.nav("Action plan"))
    assert tab.h1() == f"Action plan {FinancialYear(this_year()).label}"
    tab.follow(tab.page.get_by_role("link", name=ACTION))
    assert tab.h1() == ACTION
    assert "No progress updates yet." in tab.main_text()
    before = tab.summary_list("#details")
    assert (before["Status"], before["RAG"]) == ("Not started", "Amber Not started yet")

    tab.page.get_by_label("What has happened?").fill("Course booked for all 12 buyers.")
    tab.page.get_by_label("In progress").check()
    tab.page.get_by_label("Red", exact=True).check()
    tab.page.get_by_label("Why is it red or amber?").fill("Two buyers are on leave until June.")
    tab.follow(tab.page.get_by_role("button", name="Add the update"))

    assert tab.banner() == "Your progress update has been added"
    after = tab.summary_list("#details")
    assert after["Status"] == "In progress"
    assert after["RAG"] == "Red Two buyers are on leave until June."
    entries = tab.page.locator("#timeline li")
    assert entries.count() == 1
    entry = " ".join(entries.first.inner_text().split())
    assert "Course booked for all 12 buyers." in entry
    assert "Status: Not started to In progress. RAG: Amber to Red" in entry


def test_the_board_dashboard(new_tab: Callable[[], Tab]) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes(BOARD, PASSWORD)
    tab.go("/")
    tab.follow(tab.page.get_by_role("link", name="Board dashboard", exact=False))
    tab.page.get_by_label("Financial year").select_option("2024-25")
    tab.follow(tab.page.get_by_role("button", name="Show"))
    assert tab.h1() == "Board dashboard 2024/25"
    assert tab.page.locator("#overdue-total").inner_text() == (
        "2 actions are overdue across the partnership."
    )
    rows = {
        row.locator("th").inner_text().strip(): row
        for row in tab.page.locator("#matrix tbody tr").all()
    }
    assert set(rows) == {"Alpha Police", "Beta Opcc"}
    alpha = rows["Alpha Police"]
    assert alpha.locator("[data-overdue]").inner_text() == "2"
    assert alpha.locator("[data-own]").inner_text() == "1"
    assert rows["Beta Opcc"].locator("[data-overdue]").inner_text() == "0"
    first = alpha.locator("[data-commitment='1']")
    assert " ".join(first.inner_text().split()).startswith("Red")
    assert "Overdue" in first.inner_text()
    # The cell is filled with red and its words are white (4.9:1), its link too.
    assert first.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(212, 53, 28)"
    link = first.get_by_role("link")
    assert link.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    assert tab.page.locator("#summary").inner_text() == (
        "2 actions overdue, 2 red; every body has a plan."
    )
    assert tab.page.locator("#trend-chart title").first.text_content().startswith("Actions by")

    # A cell leads to the action behind it, which the board can read but not change.
    tab.follow(first.get_by_role("link"))
    assert tab.h1() == RED_RISK
    assert tab.page.locator("#update-form").count() == 0


def test_a_coordinator_keeps_the_board_pack(new_tab: Callable[[], Tab]) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes(COORDINATOR, PASSWORD)
    tab.go("/partnerships/north-east/board?year=2024-25")
    since = tab.page.locator("#since-lines li")
    assert since.first.inner_text().startswith("No earlier board pack is kept for 2024/25")
    tab.follow(tab.page.locator("#keep-pack"))
    assert tab.banner().startswith("The board pack of")
    assert tab.page.locator("#packs tbody tr").count() == 1


def test_generate_and_download_the_statement(new_tab: Callable[[], Tab], tmp_path: Path) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes(COORDINATOR, PASSWORD)
    tab.go("/")
    tab.follow(tab.page.get_by_role("link", name="Joint statement", exact=False))
    assert tab.h1() == "Joint statements"
    tab.follow(tab.page.get_by_role("link", name="2024/25 joint statement"))
    assert "no-documents" in tab.page.locator("#statement-documents").inner_html()
    tab.follow(tab.page.get_by_role("button", name="Generate the Word document"))
    assert tab.banner() == "The Word document has been generated and kept"

    with tab.page.expect_download() as caught:
        tab.page.locator("#documents").get_by_role("link", name="Download Word document").click()
    download = caught.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = docx.Document(str(saved))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "North East modern slavery statement 2024/25" in text
    assert ALPHA_PART.split("\n\n")[0] in text
    # Still a draft: every page says so.
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "DRAFT" in header
