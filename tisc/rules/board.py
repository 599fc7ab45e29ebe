"""What the board reads at a glance, as pure rules: the colours of the RAG heat-map, the
one-line summary, the RAG counts of each quarter from the actions' history, denominators that
moved too far to compare, the top risks and the decisions asked of the board.

The colours: three fills, one per rating, each at least 3:1 against the other two (WCAG
1.4.11: cells of different ratings sit side by side), with words on them at 4.5:1 or more.
A fourth colour cannot also keep 3:1 against all three (black to white is 21:1, less than
3 x 3 x 3), so a cell with no rating ("No plan", "No action") is white with its words, and
every cell has a dark edge (#505a5f, at least 3:1 against white and amber) between it and
the next. The words, not the colour, carry the meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tisc.rules.kpis import target_text
from tisc.rules.money import MINUS
from tisc.rules.plans import Rag
from tisc.rules.years import FinancialYear

# (fill, ink) of each rating; None is a cell without one.
RAG_COLOURS: dict[Rag | None, tuple[str, str]] = {
    Rag.RED: ("#d4351c", "#ffffff"),
    Rag.AMBER: ("#ffdd00", "#0b0c0c"),
    Rag.GREEN: ("#002d18", "#ffffff"),
    None: ("#ffffff", "#0b0c0c"),
}
CELL_EDGE = "#505a5f"
NO_PLAN = "No plan"
NO_ACTION = "No action"
LEGEND: tuple[tuple[Rag | None, str, str], ...] = (
    (Rag.RED, "Red", "an action for the commitment is off track"),
    (Rag.AMBER, "Amber", "an action is at risk, none off track"),
    (Rag.GREEN, "Green", "every action is on track or done"),
    (None, NO_PLAN, "the body has no action plan for the year"),
    (None, NO_ACTION, "the body's plan has no action for it"),
)
# How far a denominator (a KPI's whole) may move in a year before it is flagged, in percent.
DENOMINATOR_LIMIT = Decimal(25)


def rag_fill(rag: Rag | None) -> str:
    return RAG_COLOURS[rag][0]


def rag_ink(rag: Rag | None) -> str:
    return RAG_COLOURS[rag][1]


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def name_list(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def summary_line(*, overdue: int, red: int, without_plan: Sequence[str]) -> str:
    """ "66 actions overdue, 23 red; West Yorkshire Combined Authority has no plan".

    `red` counts actions rated red; `without_plan` names the bodies with no plan (more than
    three are counted, not named)."""
    head = f"{_count(overdue, 'action', 'actions')} overdue, {red:,} red"
    if not without_plan:
        return f"{head}; every body has a plan"
    if len(without_plan) > 3:
        return f"{head}; {len(without_plan):,} bodies have no plan"
    verb = "has" if len(without_plan) == 1 else "have"
    return f"{head}; {name_list(without_plan)} {verb} no plan"


# --- the quarters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """A quarter of a financial year, and the day its counts are taken (its last day, or
    today while it runs)."""

    number: int
    starts: date
    ends: date
    as_at: date

    @property
    def label(self) -> str:
        return f"Q{self.number}"

    @property
    def so_far(self) -> bool:
        return self.as_at < self.ends


def quarters(financial_year: int, today: date) -> tuple[Quarter, ...]:
    """The quarters of the year that have begun by `today` (April to June is Q1)."""
    year = FinancialYear(financial_year)
    found = []
    for number in range(4):
        month = 4 + 3 * number
        starts = date(year.starts.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        after = 4 + 3 * (number + 1)
        ends = date(year.starts.year + (after - 1) // 12, (after - 1) % 12 + 1, 1) - timedelta(1)
        if starts > today:
            break
        found.append(Quarter(number + 1, starts, ends, min(ends, today)))
    return tuple(found)


@dataclass(frozen=True)
class QuarterCount:
    """How many actions were red, amber and green at a quarter's day."""

    quarter: Quarter
    red: int
    amber: int
    green: int

    def count(self, rag: Rag) -> int:
        return {Rag.RED: self.red, Rag.AMBER: self.amber, Rag.GREEN: self.green}[rag]

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green


def _day(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()
    return moment


def rag_on(history: Sequence[tuple[date | datetime, Rag]], day: date) -> Rag | None:
    """An action's rating at the end of `day`: its newest rating given on or before it
    (None before its first)."""
    found = None
    for moment, rag in sorted(history, key=lambda entry: _day(entry[0])):
        if _day(moment) > day:
            break
        found = rag
    return found


def quarter_counts(
    histories: Iterable[Sequence[tuple[date | datetime, Rag]]], periods: Sequence[Quarter]
) -> tuple[QuarterCount, ...]:
    """RAG counts at each quarter's day over every action's history of ratings."""
    listed = [list(history) for history in histories]
    counts = []
    for quarter in periods:
        rags = [rag_on(history, quarter.as_at) for history in listed]
        counts.append(
            QuarterCount(quarter, rags.count(Rag.RED), rags.count(Rag.AMBER), rags.count(Rag.GREEN))
        )
    return tuple(counts)


# --- denominators -------------------------------------------------------------------------


def moved_too_far(now: int | None, then: int | None, limit: Decimal = DENOMINATOR_LIMIT) -> bool:
    """True when a whole moved by more than `limit` percent of last year's (exactly the limit
    is not flagged); never when either year has nothing to compare."""
    if not now or not then:
        return False
    return abs(Decimal(now) - Decimal(then)) * 100 > limit * Decimal(then)


def move_text(now: int, then: int) -> str:
    """ "8,813 to 5,328 (\u221239.5%)", with a true minus."""
    share = ((Decimal(now) - Decimal(then)) * 100 / Decimal(then)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    sign = "+" if share > 0 else MINUS if share < 0 else ""
    return f"{then:,} to {now:,} ({sign}{abs(share)}%)"


def direction_text(points: Decimal | None) -> tuple[str, str]:
    """An arrow and its words for a change in points: ("↑", "Up 5.2 points"), ("↓", "Down
    3.0 points"), ("", "No change") or ("", "No data")."""
    if points is None:
        return "", "No data"
    if points == 0:
        return "", "No change"
    if points > 0:
        return "\u2191", f"Up {points} points"
    return "\u2193", f"Down {abs(points)} points"


# --- risks and decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class BodyStanding:
    """What the risks and decisions read of one body."""

    name: str
    has_plan: bool
    red: int  # commitments rated red
    overdue: int


@dataclass(frozen=True)
class KpiGap:
    """A partnership KPI against its target (percent values; None: no data)."""

    label: str
    value: Decimal | None
    target: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        if self.value is None or self.target is None:
            return None
        return self.target - self.value


def top_risks(
    bodies: Sequence[BodyStanding],
    commitments: Mapping[str, int],
    body_count: int,
    limit: int = 3,
) -> list[str]:
    """The risks in words, worst first: the commitments red at the most bodies, then the
    bodies red on the most commitments (ties: most overdue, then name)."""
    risks = []
    for heading, red in sorted(commitments.items(), key=lambda e: (-e[1], e[0]))[:1]:
        if red:
            risks.append(f"{heading} is red at {red:,} of {body_count:,} bodies")
    ranked = sorted(
        (b for b in bodies if b.has_plan and (b.red or b.overdue)),
        key=lambda b: (-b.red, -b.overdue, b.name.lower()),
    )
    for body in ranked[: limit - len(risks)]:
        risks.append(
            f"{body.name}: {_count(body.red, 'commitment', 'commitments')} red, "
            f"{_count(body.overdue, 'action', 'actions')} overdue"
        )
    return risks


def decisions(bodies: Sequence[BodyStanding], gaps: Sequence[KpiGap], limit: int = 4) -> list[str]:
    """What the board is asked to decide, from the data: a plan date for each body without a
    plan; the KPI furthest below its target; a recovery plan from the body with the most
    overdue actions (when it has 3 or more)."""
    asked = [
        f"Agree a plan date with {b.name}, which has no plan" for b in bodies if not b.has_plan
    ]
    behind = sorted((g for g in gaps if g.gap is not None and g.gap > 0), key=lambda g: -g.gap)
    if behind:
        worst = behind[0]
        asked.append(
            f"Decide how to close the gap on {worst.label[:1].lower()}{worst.label[1:]}: "
            f"{worst.value}% against a target of {target_text(worst.target)}"
        )
    late = sorted((b for b in bodies if b.overdue >= 3), key=lambda b: (-b.overdue, b.name))
    if late:
        asked.append(
            f"Ask {late[0].name} for a recovery plan for its {late[0].overdue:,} overdue actions"
        )
    return asked[:limit]


# The whole each KPI counts out of, in words (several KPIs share one).
WHOLE_WORDS: dict[str, str] = {
    "needing_assessment": "Tier A and B suppliers",
    "high_risk_over_threshold": "Tier A suppliers",
    "suppliers_over_threshold": "Suppliers over the threshold",
    "contract_reviews": "Contract reviews",
    "staff_in_scope": "Staff in scope",
}
