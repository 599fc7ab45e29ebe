"""The board's picture at a glance, from the board view: the one-line summary, the partnership's
KPIs against their targets with last year and the direction, the RAG counts of each quarter
from the actions' history, denominators that moved more than 25% in a year, the top risks and
the decisions asked of the board. The dashboard and the board pack both read board_glance.

The quarters' counts come from the progress updates (each keeps the RAG after it): an action's
rating at a quarter's day is its newest update's on or before it; an action with no update
counts from its creation with its rating now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import ActionPlan, PlanItem, Rag
from tisc.rules.board import (
    WHOLE_WORDS,
    BodyStanding,
    KpiGap,
    QuarterCount,
    decisions,
    direction_text,
    move_text,
    moved_too_far,
    quarter_counts,
    quarters,
    summary_line,
    top_risks,
)
from tisc.rules.kpis import against_target, target_text
from tisc.services.board.dashboard import BoardView
from tisc.services.plans.commitments import kpi_targets


@dataclass(frozen=True)
class KpiLine:
    """A partnership KPI: this year, its target, last year and which way it went."""

    key: str
    label: str
    value: str
    percent: Decimal | None
    target: Decimal | None
    last_year: str
    last_percent: Decimal | None
    arrow: str
    direction: str
    against: str  # "Target met", "4.2 points below target", or "" (no target or no data)

    @property
    def target_text(self) -> str:
        return target_text(self.target)


@dataclass(frozen=True)
class DenominatorFlag:
    """A body's whole that moved more than the limit since last year."""

    body: str
    measure: str
    then: int
    now: int

    @property
    def text(self) -> str:
        return move_text(self.now, self.then)


@dataclass(frozen=True)
class BoardGlance:
    """What the board takes in at a glance."""

    summary: str
    trend: tuple[QuarterCount, ...]
    kpis: tuple[KpiLine, ...]
    flags: tuple[DenominatorFlag, ...]
    risks: list[str]
    decisions: list[str]


def quarter_trend(*, view: BoardView) -> tuple[QuarterCount, ...]:
    """RAG counts of the year's actions at each quarter's day, from their history."""
    ids = [row.org.id for row in view.rows]
    items = db.session.scalars(
        select(PlanItem)
        .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
        .where(
            ActionPlan.organisation_id.in_(ids), ActionPlan.financial_year == view.financial_year
        )
        .options(selectinload(PlanItem.updates))
    )
    histories: list[list] = []
    for item in items:
        history = [(update.at, update.rag) for update in item.updates]
        histories.append(history or [(item.created_at, item.rag)])
    return quarter_counts(histories, quarters(view.financial_year, view.today))


def kpi_lines(*, view: BoardView) -> tuple[KpiLine, ...]:
    """The partnership's KPIs against the targets set on its joint commitments."""
    targets = kpi_targets(partnership=view.partnership)
    lines = []
    for kpi in view.kpis:
        found = view.total_kpis.values[kpi.key]
        arrow, words = direction_text(found.points)
        target = targets.get(kpi.key)
        lines.append(
            KpiLine(
                key=kpi.key,
                label=kpi.label,
                value=found.value.text,
                percent=found.value.percent,
                target=target,
                last_year=found.last_year.text,
                last_percent=found.last_year.percent,
                arrow=arrow,
                direction=words,
                against=against_target(found.value, target),
            )
        )
    return tuple(lines)


def denominator_flags(*, view: BoardView) -> tuple[DenominatorFlag, ...]:
    """Each body's wholes (staff in scope, Tier A suppliers...) that moved more than 25% since
    last year: a share against a very different whole is not the same measure."""
    flags = []
    for body in view.body_kpis:
        seen: set[str] = set()
        for kpi in view.kpis:
            if kpi.whole in seen:
                continue
            seen.add(kpi.whole)
            found = body.values[kpi.key]
            now, then = found.value.whole, found.last_year.whole
            if moved_too_far(now, then):
                measure = WHOLE_WORDS.get(kpi.whole, kpi.whole)
                flags.append(DenominatorFlag(body.name, measure, then or 0, now or 0))
    return tuple(flags)


def board_glance(*, view: BoardView) -> BoardGlance:
    """The summary, trend, KPIs against target, flags, risks and decisions of a board view."""
    lines = kpi_lines(view=view)
    standings = [
        BodyStanding(
            row.org.name,
            row.has_plan,
            sum(1 for cell in row.cells if cell.rag is Rag.RED),
            row.overdue,
        )
        for row in view.rows
    ]
    red_by_commitment: dict[str, int] = defaultdict(int)
    for count in view.rag_counts:
        red_by_commitment[count.commitment.heading] = count.red
    return BoardGlance(
        summary=summary_line(overdue=view.overdue, red=view.red, without_plan=view.without_plan),
        trend=quarter_trend(view=view),
        kpis=lines,
        flags=denominator_flags(view=view),
        risks=top_risks(standings, red_by_commitment, len(view.rows)),
        decisions=decisions(
            standings, [KpiGap(line.label, line.percent, line.target) for line in lines]
        ),
    )
