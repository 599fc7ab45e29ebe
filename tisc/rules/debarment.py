"""The central debarment list (Procurement Act 2023): who on it is one of our suppliers, whether
a listing is in force, and the 30 days a buyer has to tell the Procurement Review Unit.

A register's supplier (or a connected person or relied-on subcontractor recorded for it) is
matched to a listed supplier by Companies House number first, then by PPON (Public
Procurement Organisation Number), then by the normalised name (`rules/names`). A match by
name alone is only a reason to check: two businesses can share a name, never a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tisc.rules.names import normalise_supplier_name

# A buyer that excludes a supplier tells the Procurement Review Unit within 30 days.
NOTIFY_WITHIN_DAYS = 30
# What "no number" looks like in a list or a finance export.
_NOT_GIVEN = frozenset({"", "N/A", "NA", "NONE", "NIL", "-", "--", "NOTKNOWN", "UNKNOWN", "0"})
_NOT_ALPHANUMERIC = re.compile(r"[^A-Z0-9]+")
_PREFIXED = re.compile(r"([A-Z]{2})(\d{1,6})")


class MatchKind(StrEnum):
    """How a supplier was found on the list, strongest first."""

    COMPANY_NUMBER = "company_number"
    PPON = "ppon"
    NAME = "name"

    @property
    def label(self) -> str:
        """As the export's Match column and the pages say it."""
        return {"company_number": "company number", "ppon": "PPON", "name": "name"}[self.value]

    @property
    def needs_check(self) -> bool:
        """A name alone may be another business of the same name: a person checks."""
        return self is MatchKind.NAME

    @property
    def strength(self) -> int:
        """Lower is stronger."""
        return list(MatchKind).index(self)


class Decision(StrEnum):
    """A buyer's decision on excluding a supplier."""

    UNDER_CONSIDERATION = "under_consideration"
    EXCLUDED = "excluded"
    NOT_EXCLUDED = "not_excluded"

    @property
    def label(self) -> str:
        return {
            "under_consideration": "Under consideration",
            "excluded": "Excluded",
            "not_excluded": "Not excluded",
        }[self.value]


class PartyKind(StrEnum):
    """Who, besides the supplier itself, the exclusion grounds reach."""

    CONNECTED_PERSON = "connected_person"
    SUBCONTRACTOR = "subcontractor"

    @property
    def label(self) -> str:
        return {
            "connected_person": "Connected person",
            "subcontractor": "Relied-on subcontractor",
        }[self.value]


def normalise_company_number(text: str | None) -> str:
    """A Companies House number as Companies House writes it: upper case, no spaces, a
    numeric one padded to 8 digits ("1234567" -> "01234567"), a prefixed one to 2 letters and
    6 digits ("sc 12345" -> "SC012345"); "" for none ("N/A", "0")."""
    compact = "".join((text or "").split()).upper()
    if compact in _NOT_GIVEN:
        return ""
    if compact.isascii() and compact.isdigit():
        return "" if not compact.strip("0") else compact.zfill(8)
    prefixed = _PREFIXED.fullmatch(compact)
    if prefixed:
        return prefixed[1] + prefixed[2].zfill(6)
    return compact


def normalise_ppon(text: str | None) -> str:
    """A PPON as a matching key: upper case letters and digits only ("pukm-1234 5678" ->
    "PUKM12345678"); "" for none."""
    compact = _NOT_ALPHANUMERIC.sub("", (text or "").upper())
    return "" if compact in _NOT_GIVEN else compact


@dataclass(frozen=True)
class Identity:
    """Who a business is, as given: its name, company number and PPON (any may be blank)."""

    name: str
    company_number: str | None = None
    ppon: str | None = None

    @property
    def keys(self) -> tuple[str, str, str]:
        """(company number, PPON, name) normalised for matching."""
        return (
            normalise_company_number(self.company_number),
            normalise_ppon(self.ppon),
            normalise_supplier_name(self.name),
        )


def matching_keys(
    company_number: str | None, ppon: str | None, name_key: str
) -> tuple[str, str, str]:
    """The keys of a business whose name is already normalised (a supplier's normalised_name)."""
    return normalise_company_number(company_number), normalise_ppon(ppon), name_key


def match_kind(who: Identity, listed: Identity) -> MatchKind | None:
    """How `who` matches the listed supplier, or None.

    The company number decides first, then the PPON; a name counts only when neither side's
    identifiers disagree (two numbers that differ are two businesses, whatever their names).
    """
    return _match_keys(who.keys, listed.keys)


def _match_keys(ours: tuple[str, str, str], theirs: tuple[str, str, str]) -> MatchKind | None:
    (number, ppon, name), (their_number, their_ppon, their_name) = ours, theirs
    if number and number == their_number:
        return MatchKind.COMPANY_NUMBER
    if ppon and ppon == their_ppon:
        return MatchKind.PPON
    if (number and their_number) or (ppon and their_ppon):
        return None
    if name and name == their_name:
        return MatchKind.NAME
    return None


class ListIndex:
    """The list's entries by each key, to match many suppliers against it quickly.

    `entries` are (key, Identity) pairs; the key is the caller's (an entry's id)."""

    def __init__(self, entries: Iterable[tuple[int, Identity]]) -> None:
        self._keys: dict[int, tuple[str, str, str]] = {}
        self._by: tuple[dict[str, list[int]], ...] = ({}, {}, {})
        for key, identity in entries:
            keys = identity.keys
            self._keys[key] = keys
            for position, value in enumerate(keys):
                if value:
                    self._by[position].setdefault(value, []).append(key)

    def __len__(self) -> int:
        return len(self._keys)

    def matches(self, who: Identity) -> list[tuple[int, MatchKind]]:
        """Every entry `who` matches with how, strongest first, then in key order."""
        return self.matches_keys(who.keys)

    def matches_keys(self, ours: tuple[str, str, str]) -> list[tuple[int, MatchKind]]:
        """The same as `matches`, for keys already made (`matching_keys`)."""
        candidates = {
            key
            for position, value in enumerate(ours)
            if value
            for key in self._by[position].get(value, ())
        }
        found = []
        for key in candidates:
            kind = _match_keys(ours, self._keys[key])
            if kind is not None:
                found.append((key, kind))
        return sorted(found, key=lambda pair: (pair[1].strength, pair[0]))


def strongest(kinds: Iterable[MatchKind]) -> MatchKind | None:
    """The strongest of some matches, or None when there are none."""
    return min(kinds, key=lambda kind: kind.strength, default=None)


def is_listed_on(day: date, start: date | None, end: date | None) -> bool:
    """Whether a listing is in force on `day`: from its start (if given) to its end (if given),
    both days included."""
    return (start is None or start <= day) and (end is None or day <= end)


# --- telling the Procurement Review Unit ------------------------------------------------------


class NotificationState(StrEnum):
    """Where a decision stands on telling the Procurement Review Unit."""

    NOT_NEEDED = "not_needed"
    DUE = "due"
    OVERDUE = "overdue"
    NOTIFIED_ON_TIME = "notified_on_time"
    NOTIFIED_LATE = "notified_late"


@dataclass(frozen=True)
class Notification:
    """A decision's notification: its state, the day it is due by, and the days left (0 on
    the last day) while due, or the days late while overdue."""

    state: NotificationState
    due_on: date | None = None
    days: int | None = None

    @property
    def words(self) -> str:
        """The state in words, as the supplier page says it."""
        state, days = self.state, self.days or 0
        if state is NotificationState.NOT_NEEDED:
            return "Not needed"
        if state is NotificationState.DUE:
            if days == 0:
                return "Due today"
            return f"Due in {days} {'day' if days == 1 else 'days'}"
        if state is NotificationState.OVERDUE:
            return f"Overdue by {days} {'day' if days == 1 else 'days'}"
        if state is NotificationState.NOTIFIED_ON_TIME:
            return "Notified on time"
        return "Notified late"

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour class that goes with the words (never the only sign)."""
        return {
            NotificationState.NOT_NEEDED: "govuk-tag--grey",
            NotificationState.DUE: "govuk-tag--yellow",
            NotificationState.OVERDUE: "govuk-tag--red",
            NotificationState.NOTIFIED_ON_TIME: "govuk-tag--green",
            NotificationState.NOTIFIED_LATE: "govuk-tag--orange",
        }[self.state]


def notification_due_on(decided_on: date) -> date:
    """The last day to tell the Procurement Review Unit of an exclusion decided on that day."""
    return decided_on + timedelta(days=NOTIFY_WITHIN_DAYS)


def notification(
    decision: Decision, decided_on: date | None, notified_on: date | None, today: date
) -> Notification:
    """Where telling the Unit stands: only an exclusion needs it, due within 30 days of the
    decision (day 30 is the last day; day 31 is overdue)."""
    if decision is not Decision.EXCLUDED or decided_on is None:
        return Notification(NotificationState.NOT_NEEDED)
    due_on = notification_due_on(decided_on)
    if notified_on is not None:
        on_time = notified_on <= due_on
        state = NotificationState.NOTIFIED_ON_TIME if on_time else NotificationState.NOTIFIED_LATE
        return Notification(state, due_on)
    if today <= due_on:
        return Notification(NotificationState.DUE, due_on, (due_on - today).days)
    return Notification(NotificationState.OVERDUE, due_on, (today - due_on).days)


# --- reading a list --------------------------------------------------------------------------

# Each field of a list entry and the headers that name it, most usual first.
LIST_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("Supplier name", "Name", "Organisation name", "Supplier", "Listed name"),
    "company_number": (
        "Company number",
        "Companies House number",
        "CRN",
        "Company registration number",
        "Registration number",
    ),
    "ppon": ("PPON", "Public Procurement Organisation Number"),
    "ground": ("Ground", "Exclusion ground", "Grounds", "Exclusion grounds"),
    "mandatory": ("Mandatory", "Type", "Mandatory or discretionary", "Ground type"),
    "start_date": ("Start date", "Listed from", "From"),
    "end_date": ("End date", "Listed until", "Until", "Expiry date"),
}
LIST_LABELS: dict[str, str] = {
    "name": "Supplier name",
    "company_number": "Company number",
    "ppon": "PPON",
    "ground": "Ground",
    "mandatory": "Mandatory",
    "start_date": "Start date",
    "end_date": "End date",
}
REQUIRED_LIST_FIELDS: tuple[str, ...] = ("name", "ground", "mandatory", "start_date")
_HEADER_NOISE = re.compile(r"[^a-z0-9]+")
_MANDATORY = frozenset({"mandatory", "m", "yes", "y", "true", "1"})
_DISCRETIONARY = frozenset({"discretionary", "d", "no", "n", "false", "0"})


def header_key(text: str) -> str:
    """A header reduced to lowercase letters and digits: "Listed  until:" -> "listeduntil"."""
    return _HEADER_NOISE.sub("", (text or "").lower())


def list_columns(columns: Iterable[str]) -> dict[str, str | None]:
    """Each field -> the first column (in the file's order) one of its headers names, or None."""
    keys = {
        header_key(header): name for name, headers in LIST_HEADERS.items() for header in headers
    }
    found: dict[str, str | None] = dict.fromkeys(LIST_HEADERS)
    for column in columns:
        name = keys.get(header_key(column))
        if name is not None and found[name] is None:
            found[name] = column
    return found


def missing_columns_message(mapping: dict[str, str | None]) -> str | None:
    """Why the list cannot be read for want of columns, or None when it has what it needs."""
    missing = [LIST_LABELS[name] for name in REQUIRED_LIST_FIELDS if mapping.get(name) is None]
    if not missing:
        return None
    words = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    noun = "column" if len(missing) == 1 else "columns"
    them = "it" if len(missing) == 1 else "them"
    return f"The list has no {words} {noun}: add {them} and upload it again."


def mandatory_from_text(text: str) -> bool | None:
    """Whether a ground is mandatory from the list's words ("Mandatory", "Discretionary",
    "Yes", "No"); None when the words say neither."""
    key = header_key(text)
    if key in _MANDATORY:
        return True
    if key in _DISCRETIONARY:
        return False
    return None
