"""At 375 px, the width of a small phone, no page is wider than the screen (WCAG 1.4.10
reflow): a table that does not fit scrolls inside its own labelled region, which a keyboard
user can reach and scroll (2.1.1). The register, the board dashboard and a supplier with
many payments, and then every page of the security tests' world, each opened by someone it
serves; every one passes axe-core (browser_support.Tab.check)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from tests.conftest import PASSWORD
from tests.e2e.browser_support import Tab, tab_to
from tests.e2e.conftest import Live
from tests.integration.matrix_world import World, build_world
from tests.integration.register_support import Pay, import_payments, supplier_id
from tests.integration.security_support import (
    COORDINATOR,
    PROCUREMENT,
    url_for_rule,
    who_may_use,
)
from tisc.web.access import access_rule_of

WIDTH = 375
A = "/organisations/alpha-police"
LONG_NAME = "Northumbria Integrated Facilities Management and Custodial Services Ltd"

# Every table, and whether it sits in a scrolling region that is focusable and named by
# something on the page (its caption).
TABLES = """
() => [...document.querySelectorAll('main table')].map((table) => {
  const box = table.closest('.app-table-scroll');
  const by = box && box.getAttribute('aria-labelledby');
  const name = by ? document.getElementById(by)?.textContent.trim()
                  : box?.getAttribute('aria-label');
  return {
    table: (table.querySelector('caption')?.textContent || table.outerHTML).trim().slice(0, 80),
    region: !!box && box.getAttribute('role') === 'region' && box.tabIndex === 0 && !!name,
  };
})
"""


@pytest.fixture(scope="module")
def world(live: Live) -> World:
    # The world signs each role in with the test client, which sends no CSRF token.
    live.app.config["WTF_CSRF_ENABLED"] = False
    try:
        found = build_world(live.app)
    finally:
        live.app.config["WTF_CSRF_ENABLED"] = True
    # A supplier with a long name and three pages of payments.
    start = date(2024, 4, 1)
    import_payments(
        live.app,
        "alpha-police",
        *(
            Pay(LONG_NAME, (start + timedelta(days=i)).isoformat(), f"{1000 + i}.50")
            for i in range(120)
        ),
    )
    return found


def small_tab(new_tab: Callable[[], Tab], who: str) -> Tab:
    """A tab the width of a small phone, signed in as `who` (an email), or not at all."""
    tab = new_tab()
    tab.page.set_viewport_size({"width": WIDTH, "height": 800})
    if "@" in who:
        tab.sign_in_behind_the_scenes(who, PASSWORD)
    return tab


def fits(tab: Tab) -> list[str]:
    """What is wrong with the page shown at 375 px: wider than the screen, or a table outside
    a named, focusable scrolling region."""
    problems = []
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{tab.page.url} is {width} px wide")
    problems += [
        f"{tab.page.url}: table {t['table']!r} is not in a named, focusable scrolling region"
        for t in tab.page.evaluate(TABLES)
        if not t["region"]
    ]
    return problems


def test_the_register_board_and_a_supplier_fit_a_small_screen(
    new_tab: Callable[[], Tab], world: World, live: Live
) -> None:
    tab = small_tab(new_tab, PROCUREMENT)
    tab.go(f"{A}/suppliers?year=2024-25")
    assert tab.h1().startswith("Supplier register")
    assert fits(tab) == []
    # The register's table is wider than the screen: a keyboard user tabs to it and scrolls.
    region = tab.page.locator(".app-table-scroll").first
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    tab_to(tab.page, region, limit=120)
    tab.page.keyboard.press("ArrowRight")
    tab.page.wait_for_function(
        "(el) => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000
    )
    assert tab.page.evaluate("window.scrollX") == 0  # the region scrolled, not the page

    tab.go(f"{A}/suppliers/{supplier_id(live.app, 'alpha-police', LONG_NAME)}")
    assert tab.h1() == LONG_NAME
    assert (
        tab.page.locator("#payments-count")
        .inner_text()
        .startswith("Showing 1 to 50 of 120 payments")
    )
    assert fits(tab) == []
    tab.follow(tab.page.locator("nav.govuk-pagination").get_by_role("link", name="Next"))
    assert tab.page.locator("#payments-count").inner_text().startswith("Showing 51 to 100")
    assert fits(tab) == []

    board = small_tab(new_tab, COORDINATOR)
    board.go("/partnerships/north-east/board")
    assert board.h1().startswith("Board dashboard")
    assert fits(board) == []
    # The heat-map is wider than the screen: it scrolls inside its own region, not the page.
    heat = board.page.locator("#matrix").locator("xpath=..")
    assert heat.evaluate("el => el.classList.contains('app-table-scroll')")
    assert heat.evaluate("el => el.scrollWidth > el.clientWidth")
    assert board.page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_every_page_fits_a_small_screen(
    new_tab: Callable[[], Tab], world: World, live: Live
) -> None:
    app = live.app
    tabs: dict[str, Tab] = {}
    problems: list[str] = []
    seen = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        who = who_may_use(rule, access_rule_of(app.view_functions[rule.endpoint]))
        if who not in tabs:
            tabs[who] = small_tab(new_tab, who)
        tab = tabs[who]
        url = url_for_rule(app, rule, world)
        if who == "supplier":
            url = url.replace(world.values("alpha")["token"], world.values("beta")["token"])
        # Files (exports, documents) are not pages.
        answer = tab.context.request.get(tab.url(url))
        assert answer.ok, f"{url}: {answer.status}"
        if not answer.headers["content-type"].startswith("text/html"):
            continue
        tab.go(url)
        problems += fits(tab)
        seen += 1
    assert problems == []
    assert seen > 60  # the walk reached the pages, not only files
