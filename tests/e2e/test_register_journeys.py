"""In a real browser: signing in, and building a register from a real published spend file,
with the mouse and with the keyboard alone. Every page reached passes axe-core (WCAG 2.2 AA)
with no console errors or CSP violations (browser_support.Tab.check)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab, focused_matches, press, tab_to
from tests.e2e.conftest import Live
from tests.real_data import FIXTURES

PROCUREMENT_A = "procurement.alpha-police@example.org"
PROCUREMENT_B = "procurement.beta-opcc@example.org"
# Real monthly "spend over £500" files, byte for byte as published (tests/fixtures/spend).
CALDERDALE = FIXTURES / "calderdale-2022-08-excerpt.csv"
HARROGATE = FIXTURES / "harrogate-2022-08-excerpt.csv"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    build_two_bodies(live.factory)


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def file_totals(path: Path, name: str, amount: str) -> tuple[set[str], Decimal]:
    """The supplier names and the net total of a spend file, read with the csv module alone."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    names = {" ".join(r[name].split()) for r in rows}  # a page shows runs of spaces as one
    return names, sum((Decimal(r[amount]) for r in rows), Decimal(0))


def register_rows(tab: Tab) -> dict[str, str]:
    """Supplier name -> net spend, from the register table on the page."""
    rows = tab.page.locator("main table tbody tr")
    return {
        row.locator("th a").inner_text().strip(): row.locator("td:not(.app-select-cell)")
        .nth(2)
        .inner_text()
        .strip()
        for row in rows.all()
    }


def test_sign_in_with_a_wrong_password_then_the_right_one(new_tab: Callable[[], Tab]) -> None:
    tab = new_tab()
    tab.go("/")
    tab.follow(tab.page.get_by_role("button", name="Sign in"))
    assert tab.h1() == "Sign in"

    tab.page.get_by_label("Email address").fill(PROCUREMENT_A)
    tab.page.get_by_label("Password", exact=True).fill("not the password")
    tab.follow(tab.page.get_by_role("button", name="Sign in"))
    summary = tab.page.locator(".govuk-error-summary")
    assert summary.locator("h2").inner_text() == "There is a problem"
    assert summary.locator("li").all_inner_texts() == ["Enter a correct email address and password"]
    assert tab.page.title().startswith("Error: ")
    # GOV.UK's error summary takes the focus, so screen readers announce it at once.
    assert focused_matches(tab.page, ".govuk-error-summary")
    # The error links to the field it is about.
    tab.page.locator(".govuk-error-summary a").click()
    assert focused_matches(tab.page, "input[name=email]")

    tab.page.get_by_label("Password", exact=True).fill(PASSWORD)
    tab.follow(tab.page.get_by_role("button", name="Sign in"))
    assert tab.h1() == "Your work"
    assert tab.page.get_by_role("link", name="Overview of Alpha Police").is_visible()
    assert tab.page.get_by_role("button", name="Sign out").is_visible()

    tab.follow(tab.page.get_by_role("button", name="Sign out"))
    assert tab.h1() == "Sign in"
    assert tab.banner() == "You have signed out"


def test_upload_a_real_spend_file_and_see_the_register(new_tab: Callable[[], Tab]) -> None:
    names, total = file_totals(CALDERDALE, "Supplier(Beneficiary) Name", "Net Amount")
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_A, PASSWORD)
    tab.go("/")
    tab.follow(tab.page.get_by_role("link", name="Supplier register of Alpha Police"))
    assert "There is no spend recorded for Alpha Police yet" in tab.main_text()
    tab.follow(tab.page.get_by_role("button", name="Import a finance export"))

    tab.page.get_by_label("Finance export").set_input_files(CALDERDALE)
    tab.follow(tab.page.get_by_role("button", name="Upload and check"))
    assert tab.h1() == "Check the columns"
    # The guessed columns, shown for the person to confirm.
    chosen = {
        label: tab.page.get_by_label(label, exact=True).input_value()
        for label in ("Supplier name", "Amount", "Payment date")
    }
    assert chosen == {
        "Supplier name": "Supplier(Beneficiary) Name",
        "Amount": "Net Amount",
        "Payment date": "Date",
    }
    plan = tab.summary_list()
    assert plan["Payments to add"] == f"42 totalling {pounds(total)}"
    assert plan["Rows with problems"] == "0"

    tab.follow(tab.page.get_by_role("button", name="Import these payments"))
    assert tab.banner() == f"Imported 42 payments totalling {pounds(total)}"
    assert tab.summary_list()["New suppliers"] == str(len(names))

    tab.follow(tab.page.get_by_role("link", name="See the 2022/23 supplier register"))
    assert f"{len(names)} suppliers in 2022/23" in tab.main_text()
    rows = register_rows(tab)
    assert set(rows) == names
    shown = sum((Decimal(v.replace("£", "").replace(",", "")) for v in rows.values()), Decimal(0))
    assert shown == total

    tab.follow(tab.nav("Overview"))
    year = tab.page.locator("main table tbody tr", has_text="2022/23")
    assert year.locator("td").all_inner_texts()[:3] == [str(len(names)), "42", pounds(total)]


def test_import_with_the_keyboard_alone(new_tab: Callable[[], Tab]) -> None:
    """Tab, Space, Enter and arrow keys only, the focus visible at every stop."""
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_B, PASSWORD)
    tab.go("/organisations/beta-opcc/imports/new")
    page = tab.page
    # Playwright catches the file dialog only once it has told the browser to (a message that
    # is not waited for): a listener from the start, so that it has long been told when Space
    # opens the dialog below. On a busy machine, telling it at the keypress lost the race.
    page.on("filechooser", lambda _chooser: None)

    # The skip link is the first stop and jumps past the header to the form.
    assert press(page, "Tab")["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert focused_matches(page, "main#main-content")

    # Sending the form with no file: the error summary takes the focus and its link leads
    # back to the field.
    tab_to(page, "[name=submit]", limit=5)
    tab.press_to_next_page("Enter")
    assert focused_matches(page, ".govuk-error-summary")
    assert press(page, "Tab")["text"] == "Select a CSV or Excel file"
    page.keyboard.press("Enter")
    assert focused_matches(page, "input[type=file]")

    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(HARROGATE)  # what the person picks in the system dialog
    tab_to(page, "[name=submit]", limit=3)
    tab.press_to_next_page("Enter")
    assert tab.h1() == "Check the columns"

    # Change the category column with the arrow keys, then check again.
    category = page.get_by_label("Category (optional)")
    assert category.input_value() == "Expenditure Category"
    tab_to(page, f"select#{category.get_attribute('id')}")
    options = category.evaluate("s => [...s.options].map(o => o.value)")
    steps = options.index("Expenditure Code") - options.index("Expenditure Category")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    assert category.input_value() == "Expenditure Code"
    tab_to(page, "[name=check]", limit=20)
    tab.press_to_next_page("Enter")
    assert page.get_by_label("Category (optional)").input_value() == "Expenditure Code"
    plan = tab.summary_list()
    assert plan["Payments to add"].startswith("37 totalling")
    assert plan["Private individuals left out"].startswith("3 totalling")

    tab_to(page, "[name=submit]", limit=40)
    tab.press_to_next_page("Enter")
    assert tab.banner().startswith("Imported 37 payments totalling")

    tab_to(page, page.get_by_role("link", name="See the 2022/23 supplier register"), limit=40)
    tab.press_to_next_page("Enter")
    row = page.locator("main table tbody tr", has_text="ALLSTAR BUSINESS SOLUTIONS LTD")
    assert "Fuel/Oil" in row.locator("td:not(.app-select-cell)").first.inner_text()


def test_merge_two_suppliers_after_seeing_what_moves(
    new_tab: Callable[[], Tab], live: Live
) -> None:
    from tests.integration.register_support import Pay, import_payments

    import_payments(
        live.app,
        "beta-opcc",
        Pay("Tyne Cleaning Ltd", "2024-05-01", "100.00"),
        Pay("Tyne Cleening Ltd", "2024-06-01", "50.25"),
    )
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_B, PASSWORD)
    tab.go("/organisations/beta-opcc/suppliers/duplicates")
    tab.follow(tab.page.get_by_role("link", name="Merge Tyne Cleening Ltd into Tyne Cleaning Ltd"))
    assert tab.h1() == "Merge Tyne Cleening Ltd into Tyne Cleaning Ltd"
    assert "This cannot be undone" in tab.main_text()
    tab.follow(tab.page.get_by_role("button", name="Merge suppliers"))
    assert tab.banner() == "Tyne Cleening Ltd has been merged into Tyne Cleaning Ltd"
    tab.go("/organisations/beta-opcc/suppliers?year=2024-25")
    assert register_rows(tab) == {"Tyne Cleaning Ltd": "£150.25"}


def test_an_unmatched_column_then_import_then_undo_after_confirming(
    new_tab: Callable[[], Tab], tmp_path: Path
) -> None:
    """The amount column has a heading nobody guesses ("Price" may be a unit price, so it is
    never taken for the amount): the page says so in an error summary
    that leads to the choice; the choice survives a reload; undo asks first."""
    spend = tmp_path / "unusual-headings.csv"
    spend.write_text(
        "Payee,Price,Payment Date\n"
        "Wold Fencing Ltd,1250.00,15/06/2021\n"
        "Wold Fencing Ltd,749.99,15/07/2021\n"
        "Dales Print Ltd,60.01,02/03/2022\n",
        encoding="utf-8",
    )
    tab = new_tab()
    page = tab.page
    tab.sign_in_behind_the_scenes(PROCUREMENT_B, PASSWORD)
    tab.go("/organisations/beta-opcc/imports/new")
    page.get_by_label("Finance export").set_input_files(spend)
    tab.follow(page.get_by_role("button", name="Upload and check"))

    summary = page.locator(".govuk-error-summary")
    assert summary.locator("li").all_inner_texts() == ["Choose the column that holds the amount"]
    assert page.get_by_role("button", name="Import these payments").count() == 0
    summary.locator("a").click()
    assert focused_matches(page, "select#field_amount")
    # Each choice shows a value from the file.
    page.get_by_label("Amount", exact=True).select_option(label="Price (for example: 1250.00)")
    tab.follow(page.get_by_role("button", name="Check again with these columns"))
    assert "amount=Price" in page.url
    assert page.locator(".govuk-error-summary").count() == 0
    with page.expect_navigation():
        page.reload()
    tab.check()
    assert page.get_by_label("Amount", exact=True).input_value() == "Price"
    assert tab.summary_list()["Payments to add"] == "3 totalling £2,060.00"

    # Pressed twice, the form goes once and says what is happening. (The test stops it from
    # leaving the page, to read the page while it would be waiting.)
    page.evaluate(
        """() => {
          window.sent = 0;
          document.querySelector("form[data-busy-message]").addEventListener("submit", (e) => {
            if (!e.defaultPrevented) window.sent += 1;
            e.preventDefault();
          });
        }"""
    )
    button = page.get_by_role("button", name="Import these payments")
    button.click()
    button.click(force=True)  # as a person would, although it now looks disabled
    assert page.evaluate("window.sent") == 1
    assert page.locator("[data-busy-status]").inner_text() == ("Starting the import of 3 payments.")
    assert button.get_attribute("aria-disabled") == "true"
    with page.expect_navigation():
        page.reload()
    tab.check()

    tab.follow(page.get_by_role("button", name="Import these payments"))
    assert tab.banner() == "Imported 3 payments totalling £2,060.00"
    year = page.locator("main table tbody tr", has_text="2021/22")
    assert year.locator("td").all_inner_texts()[:2] == ["3", "£2,060.00"]

    tab.follow(page.get_by_role("button", name="Undo this import"))
    assert tab.h1() == "Are you sure you want to undo the import of unusual-headings.csv?"
    assert "This takes 3 payments totalling £2,060.00 back out of the register." in (
        tab.main_text()
    )
    tab.follow(page.get_by_role("link", name="No, go back"))
    assert tab.h1() == "Import of unusual-headings.csv"
    tab.follow(page.get_by_role("button", name="Undo this import"))
    tab.follow(page.get_by_role("button", name="Yes, undo this import"))
    assert tab.banner() == "Import undone: 3 payments taken out of the register"
    assert tab.summary_list()["Status"].startswith("Undone on")


def test_archive_a_supplier_after_seeing_what_archiving_does(
    new_tab: Callable[[], Tab], live: Live
) -> None:
    from tests.integration.register_support import Pay, import_payments, supplier_id

    import_payments(
        live.app,
        "alpha-police",
        Pay("Wearside Laundry Ltd", "2024-05-01", "100.00"),
        Pay("Wearside Laundry Ltd", "2024-06-01", "50.25"),
        filename="wearside.csv",
    )
    sid = supplier_id(live.app, "alpha-police", "Wearside Laundry Ltd")
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_A, PASSWORD)
    tab.go(f"/organisations/alpha-police/suppliers/{sid}")
    # A link drawn as a GOV.UK button (role=button): it opens the confirmation page.
    tab.follow(tab.page.get_by_role("button", name="Archive supplier"))
    assert tab.h1() == "Are you sure you want to archive Wearside Laundry Ltd?"
    assert "Its 2 payments over 1 financial year, totalling £150.25," in tab.main_text()
    tab.follow(tab.page.get_by_role("button", name="Yes, archive Wearside Laundry Ltd"))
    assert tab.banner() == "Wearside Laundry Ltd has been archived"
    assert tab.h1() == "Wearside Laundry Ltd"
    assert "It is hidden from the register; its spend is kept." in tab.main_text()
    assert tab.page.get_by_role("button", name="Restore supplier").is_visible()
    tab.go("/organisations/alpha-police/suppliers?year=2024-25")
    assert "Wearside Laundry Ltd" not in register_rows(tab)


def test_archive_several_suppliers_at_once_with_the_keyboard_alone(
    new_tab: Callable[[], Tab], live: Live
) -> None:
    """Tick two suppliers, choose "Archive them", confirm: Tab, Space, arrows and Enter only."""
    from tests.integration.register_support import Pay, import_payments

    import_payments(
        live.app,
        "alpha-police",
        Pay("Bulk Alpha Ltd", "2024-05-01", "300.00"),
        Pay("Bulk Beta Ltd", "2024-05-01", "200.00"),
        Pay("Bulk Gamma Ltd", "2024-05-01", "100.00"),
        filename="bulk.csv",
    )
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_A, PASSWORD)
    tab.go("/organisations/alpha-police/suppliers?year=2024-25&q=bulk")
    page = tab.page
    for name in ("Bulk Alpha Ltd", "Bulk Gamma Ltd"):
        tab_to(page, page.get_by_label(f"Select {name}"))
        page.keyboard.press("Space")
        assert page.get_by_label(f"Select {name}").is_checked()
    action = page.locator("select#bulk-action")
    tab_to(page, "select#bulk-action", key="Shift+Tab")
    options = action.evaluate("s => [...s.options].map(o => o.value)")
    for _ in range(options.index("archive")):
        page.keyboard.press("ArrowDown")
    assert action.input_value() == "archive"
    tab_to(page, page.get_by_role("button", name="Continue"))
    tab.press_to_next_page("Enter")
    assert tab.h1() == "Archive 2 suppliers?"
    assert page.locator("#bulk-names li").all_inner_texts() == ["Bulk Alpha Ltd", "Bulk Gamma Ltd"]
    tab_to(page, page.get_by_role("button", name="Yes, archive them"))
    tab.press_to_next_page("Enter")
    assert tab.banner() == "2 suppliers archived"
    assert list(register_rows(tab)) == ["Bulk Beta Ltd"]
