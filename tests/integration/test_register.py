"""The register list: year, search, filters, sorting, paging, and flags and tiers at the edge."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import page, sign_in
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
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
from tisc.rules.years import FinancialYear

URL = "/organisations/alpha-police/suppliers"


def names(client: FlaskClient, query: str) -> list[str]:
    return list(register(client, f"{URL}?{query}"))


def test_the_year_picker_shows_each_year_and_an_unreadable_year_is_not_found(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Old Year Ltd", "2024-03-31", "75000.00"),
        Pay("New Year Ltd", "2024-04-01", "12.34"),
        Pay("Both Years Ltd", "2023-06-01", "10.00"),
        Pay("Both Years Ltd", "2024-06-01", "20.00"),
    )
    sign_in(client, "viewer.alpha-police@example.org")
    html = page(client.get(URL))
    options = [(o["value"], o.get_text(strip=True)) for o in html.select("select#year option")]
    assert options == [("2024-25", "2024/25"), ("2023-24", "2023/24")]
    assert html.select_one("select#year option[selected]")["value"] == "2024-25"
    newest = register(client, URL)
    assert {n: r.spend for n, r in newest.items()} == {
        "Both Years Ltd": "£20.00",
        "New Year Ltd": "£12.34",
    }
    earlier = register(client, f"{URL}?year=2023-24")
    assert {n: r.spend for n, r in earlier.items()} == {
        "Old Year Ltd": "£75,000.00",
        "Both Years Ltd": "£10.00",
    }
    chosen = page(client.get(f"{URL}?year=2023-24"))
    assert chosen.select_one("select#year option[selected]")["value"] == "2023-24"
    assert list(register(client, f"{URL}?year=2023/24")) == list(earlier)
    for bad in ("nonsense", "2024-26", "2024", "24-25", "2024-25x"):
        assert client.get(f"{URL}?year={bad}").status_code == 404, bad


def test_search_by_normalised_name_and_by_company_number(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("ACME LTD", "2024-05-01", "300.00", company="01234567"),
        Pay("Acme Cleaning Services Limited", "2024-05-01", "200.00"),
        Pay("Zenith Security Ltd", "2024-05-01", "100.00", company="SC123456"),
    )
    sign_in(client, "viewer.alpha-police@example.org")
    assert names(client, "q=acme") == ["ACME LTD", "Acme Cleaning Services Limited"]
    assert names(client, "q=Acme+Limited") == ["ACME LTD"]
    assert names(client, "q=++acme.++LTD+") == ["ACME LTD"]
    assert names(client, "q=cleaning+services+ltd") == ["Acme Cleaning Services Limited"]
    assert names(client, "q=01234567") == ["ACME LTD"]
    assert names(client, "q=sc123456") == ["Zenith Security Ltd"]
    assert register(client, f"{URL}?q=acme")["ACME LTD"].company == "Company 01234567"
    html = page(client.get(f"{URL}?q=acme"))
    assert html.select_one("input#q")["value"] == "acme"
    nothing = client.get(f"{URL}?q=nobody+at+all")
    assert page(nothing).select("table tbody tr") == []
    assert "No suppliers match these filters." in main_text(nothing)


def test_flag_filters(app: Flask, client: FlaskClient, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Big Spend Ltd", "2024-05-01", "60000.00", SOFTWARE_TEXT),
        Pay("Cleaner Ltd", "2024-05-01", "100.00", CLEANING_TEXT),
        Pay("Mystery Ltd", "2024-05-01", "10.00"),
        Pay("Reviewed Ltd", "2024-05-01", "5.00", SOFTWARE_TEXT),
    )
    reviewed = supplier_id(app, "alpha-police", "Reviewed Ltd")
    sign_in(client, "procurement.alpha-police@example.org")
    assert client.post(f"{URL}/{reviewed}/reviewed").status_code == 302
    everyone = ["Big Spend Ltd", "Cleaner Ltd", "Mystery Ltd", "Reviewed Ltd"]
    assert names(client, "") == everyone
    assert names(client, "flag=over") == ["Big Spend Ltd"]
    assert names(client, "flag=high") == ["Cleaner Ltd"]
    assert names(client, "flag=uncategorised") == ["Mystery Ltd"]
    assert names(client, "flag=new") == ["Big Spend Ltd", "Cleaner Ltd", "Mystery Ltd"]
    assert names(client, "flag=unknown") == everyone
    html = page(client.get(f"{URL}?flag=high"))
    assert html.select_one("select#flag option[selected]")["value"] == "high"
    assert "1 supplier in 2024/25" in main_text(client.get(f"{URL}?flag=high"))


def test_tier_and_category_filters(app: Flask, client: FlaskClient, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Tier A Cleaning Ltd", "2024-05-01", "50000.01", CLEANING_TEXT),
        Pay("Tier B Hotel Ltd", "2024-05-01", "50000.01", HOTEL_TEXT),
        Pay("Tier C Software Ltd", "2024-05-01", "50000.01", SOFTWARE_TEXT),
        Pay("Tier D Software Ltd", "2024-05-01", "50000.00", SOFTWARE_TEXT),
    )
    software = category_id(app, "Professional services, software, legal, finance")
    sign_in(client, "viewer.alpha-police@example.org")
    for tier, name in zip(
        "ABCD",
        ["Tier A Cleaning Ltd", "Tier B Hotel Ltd", "Tier C Software Ltd", "Tier D Software Ltd"],
        strict=True,
    ):
        assert names(client, f"tier={tier}") == [name]
    assert names(client, f"category={software}") == ["Tier C Software Ltd", "Tier D Software Ltd"]
    assert names(client, f"category={software}&tier=C") == ["Tier C Software Ltd"]
    assert names(client, f"category={software}&tier=A") == []
    html = page(client.get(f"{URL}?category={software}&tier=C"))
    assert html.select_one("select#category option[selected]")["value"] == str(software)
    assert html.select_one("select#tier option[selected]")["value"] == "C"


def test_sorting_by_name_spend_and_payments(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Bravo Ltd", "2024-05-01", "10.00"),
        Pay("Bravo Ltd", "2024-05-02", "10.00"),
        Pay("Bravo Ltd", "2024-05-03", "10.00"),
        Pay("Alpha Ltd", "2024-05-01", "100.00"),
        Pay("Charlie Ltd", "2024-05-01", "25.00"),
        Pay("Charlie Ltd", "2024-05-02", "25.00"),
    )
    sign_in(client, "viewer.alpha-police@example.org")
    assert names(client, "sort=name") == ["Alpha Ltd", "Bravo Ltd", "Charlie Ltd"]
    assert names(client, "sort=spend") == ["Alpha Ltd", "Charlie Ltd", "Bravo Ltd"]
    assert names(client, "sort=payments") == ["Bravo Ltd", "Charlie Ltd", "Alpha Ltd"]
    assert names(client, "") == ["Alpha Ltd", "Charlie Ltd", "Bravo Ltd"]
    rows = register(client, f"{URL}?sort=payments")
    assert [(r.payments, r.spend) for r in rows.values()] == [
        ("3", "£30.00"),
        ("2", "£50.00"),
        ("1", "£100.00"),
    ]


def test_name_order_is_a_to_z_whatever_the_case(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("ACME LTD", "2024-05-01", "1.00"),
        Pay("Abbey Ltd", "2024-05-01", "2.00"),
        Pay("bravo ltd", "2024-05-01", "3.00"),
        Pay("Charlie Ltd", "2024-05-01", "4.00"),
    )
    sign_in(client, "viewer.alpha-police@example.org")
    assert names(client, "sort=name") == ["Abbey Ltd", "ACME LTD", "bravo ltd", "Charlie Ltd"]


def test_paging_keeps_the_filters(app: Flask, client: FlaskClient, two_bodies: dict) -> None:
    cleaners = [
        Pay(f"Cleaner {n:02d} Ltd", "2024-05-01", f"{n}.00", CLEANING_TEXT) for n in range(1, 56)
    ]
    import_payments(app, "alpha-police", *cleaners, Pay("Aardvark Ltd", "2024-05-01", "9.99"))
    sign_in(client, "viewer.alpha-police@example.org")
    first_url = f"{URL}?year=2024-25&flag=high&sort=name"
    first = register(client, first_url)
    assert list(first) == [f"Cleaner {n:02d} Ltd" for n in range(1, 51)]
    html = page(client.get(first_url))
    assert "page 1 of 2" in html.select_one("caption").get_text()
    next_link = html.select_one(".govuk-pagination__next a")["href"]
    query = parse_qs(urlsplit(next_link).query)
    assert query == {"year": ["2024-25"], "flag": ["high"], "sort": ["name"], "page": ["2"]}
    second = register(client, next_link)
    assert list(second) == [f"Cleaner {n:02d} Ltd" for n in range(51, 56)]
    back = page(client.get(next_link)).select_one(".govuk-pagination__prev a")["href"]
    assert parse_qs(urlsplit(back).query)["flag"] == ["high"]
    # Beyond the last page shows the last page, not an empty one.
    assert list(register(client, f"{first_url}&page=9")) == list(second)


def test_flags_and_tiers_at_the_boundary_through_the_whole_stack(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("High Exactly Ltd", "2024-04-01", "50000.00", CLEANING_TEXT),
        Pay("High Over Ltd", "2024-06-30", "30000.00", CLEANING_TEXT),
        Pay("High Over Ltd", "2025-03-31", "20000.01", CLEANING_TEXT),
        Pay("High Credit Ltd", "2024-05-01", "60000.00", CLEANING_TEXT),
        Pay("High Credit Ltd", "2024-07-01", "-10000.00", CLEANING_TEXT),
        Pay("Medium Over Ltd", "2024-05-01", "50000.01", HOTEL_TEXT),
        Pay("Medium Exactly Ltd", "2024-05-01", "50000.00", HOTEL_TEXT),
        Pay("Low Over Ltd", "2024-05-01", "50000.01", SOFTWARE_TEXT),
        Pay("Low Under Ltd", "2024-05-01", "49999.99", SOFTWARE_TEXT),
        Pay("Unknown Over Ltd", "2024-05-01", "50000.01"),
    )
    sign_in(client, "procurement.alpha-police@example.org")
    rows = register(client, f"{URL}?year=2024-25")
    expected = {
        "High Over Ltd": ("2", "£50,000.01", "Tier A", {"Over threshold", "High risk", "New"}),
        "Low Over Ltd": ("1", "£50,000.01", "Tier C", {"Over threshold", "New"}),
        "Medium Over Ltd": ("1", "£50,000.01", "Tier B", {"Over threshold", "New"}),
        "Unknown Over Ltd": (
            "1",
            "£50,000.01",
            "Tier A",  # an unknown is never low: it needs a category
            {"Over threshold", "New", "Needs a category"},
        ),
        "High Credit Ltd": ("2", "£50,000.00", "Tier B", {"High risk", "New"}),
        "High Exactly Ltd": ("1", "£50,000.00", "Tier B", {"High risk", "New"}),
        "Medium Exactly Ltd": ("1", "£50,000.00", "Tier D", {"New"}),
        "Low Under Ltd": ("1", "£49,999.99", "Tier D", {"New"}),
    }
    assert {n: (r.payments, r.spend, r.tier, set(r.flags)) for n, r in rows.items()} == expected
    assert rows["High Exactly Ltd"].category == "Cleaning services and materials High risk"
    assert rows["Medium Over Ltd"].category == "Hotels and accommodation Medium risk"
    assert rows["Unknown Over Ltd"].category == "Not given"
    overview = page(client.get("/organisations/alpha-police"))
    cells = [td.get_text(strip=True) for td in overview.select("table tbody tr")[0].select("td")]
    # Suppliers paid, payments, net spend, over the threshold, high-risk, tier A (High Over
    # Ltd, and Unknown Over Ltd, which needs a category).
    assert cells == ["8", "10", "£400,000.03", "4", "3", "2"]


def _set_threshold(client: FlaskClient, year: str, amount: str):
    return client.post("/partnerships/north-east/thresholds", data={"year": year, "amount": amount})


def test_a_coordinator_changes_the_threshold_for_one_year_only(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    for org in ("alpha-police", "gamma-police"):
        import_payments(
            app,
            org,
            Pay("Steady Ltd", "2024-05-01", "45000.00", SOFTWARE_TEXT),
            Pay("Steady Ltd", "2023-05-01", "45000.00", SOFTWARE_TEXT),
            Pay("Cleaner Ltd", "2024-05-01", "45000.00", CLEANING_TEXT),
            Pay("Exactly Forty Ltd", "2024-05-01", "40000.00", SOFTWARE_TEXT),
        )
    sign_in(client, "coordinator@example.org")
    response = _set_threshold(client, "2024-25", "40000")
    assert response.status_code == 302
    index = client.get(response.headers["Location"])
    assert banner(index) == "The threshold for 2024/25 is now £40,000.00"
    current = FinancialYear.containing(date.today()).start_year
    shown = {
        tr.select_one("th").get_text(strip=True): tr.select_one("td").get_text(strip=True)
        for tr in page(index).select("table")[1].select("tbody tr")
    }
    assert shown == {
        FinancialYear(y).label: "£40,000.00" if y == 2024 else "£50,000.00"
        for y in range(current + 1, current - 3, -1)
    }
    client = as_user(app, "procurement.alpha-police@example.org")
    now = register(client, f"{URL}?year=2024-25")
    assert {n: (r.tier, "Over threshold" in r.flags) for n, r in now.items()} == {
        "Steady Ltd": ("Tier C", True),
        "Cleaner Ltd": ("Tier A", True),
        "Exactly Forty Ltd": ("Tier D", False),
    }
    assert "of more than £40,000.00" in main_text(client.get(f"{URL}?year=2024-25"))
    before = register(client, f"{URL}?year=2023-24")
    assert {n: (r.tier, set(r.flags)) for n, r in before.items()} == {
        "Steady Ltd": ("Tier D", {"New"})
    }
    detail = main_text(client.get(f"{URL}/{supplier_id(app, 'alpha-police', 'Steady Ltd')}"))
    assert "Spend of £45,000.00 this year is over £40,000.00" in detail
    # A body in another partnership keeps £50,000.
    client = as_user(app, "procurement.gamma-police@example.org")
    gamma = register(client, "/organisations/gamma-police/suppliers?year=2024-25")
    assert {n: r.tier for n, r in gamma.items()} == {
        "Steady Ltd": "Tier D",
        "Cleaner Ltd": "Tier B",
        "Exactly Forty Ltd": "Tier D",
    }


@pytest.mark.parametrize(
    ("year", "amount", "message"),
    [
        ("2024-25", "0", "The threshold must be more than £0"),
        ("2024-25", "", "Enter the threshold in pounds, like 50000"),
        ("2024-25", "lots", None),
        ("", "40000", "Enter the financial year, like 2025-26"),
        ("2024-26", "40000", "'2024-26' is not a financial year: the years must follow each other"),
    ],
)
def test_a_bad_threshold_is_refused_with_a_reason(
    app: Flask, client: FlaskClient, two_bodies: dict, year: str, amount: str, message: str | None
) -> None:
    sign_in(client, "coordinator@example.org")
    before = snapshot(app)
    response = _set_threshold(client, year, amount)
    assert response.status_code == 400
    assert message in error_messages(response) if message else error_messages(response)
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("board@example.org", 403),
        ("procurement.alpha-police@example.org", 404),
        ("viewer.alpha-police@example.org", 404),
    ],
)
def test_only_coordinators_and_admins_set_thresholds(
    app: Flask, client: FlaskClient, two_bodies: dict, email: str, status: int
) -> None:
    sign_in(client, email)
    before = snapshot(app)
    assert _set_threshold(client, "2024-25", "1").status_code == status
    assert snapshot(app) == before
