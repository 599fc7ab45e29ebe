"""The checks the journeys rely on can fail: axe-core finds a real violation, and the console
listener sees a Content-Security-Policy violation and a script error. (The skip link is tested
by the keyboard journeys.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.browser_support import Tab


def test_the_footer_pages_pass(new_tab: Callable[[], Tab]) -> None:
    """The pages in every page's footer (the journeys check the rest)."""
    tab = new_tab()
    tab.go("/accessibility")
    assert tab.h1() == "Accessibility statement"
    tab.follow(tab.page.locator("footer").get_by_role("link", name="Privacy"))
    assert tab.h1() == "Privacy notice"


def test_the_checks_can_fail(new_tab: Callable[[], Tab]) -> None:
    tab = new_tab()
    tab.go("/sign-in")

    # axe-core: a text box without a label.
    tab.page.evaluate(
        "(html) => document.querySelector('main').insertAdjacentHTML('beforeend', html)",
        '<input type="text" id="unlabelled">',
    )
    with pytest.raises(AssertionError, match=r"(?s)label \(critical\).*#unlabelled"):
        tab.check()

    # An inline script without the page's nonce: the app's CSP blocks it, and we hear of it.
    tab.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    tab.page.wait_for_timeout(100)
    assert tab.page.evaluate("window.ran === undefined")
    with pytest.raises(AssertionError, match="CSP violation: script-src"):
        tab.assert_no_problems()

    # A script error.
    tab.page.evaluate("setTimeout(() => { throw new Error('boom') })")
    tab.page.wait_for_timeout(100)
    with pytest.raises(AssertionError, match=r"page error: .*boom"):
        tab.assert_no_problems()
