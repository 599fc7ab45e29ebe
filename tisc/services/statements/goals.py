"""Next year's goals and the KPIs' targets for a statement, from the partnership's joint
commitments and the bodies' action plans (tisc.rules.goals says how they are worded)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tisc.models import Commitment, Organisation, Partnership
from tisc.rules.goals import Goal, PlannedAction, goal_rows, goals_sentence
from tisc.rules.kpis import KPIS, target_text
from tisc.rules.plans import carried_over
from tisc.rules.years import FinancialYear
from tisc.services.plans.action_plans import get_plan

# kpi_targets lives with the commitments; its readers here import it from this module.
from tisc.services.plans.commitments import kpi_targets as kpi_targets
from tisc.services.plans.commitments import list_commitments, targets_of
from tisc.services.statements.figures_data import StatementFigures, kpi_share

_LABELS = {k.key: k.label for k in KPIS}


def _goals(
    commitments: Sequence[Commitment], figures: StatementFigures, targets: dict[str, Decimal]
) -> list[Goal]:
    this = figures.total.this_year
    found = []
    for commitment in commitments:
        key = commitment.kpi_key if commitment.kpi_key in this.kpis else None
        found.append(
            Goal(
                commitment_id=commitment.id,
                title=commitment.title,
                measure=_LABELS[key] if key else "",
                this_year=kpi_share(this.kpis[key]) if key else "",
                target=target_text(targets.get(key)) if key else "",
            )
        )
    return found


def _actions(
    organisations: Sequence[Organisation], financial_year: int
) -> tuple[list[PlannedAction], int, bool, int]:
    """Next year's planned actions, how many bodies have a plan for next year, whether the
    actions came from next year's plans (else: this year's actions not yet done, which carry
    over), and, in that case, how many bodies have a plan this year."""
    planned: list[PlannedAction] = []
    with_plans = 0
    for org in organisations:
        plan = get_plan(org=org, financial_year=financial_year + 1)
        if plan is None:
            continue
        with_plans += 1
        planned += [
            PlannedAction(
                org.id, i.commitment_id, i.title, i.due_date, i.carried_over_from_id is not None
            )
            for i in plan.items
        ]
    if with_plans:
        return planned, with_plans, True, 0
    carried: list[PlannedAction] = []
    plans_this_year = 0
    for org in organisations:
        plan = get_plan(org=org, financial_year=financial_year)
        if plan is None:
            continue
        plans_this_year += 1
        carried += [
            PlannedAction(org.id, i.commitment_id, i.title, i.due_date, True)
            for i in carried_over(plan.items)
        ]
    return carried, 0, False, plans_this_year


def goals_context(
    *,
    partnership: Partnership | None,
    organisations: Sequence[Organisation],
    figures: StatementFigures,
    joint: bool,
) -> dict[str, Any]:
    """The context name "goals": next year's label, a sentence on what the plans hold, and
    one row per joint commitment in use (commitment, measure, this_year, target, actions)."""
    year = FinancialYear(figures.financial_year)
    next_year = FinancialYear(figures.financial_year + 1)
    commitments = list_commitments(partnership=partnership, active_only=True) if partnership else []
    targets = targets_of(commitments)
    actions, with_plans, from_next_year, plans_this_year = _actions(
        organisations, figures.financial_year
    )
    return {
        "year": next_year.label,
        "sentence": goals_sentence(
            actions,
            from_next_year=from_next_year,
            bodies_with_plans=with_plans,
            bodies=len(organisations),
            joint=joint,
            year_label=year.label,
            next_year_label=next_year.label,
            plans_this_year=plans_this_year,
        ),
        "rows": goal_rows(
            _goals(commitments, figures, targets),
            actions,
            bodies=len(organisations),
            joint=joint,
            carried=not from_next_year,
        ),
        "has_targets": bool(targets),
    }
