"""Merging one supplier into another: what it would move, and moving it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from tisc.database import db
from tisc.models import (
    CategorySource,
    Contract,
    ContractReview,
    DueDiligence,
    Invitation,
    Organisation,
    SpendLine,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    SupplierEvent,
    User,
)
from tisc.models.assessments import ACTIVE
from tisc.rules.years import FinancialYear
from tisc.services.audit import chain as audit
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.register import spend_lines
from tisc.services.register.categories import categorise_suppliers
from tisc.services.register.suppliers import add_to_history, supplier_history

# What people record about a supplier beyond its spend: a merge hands all of it to the
# supplier kept, and undoing an import never removes a supplier that has any of it.
KEPT_RECORDS = (
    Contract,
    SupplierAssessment,
    Invitation,
    DueDiligence,
    SubSupplier,
    ContractReview,
)
# What the confirmation page counts, in its order.
COUNTED = {
    "Payments": SpendLine,
    "Contracts": Contract,
    "Assessments": SupplierAssessment,
    "Assessment links sent": Invitation,
    "Years of due diligence": DueDiligence,
    "Their own suppliers (sub-suppliers)": SubSupplier,
    "Contract reviews": ContractReview,
}


@dataclass(frozen=True)
class MergePreview:
    """What merging would hand over, and why it cannot go ahead (problem), if it cannot."""

    keep: Supplier
    merge: Supplier
    moves: dict[str, int]
    problem: str | None


def _check(org: Organisation, keep: Supplier, merge: Supplier) -> None:
    if keep.id == merge.id:
        raise ValidationError("Choose two different suppliers to merge")
    if keep.organisation_id != org.id or merge.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")


def _due_diligence(supplier: Supplier) -> dict[int, DueDiligence]:
    found = select(DueDiligence).where(DueDiligence.supplier_id == supplier.id)
    return {record.financial_year: record for record in db.session.scalars(found)}


def _assessed_years(supplier: Supplier) -> set[int]:
    found = select(SupplierAssessment.financial_year).where(
        SupplierAssessment.supplier_id == supplier.id, SupplierAssessment.status.in_(ACTIVE)
    )
    return set(db.session.scalars(found))


def _disagreement(keep: Supplier, merge: Supplier) -> str | None:
    """Why the two suppliers cannot be merged as they are, if they cannot: both have an
    assessment under way or done for one year (a supplier has one a year), or their due
    diligence for a year records different things."""
    both = sorted(_assessed_years(keep) & _assessed_years(merge))
    if both:
        return (
            f"{keep.name} and {merge.name} both have an assessment for "
            f"{FinancialYear(both[0]).label}. A supplier has one assessment a year: cancel one of "
            "them, then merge the suppliers."
        )
    ours, theirs = _due_diligence(keep), _due_diligence(merge)
    for year, record in sorted(theirs.items()):
        differ = ours[year].disagreements(record) if year in ours else []
        if differ:
            what = ", ".join(name.replace("_", " ") for name in differ)
            return (
                f"{keep.name} and {merge.name} have different due diligence recorded for "
                f"{FinancialYear(year).label} ({what}). Change one so that they agree, "
                "then merge them."
            )
    return None


def merge_preview(*, org: Organisation, keep: Supplier, merge: Supplier) -> MergePreview:
    """What merge_suppliers would move from `merge` to `keep`; nothing is changed."""
    _check(org, keep, merge)
    moves = {
        label: db.session.scalar(
            select(func.count()).select_from(model).where(model.supplier_id == merge.id)
        )
        or 0
        for label, model in COUNTED.items()
    }
    return MergePreview(keep, merge, moves, _disagreement(keep, merge))


def _combine_due_diligence(keep: Supplier, merge: Supplier) -> int:
    """Hand merge's due diligence to keep, a year at a time; returns how many years."""
    ours, theirs = _due_diligence(keep), _due_diligence(merge)
    for year, record in theirs.items():
        if year in ours:
            ours[year].fill_blanks_from(record)
            db.session.delete(record)
        else:
            record.supplier_id = keep.id
    db.session.flush()
    return len(theirs)


def _take_details(keep: Supplier, merge: Supplier) -> None:
    """What a person recorded on the merged supplier, where the kept one has nothing."""
    for name in ("company_number", "vat_number", "charity_number", "category_text"):
        if not getattr(keep, name) and getattr(merge, name):
            setattr(keep, name, getattr(merge, name))
    if merge.notes and merge.notes not in (keep.notes or ""):
        keep.notes = f"{keep.notes}\n\n{merge.notes}" if keep.notes else merge.notes
    chosen = CategorySource.CHOSEN
    if merge.category_source is chosen and keep.category_source is not chosen:
        keep.category_id, keep.category_source = merge.category_id, chosen
        keep.category_reason = None


def merge_suppliers(
    *, org: Organisation, keep: Supplier, merge: Supplier, user: User | None
) -> None:
    """Move one supplier's spend, contracts, assessments, due diligence and history onto
    another, then remove it.

    A year of due diligence both have is combined, each filling the other's blanks;
    ValidationError (nothing changed) when they record different values for the same thing.
    """
    _check(org, keep, merge)
    # Records added to either supplier while this runs wait for it (PostgreSQL; SQLite's
    # writers already take turns), so nothing is left behind on the one removed.
    db.session.execute(
        select(Supplier.id).where(Supplier.id.in_([keep.id, merge.id])).with_for_update()
    )
    problem = _disagreement(keep, merge)
    if problem:
        raise ValidationError(problem)
    due_diligence = _combine_due_diligence(keep, merge)
    moved = {
        model.__tablename__: db.session.execute(
            update(model).where(model.supplier_id == merge.id).values(supplier_id=keep.id)
        ).rowcount
        for model in (SpendLine, SupplierEvent, *KEPT_RECORDS)
        if model is not DueDiligence  # combined above, a year at a time
    }
    moved[DueDiligence.__tablename__] = due_diligence
    # The moves are bulk statements the session hooks cannot see; the removal of `merge` and
    # the changes to `keep` are recorded by them as usual.
    audit.record_event(
        action="merge",
        record_type=Supplier.__tablename__,
        record_id=keep.id,
        organisation_id=org.id,
        summary=f'Merged supplier #{merge.id} "{merge.name}" into #{keep.id} "{keep.name}"',
        before={"merged_supplier_id": merge.id, "merged_supplier_name": merge.name},
        after={"kept_supplier_id": keep.id, "moved": moved},
    )
    _take_details(keep, merge)
    # The merged supplier's own beginning stays in the history it hands over.
    for event in supplier_history(supplier=merge):
        if event.id is None:
            db.session.add(SupplierEvent(supplier_id=keep.id, at=event.at, summary=event.summary))
    add_to_history(
        keep,
        user,
        f"Merged with {merge.name}: its spend, contracts, assessments, due diligence and "
        "history moved here",
    )
    db.session.delete(merge)
    keep.reviewed = True
    db.session.flush()
    spend_lines.refresh_suppliers(supplier_ids=[keep.id])
    categorise_suppliers(org=org, supplier_ids=[keep.id])
