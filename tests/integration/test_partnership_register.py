"""The partnership's view of its members' registers: a supplier used by both bodies, once."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.register_support import Pay, as_user, import_payments, main_text

URL = "/partnerships/north-east/suppliers"


@pytest.fixture
def shared(app: Flask, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-05-01", "1000.00", company="01234567"),
        Pay("Northern Couriers Ltd", "2024-05-01", "300.10", company="09876543"),
        Pay("The Bakers & Co Ltd", "2024-05-01", "20.00"),
        Pay("The Bakers & Co Ltd", "2024-06-01", "0.05"),
        Pay("Solo Ltd", "2024-05-01", "5.00"),
        Pay("Last Year Ltd", "2023-05-01", "99999.99"),
    )
    import_payments(
        app,
        "beta-opcc",
        Pay("ACME CLEANING SERVICES", "2024-07-01", "2500.50", company="01234567"),
        Pay("ACME CLEANING SERVICES", "2024-08-01", "-0.25", company="01234567"),
        Pay("NCL Transport", "2024-05-01", "0.90", company="09876543"),
        Pay("Bakers and Company Limited", "2024-05-01", "10.00"),
    )
    import_payments(
        app, "gamma-police", Pay("Acme Cleaning Ltd", "2024-05-01", "777.77", company="01234567")
    )


def shared_rows(response) -> list[tuple[str, list[str], str]]:
    """(supplier, spend by body, total) for each row of the partnership register."""
    rows = []
    for tr in page(response).select("table tbody tr"):
        head = tr.select_one("th").get_text(" ", strip=True)
        bodies = [li.get_text(" ", strip=True) for li in tr.select("td li")]
        rows.append((head, bodies, tr.select("td")[-1].get_text(strip=True)))
    return rows


@pytest.mark.parametrize("email", ["board@example.org", "coordinator@example.org"])
def test_a_supplier_of_both_bodies_is_shown_once_with_each_bodys_spend(
    app: Flask, shared: None, email: str
) -> None:
    client = as_user(app, email)
    response = client.get(f"{URL}?year=2024-25")
    assert response.status_code == 200
    rows = shared_rows(response)
    # The shared row may carry either body's spelling; it is one row with both bodies' spend.
    spellings = [
        {"Acme Cleaning Ltd Company 01234567", "ACME CLEANING SERVICES Company 01234567"},
        {"Northern Couriers Ltd Company 09876543", "NCL Transport Company 09876543"},
        {"The Bakers & Co Ltd", "Bakers and Company Limited"},
        {"Solo Ltd"},
    ]
    assert len(rows) == 4
    assert all(head in names for (head, _, _), names in zip(rows, spellings, strict=True))
    assert [(bodies, total) for _, bodies, total in rows] == [
        (["Alpha Police: £1,000.00", "Beta Opcc: £2,500.25"], "£3,500.25"),
        (["Alpha Police: £300.10", "Beta Opcc: £0.90"], "£301.00"),
        (["Alpha Police: £20.05", "Beta Opcc: £10.00"], "£30.05"),
        (["Alpha Police: £5.00"], "£5.00"),
    ]
    text = main_text(response)
    assert "4 suppliers in 2024/25; 3 of them are used by more than one body." in text
    assert "Gamma" not in text and "777.77" not in text
    earlier = shared_rows(client.get(f"{URL}?year=2023-24"))
    assert earlier == [("Last Year Ltd", ["Alpha Police: £99,999.99"], "£99,999.99")]


def test_the_newest_year_is_shown_by_default_and_search_narrows_it(
    app: Flask, shared: None
) -> None:
    client = as_user(app, "board@example.org")
    html = page(client.get(URL))
    assert html.select_one("select#year option[selected]")["value"] == "2024-25"
    found = shared_rows(client.get(f"{URL}?year=2024-25&q=acme+cleaning"))
    assert [(bodies, total) for _, bodies, total in found] == [
        (["Alpha Police: £1,000.00", "Beta Opcc: £2,500.25"], "£3,500.25")
    ]
    assert shared_rows(client.get(f"{URL}?q=BAKERS+%26+COMPANY"))[0][2] == "£30.05"
    assert client.get(f"{URL}?year=2024-26").status_code == 404


@pytest.mark.parametrize(
    "email",
    [
        "procurement.alpha-police@example.org",
        "statement.beta-opcc@example.org",
        "viewer.alpha-police@example.org",
        "procurement.gamma-police@example.org",
        "admin@example.org",
    ],
)
def test_body_users_and_admins_do_not_see_the_partnership_register(
    app: Flask, shared: None, email: str
) -> None:
    client = as_user(app, email)
    for url in (
        URL,
        f"{URL}?year=2024-25",
        f"{URL}/export.xlsx?year=2024-25",
        f"{URL}/export.csv?year=2024-25",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Acme" not in response.get_data(as_text=True)


def test_another_partnership_is_not_found(app: Flask, shared: None) -> None:
    client = as_user(app, "coordinator@example.org")
    assert client.get("/partnerships/elsewhere/suppliers").status_code == 404
    assert client.get("/partnerships/elsewhere/suppliers/export.xlsx").status_code == 404


def test_searching_for_one_spelling_still_shows_every_bodys_spend(app: Flask, shared: None) -> None:
    client = as_user(app, "coordinator@example.org")
    found = shared_rows(client.get(f"{URL}?year=2024-25&q=northern+couriers"))
    assert [(bodies, total) for _, bodies, total in found] == [
        (["Alpha Police: £300.10", "Beta Opcc: £0.90"], "£301.00")
    ]
    by_number = shared_rows(client.get(f"{URL}?year=2024-25&q=ncl+transport"))
    assert [total for _, _, total in by_number] == ["£301.00"]


@pytest.mark.parametrize(
    ("email", "sees_categories"),
    [("board@example.org", False), ("coordinator@example.org", True)],
)
def test_every_link_on_the_partnership_page_opens_for_its_reader(
    app: Flask, shared: None, email: str, sees_categories: bool
) -> None:
    client = as_user(app, email)
    html = page(client.get("/partnerships/north-east"))
    links = [a["href"] for a in html.select("main a.govuk-link") if a["href"].startswith("/")]
    assert any("/categories" in href for href in links) is sees_categories
    assert links and all(client.get(href).status_code == 200 for href in links), links
