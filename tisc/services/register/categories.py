"""Categories, their risk, a body's mappings from finance text, and applying them to suppliers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, update

from tisc.config import ROOT
from tisc.database import db
from tisc.models import (
    Category,
    CategoryChange,
    CategoryMapping,
    CategorySource,
    Organisation,
    Partnership,
    SpendThreshold,
    Supplier,
    User,
)
from tisc.rules import auto_category as auto_rules
from tisc.rules import categories as category_rules
from tisc.rules.money import DEFAULT_THRESHOLD
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


def categorise_suppliers(*, org: Organisation, supplier_ids: Sequence[int] | None = None) -> int:
    """Set the category of each supplier not chosen by hand, from the strongest source that
    gives one: the body's mapping of its finance text, a keyword in that text, another body's
    decision, the reference list, words in its name (each with its reason). Chosen
    categories stay. Returns how many suppliers changed."""
    categories = list(list_categories(partnership=organisation_partnership(org)))
    mappings = mappings_for(org=org)
    suggester = Suggester(org=org, categories=categories)
    query = select(
        Supplier.id,
        Supplier.name,
        Supplier.normalised_name,
        Supplier.company_number,
        Supplier.category_text,
        Supplier.category_id,
        Supplier.category_source,
        Supplier.category_reason,
    ).where(Supplier.organisation_id == org.id, Supplier.category_source != CategorySource.CHOSEN)
    wanted = None if supplier_ids is None else set(supplier_ids)
    by_text: dict[str, Found] = {}
    changes = []
    # Reading the whole register and filtering here beats an IN list of 100,000 ids,
    # which PostgreSQL refuses (at most 65,535 parameters).
    for row in db.session.execute(query):
        if wanted is not None and row.id not in wanted:
            continue
        key = category_rules.text_key(row.category_text)
        if key not in by_text:
            by_text[key] = _from_text(row.category_text, mappings, categories)
        found = by_text[key]
        if found[0] is None:
            suggestion = suggester.suggest(
                name=row.name,
                normalised_name=row.normalised_name,
                company_number=row.company_number,
            )
            if suggestion is not None:
                found = (suggestion.category_id, suggestion.source, suggestion.reason)
        if found != (row.category_id, row.category_source, row.category_reason):
            changes.append({"sid": row.id, "found": (found[0], found[1].value, found[2])})
    # One UPDATE per (category, source, reason) and batch of ids: a few statements, not one
    # per supplier, when an import brings thousands of suppliers with the same finance text.
    groups: dict[tuple[int | None, str, str | None], list[int]] = {}
    for change in changes:
        groups.setdefault(change["found"], []).append(change["sid"])
    for (category_id, source, reason), ids in groups.items():
        for start in range(0, len(ids), 1000):
            db.session.execute(
                update(Supplier.__table__)
                .where(Supplier.__table__.c.id.in_(ids[start : start + 1000]))
                .values(category_id=category_id, category_source=source, category_reason=reason)
            )
    if changes:
        _audit_categorised(org, changes, groups)
    return len(changes)


AUDITED_IDS_LIMIT = 200


def _audit_categorised(
    org: Organisation,
    changes: list[dict],
    groups: dict[tuple[int | None, str, str | None], list[int]],
) -> None:
    # One event for the batch (an import can recategorise thousands of suppliers at once).
    by_category: dict[tuple[int | None, str], int] = {}
    for (category_id, source, _reason), ids in groups.items():
        by_category[(category_id, source)] = by_category.get((category_id, source), 0) + len(ids)
    after: dict[str, object] = {
        "suppliers": len(changes),
        "by_category": [
            {"category_id": category_id, "source": source, "suppliers": count}
            for (category_id, source), count in by_category.items()
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


def threshold_for(*, org: Organisation, financial_year: int) -> Decimal:
    """The over-threshold limit for the body's partnership in that year (£50,000 by default)."""
    partnership = organisation_partnership(org)
    if partnership is None:
        return DEFAULT_THRESHOLD
    return partnership_threshold(partnership=partnership, financial_year=financial_year)


def partnership_threshold(*, partnership: Partnership, financial_year: int) -> Decimal:
    """The partnership's limit for the year (£50,000 unless set)."""
    setting = db.session.get(SpendThreshold, (partnership.id, financial_year))
    return setting.amount if setting else DEFAULT_THRESHOLD


@dataclass(frozen=True)
class UserThresholds:
    """The over-threshold limits a person works with in a year: each of their partnerships'."""

    financial_year: int
    partnerships: tuple[tuple[Partnership, Decimal], ...]  # by partnership name

    @property
    def amount(self) -> Decimal:
        """The one limit to explain the rules with: their partnerships' when those agree (or
        they have just one), else the default."""
        amounts = {amount for _, amount in self.partnerships}
        return amounts.pop() if len(amounts) == 1 else DEFAULT_THRESHOLD

    @property
    def differ(self) -> bool:
        """Whether their partnerships use different limits."""
        return len({amount for _, amount in self.partnerships}) > 1


def user_thresholds(*, user: User, financial_year: int) -> UserThresholds:
    """The limits of the partnerships a person works in for the year: those they have a role
    in, and those whose threshold their bodies use. An administrator may have none."""
    found: dict[int, Partnership] = {}
    for membership in user.memberships:
        partnership = membership.partnership
        if partnership is None and membership.organisation is not None:
            partnership = organisation_partnership(membership.organisation)
        if partnership is not None:
            found[partnership.id] = partnership
    ordered = sorted(found.values(), key=lambda p: p.name)
    return UserThresholds(
        financial_year,
        tuple(
            (p, partnership_threshold(partnership=p, financial_year=financial_year))
            for p in ordered
        ),
    )


def set_threshold(*, partnership: Partnership, financial_year: int, amount: Decimal) -> None:
    """Set the partnership's limit for a year."""
    if amount <= 0:
        raise ValidationError("The threshold must be more than £0", field="amount")
    setting = db.session.get(SpendThreshold, (partnership.id, financial_year))
    if setting is None:
        db.session.add(
            SpendThreshold(
                partnership_id=partnership.id, financial_year=financial_year, amount=amount
            )
        )
    else:
        setting.amount = amount
    db.session.flush()
