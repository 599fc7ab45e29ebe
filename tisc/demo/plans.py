"""Demo action plans (two years, with progress timelines) and training records.

Every body has last year's plan, mostly done, and this year's plan that carries over what was
left open; progress is a realistic mix around the demo's day, with some items overdue by days
or weeks, some due soon, some red or amber with a reason, and own actions beside the joint
commitments. One body has not started this year's plan, so the board shows what "no plan"
looks like.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from tisc.database import db
from tisc.models import (
    ActionPlan,
    Audience,
    Commitment,
    ItemStatus,
    Organisation,
    OrganisationKind,
    PlanItem,
    ProgressUpdate,
    Rag,
    TrainingRecord,
)
from tisc.rules.years import FinancialYear

OWNERS = (
    "Head of Procurement",
    "Category Manager",
    "Commercial Lead",
    "Head of HR",
    "Chief Finance Officer",
    "Learning and Development Manager",
)
OWN_ACTIONS = (
    "Publish the modern slavery statement on the website within six months of the year end",
    "Brief the joint audit committee on supplier assessments",
    "Add modern slavery clauses to the standard terms and conditions",
)
NOTES = {
    ItemStatus.NOT_STARTED: "Planned; waiting for the new procurement forms.",
    ItemStatus.IN_PROGRESS: "Under way; about half of the suppliers done so far.",
    ItemStatus.DONE: "Completed and evidence filed.",
    ItemStatus.BLOCKED: "Blocked: waiting for the regional template to be agreed.",
}
REASONS = {
    Rag.RED: "Behind plan: no capacity in the team this quarter.",
    Rag.AMBER: "Some risk to the date: suppliers slow to respond.",
}


def _rag_for(status: ItemStatus, rng: random.Random) -> Rag:
    if status is ItemStatus.DONE:
        return Rag.GREEN
    if status is ItemStatus.BLOCKED:
        return Rag.RED
    return rng.choice((Rag.GREEN, Rag.AMBER, Rag.AMBER, Rag.RED))


def _timeline(item: PlanItem, start: date, end: date, rng: random.Random) -> None:
    """Two to four dated updates leading to the item's current status and RAG."""
    steps = rng.randint(2, 4)
    days = max((end - start).days, steps)
    moments = sorted(start + timedelta(days=rng.randrange(days)) for _ in range(steps))
    status, rag = ItemStatus.NOT_STARTED, Rag.AMBER
    for number, day in enumerate(moments, start=1):
        last = number == steps
        new_status = item.status if last else ItemStatus.IN_PROGRESS
        new_rag = item.rag if last else rng.choice((Rag.GREEN, Rag.AMBER))
        item.updates.append(
            ProgressUpdate(
                at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC),
                author=item.owner,
                note=NOTES[new_status],
                status=new_status,
                rag=new_rag,
                rag_reason=REASONS.get(new_rag),
                previous_status=status,
                previous_rag=rag,
            )
        )
        status, rag = new_status, new_rag


def _item(
    plan: ActionPlan,
    position: int,
    title: str,
    commitment: Commitment | None,
    status: ItemStatus,
    due: date,
    rng: random.Random,
    carried: PlanItem | None,
    today: date,
) -> PlanItem:
    rag = _rag_for(status, rng)
    if rag is Rag.GREEN and status is not ItemStatus.DONE and due < today:
        rag = Rag.AMBER  # late work is not on track
    item = PlanItem(
        organisation_id=plan.organisation_id,
        commitment_id=commitment.id if commitment else None,
        position=position,
        title=title,
        description=commitment.description if commitment else None,
        owner=rng.choice(OWNERS),
        due_date=due,
        status=status,
        rag=rag,
        rag_reason=REASONS.get(rag),
        kpi=None,
        carried_over_from_id=carried.id if carried else None,
    )
    plan.items.append(item)
    return item


def _due(
    fy: FinancialYear, status: ItemStatus, late: bool, today: date, rng: random.Random
) -> date:
    """An item's due date around `today`: done work any time in its year; open work due in
    the next months, or overdue by days or weeks (never more than two months). Open work
    that is `late` (left from last year, or carried over) is overdue more often; other
    work is not due before its year has run a fortnight."""
    if status is ItemStatus.DONE:
        return fy.starts + timedelta(days=rng.randrange(30, 365))
    if late:
        return today + timedelta(days=rng.randrange(-60, 90))
    return max(fy.starts + timedelta(days=14), today + timedelta(days=rng.randrange(-45, 200)))


def _plan(
    org: Organisation,
    year: int,
    commitments: Sequence[Commitment],
    rng: random.Random,
    previous: ActionPlan | None,
    today: date,
) -> ActionPlan:
    fy = FinancialYear(year)
    plan = ActionPlan(organisation_id=org.id, financial_year=year)
    db.session.add(plan)
    open_before = {
        i.commitment_id: i
        for i in (previous.items if previous else [])
        if i.status is not ItemStatus.DONE and i.commitment_id is not None
    }
    finished = year < FinancialYear.containing(today).start_year
    statuses = (
        (ItemStatus.DONE,) * 6 + (ItemStatus.IN_PROGRESS,) * 2 + (ItemStatus.BLOCKED,)
        if finished
        else (ItemStatus.DONE,) * 2
        + (ItemStatus.IN_PROGRESS,) * 4
        + (ItemStatus.NOT_STARTED, ItemStatus.BLOCKED)
    )
    position = 0
    for commitment in commitments:
        position += 1
        carried = open_before.get(commitment.id)
        title = carried.title if carried else (commitment.default_action or commitment.title)
        status = rng.choice(statuses)
        due = _due(fy, status, carried is not None or finished, today, rng)
        item = _item(plan, position, title, commitment, status, due, rng, carried, today)
        _timeline(item, fy.starts, min(fy.ends, today), rng)
    for title in rng.sample(OWN_ACTIONS, 2):
        position += 1
        status = rng.choice(statuses)
        due = _due(fy, status, finished, today, rng)
        item = _item(plan, position, title, None, status, due, rng, None, today)
        _timeline(item, fy.starts, min(fy.ends, today), rng)
    db.session.flush()
    return plan


def _training(org: Organisation, year: int, rng: random.Random, today: date) -> None:
    """Training delivered in the year, up to `today`; this year's is still under way."""
    force = org.kind is OrganisationKind.FORCE
    staff = rng.randrange(2500, 9000) if force else rng.randrange(18, 60)
    fy = FinancialYear(year)
    days = min((today - fy.starts).days + 1, 365)
    if fy.ends < today:
        share = rng.uniform(0.45, 0.7)
    else:  # so far this year
        share = rng.uniform(0.6, 0.92) * max(days / 365, 0.1)
    courses = [
        (Audience.ALL_STAFF, "Modern slavery awareness (e-learning)", staff, share),
        (Audience.PROCUREMENT, "Modern slavery in procurement", rng.randrange(6, 30), 0.9),
        (
            Audience.SENIOR_LEADERS,
            "Board briefing on the modern slavery statement",
            rng.randrange(5, 15),
            0.8,
        ),
    ]
    if force:
        courses.append(
            (Audience.FRONT_LINE, "Spotting the signs: first responders", staff // 3, share * 0.9)
        )
    for audience, course, in_scope, rate in courses:
        db.session.add(
            TrainingRecord(
                organisation_id=org.id,
                financial_year=year,
                audience=audience,
                course=course,
                delivered_on=fy.starts + timedelta(days=rng.randrange(days)),
                staff_in_scope=in_scope,
                staff_trained=min(in_scope, round(in_scope * rate)),
            )
        )


def seed_plans(
    *,
    orgs: Sequence[Organisation],
    commitments: Sequence[Commitment],
    years: Sequence[int],
    seed: int,
    today: date,
) -> int:
    """Plans and training for each body and year, as they stand on `today`; how many plans
    were made."""
    made = 0
    for index, org in enumerate(orgs):
        rng = random.Random(seed + 2000 + index)  # noqa: S311 - synthetic data, not security
        previous = None
        for year in years:
            _training(org, year, rng, today)
            # The last body has not started its newest plan: the board sees "no plan".
            if index == len(orgs) - 1 and year == years[-1]:
                continue
            previous = _plan(org, year, commitments, rng, previous, today)
            made += 1
    db.session.flush()
    return made
