"""Suppliers one at a time: details, spend by year, payments, editing, archiving, merging."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise

from sqlalchemy import func, select, update

from tisc.extensions import db
from tisc.models import (
    CategorySource,
    Contract,
    ContractReview,
    DueDiligence,
    Invitation,
    Organisation,
    SpendImport,
    SpendLine,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    SupplierEvent,
    SupplierYear,
    User,
)
from tisc.rules.names import normalise_supplier_name
from tisc.rules.years import FinancialYear
from tisc.services import audit, spend_lines
from tisc.services.categories import (
    categorise_suppliers,
    get_category,
    organisation_partnership,
)
from tisc.services.errors import ConflictError, DuplicateError, NotFoundError, ValidationError


def get_supplier(*, org: Organisation, supplier_id: int) -> Supplier:
    """One of the body's suppliers; NotFoundError for another body's (never its data)."""
    supplier = db.session.get(Supplier, supplier_id)
    if supplier is None or supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")
    return supplier


def find_supplier_by_name(*, org: Organisation, name: str) -> Supplier:
    """The body's supplier with this name (matched as the importer matches names)."""
    supplier = db.session.scalar(
        select(Supplier).where(
            Supplier.organisation_id == org.id,
            Supplier.normalised_name == normalise_supplier_name(name or ""),
        )
    )
    if supplier is None:
        raise NotFoundError(f"{org.name} has no supplier called {name!r}")
    return supplier


def count_suppliers(*, org: Organisation) -> int:
    """How many suppliers are in the body's register (archived ones included)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Supplier).where(Supplier.organisation_id == org.id)
        )
        or 0
    )


def supplier_years(*, supplier: Supplier) -> Sequence[SupplierYear]:
    """The supplier's spend per financial year, newest first."""
    return db.session.scalars(
        select(SupplierYear)
        .where(SupplierYear.supplier_id == supplier.id)
        .order_by(SupplierYear.financial_year.desc())
    ).all()


def supplier_payments(*, supplier: Supplier, limit: int = 200) -> Sequence[SpendLine]:
    """The supplier's most recent payments."""
    return db.session.scalars(
        select(SpendLine)
        .where(SpendLine.supplier_id == supplier.id)
        .order_by(SpendLine.payment_date.desc(), SpendLine.id.desc())
        .limit(limit)
    ).all()


def supplier_contracts(*, supplier: Supplier) -> Sequence[Contract]:
    """The supplier's contracts, newest first."""
    return db.session.scalars(
        select(Contract)
        .where(Contract.supplier_id == supplier.id)
        .order_by(Contract.start_date.desc())
    ).all()


def supplier_history(*, supplier: Supplier) -> list[SupplierEvent]:
    """What happened to the supplier, newest first, starting with the import that added it."""
    events = list(
        db.session.scalars(
            select(SupplierEvent)
            .where(SupplierEvent.supplier_id == supplier.id)
            .order_by(SupplierEvent.at.desc(), SupplierEvent.id.desc())
        )
    )
    if supplier.created_by_import_id is not None:
        record = db.session.get(SpendImport, supplier.created_by_import_id)
        if record is not None:
            events.append(
                SupplierEvent(
                    supplier_id=supplier.id,
                    at=record.created_at,
                    summary=f"Added to the register by the import of {record.file_name}",
                )
            )
    return events


def _record(supplier: Supplier, user: User | None, summary: str) -> None:
    db.session.add(
        SupplierEvent(supplier_id=supplier.id, user_id=user.id if user else None, summary=summary)
    )


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _check_unique_name(org: Organisation, name: str, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter the supplier name", field="name")
    key = normalise_supplier_name(name)
    clash = db.session.scalar(
        select(Supplier).where(
            Supplier.organisation_id == org.id,
            Supplier.normalised_name == key,
            Supplier.id != (exclude_id or 0),
        )
    )
    if clash is not None:
        raise DuplicateError(
            f"{clash.name} is already in the register with a name that matches", field="name"
        )
    return key


def add_supplier(
    *,
    org: Organisation,
    user: User | None,
    name: str,
    company_number: str | None = None,
    category_id: int | None = None,
    notes: str | None = None,
) -> Supplier:
    """Add a supplier by hand (most arrive through imports)."""
    key = _check_unique_name(org, name)
    supplier = Supplier(
        organisation_id=org.id,
        name=name.strip(),
        normalised_name=key,
        company_number=_clean(company_number.upper() if company_number else None),
        notes=_clean(notes),
        reviewed=True,
    )
    db.session.add(supplier)
    db.session.flush()
    _set_category(org, supplier, category_id)
    _record(supplier, user, "Added by hand")
    db.session.flush()
    return supplier


def _set_category(org: Organisation, supplier: Supplier, category_id: int | None) -> None:
    if category_id:
        partnership = organisation_partnership(org)
        if partnership is None:
            raise ValidationError("This body has no categories", field="category_id")
        supplier.category_id = get_category(partnership=partnership, category_id=category_id).id
        supplier.category_source = CategorySource.CHOSEN
    elif supplier.category_source is CategorySource.CHOSEN or supplier.category_source is None:
        supplier.category_source = CategorySource.NONE
        supplier.category_id = None
        db.session.flush()
        categorise_suppliers(org=org, supplier_ids=[supplier.id])


def update_supplier(
    *,
    org: Organisation,
    supplier: Supplier,
    user: User | None,
    expected_version: int,
    name: str,
    company_number: str | None,
    category_id: int | None,
    notes: str | None,
) -> None:
    """Edit a supplier; choosing a category here overrides the finance text's."""
    if supplier.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this supplier while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    key = _check_unique_name(org, name, exclude_id=supplier.id)
    before = (supplier.name, supplier.company_number, supplier.category_id)
    supplier.name, supplier.normalised_name = name.strip(), key
    supplier.company_number = _clean(company_number.upper() if company_number else None)
    supplier.notes = _clean(notes)
    supplier.reviewed = True
    _set_category(org, supplier, category_id)
    after = (supplier.name, supplier.company_number, supplier.category_id)
    if before != after:
        labels = ("name", "company number", "category")
        changed = [label for label, a, b in zip(labels, before, after, strict=True) if a != b]
        _record(supplier, user, f"Edited: {', '.join(changed)}")
    db.session.flush()


def set_archived(*, supplier: Supplier, user: User | None, archived: bool) -> None:
    """Archive a supplier (hidden from the register, spend kept) or bring it back."""
    supplier.archived_at = datetime.now(UTC) if archived else None
    _record(supplier, user, "Archived" if archived else "Restored from the archive")
    db.session.flush()


def mark_reviewed(*, supplier: Supplier, user: User | None) -> None:
    """A person has looked at a new supplier."""
    supplier.reviewed = True
    _record(supplier, user, "Reviewed")
    db.session.flush()


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two suppliers in one register that may be the same business."""

    first: Supplier
    second: Supplier
    reason: str


def possible_duplicates(*, org: Organisation, limit: int = 200) -> list[PossibleDuplicate]:
    """Pairs with the same company number, or names that differ by a few letters."""
    suppliers = db.session.scalars(
        select(Supplier)
        .where(Supplier.organisation_id == org.id, Supplier.archived_at.is_(None))
        .order_by(Supplier.normalised_name)
    ).all()
    found: list[PossibleDuplicate] = []
    by_number: dict[str, Supplier] = {}
    for supplier in suppliers:
        if supplier.company_number:
            other = by_number.setdefault(supplier.company_number, supplier)
            if other is not supplier:
                found.append(
                    PossibleDuplicate(
                        other, supplier, f"Same company number {supplier.company_number}"
                    )
                )
    # Similar names sort near each other; comparing neighbours keeps this linear.
    for first, second in pairwise(suppliers):
        numbers_agree = (
            first.company_number is None
            or second.company_number is None
            or first.company_number == second.company_number
        )
        ratio = difflib.SequenceMatcher(None, first.normalised_name, second.normalised_name).ratio()
        if numbers_agree and ratio >= 0.88:
            found.append(PossibleDuplicate(first, second, f"Similar names ({ratio:.0%} alike)"))
    return found[:limit]


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


def _combine_due_diligence(keep: Supplier, merge: Supplier) -> int:
    """Hand merge's due diligence records to keep; returns how many. See merge_suppliers."""

    def by_year(supplier: Supplier) -> dict[int, DueDiligence]:
        found = select(DueDiligence).where(DueDiligence.supplier_id == supplier.id)
        return {record.financial_year: record for record in db.session.scalars(found)}

    ours, theirs = by_year(keep), by_year(merge)
    for year, record in sorted(theirs.items()):
        differ = ours[year].disagreements(record) if year in ours else []
        if differ:
            what = ", ".join(name.replace("_", " ") for name in differ)
            raise ValidationError(
                f"{keep.name} and {merge.name} have different due diligence recorded for "
                f"{FinancialYear(year).label} ({what}). Change one so that they agree, "
                "then merge them."
            )
    for year, record in theirs.items():
        if year in ours:
            ours[year].fill_blanks_from(record)
            db.session.delete(record)
        else:
            record.supplier_id = keep.id
    db.session.flush()
    return len(theirs)


def merge_suppliers(
    *, org: Organisation, keep: Supplier, merge: Supplier, user: User | None
) -> None:
    """Move one supplier's spend, contracts, assessments, due diligence and history onto
    another, then remove it.

    A year of due diligence both have is combined, each filling the other's blanks;
    ValidationError (nothing changed) when they record different values for the same thing.
    """
    if keep.id == merge.id:
        raise ValidationError("Choose two different suppliers to merge")
    if keep.organisation_id != org.id or merge.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")
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
    if not keep.company_number and merge.company_number:
        keep.company_number = merge.company_number
    if not keep.category_text and merge.category_text:
        keep.category_text = merge.category_text
    # The merged supplier's own beginning stays in the history it hands over.
    for event in supplier_history(supplier=merge):
        if event.id is None:
            db.session.add(SupplierEvent(supplier_id=keep.id, at=event.at, summary=event.summary))
    _record(
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
