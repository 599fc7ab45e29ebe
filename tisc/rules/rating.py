"""Residual rating: red, amber or green from a supplier's inherent risk and assessment score.

The rules (defaults from DESIGN.md, shown on the "How ratings work" page):
- the rating starts from the category's inherent risk: high is red, medium amber, low green;
  a supplier whose category is not known yet starts amber;
- a score of 80% or more moves it two steps towards green, 60% or more one step, 40% or more
  leaves it where it started, and below 40% moves it one step towards red;
- an answer that is itself an indicator of forced labour (a critical answer) makes it red;
- a supplier not assessed keeps its starting rating, except that an unassessed tier A
  supplier is red: it is high-risk and over the threshold, so it needs an assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tisc.rules.risk import RiskLevel, Tier


class Rating(StrEnum):
    """A residual rating, worst first."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


_ORDER = (Rating.RED, Rating.AMBER, Rating.GREEN)
_START = {RiskLevel.HIGH: Rating.RED, RiskLevel.MEDIUM: Rating.AMBER, RiskLevel.LOW: Rating.GREEN}

# (lowest score, steps towards green), checked in order.
SCORE_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal(80), 2),
    (Decimal(60), 1),
    (Decimal(40), 0),
    (Decimal(0), -1),
)


@dataclass(frozen=True)
class RatingResult:
    """A rating and the reasons for it, in words."""

    rating: Rating
    reasons: tuple[str, ...]


def starting_rating(risk: RiskLevel | None) -> Rating:
    """The rating before any assessment: the category's inherent risk."""
    return _START.get(risk, Rating.AMBER) if risk is not None else Rating.AMBER


def score_steps(score: Decimal) -> int:
    """How many steps towards green (negative: towards red) a score moves the rating."""
    return next(steps for lowest, steps in SCORE_BANDS if score >= lowest)


def _move(rating: Rating, steps: int) -> Rating:
    index = min(max(_ORDER.index(rating) + steps, 0), len(_ORDER) - 1)
    return _ORDER[index]


def residual_rating(
    *,
    risk: RiskLevel | None,
    tier: Tier,
    score: Decimal | None,
    critical: Sequence[str] = (),
) -> RatingResult:
    """The residual rating of a supplier in a year, with its reasons.

    `score` is the percentage of a complete assessment, or None when there is none;
    `critical` holds the reasons of its critical answers.
    """
    start = starting_rating(risk)
    if risk is None:
        reasons = [f"Category not known yet: starts {start.label.lower()}"]
    else:
        reasons = [f"{risk.label}-risk category: starts {start.label.lower()}"]
    if score is None:
        if tier is Tier.A:
            reasons.append("Not assessed: a tier A supplier needs an assessment, so it is red")
            return RatingResult(Rating.RED, tuple(reasons))
        reasons.append("Not assessed yet")
        return RatingResult(start, tuple(reasons))
    steps = score_steps(score)
    rating = _move(start, steps)
    if steps > 0:
        word = "step" if steps == 1 else "steps"
        reasons.append(f"Assessment score {score}%: {steps} {word} better, {rating.label.lower()}")
    elif steps == 0:
        reasons.append(f"Assessment score {score}%: no change, {rating.label.lower()}")
    else:
        reasons.append(
            f"Assessment score {score}% is below 40%: one step worse, {rating.label.lower()}"
        )
    if critical:
        reasons.extend(f"Red because of an answer: {reason}" for reason in critical)
        rating = Rating.RED
    return RatingResult(rating, tuple(reasons))
