"""Money as exact Decimals, and the spend threshold rule."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
DEFAULT_THRESHOLD = Decimal("50000.00")


def to_pounds(value: Decimal | int | str) -> Decimal:
    """An amount rounded to the penny, half up, as accountants expect."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def is_over_threshold(amount: Decimal, threshold: Decimal = DEFAULT_THRESHOLD) -> bool:
    """True when an annual amount is strictly greater than the threshold."""
    return amount > threshold


def format_pounds(amount: Decimal) -> str:
    """£1,234.56, with a leading minus for credits: -£12.00."""
    rounded = to_pounds(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


MINUS = "\u2212"  # a true minus sign, as wide as a plus, never read as a hyphen


def format_whole_pounds(amount: Decimal) -> str:
    """£1,235 (to the pound, half up) for tables of large sums; credits with a true minus
    sign (U+2212) before the pound sign."""
    rounded = Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,}"
