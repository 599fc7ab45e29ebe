"""The supplier page's payments: one financial year at a time, newest first, 50 to a page,
with the count and the year's total of all its payments, to the penny, on every page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import Pay, as_user, import_payments, supplier_id

URL = "/organisations/alpha-police/suppliers"
NAME = "Many Payments Ltd"
START = date(2024, 4, 1)
COUNT = 120  # in 2024/25: pages of 50, 50 and 20


def _payments() -> list[Pay]:
    """120 payments on different days of 2024/25 (pennies and all), and 3 in 2023/24."""
    found = [
        Pay(NAME, (START + timedelta(days=i)).isoformat(), f"{100 + i}.{i % 100:02d}")
        for i in range(COUNT)
    ]
    found += [Pay(NAME, f"2023-0{m}-01", "5.00") for m in (5, 6, 7)]
    return found


def _amount(i: int) -> Decimal:
    return Decimal(f"{100 + i}.{i % 100:02d}")


def _read(response) -> tuple[str, list[str], dict[str, dict[str, list[str]]]]:
    """The count sentence, the dates shown, and the query of each pagination link by its
    text."""
    html = page(response)
    count = " ".join(html.select_one("#payments-count").get_text().split())
    dates = [
        tr.select("td")[0].get_text(strip=True) for tr in html.select("#payments-table tr")[1:]
    ]
    links = {
        " ".join(a.get_text().split()): parse_qs(urlsplit(a["href"]).query)
        for a in html.select("nav.govuk-pagination a")
    }
    return count, dates, links


def _day(i: int) -> str:
    day = START + timedelta(days=i)
    return f"{day.day} {day:%B %Y}"


def test_payments_come_a_page_at_a_time_with_the_whole_years_count_and_total(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", *_payments())
    client = as_user(app, "viewer.alpha-police@example.org")
    sid = supplier_id(app, "alpha-police", NAME)
    total = sum((_amount(i) for i in range(COUNT)), Decimal("0"))
    year_total = f"£{total:,.2f}"

    count, dates, links = _read(client.get(f"{URL}/{sid}"))
    assert count == f"Showing 1 to 50 of 120 payments in 2024/25, totalling {year_total}."
    assert dates == [_day(i) for i in range(COUNT - 1, COUNT - 51, -1)]  # newest first
    assert links["Next page"] == {"year": ["2024-25"], "page": ["2"]}
    assert "Previous page" not in links
    assert {"1", "2", "3"} <= set(links)

    count, dates, links = _read(client.get(f"{URL}/{sid}?year=2024-25&page=3"))
    assert count == f"Showing 101 to 120 of 120 payments in 2024/25, totalling {year_total}."
    assert dates == [_day(i) for i in range(19, -1, -1)]
    assert links["Previous page"] == {"year": ["2024-25"], "page": ["2"]}
    assert "Next page" not in links

    # Another year keeps its own count and total, and needs no pages.
    response = client.get(f"{URL}/{sid}?year=2023-24")
    count, dates, links = _read(response)
    assert count == "Showing 1 to 3 of 3 payments in 2023/24, totalling £15.00."
    assert dates == ["1 July 2023", "1 June 2023", "1 May 2023"]
    assert links == {}
    chosen = page(response).select_one("select#year option[selected]")
    assert chosen["value"] == "2023-24"


def test_a_page_out_of_range_shows_the_first_or_last_page(app: Flask, two_bodies: dict) -> None:
    import_payments(app, "alpha-police", *_payments())
    client = as_user(app, "viewer.alpha-police@example.org")
    sid = supplier_id(app, "alpha-police", NAME)
    for asked, shown in (("0", "1 to 50"), ("-4", "1 to 50"), ("99", "101 to 120")):
        response = client.get(f"{URL}/{sid}?page={asked}")
        assert response.status_code == 200
        assert f"Showing {shown} of 120" in _read(response)[0], asked
    # A page number no database column holds still answers with the last page.
    response = client.get(f"{URL}/{sid}?page={2**70}")
    assert response.status_code == 200
    assert "Showing 101 to 120 of 120" in _read(response)[0]


def test_a_year_without_payments_says_so(app: Flask, two_bodies: dict) -> None:
    import_payments(app, "alpha-police", *_payments())
    client = as_user(app, "viewer.alpha-police@example.org")
    sid = supplier_id(app, "alpha-police", NAME)
    html = page(client.get(f"{URL}/{sid}?year=2019-20"))
    assert html.select_one("#payments-table") is None
    assert "No payments in 2019/20." in html.select_one("main").get_text(" ")
