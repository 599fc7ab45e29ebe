"""What the "How ratings work" page shows, worked out by the rules themselves so that the page
cannot drift from the code: the tiers, the score bands, a score worked out and rated examples,
all for the threshold the reader's partnership uses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tisc.rules.money import DEFAULT_THRESHOLD, is_over_threshold, to_pounds
from tisc.rules.questionnaire import (
    BEST_SCORE,
    Definition,
    Option,
    Question,
    Score,
    Section,
    score_answers,
)
from tisc.rules.rating import SCORE_BANDS, Rating, RatingResult, residual_rating, starting_rating
from tisc.rules.risk import RiskLevel, Tier, priority_tier

# Where a rating starts, in the order of the page's columns.
STARTS: tuple[tuple[str, RiskLevel | None], ...] = (
    ("High-risk category", RiskLevel.HIGH),
    ("Medium-risk category", RiskLevel.MEDIUM),
    ("Low-risk category", RiskLevel.LOW),
    ("Category not known yet", None),
)

# The example score: (question, weight, the answer's score; None is "not applicable").
EXAMPLE_ANSWERS: tuple[tuple[str, int, int | None], ...] = (
    ("Has a written modern slavery policy", 3, 4),
    ("Puts its supplier code into contracts", 2, 2),
    ("Makes sure workers pay no recruitment fees", 5, 0),
    ("Checks labour agencies it uses on site", 4, None),
)


@dataclass(frozen=True)
class ExampleSupplier:
    """A supplier in words. Its spend is `times` the threshold plus `plus`, so the tier it
    shows holds whatever the threshold (the security firm is a penny over it)."""

    supplier: str
    risk: RiskLevel
    times: Decimal
    plus: Decimal
    score: Decimal | None
    critical: tuple[str, ...] = ()


EXAMPLES: tuple[ExampleSupplier, ...] = (
    ExampleSupplier(
        "A cleaning contractor", RiskLevel.HIGH, Decimal("2.4"), Decimal(0), Decimal("82.5")
    ),
    ExampleSupplier(
        "A hotel group",
        RiskLevel.MEDIUM,
        Decimal("1.3"),
        Decimal(0),
        Decimal("72.0"),
        ("Workers' passports are kept by the employer",),
    ),
    ExampleSupplier("A security firm", RiskLevel.HIGH, Decimal(1), Decimal("0.01"), None),
)

_NUMBERS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True)
class Band:
    """A band of scores, what it does to a rating, and the rating from each starting point."""

    scores: str
    effect: str
    results: tuple[Rating, ...]


@dataclass(frozen=True)
class RatedExample:
    """An example supplier with its spend, tier and the rating the rules give it."""

    supplier: str
    risk: RiskLevel
    spend: Decimal
    tier: Tier
    score: Decimal | None
    critical: tuple[str, ...]
    result: RatingResult


@dataclass(frozen=True)
class RatingsGuide:
    """Everything the page explains, for one threshold."""

    threshold: Decimal
    tiers: tuple[tuple[str, tuple[Tier, Tier]], ...]  # (category, (over, not over))
    actions: tuple[Tier, ...]
    best: int
    bands: tuple[Band, ...]
    starts: tuple[str, ...]
    score: Score
    examples: tuple[RatedExample, ...]


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _steps_text(steps: int) -> str:
    if steps == 0:
        return "No change"
    count = _NUMBERS.get(abs(steps), str(abs(steps)))
    unit = "step" if abs(steps) == 1 else "steps"
    return f"{count.capitalize()} {unit} towards {'green' if steps > 0 else 'red'}"


def score_bands() -> tuple[Band, ...]:
    """Each score band with its effect and the rating it gives from each starting point."""
    rows = []
    upper: Decimal | None = None
    for lowest, steps in SCORE_BANDS:
        if upper is None:
            scores = f"{_percent(lowest)} or more"
        elif lowest == 0:
            scores = f"Below {_percent(upper)}"
        else:
            scores = f"{_percent(lowest)} to {_percent(upper - Decimal('0.1'))}"
        results = tuple(
            residual_rating(risk=risk, tier=Tier.B, score=lowest).rating for _, risk in STARTS
        )
        rows.append(Band(scores, _steps_text(steps), results))
        upper = lowest
    return tuple(rows)


def example_score() -> Score:
    """EXAMPLE_ANSWERS as a four-question assessment, scored by the real rules."""
    options = (
        Option("best", "Yes", BEST_SCORE),
        Option("partly", "Partly", 2, "Do more"),
        Option("no", "No", 0, "Start"),
        Option("not-applicable", "Not applicable", None),
    )
    questions = tuple(
        Question(f"q{number}", text, weight, options)
        for number, (text, weight, _score) in enumerate(EXAMPLE_ANSWERS, start=1)
    )
    definition = Definition(
        "standard", 1, "Example", False, False, "Example", (Section("s", "S", questions),)
    )
    chosen = {None: "not-applicable", BEST_SCORE: "best", 2: "partly", 0: "no"}
    answers = {
        q.key: chosen[score] for q, (_, _, score) in zip(questions, EXAMPLE_ANSWERS, strict=True)
    }
    return score_answers(definition, answers)


def rate_example(example: ExampleSupplier, threshold: Decimal) -> RatedExample:
    """An example supplier's spend, tier and rating under `threshold`."""
    spend = to_pounds(example.times * threshold + example.plus)
    tier = priority_tier(risk=example.risk, over_threshold=is_over_threshold(spend, threshold))
    result = residual_rating(
        risk=example.risk, tier=tier, score=example.score, critical=example.critical
    )
    return RatedExample(
        example.supplier, example.risk, spend, tier, example.score, example.critical, result
    )


def ratings_guide(threshold: Decimal = DEFAULT_THRESHOLD) -> RatingsGuide:
    """What the "How ratings work" page shows for a partnership with this threshold."""
    return RatingsGuide(
        threshold=threshold,
        tiers=tuple(
            (
                label,
                (
                    priority_tier(risk=risk, over_threshold=True),
                    priority_tier(risk=risk, over_threshold=False),
                ),
            )
            for label, risk in STARTS
        ),
        actions=tuple(Tier),
        best=BEST_SCORE,
        bands=score_bands(),
        starts=tuple(
            f"{label} (starts {starting_rating(risk).label.lower()})" for label, risk in STARTS
        ),
        score=example_score(),
        examples=tuple(rate_example(example, threshold) for example in EXAMPLES),
    )
