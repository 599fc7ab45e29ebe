"""Residual rating: the score bands, clamping, critical answers and unassessed suppliers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisc.rules.rating import SCORE_BANDS, Rating, residual_rating, starting_rating
from tisc.rules.risk import RiskLevel, Tier

SCORES = ("0", "39.9", "40", "59.9", "60", "79.9", "80", "100")
# The rating for each score above, worked out by hand from the rules: start from the
# category's risk (high red, medium amber, low green, unknown amber), then below 40% one step
# worse, 40-59.9% no change, 60-79.9% one step better, 80% or more two steps better.
EXPECTED = {
    RiskLevel.HIGH: "R R R R A A G G",
    RiskLevel.MEDIUM: "R R A A G G G G",
    RiskLevel.LOW: "A A G G G G G G",
    None: "R R A A G G G G",
}
LETTERS = {"R": Rating.RED, "A": Rating.AMBER, "G": Rating.GREEN}
WORST_FIRST = [Rating.RED, Rating.AMBER, Rating.GREEN]


@pytest.mark.parametrize("risk", list(EXPECTED), ids=lambda r: str(r or "unknown"))
@pytest.mark.parametrize("index", range(len(SCORES)), ids=lambda i: SCORES[i])
def test_every_band_boundary_from_every_start(risk: RiskLevel | None, index: int) -> None:
    expected = LETTERS[EXPECTED[risk].split()[index]]
    score = Decimal(SCORES[index])
    for tier in (Tier.A, Tier.B, Tier.D):  # once assessed, the tier does not matter
        assert residual_rating(risk=risk, tier=tier, score=score).rating is expected


def test_the_bands_are_80_60_40_and_below() -> None:
    assert list(SCORE_BANDS) == [
        (Decimal(80), 2),
        (Decimal(60), 1),
        (Decimal(40), 0),
        (Decimal(0), -1),
    ]


def test_the_start_is_the_categorys_inherent_risk() -> None:
    assert starting_rating(RiskLevel.HIGH) is Rating.RED
    assert starting_rating(RiskLevel.MEDIUM) is Rating.AMBER
    assert starting_rating(RiskLevel.LOW) is Rating.GREEN
    assert starting_rating(None) is Rating.AMBER


def test_a_rating_stops_at_red_and_at_green() -> None:
    worst = residual_rating(risk=RiskLevel.HIGH, tier=Tier.A, score=Decimal("0.0"))
    assert worst.rating is Rating.RED
    assert worst.reasons == (
        "High-risk category: starts red",
        "Assessment score 0.0% is below 40%: one step worse, red",
    )
    best = residual_rating(risk=RiskLevel.LOW, tier=Tier.C, score=Decimal("100.0"))
    assert best.rating is Rating.GREEN
    assert best.reasons == (
        "Low-risk category: starts green",
        "Assessment score 100.0%: 2 steps better, green",
    )


def test_a_critical_answer_makes_it_red_even_at_100_percent() -> None:
    result = residual_rating(
        risk=RiskLevel.LOW,
        tier=Tier.D,
        score=Decimal("100.0"),
        critical=("Workers pay recruitment fees", "Passports are held by the employer"),
    )
    assert result.rating is Rating.RED
    assert result.reasons[-2:] == (
        "Red because of an answer: Workers pay recruitment fees",
        "Red because of an answer: Passports are held by the employer",
    )


def test_an_unassessed_tier_a_supplier_is_red() -> None:
    result = residual_rating(risk=RiskLevel.HIGH, tier=Tier.A, score=None)
    assert result.rating is Rating.RED
    assert result.reasons == (
        "High-risk category: starts red",
        "Not assessed: a tier A supplier needs an assessment, so it is red",
    )


@pytest.mark.parametrize(
    ("risk", "tier", "expected"),
    [
        (RiskLevel.HIGH, Tier.B, Rating.RED),
        (RiskLevel.MEDIUM, Tier.B, Rating.AMBER),
        (RiskLevel.MEDIUM, Tier.D, Rating.AMBER),
        (RiskLevel.LOW, Tier.C, Rating.GREEN),
        (None, Tier.C, Rating.AMBER),
    ],
)
def test_an_unassessed_supplier_below_tier_a_keeps_its_start(
    risk: RiskLevel | None, tier: Tier, expected: Rating
) -> None:
    result = residual_rating(risk=risk, tier=tier, score=None)
    assert result.rating is expected
    assert result.reasons[-1] == "Not assessed yet"


def test_the_reasons_give_the_score_and_the_move() -> None:
    better = residual_rating(risk=RiskLevel.MEDIUM, tier=Tier.B, score=Decimal("72.5"))
    assert better.reasons == (
        "Medium-risk category: starts amber",
        "Assessment score 72.5%: 1 step better, green",
    )
    same = residual_rating(risk=None, tier=Tier.C, score=Decimal("40.0"))
    assert same.reasons == (
        "Category not known yet: starts amber",
        "Assessment score 40.0%: no change, amber",
    )


scores = st.integers(min_value=0, max_value=1000).map(lambda tenths: Decimal(tenths) / 10)
risks = st.sampled_from([*RiskLevel, None])
tiers = st.sampled_from(list(Tier))


@given(risk=risks, tier=tiers, low=scores, high=scores)
def test_a_higher_score_never_gives_a_worse_rating(
    risk: RiskLevel | None, tier: Tier, low: Decimal, high: Decimal
) -> None:
    low, high = sorted((low, high))
    lower = residual_rating(risk=risk, tier=tier, score=low).rating
    higher = residual_rating(risk=risk, tier=tier, score=high).rating
    assert WORST_FIRST.index(higher) >= WORST_FIRST.index(lower)


@given(risk=risks, tier=tiers, score=scores)
def test_a_critical_answer_is_red_whatever_else(
    risk: RiskLevel | None, tier: Tier, score: Decimal
) -> None:
    assert residual_rating(risk=risk, tier=tier, score=score, critical=("x",)).rating is Rating.RED
