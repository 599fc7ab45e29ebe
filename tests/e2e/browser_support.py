"""What every browser test does on every page: run axe-core, watch the console for errors and
Content-Security-Policy violations, and move with the keyboard as a keyboard user would.

A Tab counts the pages it loads; the e2e fixtures fail a test that reached a page it did not
check, so "every page reached" is enforced rather than hoped for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Locator, Page, Response

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_SOURCE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Runs before any page script (CDP, so the app's CSP does not apply to it): turns each
# Content-Security-Policy violation into a console error, which the console listener catches.
CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' in ' + e.sourceFile + ':' + e.lineNumber);
});
"""

# The computed focus indicator of the focused element (for a hidden radio or checkbox input,
# the GOV.UK label::before ring that stands in for it).
FOCUS_STATE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let target = el, pseudo = null;
  if (el.matches('.govuk-radios__input, .govuk-checkboxes__input') && el.labels.length) {
    target = el.labels[0]; pseudo = '::before';
  }
  const style = getComputedStyle(target, pseudo);
  const rect = (target === el ? el : target).getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
    type: el.getAttribute('type'), text: (el.innerText || el.value || '').trim().slice(0, 200),
    focusVisible: el.matches(':focus-visible'),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor, boxShadow: style.boxShadow,
    background: getComputedStyle(el).backgroundColor,
    width: rect.width, height: rect.height,
  };
}
"""
GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"
TRANSPARENT = ("transparent", "rgba(0, 0, 0, 0)")


def focus_is_visible(state: dict[str, Any] | None) -> bool:
    """True when the focused element shows a focus indicator a sighted keyboard user can see."""
    if not state or not state["focusVisible"] or state["width"] <= 0 or state["height"] <= 0:
        return False
    outline = (
        state["outlineStyle"] not in ("none", "hidden")
        and state["outlineWidth"] >= 1
        and state["outlineColor"] not in TRANSPARENT
    )
    shadow = state["boxShadow"] not in ("none", "")
    return outline or shadow or state["background"] == GOVUK_FOCUS_YELLOW


def describe(state: dict[str, Any] | None) -> str:
    """The focused element, for failure messages."""
    if not state:
        return "nothing (the page body)"
    name = f"[name={state['name']}]" if state["name"] else ""
    ident = f"#{state['id']}" if state["id"] else ""
    return f"<{state['tag']}{ident}{name}> {state['text']!r}"


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """axe-core's violations as lines a person can act on."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{', '.join(v['tags'])}]")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"  at {' '.join(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"    {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"  ...and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@dataclass
class Tab:
    """One browser context (its own cookies) with one page, watched from the moment it opens."""

    context: BrowserContext
    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)
    loads: int = 0
    checked_loads: int = 0
    last_url: str = ""

    @classmethod
    def open(cls, context: BrowserContext, base_url: str) -> Tab:
        context.add_init_script(script=CSP_REPORTER)
        tab = cls(context=context, page=context.new_page(), base_url=base_url)
        tab.page.on("console", tab._on_console)
        tab.page.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
        tab.page.on("response", tab._on_response)
        tab.page.on("load", tab._on_load)
        return tab

    def _on_console(self, message: Any) -> None:
        if message.type in ("error", "assert"):
            self.problems.append(f"console {message.type} on {self.page.url}: {message.text}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")

    def _on_load(self, _page: Page) -> None:
        self.loads += 1
        self.last_url = self.page.url

    # --- checks -----------------------------------------------------------------------------

    def check(self) -> None:
        """The page now shown: zero axe-core WCAG 2.2 AA violations, no console errors, no CSP
        violations, no failed responses."""
        self.page.wait_for_load_state("load")
        url = self.page.url
        # axe-core goes in through the DevTools protocol (page.evaluate), which the page's CSP
        # does not govern: no bypass_csp, the app's real policy stays on while it is checked.
        self.page.evaluate(AXE_SOURCE)
        # resultTypes only trims the passes and incompletes axe reports (one node each), which
        # saves time on long pages; every violation is still reported in full.
        result = self.page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']}).then(r => r.violations)",
            WCAG_TAGS,
        )
        self.checked_loads = self.loads
        assert not result, format_violations(url, result)
        self.assert_no_problems()

    def assert_no_problems(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)

    def assert_all_checked(self) -> None:
        assert self.checked_loads == self.loads, (
            f"{self.loads - self.checked_loads} page(s) loaded but not checked with axe, "
            f"the last {self.last_url}"
        )

    # --- moving about -----------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def go(self, path: str) -> Page:
        """Open a page by its address, and check it."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        self.check()
        return self.page

    def follow(self, target: Locator) -> Page:
        """Click a link or button that loads a new page, and check that page."""
        with self.page.expect_navigation():
            target.click()
        self.check()
        return self.page

    def press_to_next_page(self, key: str = "Enter") -> Page:
        """Press a key that loads a new page (Enter on a focused link or button), and check it."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.check()
        return self.page

    def sign_in_behind_the_scenes(self, email: str, password: str) -> None:
        """Sign in through the real form (CSRF token and all) with the tab's own cookie jar but
        without loading the pages: the sign-in journey checks those pages, the other journeys
        start after it."""
        form = BeautifulSoup(self.context.request.get(self.url("/sign-in")).text(), "html.parser")
        token = form.select_one("input[name=csrf_token]")["value"]
        response = self.context.request.post(
            self.url("/sign-in"),
            form={"csrf_token": token, "email": email, "password": password},
        )
        assert response.ok and response.url == self.url("/"), f"{email}: {response.status}"

    def nav(self, name: str) -> Locator:
        """A link in the service navigation."""
        menu = self.page.locator(".govuk-service-navigation")
        return menu.get_by_role("link", name=name, exact=True)

    # --- reading ----------------------------------------------------------------------------

    def h1(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def banner(self) -> str:
        found = self.page.locator(".govuk-notification-banner__content")
        return " ".join(found.inner_text().split()) if found.count() else ""

    def main_text(self) -> str:
        return " ".join(self.page.locator("main").inner_text().split())

    def summary_list(self, selector: str = "main") -> dict[str, str]:
        """Key -> value of the GOV.UK summary lists under a selector."""
        rows = self.page.locator(f"{selector} .govuk-summary-list__row")
        return {
            " ".join(row.locator(".govuk-summary-list__key").inner_text().split()): " ".join(
                row.locator(".govuk-summary-list__value").inner_text().split()
            )
            for row in rows.all()
        }


# --- the keyboard ------------------------------------------------------------------------------


def focus_state(page: Page) -> dict[str, Any] | None:
    return page.evaluate(FOCUS_STATE)


def press(page: Page, key: str) -> dict[str, Any]:
    """Press a key and return what has focus; fail if the focus cannot be seen."""
    page.keyboard.press(key)
    state = focus_state(page)
    assert focus_is_visible(state), f"after {key} the focus is not visible on {describe(state)}"
    return state


def tab_to(
    page: Page, target: str | Locator, *, limit: int = 80, key: str = "Tab"
) -> dict[str, Any]:
    """Press Tab (checking the focus is visible at every stop) until the focus is on the target:
    an element matching a CSS selector, or the element a locator finds."""
    stops = []
    for _ in range(limit):
        state = press(page, key)
        stops.append(describe(state))
        if isinstance(target, str):
            reached = focused_matches(page, target)
        else:
            reached = target.evaluate("el => el === document.activeElement")
        if reached:
            return state
    raise AssertionError(f"{limit} Tabs never reached {target}; stopped on: {stops[-10:]}")


def focused_matches(page: Page, selector: str) -> bool:
    """True when the element with the focus matches the CSS selector."""
    return page.evaluate("(s) => !!document.activeElement?.matches(s)", selector)
