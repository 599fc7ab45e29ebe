"""Every count a page prints has thousands separators: in a world of more than a thousand
suppliers and payments, no page shows a number of four or more digits without its commas
("6787" on one page and "6,787" on another was the complaint). Years (2024/25, 1 April 2024),
company numbers and audit hashes are not counts and are left as they are."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.plan_support import add_training, start
from tests.integration.register_support import (
    UNKNOWN_TEXT,
    Pay,
    as_user,
    import_payments,
    supplier_id,
)

A = "/organisations/alpha-police"
P = "/partnerships/north-east"
YEAR = 2024
BIG = "Big Payments Ltd"
SUPPLIERS = 1_100  # one payment each
PAYMENTS = 1_050  # all to BIG
FIRST_DAY = date(YEAR, 4, 1)
COMPANY = "09876543"  # BIG's company number: shown as it is

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
NOT_COUNTS = [
    re.compile(rf"\b(?:{MONTHS})[a-z]* \d{{4}}\b"),  # dates: 1 April 2024, 29 Nov 2026
    re.compile(r"\b(?:19|20)\d\d[/-]\d\d\b"),  # financial years: 2024/25, 2024-25
    re.compile(r"\b\d{1,2} \d{1,2} (?:19|20)\d\d\b"),  # a date field's hint: 1 4 2025
    re.compile(r"\bAct (?:19|20)\d\d\b"),  # a law's name: the Procurement Act 2023
]
# Digits among letters are a hash or a code (a SHA-256 checksum), not a count.
BARE = re.compile(r"(?<![\w,.])\d{4,}(?!\w)")


def bare_numbers(text: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The numbers of four or more digits without thousands separators in the text, once
    dates, financial years and the allowed strings (company numbers) are taken out."""
    for value in allowed:
        text = text.replace(value, " ")
    for pattern in NOT_COUNTS:
        text = pattern.sub(" ", text)
    return [m.group() for m in BARE.finditer(text)]


def visible_text(response) -> str:
    """The text of the page's main part as a reader sees it (no hashes, which are not
    numbers)."""
    main = page(response).select_one("main")
    for hidden in main.select(".app-audit-hash, script, style"):
        hidden.decompose()
    return " ".join(main.get_text(" ").split())


def test_the_check_finds_a_bare_count_and_passes_years_and_dates() -> None:
    assert bare_numbers("6787 suppliers; 6,787 payments; £12,345.67; 12345.5") == ["6787", "12345"]
    assert bare_numbers("2024/25, 2024-25, 1 April 2024 to 31 March 2025, 29 Nov 2026") == []
    assert bare_numbers("Company 09876543, 1234 rows", allowed=("09876543",)) == ["1234"]
    assert bare_numbers("checksum 4f0a67011b3e, 1 4 2025 (a date field's hint)") == []
    assert bare_numbers("the Procurement Act 2023; 2023 procurements") == ["2023"]


def _letters(n: int) -> str:
    """AAA, AAB, ...: a name without digits, which would read as numbers."""
    return "".join(chr(65 + n // 26**k % 26) for k in (2, 1, 0))


@pytest.fixture
def many(app: Flask, two_bodies: dict) -> Flask:
    """1,100 suppliers of one payment each (a finance category nobody has mapped) and one
    supplier of 1,050 payments, in 2024/25, imported in one file; training of 12,000 staff."""
    payments = [
        Pay(f"Supplier {_letters(n)} Ltd", "2024-06-01", "10.00", UNKNOWN_TEXT)
        for n in range(SUPPLIERS)
    ]
    payments += [
        Pay(BIG, (FIRST_DAY + timedelta(days=n % 365)).isoformat(), "1.00", UNKNOWN_TEXT, COMPANY)
        for n in range(PAYMENTS)
    ]
    import_payments(app, "alpha-police", *payments)
    start(app, "alpha-police", YEAR)
    add_training(app, "alpha-police", YEAR, "all_staff", 12_000, 10_500)
    return app


def test_no_page_prints_a_count_without_thousands_separators(many: Flask) -> None:
    app = many
    big = supplier_id(app, "alpha-police", BIG)
    pages = {
        "procurement.alpha-police@example.org": [
            f"{A}",
            f"{A}/suppliers?year=2024-25",
            f"{A}/suppliers/{big}",
            f"{A}/imports",
            f"{A}/imports/1",
            f"{A}/finance-categories",
            f"{A}/due-diligence?year=2024-25",
            f"{A}/training?year=2024-25",
            f"{A}/action-plan?year=2024-25",
        ],
        "coordinator@example.org": [
            f"{P}",
            f"{P}/suppliers?year=2024-25",
            f"{P}/board?year=2024-25",
        ],
        "admin@example.org": ["/audit/"],
    }
    found = {}
    for email, urls in pages.items():
        client = as_user(app, email)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            bare = bare_numbers(visible_text(response), allowed=(COMPANY,))
            if bare:
                found[url] = bare
    assert found == {}
    # The counts are there, with their commas.
    client = as_user(app, "procurement.alpha-police@example.org")
    register = visible_text(client.get(f"{A}/suppliers?year=2024-25"))
    assert "1,101 suppliers in 2024/25" in register
    supplier = visible_text(client.get(f"{A}/suppliers/{big}"))
    assert "Showing 1 to 50 of 1,050 payments in 2024/25" in supplier
