"""KPIs computed from figures: shares to 0.1 half up, "No data" versus "None in scope", sums
that leave out bodies with no data, and the change since last year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tisc.rules.kpis import KPI_KEYS, KPIS, KpiValue, change, kpi_values, total

TRAINED = next(k for k in KPIS if k.key == "trained")


def value(part: int | None, whole: int | None) -> KpiValue:
    return KpiValue(TRAINED, part, whole)


def test_every_kpi_has_a_distinct_key_and_names_its_figures() -> None:
    assert len(set(KPI_KEYS)) == len(KPIS) == 6
    assert set(KPI_KEYS) == {"assessed", "mapped", "plans", "guidance", "reviews", "trained"}
    assert all(k.part and k.whole and k.part != k.whole for k in KPIS)


@pytest.mark.parametrize(
    ("part", "whole", "percent", "text"),
    [
        (12, 40, "30.0", "12 of 40 (30.0%)"),
        (1, 3, "33.3", "1 of 3 (33.3%)"),
        (2, 3, "66.7", "2 of 3 (66.7%)"),
        (0, 5, "0.0", "0 of 5 (0.0%)"),
        (5, 5, "100.0", "5 of 5 (100.0%)"),
        (1234, 5000, "24.7", "1,234 of 5,000 (24.7%)"),
    ],
)
def test_a_share_is_a_percentage_to_one_decimal_place(part, whole, percent, text) -> None:
    found = value(part, whole)
    assert found.percent == Decimal(percent)
    assert found.text == text
    assert not found.no_data


def test_rounding_is_half_up_not_to_even() -> None:
    # 1/8 = 12.5% exactly -> 12.5; 1/16 = 6.25% -> 6.3 (banker's rounding would give 6.2).
    assert value(1, 16).percent == Decimal("6.3")
    assert value(3, 16).percent == Decimal("18.8")  # 18.75
    assert value(1, 80).percent == Decimal("1.3")  # 1.25
    assert value(1, 400).percent == Decimal("0.3")  # 0.25


def test_no_figures_read_no_data_never_zero() -> None:
    for found in (value(None, None), value(None, 10), value(3, None)):
        assert found.no_data
        assert found.text == "No data"
        assert found.percent is None


def test_nothing_in_scope_reads_none_in_scope_not_no_data_or_zero() -> None:
    found = value(0, 0)
    assert not found.no_data
    assert found.text == "None in scope"
    assert found.percent is None


def test_kpi_values_takes_each_share_from_the_named_figures() -> None:
    figures = {
        "assessed": 2,
        "needing_assessment": 5,
        "mapped_beyond_tier1": 1,
        "high_risk_over_threshold": 3,
        "plans_received": 1,
        "guidance_sent": 3,
        "suppliers_over_threshold": 6,
        "contract_reviews": 3,
        "contract_reviews_discussed": 2,
    }
    found = kpi_values(figures)
    assert {k: v.text for k, v in found.items()} == {
        "assessed": "2 of 5 (40.0%)",
        "mapped": "1 of 3 (33.3%)",
        "plans": "1 of 3 (33.3%)",
        "guidance": "3 of 6 (50.0%)",
        "reviews": "2 of 3 (66.7%)",
        "trained": "No data",  # no training recorded
    }
    assert all(v.text == "No data" for v in kpi_values(None).values())
    assert all(v.text == "No data" for v in kpi_values({}).values())


def test_total_adds_parts_and_wholes_leaving_out_bodies_with_no_data() -> None:
    summed = total([value(10, 40), value(None, None), value(5, 10)])
    assert (summed.part, summed.whole, summed.text) == (15, 50, "15 of 50 (30.0%)")
    # Not the mean of the shares (25% and 50%): the share of the summed figures.
    assert summed.percent == Decimal("30.0")


def test_total_of_bodies_that_all_have_no_data_is_no_data() -> None:
    summed = total([value(None, None), value(None, None)])
    assert summed.no_data and summed.text == "No data"
    assert total([]) is None


def test_total_with_none_in_scope_counts_as_data() -> None:
    summed = total([value(0, 0), value(None, None)])
    assert summed.text == "None in scope"


def test_change_is_in_percentage_points_only_when_both_years_have_a_share() -> None:
    assert change(value(30, 40), value(10, 40)) == Decimal("50.0")
    # From the printed shares, so that a reader's subtraction agrees: 33.3 - 66.7 is -33.4
    # (the exact shares would give -33.3 beside printed values that differ by 33.4).
    assert change(value(1, 3), value(2, 3)) == Decimal("-33.4")
    assert change(value(2, 3), value(1, 3)) == Decimal("33.4")
    assert value(2, 3).percent - value(1, 3).percent == change(value(2, 3), value(1, 3))
    assert change(value(5, 10), value(5, 10)) == Decimal("0.0")
    assert change(value(5, 10), value(None, None)) is None
    assert change(value(None, None), value(5, 10)) is None
    assert change(value(5, 10), value(0, 0)) is None


def test_a_sums_change_is_a_share_of_last_years() -> None:
    from tisc.rules.kpis import relative_change_text

    assert relative_change_text(Decimal("104.2"), Decimal("100")) == "Up 4.2%"
    assert relative_change_text(995, 1000) == "Down 0.5%"
    assert relative_change_text(10_004, 10_000) == "No change"  # 0.04%: rounds to nothing
    assert relative_change_text(10_005, 10_000) == "Up 0.1%"  # 0.05%: half up
    assert relative_change_text(5, 0) == "No data"  # nothing last year to compare with
