"""In a real browser: the beyond-Tier-1 heat-map on a body's due-diligence page and on the
board, and a sub-supplier's finding on its supplier's page. Every page reached passes axe-core
(WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.due_diligence_support import SLUG, A, add_sub, build_year
from tests.integration.register_support import supplier_id


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    """due_diligence_support's 2024/25, with nitrile gloves from Malaysia for Clean A3 Ltd."""
    build_two_bodies(live.factory)
    build_year(live.app)
    add_sub(live.app, "alpha-police", "Clean A3 Ltd", "Glove Works", "Malaysia", "nitrile gloves")


def test_the_heat_maps_and_a_finding_pass_axe(new_tab: Callable[[], Tab], live: Live) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes("coordinator@example.org", PASSWORD)
    tab.go(f"/partnerships/north-east/board?year={SLUG}")
    assert tab.page.locator("svg#board-heat-map").count() == 1
    assert tab.page.locator("#board-heat-map-total").inner_text() == "3"

    alpha = new_tab()
    alpha.sign_in_behind_the_scenes("viewer.alpha-police@example.org", PASSWORD)
    alpha.go(f"{A}/due-diligence?year={SLUG}")
    assert alpha.page.locator("#dd-heat-map-total").inner_text() == "2"
    sid = supplier_id(live.app, "alpha-police", "Clean A3 Ltd")
    alpha.go(f"{A}/suppliers/{sid}/due-diligence/{SLUG}")
    assert "rubber gloves from Malaysia" in alpha.main_text()
