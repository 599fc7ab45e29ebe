"""A partnership's own rules for automatic categories: words in suppliers' names and the
reference list of well-known suppliers, edited by its coordinators as CSV text and kept as
versions (`CategoryRuleSet`). The newest version is in force; with none, the file shipped with
tisc is (version 1). Saving or restoring a version re-categorises every body's suppliers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tisc.database import db
from tisc.models import CategoryRuleSet, Partnership, User
from tisc.rules.rule_files import RuleKind, check_rules, rule_rows
from tisc.services.errors import ConflictError, NotFoundError, ValidationError
from tisc.services.register.auto_categories import newest_rule_set, shipped_text
from tisc.services.register.categories import categorise_suppliers, list_categories

SHIPPED_NUMBER = 1  # the file shipped with tisc counts as version 1
SHIPPED_LABEL = "the file shipped with tisc"
NOTE_LIMIT = 500


class RulesRefused(ValidationError):
    """Rules that cannot be saved, with every problem in words (each naming its line)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0], field="text")
        self.problems = problems


@dataclass(frozen=True)
class RuleVersion:
    """One version of a partnership's rules of a kind: a saved one, or the shipped file."""

    number: int
    note: str | None
    saved_by: str | None
    saved_at: datetime | None
    size: int
    in_force: bool

    @property
    def shipped(self) -> bool:
        return self.number == SHIPPED_NUMBER


@dataclass(frozen=True)
class RulesInForce:
    """The rules of a kind a partnership's suppliers are categorised by now."""

    kind: RuleKind
    version: RuleVersion
    text: str

    @property
    def rows(self) -> list[tuple[str, ...]]:
        return rule_rows(self.kind, self.text)


@dataclass(frozen=True)
class RulesSaved:
    """A new version in force, and how many suppliers changed category because of it."""

    number: int
    suppliers_changed: int


def _version(found: CategoryRuleSet, *, in_force: bool) -> RuleVersion:
    return RuleVersion(
        found.number,
        found.note,
        found.created_by.name if found.created_by else None,
        found.created_at,
        found.size,
        in_force,
    )


def _shipped(kind: RuleKind, *, in_force: bool) -> RuleVersion:
    size = len(shipped_text(kind).encode("utf-8"))
    return RuleVersion(SHIPPED_NUMBER, None, None, None, size, in_force)


def rules_in_force(*, partnership: Partnership, kind: RuleKind) -> RulesInForce:
    """The partnership's newest version of the rules, else the shipped file."""
    newest = newest_rule_set(partnership_id=partnership.id, kind=kind)
    if newest is None:
        return RulesInForce(kind, _shipped(kind, in_force=True), shipped_text(kind))
    return RulesInForce(kind, _version(newest, in_force=True), newest.text)


def list_versions(*, partnership: Partnership, kind: RuleKind) -> list[RuleVersion]:
    """Every version, newest first, ending with the shipped file (version 1)."""
    saved = db.session.scalars(
        select(CategoryRuleSet)
        .where(CategoryRuleSet.partnership_id == partnership.id, CategoryRuleSet.kind == kind)
        .order_by(CategoryRuleSet.number.desc())
    ).all()
    versions = [_version(found, in_force=index == 0) for index, found in enumerate(saved)]
    return [*versions, _shipped(kind, in_force=not saved)]


def version_text(*, partnership: Partnership, kind: RuleKind, number: int) -> str:
    """The text of one version; NotFoundError for a number the partnership never saved."""
    if number == SHIPPED_NUMBER:
        return shipped_text(kind)
    found = db.session.scalar(
        select(CategoryRuleSet).where(
            CategoryRuleSet.partnership_id == partnership.id,
            CategoryRuleSet.kind == kind,
            CategoryRuleSet.number == number,
        )
    )
    if found is None:
        raise NotFoundError("There is no such version of these rules")
    return found.text


def _clean(text: str) -> str:
    # A browser sends a textarea's lines ending CR LF; a file saved by Excel may start with a BOM.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _save(
    *, partnership: Partnership, kind: RuleKind, user: User | None, text: str, note: str | None
) -> RulesSaved:
    names = frozenset(c.name for c in list_categories(partnership=partnership))
    problems = check_rules(kind, text, names)
    if problems:
        raise RulesRefused(problems)
    newest = newest_rule_set(partnership_id=partnership.id, kind=kind)
    number = (newest.number if newest else SHIPPED_NUMBER) + 1
    data = text.encode("utf-8")
    db.session.add(
        CategoryRuleSet(
            partnership_id=partnership.id,
            kind=kind,
            number=number,
            text=text,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            note=note,
            created_by_id=user.id if user else None,
        )
    )
    db.session.flush()
    changed = sum(categorise_suppliers(org=org) for org in partnership.organisations)
    return RulesSaved(number, changed)


def save_rules(
    *,
    partnership: Partnership,
    kind: RuleKind,
    user: User | None,
    text: str,
    note: str | None,
    based_on: int,
) -> RulesSaved:
    """Save `text` as the new version in force, once checked, and re-categorise every body's
    suppliers by it. `based_on` is the version the person edited: if another has been saved
    since, nothing is saved (ConflictError), so that one is not silently replaced."""
    in_force = rules_in_force(partnership=partnership, kind=kind).version.number
    if based_on != in_force:
        raise ConflictError(
            "Someone else saved these rules while you were editing. Your changes were not "
            f"saved: version {in_force} is now in force. Check it below and save again.",
            field="text",
        )
    note = (note or "").strip() or None
    if note and len(note) > NOTE_LIMIT:
        raise ValidationError(f"The note must be {NOTE_LIMIT} characters or fewer", field="note")
    return _save(partnership=partnership, kind=kind, user=user, text=_clean(text), note=note)


def restore_version(
    *, partnership: Partnership, kind: RuleKind, user: User | None, number: int
) -> RulesSaved:
    """Put an earlier version back in force, as a new version with its text (it is checked
    again: a category may have been renamed since)."""
    text = version_text(partnership=partnership, kind=kind, number=number)
    if rules_in_force(partnership=partnership, kind=kind).version.number == number:
        raise ValidationError(f"Version {number} is already in force")
    shipped = f" ({SHIPPED_LABEL})" if number == SHIPPED_NUMBER else ""
    return _save(
        partnership=partnership,
        kind=kind,
        user=user,
        text=text,
        note=f"Restored version {number}{shipped}",
    )
