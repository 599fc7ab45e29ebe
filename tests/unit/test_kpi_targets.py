"""A KPI's target: typed as a share, shown as a page shows it, and where a share stands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tisc.rules.kpis import KPIS, KpiValue, against_target, parse_target, target_text

TRAINED = next(k for k in KPIS if k.key == "trained")


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("90", Decimal("90")),
        (" 92.5 ", Decimal("92.5")),
        ("90%", Decimal("90")),
        ("90 %", Decimal("90")),
        ("0", Decimal("0")),
        ("100", Decimal("100")),
        ("100.0", Decimal("100.0")),
        ("", None),
        (None, None),
    ],
)
def test_a_target_typed_as_a_share_is_read(typed: str | None, value: Decimal | None) -> None:
    assert parse_target(typed) == value


@pytest.mark.parametrize("typed", ["100.1", "101", "-5", "ninety", "92.55", "9,0", "1e2"])
def test_a_target_that_is_not_a_share_is_refused_in_words(typed: str) -> None:
    with pytest.raises(ValueError, match="Enter the target as a percentage from 0 to 100"):
        parse_target(typed)


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        (Decimal("90"), "90%"),
        (Decimal("90.0"), "90%"),
        (Decimal("92.5"), "92.5%"),
        (Decimal("100"), "100%"),
        (Decimal("0"), "0%"),
        (None, "Not set"),
    ],
)
def test_a_target_is_shown_without_trailing_zeros(target: Decimal | None, shown: str) -> None:
    assert target_text(target) == shown


@pytest.mark.parametrize(
    ("part", "whole", "target", "said"),
    [
        (90, 100, Decimal("90"), "Target met"),  # at the target exactly
        (91, 100, Decimal("90"), "Target met"),
        (899, 1000, Decimal("90"), "0.1 points below target"),
        (748, 1000, Decimal("90"), "15.2 points below target"),
        (748, 1000, None, ""),
        (None, None, Decimal("90"), ""),
        (0, 0, Decimal("90"), ""),
    ],
)
def test_a_share_against_its_target(
    part: int | None, whole: int | None, target: Decimal | None, said: str
) -> None:
    assert against_target(KpiValue(TRAINED, part, whole), target) == said
