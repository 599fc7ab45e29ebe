"""In a real browser: an administrator adds a person, who creates their own password from a
one-time link and signs in; and a new organisation's web address name fills in from its name.
Every page reached passes axe-core (WCAG 2.2 AA) with no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab
from tests.e2e.conftest import Live

ADMIN = "admin@example.org"
NEW_EMAIL = "nia.lead@example.org"
NEW_PASSWORD = "lantern orchard pebble violin"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    build_two_bodies(live.factory)


def test_a_new_user_creates_their_password_from_a_one_time_link(
    new_tab: Callable[[], Tab], live: Live
) -> None:
    admin = new_tab()
    admin.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    admin.sign_in_behind_the_scenes(ADMIN, PASSWORD)
    admin.go("/admin/users")
    admin.follow(admin.page.get_by_role("button", name="Add a user"))
    assert admin.h1() == "Add a user"
    assert admin.page.locator("main input[type=password]").count() == 0
    admin.page.get_by_label("Email address").fill(NEW_EMAIL)
    admin.page.get_by_label("Full name").fill("Nia Lead")
    admin.page.get_by_label("Role").select_option(label="Procurement lead")
    admin.page.get_by_label("Organisation or partnership").select_option(label="Beta Opcc")
    admin.follow(admin.page.get_by_role("button", name="Create user"))
    assert admin.h1() == "Nia Lead has been added"

    # The Copy button (JavaScript only) puts the link on the clipboard and says so.
    link = admin.page.locator("#password-link").inner_text().strip()
    copy = admin.page.get_by_role("button", name="Copy link")
    copy.click()
    # Copying is asynchronous: wait for the button to say it is done (up to 5 s).
    admin.page.get_by_role("button", name="Link copied").wait_for(state="visible", timeout=5000)
    copied = admin.page.evaluate("navigator.clipboard.readText()")
    assert copied == link and link.startswith(f"{live.url}/create-password/")
    admin.assert_no_problems()
    admin.follow(admin.page.get_by_role("link", name="Go to Nia Lead’s roles and details"))
    assert "Nia Lead has not created a password yet" in admin.main_text()
    assert admin.page.get_by_role("button", name="Send a new password link").is_visible()

    # The new person, in a browser of their own.
    person = new_tab()
    person.go(copied.removeprefix(live.url))
    assert person.h1() == "Create a password"
    person.page.get_by_label("Create a password").fill("too short")
    person.page.get_by_label("Confirm your password").fill("too short")
    person.follow(person.page.get_by_role("button", name="Create password"))
    errors = person.page.locator(".govuk-error-summary li").all_inner_texts()
    assert errors == ["Password must be 12 characters or more"]
    person.page.get_by_label("Create a password").fill(NEW_PASSWORD)
    person.page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    person.follow(person.page.get_by_role("button", name="Create password"))
    assert person.h1() == "Sign in"
    assert "Your password has been created" in person.banner()
    person.page.get_by_label("Email address").fill(NEW_EMAIL)
    person.page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    person.follow(person.page.get_by_role("button", name="Sign in"))
    assert person.h1() == "Your work"
    assert person.page.get_by_role("link", name="Overview of Beta Opcc").is_visible()

    # The link has done its work: anyone opening it again is told so, in words.
    later = new_tab()
    response = later.page.goto(copied)
    assert response is not None and response.status == 410
    # The 410 is this page's answer, reported twice (the response and the console).
    later.problems = [p for p in later.problems if "410" not in p]
    later.check()
    assert later.h1() == "This link has already been used"
    later.follow(later.page.get_by_role("link", name="sign in"))
    assert later.h1() == "Sign in"


def test_the_web_address_name_fills_in_from_the_name(new_tab: Callable[[], Tab]) -> None:
    admin = new_tab()
    admin.sign_in_behind_the_scenes(ADMIN, PASSWORD)
    admin.go("/admin/organisations/new")
    name = admin.page.get_by_label("Name", exact=True)
    web_address = admin.page.get_by_label("Web address name (optional)")
    name.press_sequentially("Delta Police & Crime")
    assert web_address.input_value() == "delta-police-and-crime"
    # Once typed by hand, it is theirs: the name no longer changes it.
    web_address.fill("delta-pcc")
    name.fill("Delta Police & Crime Commissioner")
    assert web_address.input_value() == "delta-pcc"
    admin.page.get_by_label("Police force").check()
    admin.follow(admin.page.get_by_role("button", name="Save"))
    assert "Delta Police & Crime Commissioner has been added" in admin.banner()
    row = admin.page.locator("main table tbody tr", has_text="Delta Police & Crime Commissioner")
    assert "delta-pcc" in row.inner_text()
