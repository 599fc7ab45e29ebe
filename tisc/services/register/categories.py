"""Categories, their risk, a body's mappings from finance text, and applying them to suppliers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update

from tisc.config import ROOT
from tisc.database import db, id_batches
from tisc.models import (
    Category,
    CategoryChange,
    CategoryMapping,
    CategorySource,
    Organisation,
    Partnership,
    Supplier,
    User,
)
from tisc.rules import auto_category as auto_rules
from tisc.rules import categories as category_rules
from tisc.rules.risk import RiskLevel
from tisc.services.audit import chain as audit
from tisc.services.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from tisc.services.register.auto_categories import Suggester

DEFAULTS_FILE = ROOT / "suppliers" / "categories.csv"


def install_default_categories(*, partnership: Partnership) -> int:
    """Give a new partnership the default categories from suppliers/categories.csv."""
    with DEFAULTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        db.session.add(
            Category(
                partnership_id=partnership.id,
                name=row["name"],
                risk=RiskLevel(row["risk"]),
                reason=row["reason"] or None,
                cpv_codes=row["cpv_codes"] or None,
                keywords=row["keywords"] or None,
            )
        )
    db.session.flush()
    return len(rows)


def organisation_partnership(org: Organisation) -> Partnership | None:
    """The partnership whose categories and threshold a body uses (its first one)."""
    return org.partnerships[0] if org.partnerships else None


def list_categories(*, partnership: Partnership | None) -> Sequence[Category]:
    """A partnership's categories, high risk first, then by name."""
    if partnership is None:
        return []
    order = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2}
    found = db.session.scalars(
        select(Category).where(Category.partnership_id == partnership.id)
    ).all()
    return sorted(found, key=lambda c: (order[c.risk], c.name))


def get_category(*, partnership: Partnership, category_id: int) -> Category:
    """One of the partnership's categories; NotFoundError for any other."""
    category = db.session.get(Category, category_id)
    if category is None or category.partnership_id != partnership.id:
        raise NotFoundError("There is no such category")
    return category


def update_category(
    *,
    category: Category,
    user: User | None,
    expected_version: int,
    name: str,
    risk: RiskLevel | str,
    reason: str | None,
    cpv_codes: str | None,
    keywords: str | None,
) -> None:
    """Change a category and record what changed."""
    if category.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this category while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter the category name", field="name")
    clash = db.session.scalar(
        select(Category).where(
            Category.partnership_id == category.partnership_id,
            Category.name == name,
            Category.id != category.id,
        )
    )
    if clash is not None:
        raise DuplicateError(f"There is already a category called {name}", field="name")
    new = {
        "name": name,
        "risk": RiskLevel(risk),
        "reason": (reason or "").strip() or None,
        "cpv_codes": (cpv_codes or "").strip() or None,
        "keywords": (keywords or "").strip() or None,
    }
    changes = [
        f"{field.replace('_', ' ')}: {getattr(category, field) or '(none)'} → {value or '(none)'}"
        for field, value in new.items()
        if getattr(category, field) != value
    ]
    if not changes:
        return
    for field, value in new.items():
        setattr(category, field, value)
    db.session.add(
        CategoryChange(
            category_id=category.id, user_id=user.id if user else None, summary="; ".join(changes)
        )
    )
    db.session.flush()
    if "keywords" in {c.split(":")[0] for c in changes}:
        for org in category_partnership_orgs(category):
            categorise_suppliers(org=org)


def category_partnership_orgs(category: Category) -> list[Organisation]:
    """The bodies whose suppliers a category change can move."""
    partnership = db.session.get(Partnership, category.partnership_id)
    return list(partnership.organisations) if partnership else []


def category_history(*, category: Category) -> Sequence[CategoryChange]:
    """A category's recorded changes, newest first."""
    return db.session.scalars(
        select(CategoryChange)
        .where(CategoryChange.category_id == category.id)
        .order_by(CategoryChange.changed_at.desc(), CategoryChange.id.desc())
    ).all()


def mappings_for(*, org: Organisation) -> dict[str, Category]:
    """The body's saved mappings: finance text key -> category."""
    rows = db.session.scalars(
        select(CategoryMapping).where(CategoryMapping.organisation_id == org.id)
    ).all()
    return {m.text_key: m.category for m in rows}


Found = tuple[int | None, CategorySource, str | None]  # category id, source, reason


def _from_text(
    text: str | None, mappings: dict[str, Category], categories: Sequence[Category]
) -> Found:
    """A category from the finance text: the body's mapping, else a category's keyword."""
    key = category_rules.text_key(text)
    if key in mappings:
        return mappings[key].id, CategorySource.MAPPING, auto_rules.mapping_reason(text or "")
    found = category_rules.keyword_match(key, categories)
    if found is not None:
        category, keyword = found
        return category.id, CategorySource.KEYWORD, auto_rules.keyword_reason(text or "", keyword)
    return None, CategorySource.NONE, None


NOT_SUGGESTED: Found = (None, CategorySource.NONE, None)


Decision = tuple[Found, Found]  # the category found (or none) and the suggestion (or none)
UNDECIDED: Decision = ((None, CategorySource.NONE, None), NOT_SUGGESTED)


class Decider:
    """Decides one body's suppliers' categories from the strongest source that gives one: the
    body's mapping of its finance text, a keyword in that text, another body's decision, the
    reference list, words in its name (each with its reason). A suggestion the rules are not
    sure of is a suggestion for a person to review, not a category."""

    def __init__(self, *, org: Organisation) -> None:
        self.categories = list(list_categories(partnership=organisation_partnership(org)))
        self.mappings = mappings_for(org=org)
        self.suggester = Suggester(org=org, categories=self.categories)
        self.by_text: dict[str, Found] = {}

    def decide(
        self,
        *,
        name: str,
        normalised_name: str,
        company_number: str | None,
        category_text: str | None,
        payment_texts: str | None,
    ) -> Decision:
        key = category_rules.text_key(category_text)
        if key not in self.by_text:
            self.by_text[key] = _from_text(category_text, self.mappings, self.categories)
        found, suggested = self.by_text[key], NOT_SUGGESTED
        if found[0] is None:
            suggestion = self.suggester.suggest(
                name=name,
                normalised_name=normalised_name,
                company_number=company_number,
                payment_texts=payment_texts,
            )
            if suggestion is not None:
                as_found = (suggestion.category_id, suggestion.source, suggestion.reason)
                if suggestion.confident:
                    found = as_found
                else:
                    suggested = as_found
        return found, suggested


def categorise_suppliers(
    *,
    org: Organisation,
    supplier_ids: Sequence[int] | None = None,
    decided: Sequence[tuple[int, Decision]] = (),
) -> int:
    """Set the category of each supplier not chosen by hand (all, or those of
    `supplier_ids`), as a Decider decides it. Chosen categories stay. `decided` are suppliers
    given their categories as they were inserted (an import's new suppliers), which the one
    audit event counts too. Returns how many suppliers changed."""
    changes = [
        {"sid": sid, "found": found, "suggested": suggested}
        for sid, (found, suggested) in decided
        if (found, suggested) != UNDECIDED
    ]
    already = len(changes)
    if supplier_ids is None or supplier_ids:
        changes += _decide_changes(org, None if supplier_ids is None else set(supplier_ids))
    _write_categories(_group_changes(changes[already:]))
    if changes:
        _audit_categorised(org, changes, _group_changes(changes))
    return len(changes)


def _decide_changes(org: Organisation, wanted: set[int] | None) -> list[dict]:
    """The suppliers (all not chosen by hand, or those `wanted`) whose decided category
    differs from their own."""
    decider = Decider(org=org)
    query = select(
        Supplier.id,
        Supplier.name,
        Supplier.normalised_name,
        Supplier.company_number,
        Supplier.category_text,
        Supplier.category_id,
        Supplier.category_source,
        Supplier.category_reason,
        Supplier.suggested_category_id,
        Supplier.suggested_source,
        Supplier.suggested_reason,
        Supplier.payment_texts,
    ).where(Supplier.organisation_id == org.id, Supplier.category_source != CategorySource.CHOSEN)
    changes = []
    # Reading the whole register and filtering here beats an IN list of 100,000 ids,
    # which PostgreSQL refuses (at most 65,535 parameters).
    for row in db.session.execute(query):
        if wanted is not None and row.id not in wanted:
            continue
        found, suggested = decider.decide(
            name=row.name,
            normalised_name=row.normalised_name,
            company_number=row.company_number,
            category_text=row.category_text,
            payment_texts=row.payment_texts,
        )
        now = (
            row.category_id,
            row.category_source,
            row.category_reason,
            row.suggested_category_id,
            row.suggested_source or CategorySource.NONE,
            row.suggested_reason,
        )
        if (*found, *suggested) != now:
            changes.append({"sid": row.id, "found": found, "suggested": suggested})
    return changes


Change = tuple[int | None, str, str | None, int | None, str | None, str | None]


def _group_changes(changes: list[dict]) -> dict[Change, list[int]]:
    """The ids of the changes for each (category, source, reason, suggestion)."""
    groups: dict[Change, list[int]] = {}
    for change in changes:
        (category_id, source, reason), (s_id, s_source, s_reason) = (
            change["found"],
            change["suggested"],
        )
        key = (
            category_id,
            source.value,
            reason,
            s_id,
            s_source.value if s_id is not None else None,
            s_reason,
        )
        groups.setdefault(key, []).append(change["sid"])
    return groups


def _write_categories(groups: dict[Change, list[int]]) -> None:
    # One UPDATE per (category, source, reason, suggestion) and batch of ids: a few
    # statements, not one per supplier, when an import brings thousands of suppliers with the
    # same finance text.
    for (category_id, source, reason, s_id, s_source, s_reason), ids in groups.items():
        for batch in id_batches(Supplier.__table__.c.id, ids):
            db.session.execute(
                update(Supplier.__table__)
                .where(batch)
                .values(
                    category_id=category_id,
                    category_source=source,
                    category_reason=reason,
                    suggested_category_id=s_id,
                    suggested_source=s_source,
                    suggested_reason=s_reason,
                )
            )


AUDITED_IDS_LIMIT = 200


def _audit_categorised(
    org: Organisation, changes: list[dict], groups: dict[Change, list[int]]
) -> None:
    # One event for the batch (an import can recategorise thousands of suppliers at once).
    by_category: dict[tuple[int | None, str], int] = {}
    suggested: dict[int, int] = {}
    for (category_id, source, _reason, s_id, _s_source, _s_reason), ids in groups.items():
        by_category[(category_id, source)] = by_category.get((category_id, source), 0) + len(ids)
        if s_id is not None:
            suggested[s_id] = suggested.get(s_id, 0) + len(ids)
    after: dict[str, object] = {
        "suppliers": len(changes),
        "by_category": [
            {"category_id": category_id, "source": source, "suppliers": count}
            for (category_id, source), count in by_category.items()
        ],
        "suggested_for_review": [
            {"category_id": category_id, "suppliers": count}
            for category_id, count in suggested.items()
        ],
    }
    if len(changes) <= AUDITED_IDS_LIMIT:
        after["supplier_ids"] = sorted(c["sid"] for c in changes)
    audit.record_event(
        action="categorise",
        record_type=Supplier.__tablename__,
        record_id=None,
        organisation_id=org.id,
        summary=f"Set the category of {len(changes):,} suppliers automatically (finance text, "
        "other bodies' decisions, the reference list, words in names)",
        after=after,
    )


@dataclass(frozen=True)
class UnmappedText:
    """Finance category text no mapping or keyword explains, with how many suppliers carry it."""

    text: str
    suppliers: int


def unmapped_texts(*, org: Organisation) -> list[UnmappedText]:
    """Finance texts whose suppliers have no category yet, most suppliers first."""
    rows = db.session.execute(
        select(Supplier.category_text, func.count())
        .where(
            Supplier.organisation_id == org.id,
            Supplier.category_source == CategorySource.NONE,
            Supplier.category_text.is_not(None),
            Supplier.category_text != "",
        )
        .group_by(Supplier.category_text)
        .order_by(func.count().desc(), Supplier.category_text)
    ).all()
    merged: dict[str, UnmappedText] = {}
    for text, count in rows:
        key = category_rules.text_key(text)
        previous = merged.get(key)
        merged[key] = UnmappedText(
            previous.text if previous else text, count + (previous.suppliers if previous else 0)
        )
    return sorted(merged.values(), key=lambda u: (-u.suppliers, u.text))


def list_mappings(*, org: Organisation) -> Sequence[CategoryMapping]:
    """The body's saved mappings, by finance text."""
    return db.session.scalars(
        select(CategoryMapping)
        .where(CategoryMapping.organisation_id == org.id)
        .order_by(CategoryMapping.category_text)
    ).all()


def map_category_text(
    *, org: Organisation, user: User | None, category_text: str, category_id: int
) -> int:
    """Map finance text to a category once; every supplier with that text follows.

    Returns how many suppliers changed category.
    """
    partnership = organisation_partnership(org)
    if partnership is None:
        raise ValidationError("This body is not in a partnership, so it has no categories")
    category = get_category(partnership=partnership, category_id=category_id)
    key = category_rules.text_key(category_text)
    if not key:
        raise ValidationError("Choose the finance category text to map", field="category_text")
    mapping = db.session.scalar(
        select(CategoryMapping).where(
            CategoryMapping.organisation_id == org.id, CategoryMapping.text_key == key
        )
    )
    if mapping is None:
        mapping = CategoryMapping(
            organisation_id=org.id, text_key=key, category_text=category_text.strip()
        )
        db.session.add(mapping)
    mapping.category_id = category.id
    mapping.user_id = user.id if user else None
    db.session.flush()
    return categorise_suppliers(org=org)


def get_mapping(*, org: Organisation, mapping_id: int) -> CategoryMapping:
    """One of the body's mappings; NotFoundError for another body's."""
    mapping = db.session.get(CategoryMapping, mapping_id)
    if mapping is None or mapping.organisation_id != org.id:
        raise NotFoundError("There is no such mapping")
    return mapping


def mapping_supplier_count(*, org: Organisation, mapping: CategoryMapping) -> int:
    """How many of the body's suppliers take their category from the mapping now."""
    rows = db.session.execute(
        select(Supplier.category_text, func.count())
        .where(
            Supplier.organisation_id == org.id,
            Supplier.category_source == CategorySource.MAPPING,
        )
        .group_by(Supplier.category_text)
    )
    return sum(count for text, count in rows if category_rules.text_key(text) == mapping.text_key)


def remove_mapping(*, org: Organisation, mapping_id: int) -> None:
    """Forget a mapping; its suppliers fall back to keywords."""
    mapping = db.session.get(CategoryMapping, mapping_id)
    if mapping is None or mapping.organisation_id != org.id:
        raise NotFoundError("There is no such mapping")
    db.session.delete(mapping)
    db.session.flush()
    categorise_suppliers(org=org)
