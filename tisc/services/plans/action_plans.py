"""A body's action plan for a financial year: starting it from the partnership's commitments
and last year's open items, the body's own actions, and each item's progress timeline.

Status and RAG change only through progress updates, which are appended and never edited or
deleted (a correction is a new update). The rules themselves are in tisc.rules.plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tisc.database import db
from tisc.models import (
    ActionPlan,
    Commitment,
    ItemStatus,
    Organisation,
    PlanItem,
    ProgressUpdate,
    Rag,
    User,
)
from tisc.models.base import utcnow
from tisc.rules.kpis import KPIS
from tisc.rules.plans import (
    NEEDS_REASON,
    Problem,
    carried_over,
    item_problems,
    update_problems,
    update_reasons,
)
from tisc.rules.years import FinancialYear
from tisc.services.errors import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    ValidationError,
    flush_or_conflict,
)
from tisc.services.plans.commitments import list_commitments
from tisc.services.register.categories import organisation_partnership

STALE = (
    "Someone else changed this item while you were editing. "
    "Your changes were not saved: check the item below and try again."
)
NOT_STARTED_REASON = "Not started yet"
KPI_LABELS = {k.key: k.label for k in KPIS}


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems[0].message, field=problems[0].field)


def _flush(stale_message: str = STALE) -> None:
    """Write now, so that a concurrent change shows as a conflict rather than an error page."""
    flush_or_conflict(stale_message)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


# --- plans ----------------------------------------------------------------------------------


def get_plan(*, org: Organisation, financial_year: int) -> ActionPlan | None:
    """The body's plan for the year, if it has been started."""
    return db.session.scalar(
        select(ActionPlan).where(
            ActionPlan.organisation_id == org.id, ActionPlan.financial_year == financial_year
        )
    )


def plan_years(*, org: Organisation) -> list[int]:
    """The years the body has a plan for, newest first."""
    return list(
        db.session.scalars(
            select(ActionPlan.financial_year)
            .where(ActionPlan.organisation_id == org.id)
            .order_by(ActionPlan.financial_year.desc())
        )
    )


def open_items_to_carry(*, org: Organisation, financial_year: int) -> list[PlanItem]:
    """The items of last year's plan that starting this year's would copy forward."""
    previous = get_plan(org=org, financial_year=financial_year - 1)
    return carried_over(previous.items) if previous else []


def start_plan(*, org: Organisation, financial_year: int, user: User | None) -> ActionPlan:
    """Start the year's plan: one item per active joint commitment, and last year's open items.

    A carried-over item against a commitment takes the place of that commitment's fresh item.
    DuplicateError when the year already has a plan.
    """
    if get_plan(org=org, financial_year=financial_year) is not None:
        raise DuplicateError(f"{org.name} already has a plan for {FinancialYear(financial_year)}")
    year = FinancialYear(financial_year)
    plan = ActionPlan(
        organisation_id=org.id,
        financial_year=financial_year,
        created_by_id=user.id if user else None,
    )
    db.session.add(plan)
    carry = open_items_to_carry(org=org, financial_year=financial_year)
    carried_by_commitment: dict[int, list[PlanItem]] = {}
    for old in carry:
        if old.commitment_id is not None:
            carried_by_commitment.setdefault(old.commitment_id, []).append(old)
    partnership = organisation_partnership(org)
    commitments = list_commitments(partnership=partnership, active_only=True) if partnership else []
    items: list[PlanItem] = []
    for commitment in commitments:
        olds = carried_by_commitment.pop(commitment.id, [])
        items += [_copy(old) for old in olds] if olds else [_fresh(commitment, year)]
    # The rest: own actions, and items of commitments no longer in new plans (still open work).
    items += [_copy(old) for old in carry if old.commitment_id is None]
    items += [_copy(old) for olds in carried_by_commitment.values() for old in olds]
    for position, item in enumerate(items, start=1):
        item.position = position
        item.organisation_id = org.id
        plan.items.append(item)
    try:
        db.session.flush()
    except IntegrityError:
        # Someone started the same plan since this request began; the caller rolls back.
        raise DuplicateError(f"{org.name} already has a plan for {year}") from None
    return plan


def _fresh(commitment: Commitment, year: FinancialYear) -> PlanItem:
    return PlanItem(
        commitment_id=commitment.id,
        title=(commitment.default_action or commitment.title)[:300],
        description=None,
        due_date=year.ends,
        status=ItemStatus.NOT_STARTED,
        rag=Rag.AMBER,
        rag_reason=NOT_STARTED_REASON,
        kpi=KPI_LABELS.get(commitment.kpi_key or ""),
    )


def _copy(old: PlanItem) -> PlanItem:
    return PlanItem(
        commitment_id=old.commitment_id,
        title=old.title,
        description=old.description,
        owner=old.owner,
        due_date=old.due_date,
        status=old.status,
        rag=old.rag,
        rag_reason=old.rag_reason,
        kpi=old.kpi,
        kpi_target=old.kpi_target,
        evidence_links=old.evidence_links,
        carried_over_from_id=old.id,
    )


@dataclass(frozen=True)
class PlanSection:
    """The items answering one commitment, or the body's own actions (commitment None)."""

    commitment: Commitment | None
    items: list[PlanItem]


def plan_sections(*, plan: ActionPlan) -> list[PlanSection]:
    """The plan's items grouped by commitment (in the partnership's order), then own actions."""
    by_commitment: dict[int, list[PlanItem]] = {}
    own: list[PlanItem] = []
    for item in plan.items:
        if item.commitment_id is None:
            own.append(item)
        else:
            by_commitment.setdefault(item.commitment_id, []).append(item)
    commitments = sorted(
        {i.commitment for i in plan.items if i.commitment is not None},
        key=lambda c: (c.position, c.id),
    )
    sections = [PlanSection(c, by_commitment[c.id]) for c in commitments]
    return [*sections, PlanSection(None, own)]


def latest_updates(*, plan: ActionPlan) -> dict[int, datetime]:
    """When each item of the plan last had a progress update (items without one are absent)."""
    found = db.session.execute(
        select(ProgressUpdate.item_id, func.max(ProgressUpdate.at))
        .join(PlanItem, PlanItem.id == ProgressUpdate.item_id)
        .where(PlanItem.plan_id == plan.id)
        .group_by(ProgressUpdate.item_id)
    )
    return {item_id: at for item_id, at in found}


@dataclass(frozen=True)
class ItemNeedingUpdate:
    """An item the statement owner should look at, and why."""

    item: PlanItem
    reasons: list[str]


def items_needing_update(
    *, org: Organisation, financial_year: int, today: date
) -> list[ItemNeedingUpdate]:
    """The plan's items that need updating (tisc.rules.plans), in plan order."""
    plan = get_plan(org=org, financial_year=financial_year)
    if plan is None:
        return []
    latest = latest_updates(plan=plan)
    found = []
    for item in plan.items:
        reasons = update_reasons(
            due_date=item.due_date,
            status=item.status,
            rag=item.rag,
            added=item.created_at,
            last_update=latest.get(item.id),
            today=today,
        )
        if reasons:
            found.append(ItemNeedingUpdate(item, reasons))
    return found


# --- items ----------------------------------------------------------------------------------


def get_item(*, org: Organisation, item_id: int) -> PlanItem:
    """One of the body's plan items; NotFoundError for another body's."""
    item = db.session.get(PlanItem, item_id)
    if item is None or item.organisation_id != org.id:
        raise NotFoundError("There is no such action")
    return item


def _details(
    plan: ActionPlan,
    *,
    title: str | None,
    description: str | None,
    owner: str | None,
    due_date: date | None,
    kpi: str | None,
    kpi_target: str | None,
    evidence_links: str | None,
    current_due_date: date | None = None,
) -> dict:
    _raise_first(
        item_problems(
            title=title,
            due_date=due_date,
            financial_year=plan.financial_year,
            owner=owner,
            kpi=kpi,
            kpi_target=kpi_target,
            evidence_links=evidence_links,
            current_due_date=current_due_date,
        )
    )
    links = [line.strip() for line in (evidence_links or "").splitlines() if line.strip()]
    return {
        "title": (title or "").strip(),
        "description": _text(description),
        "owner": _text(owner),
        "due_date": due_date,
        "kpi": _text(kpi),
        "kpi_target": _text(kpi_target),
        "evidence_links": "\n".join(links) or None,
    }


def add_item(
    *,
    org: Organisation,
    plan: ActionPlan,
    user: User | None,
    title: str | None,
    description: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    kpi: str | None = None,
    kpi_target: str | None = None,
    evidence_links: str | None = None,
) -> PlanItem:
    """Add one of the body's own actions to its plan: not started, amber until it is."""
    if plan.organisation_id != org.id:
        raise NotFoundError("There is no such plan")
    values = _details(
        plan,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        kpi=kpi,
        kpi_target=kpi_target,
        evidence_links=evidence_links,
    )
    position = max((i.position for i in plan.items), default=0) + 1
    item = PlanItem(
        organisation_id=org.id,
        commitment_id=None,
        position=position,
        status=ItemStatus.NOT_STARTED,
        rag=Rag.AMBER,
        rag_reason=NOT_STARTED_REASON,
        **values,
    )
    plan.items.append(item)
    db.session.flush()
    return item


def update_item(
    *,
    org: Organisation,
    item: PlanItem,
    user: User | None,
    expected_version: int,
    title: str | None,
    description: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    kpi: str | None = None,
    kpi_target: str | None = None,
    evidence_links: str | None = None,
) -> None:
    """Change an item's details (never its status or RAG: those change by progress updates)."""
    if item.organisation_id != org.id:
        raise NotFoundError("There is no such action")
    if item.version_id != expected_version:
        raise ConflictError(STALE)
    values = _details(
        item.plan,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        kpi=kpi,
        kpi_target=kpi_target,
        evidence_links=evidence_links,
        current_due_date=item.due_date,
    )
    for name, value in values.items():
        setattr(item, name, value)
    _flush()


# --- progress updates -----------------------------------------------------------------------


def add_update(
    *,
    org: Organisation,
    item: PlanItem,
    user: User | None,
    expected_version: int,
    note: str | None,
    status: str | None,
    rag: str | None,
    rag_reason: str | None,
) -> ProgressUpdate:
    """Append a dated note to the item's timeline, setting its status and RAG.

    ConflictError when the item changed since the form was loaded; nothing is saved then.
    """
    if item.organisation_id != org.id:
        raise NotFoundError("There is no such action")
    if item.version_id != expected_version:
        raise ConflictError(STALE)
    _raise_first(update_problems(note=note, status=status, rag=rag, rag_reason=rag_reason))
    new_status, new_rag = ItemStatus(status), Rag(rag)
    reason = _text(rag_reason) if new_rag in NEEDS_REASON else None
    update = ProgressUpdate(
        item_id=item.id,
        user_id=user.id if user else None,
        author=user.name if user else None,
        note=(note or "").strip(),
        status=new_status,
        rag=new_rag,
        rag_reason=reason,
        previous_status=item.status,
        previous_rag=item.rag,
    )
    db.session.add(update)
    item.status, item.rag, item.rag_reason = new_status, new_rag, reason
    # Always write the item, so its version moves on even when status and RAG are unchanged.
    item.updated_at = utcnow()
    _flush()
    return update


def list_updates(*, item: PlanItem) -> Sequence[ProgressUpdate]:
    """The item's timeline, newest first."""
    return db.session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.item_id == item.id)
        .order_by(ProgressUpdate.at.desc(), ProgressUpdate.id.desc())
    ).all()
