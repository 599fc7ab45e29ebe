"""A supplier's own pages: details, spend with reasons, editing, archiving, review, contracts."""

from __future__ import annotations

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import (
    CLEANING_TEXT,
    SOFTWARE_TEXT,
    Pay,
    as_user,
    banner,
    category_id,
    error_messages,
    import_payments,
    main_text,
    register,
    snapshot,
    supplier_id,
)

ORG = "/organisations/alpha-police"
URL = f"{ORG}/suppliers"
HOTELS = "Hotels and accommodation"


def year_rows(response) -> dict[str, tuple[str, str, str, list[str]]]:
    """Year -> (payments, net spend, tier, reasons) from the supplier page."""
    table = page(response).select("main table")[0]
    result = {}
    for tr in table.select("tbody tr"):
        cells = tr.select("td")
        result[tr.select_one("th").get_text(strip=True)] = (
            cells[0].get_text(strip=True),
            cells[1].get_text(strip=True),
            cells[2].select_one(".app-tier").get_text(strip=True),
            [li.get_text(strip=True) for li in cells[3].select("li")],
        )
    return result


def payment_rows(response) -> list[list[str]]:
    """Date and amount of each payment in the supplier page's payments table."""
    payments = page(response).select_one("main #payments-table")
    return [
        [td.get_text(strip=True) for td in tr.select("td")][::3]
        for tr in payments.select("tbody tr")
    ]


def summary(response) -> dict[str, str]:
    """The supplier's summary list: key -> value."""
    html = page(response)
    return {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in html.select(".govuk-summary-list__row")
    }


def edit_form(client, sid: int, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it in, with some fields changed."""
    html = page(client.get(f"{URL}/{sid}/edit"))
    selected = html.select_one("select[name=category_id] option[selected]")
    form = {
        "name": html.select_one("input[name=name]")["value"],
        "company_number": html.select_one("input[name=company_number]").get("value", ""),
        "category_id": selected["value"] if selected else "",
        "notes": html.select_one("textarea[name=notes]").get_text().strip(),
        "version": html.select_one("input[name=version]")["value"],
    }
    return {**form, **changes}


def test_the_supplier_page_shows_details_spend_reasons_payments_and_history(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-04-15", "30000.00", CLEANING_TEXT, "01234567"),
        Pay("Acme Cleaning Ltd", "2024-09-30", "20000.01", CLEANING_TEXT, "01234567"),
        Pay("Acme Cleaning Ltd", "2023-05-01", "1234.56", CLEANING_TEXT, "01234567"),
    )
    client = as_user(app, "viewer.alpha-police@example.org")
    response = client.get(f"{URL}/{supplier_id(app, 'alpha-police', 'Acme Cleaning Ltd')}")
    assert page(response).select_one("h1").get_text(strip=True) == "Acme Cleaning Ltd"
    details = summary(response)
    assert details["Company number"] == "01234567"
    assert details["Finance category"] == CLEANING_TEXT
    assert details["Category"] == (
        "Cleaning services and materials (High risk), automatic: finance category "
        f"‘{CLEANING_TEXT}’ contains ‘janitorial’"  # the longest keyword found
    )
    # The flag reasons say how the category was found.
    how = f"automatic: finance category ‘{CLEANING_TEXT}’ contains ‘janitorial’"
    assert year_rows(response) == {
        "2024/25": (
            "2",
            "£50,000.01",
            "Tier A",
            [
                "Spend of £50,000.01 this year is over £50,000.00",
                f"Cleaning services and materials is a high-risk category ({how})",
            ],
        ),
        "2023/24": (
            "1",
            "£1,234.56",
            "Tier B",
            [f"Cleaning services and materials is a high-risk category ({how})"],
        ),
    }
    # The payments of one year at a time, the newest year first.
    assert payment_rows(response) == [
        ["30 September 2024", "£20,000.01"],
        ["15 April 2024", "£30,000.00"],
    ]
    earlier = client.get(
        f"{URL}/{supplier_id(app, 'alpha-police', 'Acme Cleaning Ltd')}?year=2023-24"
    )
    assert payment_rows(earlier) == [["1 May 2023", "£1,234.56"]]
    history = [
        li.get_text(" ", strip=True)
        for li in page(response).select("main ul.govuk-list")[-1].select("li")
    ]
    assert len(history) == 1 and "Added to the register by the import of" in history[0]
    # A viewer sees no buttons that change the register.
    assert "Edit supplier" not in main_text(response)
    assert page(response).select("main form[method=post]") == []  # the year picker is a GET


def test_a_chosen_category_overrides_the_finance_text_until_it_is_given_back(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app, "alpha-police", Pay("Acme Cleaning Ltd", "2024-05-01", "60000.00", CLEANING_TEXT)
    )
    sid = supplier_id(app, "alpha-police", "Acme Cleaning Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    assert edit_form(client, sid)["category_id"] == ""
    hotels = str(category_id(app, HOTELS))
    response = client.post(f"{URL}/{sid}/edit", data=edit_form(client, sid, category_id=hotels))
    assert response.status_code == 302
    detail = client.get(response.headers["Location"])
    assert banner(detail) == "Acme Cleaning Ltd has been saved"
    assert summary(detail)["Category"] == "Hotels and accommodation (Medium risk), chosen by hand"
    row = register(client, URL)["Acme Cleaning Ltd"]
    assert (row.category, row.tier, "High risk" in row.flags) == (
        "Hotels and accommodation Medium risk",
        "Tier B",
        False,
    )
    assert "Edited: category" in main_text(detail)
    # A later import with other finance text does not undo a person's choice.
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-06-01", "1.00", SOFTWARE_TEXT),
        filename="later.csv",
    )
    later = client.get(f"{URL}/{sid}")
    assert summary(later)["Category"] == "Hotels and accommodation (Medium risk), chosen by hand"
    assert summary(later)["Finance category"] == SOFTWARE_TEXT
    assert edit_form(client, sid)["category_id"] == hotels
    # "From the finance category" follows the text again.
    client.post(f"{URL}/{sid}/edit", data=edit_form(client, sid, category_id=""))
    back = client.get(f"{URL}/{sid}")
    assert summary(back)["Category"] == (
        "Professional services, software, legal, finance (Low risk), "
        "automatic: finance category ‘SOFTWARE LICENCES’ contains ‘software’"
    )
    assert register(client, URL)["Acme Cleaning Ltd"].tier == "Tier C"


def test_a_name_already_in_the_register_is_refused(app: Flask, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-05-01", "10.00"),
        Pay("Other Ltd", "2024-05-01", "20.00"),
    )
    other = supplier_id(app, "alpha-police", "Other Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    response = client.post(
        f"{URL}/{other}/edit", data=edit_form(client, other, name="ACME CLEANING LIMITED.")
    )
    assert response.status_code == 200
    message = "Acme Cleaning Ltd is already in the register with a name that matches"
    assert error_messages(response) == [message]
    assert page(response).select_one("title").get_text().startswith("Error: ")
    added = client.post(f"{URL}/new", data={"name": "the acme cleaning ltd", "category_id": ""})
    assert error_messages(added) == [message]
    assert snapshot(app) == before
    assert list(register(client, URL)) == ["Other Ltd", "Acme Cleaning Ltd"]


def test_a_stale_supplier_form_is_refused_with_the_conflict_message(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", Pay("Acme Ltd", "2024-05-01", "10.00"))
    sid = supplier_id(app, "alpha-police", "Acme Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    stale = edit_form(client, sid, notes="Second person's notes")
    client.post(f"{URL}/{sid}/edit", data=edit_form(client, sid, notes="First person's notes"))
    response = client.post(f"{URL}/{sid}/edit", data=stale)
    assert any(m.startswith("Someone else changed this supplier") for m in error_messages(response))
    assert summary(client.get(f"{URL}/{sid}"))["Notes"] == "First person's notes"


def test_adding_a_supplier_by_hand(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    response = client.post(
        f"{URL}/new",
        data={"name": " Hand Made Ltd ", "company_number": "sc123456", "category_id": ""},
    )
    assert response.status_code == 302
    detail = client.get(response.headers["Location"])
    assert banner(detail) == "Hand Made Ltd has been added"
    assert page(detail).select_one("h1").get_text(strip=True) == "Hand Made Ltd"
    assert summary(detail)["Company number"] == "SC123456"
    assert "Added by hand" in main_text(detail)
    assert "Mark as reviewed" not in main_text(detail)
    empty = client.post(f"{URL}/new", data={"name": "", "category_id": ""})
    assert error_messages(empty) == ["Enter the supplier name"]


def test_archive_hides_a_supplier_and_restore_brings_it_back(app: Flask, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Ltd", "2024-05-01", "10.01"),
        Pay("Stays Ltd", "2024-05-01", "5.00"),
    )
    sid = supplier_id(app, "alpha-police", "Acme Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    response = client.post(f"{URL}/{sid}/archive", data={"archived": "yes", "confirmed": "yes"})
    detail = client.get(response.headers["Location"])
    assert banner(detail) == "Acme Ltd has been archived"
    assert "It is hidden from the register; its spend is kept." in main_text(detail)
    assert year_rows(detail)["2024/25"][1] == "£10.01"
    assert list(register(client, URL)) == ["Stays Ltd"]
    assert list(register(client, f"{URL}?q=acme")) == []
    restored = client.get(
        client.post(f"{URL}/{sid}/archive", data={"archived": "no"}).headers["Location"]
    )
    assert banner(restored) == "Acme Ltd has been restored"
    assert "hidden from the register" not in main_text(restored)
    assert {n: r.spend for n, r in register(client, URL).items()} == {
        "Acme Ltd": "£10.01",
        "Stays Ltd": "£5.00",
    }
    history = main_text(restored)
    assert "Archived" in history and "Restored from the archive" in history


def test_mark_as_reviewed_removes_the_new_flag(app: Flask, two_bodies: dict) -> None:
    import_payments(app, "alpha-police", Pay("Fresh Ltd", "2024-05-01", "10.00", SOFTWARE_TEXT))
    sid = supplier_id(app, "alpha-police", "Fresh Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    assert "New" in register(client, URL)["Fresh Ltd"].flags
    buttons = [b.get_text(strip=True) for b in page(client.get(f"{URL}/{sid}")).select("button")]
    assert "Mark as reviewed" in buttons
    response = client.post(f"{URL}/{sid}/reviewed")
    detail = client.get(response.headers["Location"])
    assert banner(detail) == "Fresh Ltd is no longer marked as new"
    assert "Mark as reviewed" not in [b.get_text(strip=True) for b in page(detail).select("button")]
    assert register(client, URL)["Fresh Ltd"].flags == frozenset()
    assert list(register(client, f"{URL}?flag=new")) == []
    assert "Reviewed" in main_text(detail)
