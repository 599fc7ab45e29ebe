"""The board's rules: the heat-map's colours and their contrast, the summary line, quarters and
ratings over time, denominators that moved too far, risks and decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import combinations

import pytest

from tisc.rules.board import (
    CELL_EDGE,
    RAG_COLOURS,
    BodyStanding,
    KpiGap,
    decisions,
    direction_text,
    move_text,
    moved_too_far,
    quarter_counts,
    quarters,
    rag_on,
    summary_line,
    top_risks,
)
from tisc.rules.heat_map import contrast
from tisc.rules.plans import Rag


def test_each_rating_fill_keeps_3_to_1_against_the_others_and_its_words_4_5_to_1() -> None:
    fills = [RAG_COLOURS[rag][0] for rag in Rag]
    for first, second in combinations(fills, 2):
        assert contrast(first, second) >= 3, (first, second)
    for fill, ink in RAG_COLOURS.values():
        assert contrast(fill, ink) >= 4.5, fill
    # The cells' edge shows against white and amber, the pair that cannot keep 3:1.
    assert contrast(CELL_EDGE, RAG_COLOURS[None][0]) >= 3
    assert contrast(CELL_EDGE, RAG_COLOURS[Rag.AMBER][0]) >= 3


@pytest.mark.parametrize(
    ("overdue", "red", "names", "expected"),
    [
        (66, 23, ["West Yorkshire"], "66 actions overdue, 23 red; West Yorkshire has no plan"),
        (1, 0, [], "1 action overdue, 0 red; every body has a plan"),
        (0, 2, ["A", "B"], "0 actions overdue, 2 red; A and B have no plan"),
        (3, 1, ["A", "B", "C"], "3 actions overdue, 1 red; A, B and C have no plan"),
        (1234, 5, ["A", "B", "C", "D"], "1,234 actions overdue, 5 red; 4 bodies have no plan"),
    ],
)
def test_the_summary_line(overdue: int, red: int, names: list[str], expected: str) -> None:
    assert summary_line(overdue=overdue, red=red, without_plan=names) == expected


def test_quarters_run_april_to_march_and_stop_at_today() -> None:
    found = quarters(2025, date(2026, 1, 1))
    assert [(q.label, q.starts, q.ends, q.as_at) for q in found] == [
        ("Q1", date(2025, 4, 1), date(2025, 6, 30), date(2025, 6, 30)),
        ("Q2", date(2025, 7, 1), date(2025, 9, 30), date(2025, 9, 30)),
        ("Q3", date(2025, 10, 1), date(2025, 12, 31), date(2025, 12, 31)),
        ("Q4", date(2026, 1, 1), date(2026, 3, 31), date(2026, 1, 1)),
    ]
    assert found[-1].so_far and not found[-2].so_far
    assert quarters(2025, date(2025, 3, 31)) == ()
    assert len(quarters(2024, date(2026, 1, 1))) == 4


def test_a_rating_holds_from_its_day_until_the_next() -> None:
    history = [(datetime(2025, 8, 1, 9, tzinfo=UTC), Rag.RED), (date(2025, 5, 1), Rag.AMBER)]
    assert rag_on(history, date(2025, 4, 30)) is None
    assert rag_on(history, date(2025, 5, 1)) is Rag.AMBER
    assert rag_on(history, date(2025, 7, 31)) is Rag.AMBER
    assert rag_on(history, date(2025, 8, 1)) is Rag.RED
    periods = quarters(2025, date(2025, 9, 1))
    counts = quarter_counts([history, [(date(2025, 4, 2), Rag.GREEN)]], periods)
    assert [(c.red, c.amber, c.green) for c in counts] == [(0, 1, 1), (1, 0, 1)]
    assert counts[1].quarter.as_at == date(2025, 9, 1)


@pytest.mark.parametrize(
    ("now", "then", "flagged"),
    [
        (125, 100, False),  # exactly 25% up: not flagged
        (75, 100, False),  # exactly 25% down
        (126, 100, True),
        (74, 100, True),
        (5328, 8813, True),
        (10, 0, False),  # nothing last year to compare
        (None, 100, False),
        (0, 100, False),  # nothing this year: no data, not a move
    ],
)
def test_a_denominator_is_flagged_above_25_percent(
    now: int | None, then: int | None, flagged: bool
) -> None:
    assert moved_too_far(now, then) is flagged


def test_moves_and_directions_in_words() -> None:
    assert move_text(5328, 8813) == "8,813 to 5,328 (\u221239.5%)"
    assert move_text(150, 100) == "100 to 150 (+50.0%)"
    assert direction_text(Decimal("5.2")) == ("\u2191", "Up 5.2 points")
    assert direction_text(Decimal("-3.0")) == ("\u2193", "Down 3.0 points")
    assert direction_text(Decimal(0)) == ("", "No change")
    assert direction_text(None) == ("", "No data")


BODIES = [
    BodyStanding("Cleveland", True, red=1, overdue=4),
    BodyStanding("Durham", True, red=3, overdue=0),
    BodyStanding("West Yorkshire", False, red=0, overdue=0),
    BodyStanding("Humberside", True, red=3, overdue=2),
]


def test_top_risks_worst_first() -> None:
    risks = top_risks(BODIES, {"1. Risk at start": 2, "2. Beyond tier 1": 3}, 4)
    assert risks == [
        "2. Beyond tier 1 is red at 3 of 4 bodies",
        "Humberside: 3 commitments red, 2 actions overdue",
        "Durham: 3 commitments red, 0 actions overdue",
    ]


def test_decisions_come_from_the_data() -> None:
    gaps = [
        KpiGap("Staff in scope who were trained", Decimal("37.3"), Decimal(90)),
        KpiGap("Contract reviews", Decimal("80.0"), Decimal(75)),  # met: nothing to ask
        KpiGap("Guidance", None, Decimal(100)),  # no data: nothing to ask
    ]
    assert decisions(BODIES, gaps) == [
        "Agree a plan date with West Yorkshire, which has no plan",
        "Decide how to close the gap on staff in scope who were trained: 37.3% against a "
        "target of 90%",
        "Ask Cleveland for a recovery plan for its 4 overdue actions",
    ]
    assert decisions([BodyStanding("A", True, 0, 2)], []) == []
