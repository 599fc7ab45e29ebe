from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisc.rules.years import FinancialYear


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (date(2024, 4, 1), 2024),
        (date(2024, 3, 31), 2023),
        (date(2025, 3, 31), 2024),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
        (date(2024, 2, 29), 2023),
    ],
)
def test_a_date_falls_in_the_april_to_march_year(day: date, start_year: int) -> None:
    assert FinancialYear.containing(day) == FinancialYear(start_year)


@pytest.mark.parametrize("text", ["2024-25", "2024/25", "2024/2025", " 2024 - 25 "])
def test_parse_accepts_the_ways_people_write_a_year(text: str) -> None:
    assert FinancialYear.parse(text) == FinancialYear(2024)


@pytest.mark.parametrize("text", ["", "2024", "2024-26", "24-25", "2024/2026", "twenty"])
def test_parse_refuses_what_is_not_a_year(text: str) -> None:
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(text)


def test_labels_bounds_and_deadline() -> None:
    year = FinancialYear(2024)
    assert (year.label, year.slug, str(year)) == ("2024/25", "2024-25", "2024/25")
    assert (year.starts, year.ends) == (date(2024, 4, 1), date(2025, 3, 31))
    assert year.statement_due == date(2025, 9, 30)
    assert FinancialYear(1999).slug == "1999-00"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_lies_within_its_year(day: date) -> None:
    year = FinancialYear.containing(day)
    assert year.starts <= day <= year.ends
    assert FinancialYear.parse(year.slug) == year
