"""The board's view of a partnership for a year: where each member body stands on each joint
commitment (the worst RAG of its plan items), its overdue actions, and its KPIs beside the
partnership total with the change since last year.

The dashboard, the Word board report and its XLSX all read board_view, so they show the same
figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from tisc.database import db
from tisc.models import ActionPlan, Commitment, ItemStatus, Organisation, Partnership, PlanItem, Rag
from tisc.rules.board import NO_ACTION, NO_PLAN, rag_fill, rag_ink
from tisc.rules.kpis import KPIS, KpiDefinition, KpiValue, change
from tisc.rules.money import MINUS
from tisc.services.plans.commitments import list_commitments
from tisc.services.plans.kpis import partnership_kpis
from tisc.services.register import rows as register
from tisc.services.register.partnership import SupplierCount, count_distinct_suppliers

# Worst first: a cell shows the worst RAG among the body's items for the commitment.
RAG_ORDER: tuple[Rag, ...] = (Rag.RED, Rag.AMBER, Rag.GREEN)
BAR_STEP = 5


def bar_width(part: int, whole: int, *, step: int = BAR_STEP) -> int:
    """A share of 100 rounded to the nearest step (for the fixed set of CSS bar widths)."""
    if whole <= 0 or part <= 0:
        return 0
    share = Decimal(part) * 100 / Decimal(whole)
    stepped = int((share / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step
    # A count above nothing never draws as nothing.
    return min(100, max(step, stepped))


def change_text(points: Decimal | None) -> str:
    """ "+12.5 points", "\u22123.0 points" (a true minus), "No change", or "No data" when a year has
    none."""
    if points is None:
        return "No data"
    if points == 0:
        return "No change"
    return f"+{points} points" if points > 0 else f"{MINUS}{abs(points)} points"


@dataclass(frozen=True)
class CommitmentColumn:
    """A joint commitment as a column of the matrix: its number, a short title and the full one."""

    id: int
    number: int
    short: str
    title: str

    @property
    def heading(self) -> str:
        """ "2. Beyond tier 1": what the matrix's column header says."""
        return f"{self.number}. {self.short}"


def short_title(commitment: Commitment) -> str:
    """A few words for a column header, from the commitment's stable key."""
    words = commitment.key.replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) if words else commitment.title[:30]


@dataclass(frozen=True)
class ItemRef:
    """One plan item in a cell: enough to show it and to link to it."""

    id: int
    title: str
    rag: Rag
    status: ItemStatus
    due_date: date | None
    overdue: bool


@dataclass(frozen=True)
class Cell:
    """A body's standing on one commitment: its items for it, worst RAG first."""

    commitment: CommitmentColumn
    has_plan: bool
    items: tuple[ItemRef, ...]

    @property
    def worst(self) -> ItemRef | None:
        return self.items[0] if self.items else None

    @property
    def rag(self) -> Rag | None:
        return self.worst.rag if self.worst else None

    @property
    def status(self) -> ItemStatus | None:
        return self.worst.status if self.worst else None

    @property
    def item_id(self) -> int | None:
        """The item a drill-down opens: the worst one."""
        return self.worst.id if self.worst else None

    @property
    def overdue(self) -> bool:
        return any(item.overdue for item in self.items)

    @property
    def label(self) -> str:
        """Red, Amber or Green; or why there is none."""
        if self.rag is not None:
            return self.rag.label
        return NO_ACTION if self.has_plan else NO_PLAN

    @property
    def fill(self) -> str:
        """The cell's colour on the heat-map (tisc.rules.board)."""
        return rag_fill(self.rag)

    @property
    def ink(self) -> str:
        return rag_ink(self.rag)

    @property
    def parts(self) -> tuple[str, ...]:
        """What the cell says, in words: RAG, status, overdue and how many items."""
        if self.worst is None:
            return (self.label,)
        parts = [self.label, self.worst.status.label]
        if self.overdue:
            parts.append("Overdue")
        if len(self.items) > 1:
            parts.append(f"{len(self.items):,} actions")
        return tuple(parts)

    @property
    def text(self) -> str:
        """ "Amber · In progress · Overdue", the same words the report prints."""
        return " · ".join(self.parts)


@dataclass(frozen=True)
class BodyRow:
    """A member body across the commitments, with its overdue and own actions."""

    org: Organisation
    has_plan: bool
    cells: tuple[Cell, ...]
    items: int
    overdue: int
    own_actions: int
    red: int  # actions rated red, own actions among them


@dataclass(frozen=True)
class KpiChange:
    """A KPI this year beside last year's."""

    value: KpiValue
    last_year: KpiValue

    @property
    def points(self) -> Decimal | None:
        return change(self.value, self.last_year)

    @property
    def change_text(self) -> str:
        return change_text(self.points)


@dataclass(frozen=True)
class BodyKpis:
    """One body's KPIs (or the partnership total when org is None)."""

    org: Organisation | None
    values: dict[str, KpiChange]

    @property
    def name(self) -> str:
        return self.org.name if self.org is not None else "Partnership total"


@dataclass(frozen=True)
class RagCount:
    """How many bodies are red, amber and green on a commitment, and how many have no item."""

    commitment: CommitmentColumn
    red: int
    amber: int
    green: int
    none: int

    @property
    def bodies(self) -> int:
        return self.red + self.amber + self.green + self.none

    def count(self, rag: Rag) -> int:
        return {Rag.RED: self.red, Rag.AMBER: self.amber, Rag.GREEN: self.green}[rag]

    def width(self, rag: Rag) -> int:
        """The bar width for a RAG, out of 100 in steps of 5, as a share of all bodies."""
        return bar_width(self.count(rag), self.bodies)


@dataclass(frozen=True)
class BoardView:
    """Everything the board sees for a partnership, a year and a day."""

    partnership: Partnership
    financial_year: int
    today: date
    commitments: tuple[CommitmentColumn, ...]
    rows: tuple[BodyRow, ...]
    kpis: tuple[KpiDefinition, ...]
    body_kpis: tuple[BodyKpis, ...]
    total_kpis: BodyKpis
    rag_counts: tuple[RagCount, ...]
    suppliers: SupplierCount  # paid in the year: the bodies' records, and distinct businesses

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows)

    @property
    def own_actions(self) -> int:
        return sum(row.own_actions for row in self.rows)

    @property
    def red(self) -> int:
        """Actions rated red across the partnership."""
        return sum(row.red for row in self.rows)

    @property
    def without_plan(self) -> list[str]:
        """The names of the bodies with no plan for the year."""
        return [row.org.name for row in self.rows if not row.has_plan]


def _load_items(
    members: Sequence[Organisation], financial_year: int
) -> tuple[set[int], dict[int, list[PlanItem]]]:
    """Which bodies have a plan for the year, and every item of those plans by body."""
    ids = [org.id for org in members]
    planned = set(
        db.session.scalars(
            select(ActionPlan.organisation_id).where(
                ActionPlan.organisation_id.in_(ids), ActionPlan.financial_year == financial_year
            )
        )
    )
    found = db.session.scalars(
        select(PlanItem)
        .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
        .where(ActionPlan.organisation_id.in_(ids), ActionPlan.financial_year == financial_year)
        .order_by(PlanItem.position, PlanItem.id)
    )
    items: dict[int, list[PlanItem]] = defaultdict(list)
    for item in found:
        items[item.organisation_id].append(item)
    return planned, items


def _row(
    org: Organisation,
    has_plan: bool,
    items: list[PlanItem],
    columns: tuple[CommitmentColumn, ...],
    today: date,
) -> BodyRow:
    refs: dict[int, list[ItemRef]] = defaultdict(list)
    for item in items:
        if item.commitment_id is not None:
            refs[item.commitment_id].append(
                ItemRef(
                    item.id,
                    item.title,
                    item.rag,
                    item.status,
                    item.due_date,
                    item.is_overdue(today),
                )
            )
    cells = tuple(
        Cell(
            column,
            has_plan,
            # Stable sort: worst RAG first, plan order within a RAG.
            tuple(sorted(refs[column.id], key=lambda ref: RAG_ORDER.index(ref.rag))),
        )
        for column in columns
    )
    return BodyRow(
        org=org,
        has_plan=has_plan,
        cells=cells,
        items=len(items),
        overdue=sum(1 for item in items if item.is_overdue(today)),
        own_actions=sum(1 for item in items if item.commitment_id is None),
        red=sum(1 for item in items if item.rag is Rag.RED),
    )


def _rag_counts(
    columns: tuple[CommitmentColumn, ...], rows: tuple[BodyRow, ...]
) -> tuple[RagCount, ...]:
    counts = []
    for index, column in enumerate(columns):
        rags = [row.cells[index].rag for row in rows]
        counts.append(
            RagCount(
                column,
                red=rags.count(Rag.RED),
                amber=rags.count(Rag.AMBER),
                green=rags.count(Rag.GREEN),
                none=rags.count(None),
            )
        )
    return tuple(counts)


def board_view(*, partnership: Partnership, financial_year: int, today: date) -> BoardView:
    """The matrix, overdue counts, RAG counts and KPIs of a partnership's bodies for a year.

    Overdue is as at `today` (the report date for a board report).
    """
    columns = tuple(
        CommitmentColumn(c.id, number, short_title(c), c.title)
        for number, c in enumerate(list_commitments(partnership=partnership, active_only=True), 1)
    )
    members = list(partnership.organisations)
    planned, items = _load_items(members, financial_year)
    rows = tuple(
        _row(org, org.id in planned, items.get(org.id, []), columns, today) for org in members
    )
    this_year = partnership_kpis(partnership=partnership, financial_year=financial_year)
    last_year = partnership_kpis(partnership=partnership, financial_year=financial_year - 1)
    before = {org.id: values for org, values in last_year.bodies}
    body_kpis = tuple(
        BodyKpis(org, {k: KpiChange(v, before[org.id][k]) for k, v in values.items()})
        for org, values in this_year.bodies
    )
    total = BodyKpis(
        None, {k: KpiChange(v, last_year.total[k]) for k, v in this_year.total.items()}
    )
    return BoardView(
        partnership=partnership,
        financial_year=financial_year,
        today=today,
        commitments=columns,
        rows=rows,
        kpis=KPIS,
        body_kpis=body_kpis,
        total_kpis=total,
        rag_counts=_rag_counts(columns, rows),
        suppliers=count_distinct_suppliers(organisations=members, financial_year=financial_year),
    )


def board_plan_years(*, partnership: Partnership) -> list[int]:
    """The financial years in which any member body has an action plan, newest first."""
    return list(
        db.session.scalars(
            select(ActionPlan.financial_year)
            .where(ActionPlan.organisation_id.in_([org.id for org in partnership.organisations]))
            .distinct()
            .order_by(ActionPlan.financial_year.desc())
        )
    )


def board_years(*, partnership: Partnership) -> list[int]:
    """The financial years in which any member body has a plan or spend, newest first."""
    members = list(partnership.organisations)
    years = set(
        db.session.scalars(
            select(ActionPlan.financial_year)
            .where(ActionPlan.organisation_id.in_([org.id for org in members]))
            .distinct()
        )
    )
    years.update(register.years_with_spend_in(organisations=members))
    return sorted(years, reverse=True)
