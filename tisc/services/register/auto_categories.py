"""Where a supplier's category comes from when its finance text gives none: another body of the
partnership that decided it (matched on company number, then normalised name), its payments'
other texts (a category keyword in the cost centre or description, a CPV code), the reference
list of well-known suppliers, and words in its name (tisc.rules.auto_category; the rules are
the data files suppliers/reference_suppliers.csv and suppliers/name_rules.csv, read again when
they change).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tisc.config import ROOT
from tisc.database import db
from tisc.models import Category, CategorySource, Organisation, Supplier
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


def name_rules() -> NameRules:
    return _name_rules(NAME_RULES, NAME_RULES.stat().st_mtime_ns)


def reference_list() -> ReferenceList:
    return _reference_list(REFERENCE_LIST, REFERENCE_LIST.stat().st_mtime_ns)


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
        self.names = name_rules()
        self.reference = reference_list()
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
        """The strongest suggestion for a supplier with no category from its finance text."""
        decided = (self.by_number.get(company_number) if company_number else None) or (
            self.by_key.get(normalised_name)
        )
        if decided is not None:
            return Suggestion(
                decided[0], CategorySource.PARTNERSHIP, partnership_reason(decided[1])
            )
        for label, text in split_payment_texts(payment_texts):
            if (label, text) not in self._by_text:
                self._by_text[(label, text)] = self._from_payment_text(label, text)
            found = self._by_text[(label, text)]
            if found is not None:
                return found
        for match, source in (
            (self.reference.match(normalised_name), CategorySource.REFERENCE),
            (self.names.match(name), CategorySource.NAME),
        ):
            if match is not None and match.category in self.by_name:
                return Suggestion(
                    self.by_name[match.category], source, match.reason, match.confident
                )
        return None

    def _from_payment_text(self, label: str, text: str) -> Suggestion | None:
        """A category from a payment text: a CPV code within a category's code, or a
        category's keyword in the cost centre or description."""
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
        return Suggestion(
            category.id, CategorySource.KEYWORD, payment_text_reason(label, text, word)
        )
