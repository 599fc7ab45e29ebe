"""Where a supplier's category comes from when its finance text gives none: another body of the
partnership that decided it (matched on company number, then normalised name), the reference
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
from tisc.rules.auto_category import NameRules, ReferenceList, partnership_reason

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
        self.by_name = {c.name: c.id for c in categories}
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
        self, *, name: str, normalised_name: str, company_number: str | None
    ) -> Suggestion | None:
        """The strongest suggestion for a supplier with no category from its finance text."""
        decided = (self.by_number.get(company_number) if company_number else None) or (
            self.by_key.get(normalised_name)
        )
        if decided is not None:
            return Suggestion(
                decided[0], CategorySource.PARTNERSHIP, partnership_reason(decided[1])
            )
        for found, source in (
            (self.reference.match(normalised_name), CategorySource.REFERENCE),
            (self.names.match(name), CategorySource.NAME),
        ):
            if found is not None and found.category in self.by_name:
                return Suggestion(
                    self.by_name[found.category], source, found.reason, found.confident
                )
        return None
