"""A partnership year with known plans, for the board tests.

north-east (two_bodies) in 2024/25, commitments numbered as installed; "over-threshold" (7) is
made inactive, so the matrix has six columns. Due dates are relative to today.

alpha-police, plan 2024/25:
| item               | commitment | RAG   | status      | due        | overdue today |
|--------------------|------------|-------|-------------|------------|---------------|
| Risk question      | 1          | red   | in progress | yesterday  | yes           |
| Risk form done     | 1          | green | done        | last month | no (done)     |
| Map tier 2         | 2          | amber | not started | today      | no (today)    |
| Plans received     | 3          | green | done        | yesterday  | no (done)     |
| Inactive one       | 7 inactive | green | in progress | none       | no            |
| Own: staff network | own action | amber | blocked     | 10 days ago| yes           |

beta-opcc, plan 2024/25: 1 green in progress due tomorrow; 2 red blocked with no due date.
beta-opcc also has a 2023/24 plan (1 amber), alpha-police has none that year.
gamma-police (another partnership) has a red plan item in 2024/25 that must never show.

Training (the "trained" KPI): alpha 80 of 100 in 2024/25, 50 of 100 in 2023/24; beta 9 of 10
in 2024/25, nothing in 2023/24. Spend and due diligence come from due_diligence_support.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.integration.due_diligence_support import build_year
from tisc.extensions import db
from tisc.models import (
    ActionPlan,
    Audience,
    Commitment,
    ItemStatus,
    PlanItem,
    Rag,
    TrainingRecord,
)
from tisc.services.accounts import organisations

YEAR = 2024
SLUG = "2024-25"
BOARD = "/partnerships/north-east/board"
# Alpha's item titles, by the key the tests use.
RED_RISK = "Risk question"
POSITIONS = itertools.count(1)


def _plan(org_slug: str, year: int) -> ActionPlan:
    org = organisations.get_organisation(slug=org_slug)
    plan = ActionPlan(organisation_id=org.id, financial_year=year)
    db.session.add(plan)
    db.session.flush()
    return plan


def _item(
    plan: ActionPlan,
    title: str,
    commitment: Commitment | None,
    rag: Rag,
    status: ItemStatus,
    due: date | None,
) -> None:
    db.session.add(
        PlanItem(
            plan_id=plan.id,
            organisation_id=plan.organisation_id,
            commitment_id=commitment.id if commitment else None,
            position=next(POSITIONS),
            title=title,
            rag=rag,
            status=status,
            due_date=due,
            rag_reason=None if rag is Rag.GREEN else "Behind",
        )
    )
    db.session.flush()


def _training(org_slug: str, year: int, audience: Audience, trained: int, scope: int) -> None:
    org = organisations.get_organisation(slug=org_slug)
    db.session.add(
        TrainingRecord(
            organisation_id=org.id,
            financial_year=year,
            audience=audience,
            course="Modern slavery awareness",
            staff_in_scope=scope,
            staff_trained=trained,
        )
    )


def build_board(app: Flask, *, spend: bool = True) -> None:
    """The year in the module docstring (needs the two_bodies fixture first)."""
    if spend:
        build_year(app)
    today = date.today()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    ten_days_ago = today - timedelta(days=10)
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        c = {
            commitment.position: commitment
            for commitment in db.session.scalars(
                select(Commitment).where(Commitment.partnership_id == partnership.id)
            )
        }
        c[7].active = False
        alpha = _plan("alpha-police", YEAR)
        _item(alpha, RED_RISK, c[1], Rag.RED, ItemStatus.IN_PROGRESS, yesterday)
        _item(alpha, "Risk form done", c[1], Rag.GREEN, ItemStatus.DONE, today - timedelta(30))
        _item(alpha, "Map tier 2", c[2], Rag.AMBER, ItemStatus.NOT_STARTED, today)
        _item(alpha, "Plans received", c[3], Rag.GREEN, ItemStatus.DONE, yesterday)
        _item(alpha, "Inactive one", c[7], Rag.GREEN, ItemStatus.IN_PROGRESS, None)
        _item(alpha, "Own: staff network", None, Rag.AMBER, ItemStatus.BLOCKED, ten_days_ago)
        beta = _plan("beta-opcc", YEAR)
        _item(beta, "Beta risk", c[1], Rag.GREEN, ItemStatus.IN_PROGRESS, tomorrow)
        _item(beta, "Beta mapping", c[2], Rag.RED, ItemStatus.BLOCKED, None)
        _item(_plan("beta-opcc", YEAR - 1), "Old", c[1], Rag.AMBER, ItemStatus.DONE, None)
        gamma = _plan("gamma-police", YEAR)
        _item(gamma, "Gamma secret", None, Rag.RED, ItemStatus.BLOCKED, yesterday)
        _training("alpha-police", YEAR, Audience.ALL_STAFF, 80, 100)
        _training("alpha-police", YEAR - 1, Audience.ALL_STAFF, 50, 100)
        _training("beta-opcc", YEAR, Audience.PROCUREMENT, 9, 10)
        db.session.commit()


def item_id(app: Flask, title: str) -> int:
    """The id of a plan item, by its title."""
    with app.app_context():
        return db.session.scalar(select(PlanItem.id).where(PlanItem.title == title))


def add_member(app: Flask, slug: str, name: str) -> None:
    """Another member body of north-east, with a plan of one green item."""
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        organisations.create_organisation(
            slug=slug, name=name, kind="other", partnership=partnership
        )
        commitment = db.session.scalar(
            select(Commitment).where(
                Commitment.partnership_id == partnership.id, Commitment.position == 1
            )
        )
        _item(_plan(slug, YEAR), "Done already", commitment, Rag.GREEN, ItemStatus.DONE, None)
        db.session.commit()


def row_counts(app: Flask) -> dict[str, int]:
    """How many rows each table holds."""
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
