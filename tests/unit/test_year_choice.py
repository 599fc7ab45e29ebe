"""Which year a page opens on, and what it says about it (rules.year_choice)."""

from __future__ import annotations

from tisc.rules.year_choice import choose_year
from tisc.rules.years import FinancialYear

NOW = FinancialYear(2026)


def test_the_year_we_are_in_when_it_has_data() -> None:
    choice = choose_year(asked=None, with_data=[2025, 2026], current=NOW)
    assert choice.year == NOW
    assert choice.has_data and not choice.asked
    assert choice.reason == "latest"


def test_the_latest_year_with_data_when_this_year_has_none() -> None:
    choice = choose_year(asked=None, with_data=[2023, 2025, 2024], current=NOW)
    assert choice.year == FinancialYear(2025)
    assert choice.reason == "latest"
    assert choice.with_data == (FinancialYear(2025), FinancialYear(2024), FinancialYear(2023))


def test_this_year_before_a_later_one_that_has_data() -> None:
    choice = choose_year(asked=None, with_data=[2027, 2026], current=NOW)
    assert choice.year == NOW
    assert choice.reason == "current"


def test_a_past_year_before_a_later_one_when_this_year_is_empty() -> None:
    choice = choose_year(asked=None, with_data=[2027, 2024], current=NOW)
    assert choice.year == FinancialYear(2024)
    assert choice.reason == "so far"


def test_only_later_years_with_data_opens_the_nearest() -> None:
    choice = choose_year(asked=None, with_data=[2028, 2027], current=NOW)
    assert choice.year == FinancialYear(2027)


def test_no_data_at_all_opens_this_year_and_says_it_is_empty() -> None:
    choice = choose_year(asked=None, with_data=[], current=NOW)
    assert choice.year == NOW
    assert not choice.has_data
    assert choice.reason is None
    assert choice.others == ()


def test_a_year_asked_for_is_shown_without_a_reason() -> None:
    choice = choose_year(asked=FinancialYear(2025), with_data=[2025, 2026], current=NOW)
    assert choice.year == FinancialYear(2025)
    assert choice.asked and choice.has_data
    assert choice.reason is None


def test_an_empty_year_points_to_the_nearest_years_with_data() -> None:
    choice = choose_year(
        asked=FinancialYear(2026), with_data=[2020, 2021, 2022, 2025, 2027], current=NOW
    )
    assert not choice.has_data
    assert choice.others == (FinancialYear(2027), FinancialYear(2025), FinancialYear(2022))
