"""Bulk work in the register: one action (give a category, accept the suggested categories,
mark reviewed, archive; inviting is tisc.services.assessments.bulk_invitations) on the
suppliers a person selected, or on every supplier matching the register's filters, asked about
first (`plan_bulk`) and then done in a few statements (`apply_bulk`), with a line in each
supplier's history and one audit event that lists them all. Works for tens of thousands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, literal, select, update
from sqlalchemy.orm import aliased

from tisc.database import db, id_batches
from tisc.models import Category, CategorySource, Organisation, Supplier, SupplierEvent, User
from tisc.rules.years import FinancialYear
from tisc.services.audit import chain as audit
from tisc.services.errors import ValidationError
from tisc.services.register.categories import get_category, organisation_partnership
from tisc.services.register.rows import RegisterFilters, register_ids

# action -> how the register's form and the audit trail's summary name it
ACTIONS = {
    "category": "Give them a category",
    "accept": "Accept their suggested categories",
    "invite": "Invite them to assess themselves",
    "reviewed": "Mark them as reviewed",
    "archive": "Archive them",
}
SHOWN_NAMES = 20  # names listed on the confirmation page; the rest are counted
_CHUNK = 1000  # history rows per INSERT


@dataclass(frozen=True)
class BulkPlan:
    """What a bulk action will do: the action, the suppliers' ids, the category to give them
    (for "category") and the first names, for the confirmation page."""

    action: str
    ids: list[int]
    category: Category | None
    names: list[str]
    skipped: int = 0  # selected, but left alone (accepting: no suggestion to accept)
    financial_year: int | None = None  # the register's year (inviting: the assessments')

    @property
    def count(self) -> int:
        return len(self.ids)


def _own(org: Organisation, ids: Sequence[int], *, suggested: bool = False) -> list[int]:
    """The ids that are suppliers of this body (another body's ids are dropped), in order;
    with `suggested`, only those with a suggested category waiting for review."""
    wanted = list(dict.fromkeys(ids))
    found: set[int] = set()
    for batch in id_batches(Supplier.id, wanted):
        query = select(Supplier.id).where(Supplier.organisation_id == org.id, batch)
        if suggested:
            query = query.where(
                Supplier.category_id.is_(None), Supplier.suggested_category_id.is_not(None)
            )
        found.update(db.session.scalars(query))
    return [i for i in wanted if i in found]


def plan_bulk(
    *,
    org: Organisation,
    action: str | None,
    ids: Sequence[int] = (),
    filters: RegisterFilters | None = None,
    category_id: int | None = None,
    financial_year: int | None = None,
) -> BulkPlan:
    """The action on the suppliers chosen: every one matching `filters` when given, else the
    `ids` that belong to this body. ValidationError, in words, for a missing choice."""
    if action not in ACTIONS or (action == "invite" and financial_year is None):
        raise ValidationError("Choose what to do with the selected suppliers", field="action")
    chosen = register_ids(org=org, filters=filters) if filters is not None else _own(org, ids)
    if not chosen:
        raise ValidationError("Select at least one supplier", field="supplier")
    selected = len(chosen)
    if action == "accept":
        chosen = _own(org, chosen, suggested=True)
        if not chosen:
            raise ValidationError(
                "None of the selected suppliers has a suggested category to accept: choose "
                "“Give them a category” instead",
                field="action",
            )
    category = None
    if action == "category":
        partnership = organisation_partnership(org)
        if not category_id or partnership is None:
            raise ValidationError("Choose the category to give them", field="category_id")
        category = get_category(partnership=partnership, category_id=category_id)
    return BulkPlan(
        action=action,
        ids=chosen,
        category=category,
        names=_first_names(chosen, with_suggestion=action == "accept"),
        skipped=selected - len(chosen),
        financial_year=financial_year,
    )


def _first_names(ids: list[int], *, with_suggestion: bool) -> list[str]:
    """The first suppliers' names for the confirmation page, in the order chosen; with the
    suggestion each would take ("Acme Consulting: Professional services (not sure: name
    contains CONSULTING)") when accepting suggestions."""
    order = {supplier_id: n for n, supplier_id in enumerate(ids[:SHOWN_NAMES])}
    suggested = aliased(Category)
    rows = db.session.execute(
        select(Supplier.id, Supplier.name, suggested.name, Supplier.suggested_reason)
        .outerjoin(suggested, suggested.id == Supplier.suggested_category_id)
        .where(Supplier.id.in_(ids[:SHOWN_NAMES]))
    ).all()
    said = {
        i: f"{name}: {category} (not sure: {reason})" if with_suggestion and category else name
        for i, name, category, reason in rows
    }
    return [said[i] for i in sorted(said, key=order.__getitem__)]


def together(count: int) -> str:
    """How a supplier's history says the change was made with others: " (with 12 suppliers
    at once)"; nothing when it was the only one."""
    return f" (with {count:,} suppliers at once)" if count > 1 else ""


def _history(plan: BulkPlan) -> str:
    if plan.action == "category" and plan.category is not None:
        return f"Category set to {plan.category.name}{together(plan.count)}"
    if plan.action == "accept":
        return f"Suggested category accepted{together(plan.count)}"
    if plan.action == "reviewed":
        return f"Reviewed{together(plan.count)}"
    return f"Archived{together(plan.count)}"


def apply_bulk(*, org: Organisation, plan: BulkPlan, user: User | None) -> int:
    """Do the planned action on the planned suppliers of this body; how many it changed."""
    # Again: a stale or forged list never reaches another body (nor, when accepting, a
    # supplier categorised since the question was asked).
    ids = _own(org, plan.ids, suggested=plan.action == "accept")
    if plan.action == "accept":
        # A person accepting the suggestion decides the category: it is theirs from now on,
        # and the reason says where the suggestion came from.
        values = {
            "category_id": Supplier.suggested_category_id,
            "category_source": CategorySource.CHOSEN,
            "category_reason": literal("suggestion accepted: ") + Supplier.suggested_reason,
            "suggested_category_id": None,
            "suggested_source": None,
            "suggested_reason": None,
        }
    elif plan.action == "category" and plan.category is not None:
        values: dict[str, object] = {
            "category_id": plan.category.id,
            "category_source": CategorySource.CHOSEN,
            "category_reason": None,
            "suggested_category_id": None,
            "suggested_source": None,
            "suggested_reason": None,
        }
    elif plan.action == "reviewed":
        values = {"reviewed": True}
    else:
        values = {"archived_at": datetime.now(UTC)}
    summary = _history(plan)
    for batch in id_batches(Supplier.id, ids):
        db.session.execute(update(Supplier).where(batch).values(**values))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        db.session.execute(
            insert(SupplierEvent),
            [
                {"supplier_id": i, "user_id": user.id if user else None, "summary": summary}
                for i in chunk
            ],
        )
    audit.record_event(
        action=f"bulk-{plan.action}",
        record_type=Supplier.__tablename__,
        record_id=None,
        organisation_id=org.id,
        summary=f"{ACTIONS[plan.action]}: {len(ids):,} suppliers"
        + (f", category {plan.category.name}" if plan.category is not None else ""),
        after={
            "suppliers": len(ids),
            "supplier_ids": ids,
            **({"category_id": plan.category.id} if plan.category is not None else {}),
        },
    )
    db.session.flush()
    return len(ids)


def question(plan: BulkPlan) -> str:
    """The confirmation page's question: "Give 12 suppliers the category Cleaning …?"."""
    many = f"{plan.count:,} supplier{'' if plan.count == 1 else 's'}"
    if plan.action == "category" and plan.category is not None:
        return f"Give {many} the category {plan.category.name}?"
    if plan.action == "accept":
        return f"Accept the suggested category of {many}?"
    if plan.action == "invite" and plan.financial_year is not None:
        return f"Invite {many} to assess themselves for {FinancialYear(plan.financial_year).label}?"
    if plan.action == "reviewed":
        return f"Mark {many} as reviewed?"
    return f"Archive {many}?"


def done_message(plan: BulkPlan, changed: int) -> str:
    """What the register says afterwards."""
    many = f"{changed:,} supplier{'' if changed == 1 else 's'}"
    if plan.action == "category" and plan.category is not None:
        return f"{many} now {'has' if changed == 1 else 'have'} the category {plan.category.name}"
    if plan.action == "accept":
        one = changed == 1
        return f"{many} now {'has its' if one else 'have their'} suggested category"
    if plan.action == "reviewed":
        return f"{many} marked as reviewed"
    return f"{many} archived"
