"""Suppliers one at a time: details, spend by year, payments, editing, archiving, merging."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import (
    CategorySource,
    Contract,
    Organisation,
    SpendImport,
    SpendLine,
    Supplier,
    SupplierEvent,
    SupplierYear,
    User,
)
from tisc.rules.names import normalise_supplier_name
from tisc.services.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from tisc.services.register.categories import (
    categorise_suppliers,
    get_category,
    organisation_partnership,
)


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


@dataclass(frozen=True)
class PaymentsPage:
    """One page of a supplier's payments in a financial year, newest first, with the count and
    the total of all the year's payments (not only the page's)."""

    lines: Sequence[SpendLine]
    financial_year: int
    total: int
    spend: Decimal
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The number of the page's first payment (1-based), 0 when there are none."""
        return min(self.total, (self.page - 1) * self.per_page + 1)

    @property
    def last(self) -> int:
        """The number of the page's last payment."""
        return min(self.total, self.page * self.per_page)


PAYMENTS_PER_PAGE = 50


def supplier_payments(
    *, supplier: Supplier, financial_year: int, page: int = 1, per_page: int = PAYMENTS_PER_PAGE
) -> PaymentsPage:
    """A page of the supplier's payments in a financial year, newest first; a page past the
    last is the last."""
    in_year = (SpendLine.supplier_id == supplier.id, SpendLine.financial_year == financial_year)
    total, spend = db.session.execute(
        select(func.count(), func.sum(SpendLine.amount)).where(*in_year)
    ).one()
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    lines = db.session.scalars(
        select(SpendLine)
        .where(*in_year)
        .order_by(SpendLine.payment_date.desc(), SpendLine.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return PaymentsPage(
        lines=lines,
        financial_year=financial_year,
        total=total,
        spend=spend if spend is not None else Decimal("0.00"),
        page=page,
        per_page=per_page,
    )


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


def add_to_history(supplier: Supplier, user: User | None, summary: str) -> None:
    """Add a line to the supplier's history, by the user."""
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
    ppon: str | None = None,
) -> Supplier:
    """Add a supplier by hand (most arrive through imports)."""
    key = _check_unique_name(org, name)
    supplier = Supplier(
        organisation_id=org.id,
        name=name.strip(),
        normalised_name=key,
        company_number=_clean(company_number.upper() if company_number else None),
        ppon=_clean(ppon.upper() if ppon else None),
        notes=_clean(notes),
        reviewed=True,
    )
    db.session.add(supplier)
    db.session.flush()
    _set_category(org, supplier, category_id)
    add_to_history(supplier, user, "Added by hand")
    db.session.flush()
    return supplier


def _set_category(org: Organisation, supplier: Supplier, category_id: int | None) -> None:
    if category_id:
        partnership = organisation_partnership(org)
        if partnership is None:
            raise ValidationError("This body has no categories", field="category_id")
        supplier.category_id = get_category(partnership=partnership, category_id=category_id).id
        supplier.category_source = CategorySource.CHOSEN
        supplier.category_reason = None  # a person's choice needs no reason from the rules
        supplier.suggested_category_id = supplier.suggested_reason = None
        supplier.suggested_source = None
    elif supplier.category_source is CategorySource.CHOSEN or supplier.category_source is None:
        supplier.category_source = CategorySource.NONE
        supplier.category_id = None
        supplier.category_reason = None
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
    ppon: str | None = None,
) -> None:
    """Edit a supplier; choosing a category here overrides the finance text's."""
    if supplier.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this supplier while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    key = _check_unique_name(org, name, exclude_id=supplier.id)
    before = (supplier.name, supplier.company_number, supplier.ppon, supplier.category_id)
    supplier.name, supplier.normalised_name = name.strip(), key
    supplier.company_number = _clean(company_number.upper() if company_number else None)
    supplier.ppon = _clean(ppon.upper() if ppon else None)
    supplier.notes = _clean(notes)
    supplier.reviewed = True
    _set_category(org, supplier, category_id)
    after = (supplier.name, supplier.company_number, supplier.ppon, supplier.category_id)
    if before != after:
        labels = ("name", "company number", "PPON", "category")
        changed = [label for label, a, b in zip(labels, before, after, strict=True) if a != b]
        add_to_history(supplier, user, f"Edited: {', '.join(changed)}")
    db.session.flush()


def set_archived(*, supplier: Supplier, user: User | None, archived: bool) -> None:
    """Archive a supplier (hidden from the register, spend kept) or bring it back."""
    supplier.archived_at = datetime.now(UTC) if archived else None
    add_to_history(supplier, user, "Archived" if archived else "Restored from the archive")
    db.session.flush()


def mark_reviewed(*, supplier: Supplier, user: User | None) -> None:
    """A person has looked at a new supplier."""
    supplier.reviewed = True
    add_to_history(supplier, user, "Reviewed")
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
