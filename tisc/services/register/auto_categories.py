"""Where a supplier's category comes from when its finance text gives none: another body of the
partnership that decided it (matched on company number, then normalised name), its payments'
other texts (a category keyword in the cost centre or description, a CPV code), the reference
list of well-known suppliers, and words in its name (tisc.rules.auto_category). The rules in
force are the partnership's newest saved version of each (register/category_rules), else the
data files suppliers/reference_suppliers.csv and suppliers/name_rules.csv, read again when
they change.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tisc.config import ROOT
from tisc.database import db
from tisc.models import Category, CategoryRuleSet, CategorySource, Organisation, Supplier
from tisc.models.organisations import partnership_organisations
from tisc.rules.auto_category import (
    PAYMENT_TEXT_LABELS,
    NameRules,
    ReferenceList,
    cpv_reason,
    partnership_reason,
    payment_text_reason,
    split_payment_texts,
)
from tisc.rules.categories import cpv_code, cpv_match, keyword_match
from tisc.rules.rule_files import RuleKind

NAME_RULES = ROOT / "suppliers" / "name_rules.csv"
REFERENCE_LIST = ROOT / "suppliers" / "reference_suppliers.csv"
# A person's decision: chosen on the supplier page, or the body's mapping of finance text.
DECIDED = (CategorySource.CHOSEN, CategorySource.MAPPING)


@functools.lru_cache(maxsize=4)
def _name_rules(path: Path, _changed: int) -> NameRules:
    return NameRules.from_csv(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _reference_list(path: Path, _changed: int) -> ReferenceList:
    return ReferenceList.from_csv(path.read_text(encoding="utf-8"))


SHIPPED = {RuleKind.NAME_RULES: NAME_RULES, RuleKind.REFERENCE_SUPPLIERS: REFERENCE_LIST}


def name_rules() -> NameRules:
    return _name_rules(NAME_RULES, NAME_RULES.stat().st_mtime_ns)


def reference_list() -> ReferenceList:
    return _reference_list(REFERENCE_LIST, REFERENCE_LIST.stat().st_mtime_ns)


def shipped_text(kind: RuleKind) -> str:
    """The text of the file shipped with tisc for rules of this kind."""
    return SHIPPED[kind].read_text(encoding="utf-8")


def newest_rule_set(*, partnership_id: int, kind: RuleKind) -> CategoryRuleSet | None:
    """The partnership's version in force of rules of this kind, or None (the shipped file)."""
    return db.session.scalar(
        select(CategoryRuleSet)
        .where(CategoryRuleSet.partnership_id == partnership_id, CategoryRuleSet.kind == kind)
        .order_by(CategoryRuleSet.number.desc())
        .limit(1)
    )


# A saved version never changes, so its parsed rules are kept by (partnership, kind, version
# number, SHA-256 of the text): the hash tells apart two databases' versions with the same
# number (tests, a restored backup). Reading 100,000 suppliers then costs one small query.
_parsed_by_key: dict[tuple[int, RuleKind, int, str], NameRules | ReferenceList] = {}


def _parse(kind: RuleKind, text: str) -> NameRules | ReferenceList:
    return NameRules.from_csv(text) if kind is RuleKind.NAME_RULES else ReferenceList.from_csv(text)


def _rules_in_force(partnership_id: int | None, kind: RuleKind) -> NameRules | ReferenceList:
    shipped = name_rules if kind is RuleKind.NAME_RULES else reference_list
    if partnership_id is None:
        return shipped()
    newest = db.session.execute(
        select(CategoryRuleSet.id, CategoryRuleSet.number, CategoryRuleSet.sha256)
        .where(CategoryRuleSet.partnership_id == partnership_id, CategoryRuleSet.kind == kind)
        .order_by(CategoryRuleSet.number.desc())
        .limit(1)
    ).first()
    if newest is None:
        return shipped()
    key = (partnership_id, kind, newest.number, newest.sha256)
    found = _parsed_by_key.get(key)
    if found is None:
        text = db.session.get(CategoryRuleSet, newest.id).text
        found = _parse(kind, text)
        if len(_parsed_by_key) >= 32:  # a few partnerships' rules, not every version ever read
            _parsed_by_key.clear()
        _parsed_by_key[key] = found
    return found


def partnership_name_rules(partnership_id: int | None) -> NameRules:
    """The name rules in force for a partnership (None: the shipped file's)."""
    found = _rules_in_force(partnership_id, RuleKind.NAME_RULES)
    assert isinstance(found, NameRules)
    return found


def partnership_reference_list(partnership_id: int | None) -> ReferenceList:
    """The reference list in force for a partnership (None: the shipped file's)."""
    found = _rules_in_force(partnership_id, RuleKind.REFERENCE_SUPPLIERS)
    assert isinstance(found, ReferenceList)
    return found


@dataclass(frozen=True)
class Suggestion:
    """A category for a supplier, how it was found and why, in words; `confident` False when
    it waits for a person to accept it rather than being applied."""

    category_id: int
    source: CategorySource
    reason: str
    confident: bool = True


class Suggester:
    """Suggests categories for one body's suppliers from the sources after its finance text,
    strongest first: the partnership's decisions, the reference list, words in the name."""

    def __init__(self, *, org: Organisation, categories: list[Category]) -> None:
        self.categories = categories
        self.by_name = {c.name: c.id for c in categories}
        self._by_text: dict[tuple[str, str], Suggestion | None] = {}
        # The body's partnership (its first, whose categories it uses).
        partnership_id = org.partnerships[0].id if org.partnerships else None
        self.names = partnership_name_rules(partnership_id)
        self.reference = partnership_reference_list(partnership_id)
        self.by_number: dict[str, tuple[int, str]] = {}
        self.by_key: dict[str, tuple[int, str]] = {}
        partners = (
            select(partnership_organisations.c.organisation_id)
            .where(
                partnership_organisations.c.partnership_id.in_(
                    select(partnership_organisations.c.partnership_id).where(
                        partnership_organisations.c.organisation_id == org.id
                    )
                )
            )
            .where(partnership_organisations.c.organisation_id != org.id)
        )
        decided = db.session.execute(
            select(
                Supplier.company_number,
                Supplier.normalised_name,
                Supplier.category_id,
                Organisation.name,
            )
            .join(Organisation, Organisation.id == Supplier.organisation_id)
            .where(
                Supplier.organisation_id.in_(partners),
                Supplier.category_source.in_(DECIDED),
                Supplier.category_id.is_not(None),
            )
            .order_by(Organisation.name, Supplier.id)
        )
        for number, key, category_id, body in decided:
            if number:
                self.by_number.setdefault(number, (category_id, body))
            self.by_key.setdefault(key, (category_id, body))

    def suggest(
        self,
        *,
        name: str,
        normalised_name: str,
        company_number: str | None,
        payment_texts: str | None = None,
    ) -> Suggestion | None:
        """The strongest suggestion for a supplier with no category from its finance text: the
        first sure one in the order of the sources, else the first unsure one (for review)."""
        decided = (self.by_number.get(company_number) if company_number else None) or (
            self.by_key.get(normalised_name)
        )
        if decided is not None:
            return Suggestion(
                decided[0], CategorySource.PARTNERSHIP, partnership_reason(decided[1])
            )
        unsure: Suggestion | None = None
        for label, text in split_payment_texts(payment_texts):
            if (label, text) not in self._by_text:
                self._by_text[(label, text)] = self._from_payment_text(label, text)
            found = self._by_text[(label, text)]
            if found is not None and found.confident:
                return found
            unsure = unsure or found
        for match, source in (
            (self.reference.match(normalised_name), CategorySource.REFERENCE),
            (self.names.match(name), CategorySource.NAME),
        ):
            if match is not None and match.category in self.by_name:
                found = Suggestion(
                    self.by_name[match.category], source, match.reason, match.confident
                )
                if found.confident:
                    return found
                unsure = unsure or found
        return unsure

    def _from_payment_text(self, label: str, text: str) -> Suggestion | None:
        """A category from a payment text: a CPV code within a category's code, or a
        category's keyword in the description (sure) or the cost centre (unsure)."""
        if label == PAYMENT_TEXT_LABELS["cpv_code"]:
            in_code = cpv_match(text, self.categories)
            if in_code is None:
                return None
            category, listed = in_code
            code = cpv_code(text) or text
            return Suggestion(
                category.id, CategorySource.CPV, cpv_reason(code, category.name, listed)
            )
        keyword = keyword_match(text, self.categories)
        if keyword is None:
            return None
        category, word = keyword
        # A cost centre names the team that paid ("Street Scene & Waste Management" pays for
        # fuel and vehicles too), not what was bought: its keyword only suggests, for review.
        return Suggestion(
            category.id,
            CategorySource.KEYWORD,
            payment_text_reason(label, text, word),
            confident=label != PAYMENT_TEXT_LABELS["cost_centre"],
        )
