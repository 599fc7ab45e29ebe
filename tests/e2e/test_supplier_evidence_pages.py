"""In a real browser: a supplier's completed STRT uploaded and its answers checked, the review
queue of suggested categories, and a supplier seen across the partnership. Every page reached
passes axe-core (WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.due_diligence_support import SLUG, A, build_year
from tests.integration.register_support import Pay, import_payments, supplier_id
from tests.unit.strt_builders import strt_workbook


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    """due_diligence_support's 2024/25, and a supplier whose name only suggests a category."""
    build_two_bodies(live.factory)
    build_year(live.app)
    import_payments(live.app, "alpha-police", Pay("Castle Consulting Ltd", "2024-05-01", "60000"))


def test_a_strt_is_uploaded_and_checked(
    new_tab: Callable[[], Tab], live: Live, tmp_path: Path
) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes("procurement.alpha-police@example.org", PASSWORD)
    sid = supplier_id(live.app, "alpha-police", "Castle Consulting Ltd")
    tab.go(f"{A}/suppliers/{sid}")
    tab.follow(tab.page.get_by_role("button", name="Import a completed STRT").first)
    upload = tmp_path / "strt.xlsx"
    upload.write_bytes(strt_workbook())
    tab.page.set_input_files("input[type=file]", str(upload))
    tab.follow(tab.page.locator("main form button[type=submit]").first)
    assert tab.h1() == "Check the answers from the STRT"
    assert tab.page.locator("main table").count() >= 1


def test_the_review_queue_and_a_supplier_across_the_partnership(
    new_tab: Callable[[], Tab], live: Live
) -> None:
    lead = new_tab()
    lead.sign_in_behind_the_scenes("procurement.alpha-police@example.org", PASSWORD)
    lead.go(f"{A}/suppliers?year={SLUG}")
    lead.follow(lead.page.locator("#suggestions a"))
    assert "Suggested:" in lead.main_text()

    coordinator = new_tab()
    coordinator.sign_in_behind_the_scenes("coordinator@example.org", PASSWORD)
    coordinator.go(f"/partnerships/north-east/suppliers?year={SLUG}")
    coordinator.follow(coordinator.page.locator("main table tbody th a").first)
    assert coordinator.h1().endswith("across the partnership")
