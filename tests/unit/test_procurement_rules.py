"""Procurement rules: the regime suggested, CPV codes, key dates, the £5m KPI check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tisc.rules.procurement import (
    KeyDates,
    PerformanceRating,
    Regime,
    clause_words,
    cpv_problem,
    date_problems,
    kpi_check,
    latest_rating,
    parse_cpv_codes,
    suggested_regime,
)


@pytest.mark.parametrize(
    ("notice", "regime"),
    [
        (date(2025, 2, 23), Regime.PCR_2015),
        (date(2025, 2, 24), Regime.PA_2023),  # the day the Act came into force
        (date(2026, 1, 1), Regime.PA_2023),
        (date(2019, 5, 1), Regime.PCR_2015),
        (None, None),
    ],
)
def test_the_regime_follows_the_tender_notice_date(notice: date | None, regime) -> None:
    assert suggested_regime(notice) is regime


def test_cpv_codes_are_read_in_order_once_each_whatever_separates_them() -> None:
    codes, wrong = parse_cpv_codes("90911200-8, 79710000-4;90911200-8\n 30192000-1")
    assert codes == ["90911200-8", "79710000-4", "30192000-1"]
    assert wrong == []


@pytest.mark.parametrize("text", ["90911200", "9091120-8", "90911200-88", "ABCDEFGH-1", "x"])
def test_a_malformed_cpv_code_is_refused_naming_it(text: str) -> None:
    problem = cpv_problem(f"79710000-4 {text}")
    assert problem == (
        f"Enter CPV codes like 79710000-4, with 8 digits, a hyphen and 1 digit ({text})"
    )


@pytest.mark.parametrize("text", ["", "   ", None, " , ; "])
def test_no_cpv_code_is_refused(text: str | None) -> None:
    assert cpv_problem(text) == "Enter at least one CPV code, like 79710000-4"


def test_one_good_cpv_code_is_enough() -> None:
    assert cpv_problem("79710000-4") is None


def test_dates_in_order_have_no_problems() -> None:
    dates = KeyDates(date(2025, 3, 1), date(2025, 5, 1), date(2025, 6, 1), date(2027, 5, 31))
    assert date_problems(dates) == {}
    assert date_problems(KeyDates()) == {}


def test_an_award_before_the_tender_notice_is_refused() -> None:
    found = date_problems(KeyDates(tender_notice_on=date(2025, 3, 1), award_on=date(2025, 2, 1)))
    assert found == {
        "award_on": "The award date must be the same as or after the tender notice date"
    }


def test_an_end_before_the_start_is_refused() -> None:
    found = date_problems(KeyDates(start_on=date(2025, 3, 1), end_on=date(2025, 2, 28)))
    assert found == {"end_on": "The end date must be the same as or after the start date"}


def test_the_same_day_is_in_order() -> None:
    day = date(2025, 3, 1)
    assert date_problems(KeyDates(day, day, day, day)) == {}


def test_a_start_before_the_award_is_refused() -> None:
    found = date_problems(KeyDates(award_on=date(2025, 3, 1), start_on=date(2025, 2, 1)))
    assert set(found) == {"start_on"}


MILLION = Decimal("1000000.00")


@pytest.mark.parametrize(
    ("total", "annual", "kpis", "missing", "basis"),
    [
        (6 * MILLION, Decimal("1.00"), 2, True, "total value"),
        (6 * MILLION, Decimal("1.00"), 3, False, "total value"),
        (5 * MILLION, Decimal("1.00"), 0, False, "total value"),  # not over £5m
        (Decimal("5000000.01"), None, 0, True, "total value"),
        (None, 6 * MILLION, 1, True, "annual value"),  # no total: the annual value is used
        (Decimal("100.00"), 6 * MILLION, 0, False, "total value"),  # the total wins when known
    ],
)
def test_a_contract_over_five_million_needs_three_kpis(
    total: Decimal | None, annual: Decimal | None, kpis: int, missing: bool, basis: str
) -> None:
    found = kpi_check(total_value=total, annual_value=annual, kpis=kpis)
    assert found.missing is missing
    assert found.basis == basis
    assert found.reason.startswith(f"Its {basis} is £")


def test_the_reason_says_which_value_and_how_many_kpis() -> None:
    found = kpi_check(total_value=None, annual_value=Decimal("7500000.00"), kpis=1)
    assert found.reason == (
        "Its annual value is £7,500,000, over £5,000,000, and it has 1 KPI: the Procurement "
        "Act 2023 asks for at least 3"
    )


def test_with_no_value_nothing_is_missing() -> None:
    found = kpi_check(total_value=None, annual_value=None, kpis=0)
    assert not found.missing and found.basis is None


def test_the_latest_year_gives_the_rating() -> None:
    ratings = [(2023, PerformanceRating.GOOD), (2025, PerformanceRating.INADEQUATE)]
    assert latest_rating(ratings) == (2025, PerformanceRating.INADEQUATE)
    assert latest_rating([]) is None


def test_ratings_are_in_the_acts_words() -> None:
    assert [r.label for r in PerformanceRating] == [
        "Good",
        "Approaching target",
        "Requires improvement",
        "Inadequate",
        "Other",
    ]


@pytest.mark.parametrize(
    ("clause", "words"), [(True, "Yes"), (False, "No"), (None, "Not recorded")]
)
def test_the_clause_in_words(clause: bool | None, words: str) -> None:
    assert clause_words(clause) == words
