"""Next year's goals as a statement states them: each joint commitment with its KPI, this
year's share, the target, and what the action plans for next year hold. Pure: plain values in,
rows and a sentence out.

The goals come from the records, never from a box ticked: next year's action plans when the
bodies have started them, else the actions of this year's plans not yet done (which carry over
into next year's plans when they are started).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tisc.rules.years import long_date


@dataclass(frozen=True)
class PlannedAction:
    """An action of a body's plan: against a joint commitment (commitment_id) or its own."""

    organisation_id: int
    commitment_id: int | None
    title: str
    due: date | None
    continues: bool  # carries on work of the year before


@dataclass(frozen=True)
class Goal:
    """A joint commitment as a goal: its measure, this year's share and the target, in words."""

    commitment_id: int
    title: str
    measure: str  # the KPI's label, or "" when no KPI measures it
    this_year: str  # "48.1%", "No data", or "" without a KPI
    target: str  # "80%", "Not set", or "" without a KPI


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def goal_rows(
    goals: Sequence[Goal],
    actions: Sequence[PlannedAction],
    *,
    bodies: int,
    joint: bool,
    carried: bool = False,
) -> list[dict[str, str]]:
    """One row for each goal: for a joint statement, how many of the bodies' plans act on it;
    for a body's own, its actions (with their due dates). carried: the actions are this
    year's not yet done, which next year's plans will carry over (none is started yet)."""
    rows = []
    for goal in goals:
        mine = [a for a in actions if a.commitment_id == goal.commitment_id]
        if joint:
            planned = len({a.organisation_id for a in mine})
            if carried:
                said = f"To carry over in {planned:,} of {bodies:,} plans" if planned else ""
            else:
                said = f"In {planned:,} of {bodies:,} plans" if planned else "In no plan yet"
            said = said or "Nothing to carry over"
        else:
            said = "; ".join(
                f"{a.title} (by {long_date(a.due)})" if a.due else a.title for a in mine
            )
            said = (f"To carry over: {said}" if carried and said else said) or (
                "Nothing to carry over" if carried else "No action planned yet"
            )
        rows.append(
            {
                "commitment": goal.title,
                "measure": goal.measure or "No KPI",
                "this_year": goal.this_year,
                "target": goal.target,
                "actions": said,
            }
        )
    return rows


def goals_sentence(
    actions: Sequence[PlannedAction],
    *,
    from_next_year: bool,
    bodies_with_plans: int,
    bodies: int,
    joint: bool,
    year_label: str,
    next_year_label: str,
    plans_this_year: int = 1,
) -> str:
    """What the plans hold for next year, in one or two sentences that only count records.
    plans_this_year: how many bodies have a plan for this year (none: nothing is "done")."""
    joint_actions = [a for a in actions if a.commitment_id is not None]
    own = len(actions) - len(joint_actions)
    continuing = sum(1 for a in joint_actions if a.continues)
    if not from_next_year:
        if joint:
            start = f"No body has started an action plan for {next_year_label} yet."
            into = "next year's plans"
        else:
            start = f"We have not started our action plan for {next_year_label} yet."
            into = "next year's plan"
        if not actions and not plans_this_year:
            return f"{start} There is no action plan for {year_label} either."
        if not actions:
            return f"{start} Every action of {year_label} is done."
        verb = "is" if len(actions) == 1 else "are"
        return (
            f"{start} {_plural(len(actions), 'action')} of {year_label} {verb} not yet done, "
            f"and will carry over into {into}."
        )
    parts = [_plural(len(joint_actions), "action") + " against the joint commitments"]
    if continuing:
        parts[0] += f" ({continuing:,} continuing work not finished in {year_label})"
    if own:
        parts.append(f"{own:,} of {'their' if joint else 'our'} own")
    held = " and ".join(parts)
    if joint:
        if bodies_with_plans == bodies:
            have = "Both bodies have" if bodies == 2 else f"All {bodies:,} bodies have"
        else:
            verb = "has" if bodies_with_plans == 1 else "have"
            have = f"{bodies_with_plans:,} of the {bodies:,} bodies {verb}"
        return f"{have} an action plan for {next_year_label}, with {held}."
    return f"Our action plan for {next_year_label} has {held}."
