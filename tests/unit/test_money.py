from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisc.rules.money import DEFAULT_THRESHOLD, format_pounds, is_over_threshold, to_pounds


def test_the_threshold_is_strictly_greater_than_fifty_thousand_pounds() -> None:
    assert Decimal("50000.00") == DEFAULT_THRESHOLD
    assert not is_over_threshold(Decimal("50000.00"))
    assert is_over_threshold(Decimal("50000.01"))
    assert not is_over_threshold(Decimal("49999.99"))


def test_a_configured_threshold_is_honoured() -> None:
    assert is_over_threshold(Decimal("25000.01"), Decimal("25000"))
    assert not is_over_threshold(Decimal("25000.00"), Decimal("25000"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("-12"), "-£12.00"),
        (Decimal("0.005"), "£0.01"),
        (Decimal("1000000"), "£1,000,000.00"),
    ],
)
def test_format_pounds(amount: Decimal, text: str) -> None:
    assert format_pounds(amount) == text


def test_rounding_is_half_up_to_the_penny() -> None:
    assert to_pounds("2.675") == Decimal("2.68")
    assert to_pounds("-2.675") == Decimal("-2.68")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_whole_pennies_are_unchanged(amount: Decimal) -> None:
    assert to_pounds(amount) == amount


def test_whole_pounds_round_half_up_with_a_true_minus() -> None:
    from tisc.rules.money import format_whole_pounds

    assert format_whole_pounds(Decimal("14662896.34")) == "£14,662,896"
    assert format_whole_pounds(Decimal("0.50")) == "£1"
    assert format_whole_pounds(Decimal("0.49")) == "£0"
    assert format_whole_pounds(Decimal("-12.50")) == "\u2212£13"
    assert format_whole_pounds(Decimal("-0.40")) == "£0"  # no minus on nothing
