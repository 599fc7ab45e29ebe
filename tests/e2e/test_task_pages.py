"""In a real browser: "Your tasks" for a procurement lead and a statement owner, overdue first,
each task's link followed. Every page reached passes axe-core (WCAG 2.2 AA) with no console
errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live
from tests.integration.test_reminders import build_tasks


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    build_two_bodies(live.factory)
    # The world is built through the pages' test client, as the integration tests build it.
    csrf = live.app.config["WTF_CSRF_ENABLED"]
    live.app.config["WTF_CSRF_ENABLED"] = False
    try:
        build_tasks(live.app)
    finally:
        live.app.config["WTF_CSRF_ENABLED"] = csrf


@pytest.mark.parametrize(
    ("email", "first_overdue"),
    [
        ("procurement.alpha-police@example.org", "assessment_stale"),
        ("statement.alpha-police@example.org", "action_overdue"),
    ],
)
def test_your_tasks_pass_axe_and_lead_to_the_work(
    new_tab: Callable[[], Tab], email: str, first_overdue: str
) -> None:
    tab = new_tab()
    tab.sign_in_behind_the_scenes(email, PASSWORD)
    tab.go("/tasks")
    assert tab.h1() == "Your tasks"
    first = tab.page.locator("#overdue tbody tr").first
    assert first.get_attribute("data-kind") == first_overdue
    tab.follow(first.locator("a"))
    assert tab.page.url != tab.url("/tasks")
