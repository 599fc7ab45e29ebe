"""Contracts: a contract worth more than the threshold a year flags its supplier."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import page
from tests.integration.register_support import (
    SOFTWARE_TEXT,
    Pay,
    as_user,
    banner,
    error_messages,
    import_payments,
    main_text,
    register,
    snapshot,
    supplier_id,
)

URL = "/organisations/alpha-police/suppliers"


def contract(
    title: str = "Office software",
    start: tuple[str, str, str] = ("1", "4", "2024"),
    end: tuple[str, str, str] = ("31", "3", "2026"),
    annual: str = "50000.01",
    **extra: str,
) -> dict:
    """The contract form as a browser posts it: each date is three inputs with one name."""
    return {
        "title": title,
        "reference": "",
        "start_date": list(start),
        "end_date": list(end),
        "annual_value": annual,
        "total_value": "",
        "category_id": "",
        **extra,
    }


def contract_rows(client: FlaskClient, sid: int) -> list[list[str]]:
    """The contracts table on the supplier page: title, runs, annual and total value."""
    html = page(client.get(f"{URL}/{sid}"))
    heading = next(h for h in html.select("h2") if h.get_text(strip=True) == "Contracts")
    table = heading.find_next_sibling()
    if "app-table-scroll" in table.get("class", []):  # a table in its scrolling region
        table = table.select_one("table")
    if table is None or table.name != "table":
        return []
    return [
        [tr.select_one("th").get_text(" ", strip=True)]
        + [td.get_text(strip=True) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    ]


def test_a_contract_over_the_threshold_flags_a_supplier_whose_spend_is_under_it(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Small Spend Ltd", "2024-05-01", "1000.00", SOFTWARE_TEXT),
        Pay("Exact Contract Ltd", "2024-05-01", "2000.00", SOFTWARE_TEXT),
    )
    small = supplier_id(app, "alpha-police", "Small Spend Ltd")
    exact = supplier_id(app, "alpha-police", "Exact Contract Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    assert register(client, URL)["Small Spend Ltd"].tier == "Tier D"
    response = client.post(
        f"{URL}/{small}/contracts/new",
        data=contract(reference="C-42", total_value="100000.02"),
    )
    assert response.status_code == 302
    detail = client.get(response.headers["Location"])
    assert banner(detail) == "The contract Office software has been saved"
    assert contract_rows(client, small) == [
        ["Office software C-42", "1 April 2024 to 31 March 2026", "£50,000.01", "£100,000.02"]
    ]
    text = main_text(detail)
    assert "A contract worth £50,000.01 a year is over £50,000.00" in text
    assert "Contract added: Office software" in text
    client.post(f"{URL}/{exact}/contracts/new", data=contract(annual="50000.00"))
    rows = register(client, f"{URL}?year=2024-25")
    assert (rows["Small Spend Ltd"].spend, rows["Small Spend Ltd"].tier) == ("£1,000.00", "Tier C")
    assert "Over threshold" in rows["Small Spend Ltd"].flags
    assert (
        rows["Exact Contract Ltd"].tier,
        "Over threshold" in rows["Exact Contract Ltd"].flags,
    ) == (
        "Tier D",
        False,
    )
    assert list(register(client, f"{URL}?year=2024-25&flag=over")) == ["Small Spend Ltd"]
    # In a year with no spend yet the contract alone puts the supplier in the register.
    next_year = register(client, f"{URL}?year=2025-26")
    assert {n: (r.spend, r.tier) for n, r in next_year.items()} == {
        "Exact Contract Ltd": ("£0.00", "Tier D"),
        "Small Spend Ltd": ("£0.00", "Tier C"),
    }
    # Before the contract starts it flags nothing.
    import_payments(
        app, "alpha-police", Pay("Small Spend Ltd", "2023-05-01", "5.00"), filename="old.csv"
    )
    assert register(client, f"{URL}?year=2023-24")["Small Spend Ltd"].tier == "Tier D"


def test_an_end_date_before_the_start_date_is_refused_and_nothing_is_saved(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    sid = supplier_id(app, "alpha-police", "Small Spend Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    response = client.post(
        f"{URL}/{sid}/contracts/new",
        data=contract(start=("1", "4", "2025"), end=("31", "3", "2025")),
    )
    assert response.status_code == 200
    assert error_messages(response) == ["The end date must be the same as or after the start date"]
    html = page(response)
    assert html.select_one("title").get_text().startswith("Error: ")
    # What was typed is kept in the three date inputs.
    assert [i["value"] for i in html.select("input[name=end_date]")] == ["31", "3", "2025"]
    missing = client.post(f"{URL}/{sid}/contracts/new", data=contract(title="", annual=""))
    assert set(error_messages(missing)) == {"Enter the contract title", "Enter the annual value"}
    negative = client.post(f"{URL}/{sid}/contracts/new", data=contract(annual="-1"))
    assert error_messages(negative) == ["The annual value cannot be negative"]
    # A post without the three date boxes (not a browser's) gets a message, not an error page.
    no_dates = {k: v for k, v in contract().items() if k != "end_date"}
    response = client.post(f"{URL}/{sid}/contracts/new", data=no_dates)
    assert response.status_code == 200
    assert error_messages(response) == ["Enter the end date"]
    odd = client.post(f"{URL}/{sid}/contracts/new", data={**no_dates, "end_date": "31"})
    assert odd.status_code == 200
    assert len(error_messages(odd)) == 1
    assert snapshot(app) == before
    assert contract_rows(client, sid) == []
    assert "No contracts recorded." in main_text(client.get(f"{URL}/{sid}"))


def test_an_unreadable_amount_gets_the_plain_english_money_message(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    sid = supplier_id(app, "alpha-police", "Small Spend Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    money = client.post(f"{URL}/{sid}/contracts/new", data=contract(annual="lots"))
    assert money.status_code == 200
    assert error_messages(money) == ["Enter an amount in pounds, like 60000 or 60000.00"]
    assert snapshot(app) == before


def test_a_date_that_does_not_exist_is_refused_naming_the_field(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    sid = supplier_id(app, "alpha-police", "Small Spend Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    day = client.post(f"{URL}/{sid}/contracts/new", data=contract(start=("31", "2", "2024")))
    assert day.status_code == 200
    messages = error_messages(day)
    assert len(messages) == 1 and "start date" in messages[0].lower(), messages
    assert snapshot(app) == before


def test_a_stale_contract_form_gets_the_conflict_message(app: Flask, two_bodies: dict) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    sid = supplier_id(app, "alpha-police", "Small Spend Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    client.post(f"{URL}/{sid}/contracts/new", data=contract(annual="100.00"))
    shown = page(client.get(f"{URL}/{sid}")).select_one("main table a[href*='/contracts/']")["href"]
    # The contract's own page leads to its edit form.
    link = next(
        a["href"]
        for a in page(client.get(shown)).select("main a")
        if a.get_text(strip=True) == "Edit contract"
    )
    edit = page(client.get(link))
    version = edit.select_one("input[name=version]")["value"]
    assert [i["value"] for i in edit.select("input[name=start_date]")] == ["01", "04", "2024"]
    first = client.post(link, data=contract(title="Renamed", annual="60000.00", version=version))
    assert first.status_code == 302
    second = client.post(link, data=contract(title="Stale", annual="1.00", version=version))
    assert second.status_code == 200
    assert error_messages(second) == [
        "Someone else changed this contract while you were editing. "
        "Your changes were not saved: check the details below and try again."
    ]
    assert contract_rows(client, sid) == [
        ["Renamed", "1 April 2024 to 31 March 2026", "£60,000.00", "—"]
    ]
    # Over the threshold by its contract, with no category: it needs one, so tier A.
    assert register(client, URL)["Small Spend Ltd"].tier == "Tier A"
    assert "Contract edited: Renamed" in main_text(client.get(f"{URL}/{sid}"))
