"""Incidents and remediation: what a body did when it found indicators of forced labour in its
supply chain (the March 2025 statutory guidance asks for victim-centred remediation). The eleven
ILO indicators of forced labour, how an incident came to light, the referrals made, the kinds of
remediation; the checks on the dates and the closing; and the counts the board and the statement
read. Pure: plain values in, plain values out. Nothing here names or describes a person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

# Free text is short on purpose: an outline, never a victim's story.
SHORT_TEXT = 1000


class Indicator(StrEnum):
    """The eleven ILO indicators of forced labour, in the ILO's order."""

    VULNERABILITY = "vulnerability"
    DECEPTION = "deception"
    MOVEMENT = "movement"
    ISOLATION = "isolation"
    VIOLENCE = "violence"
    INTIMIDATION = "intimidation"
    DOCUMENTS = "documents"
    WAGES = "wages"
    DEBT = "debt"
    CONDITIONS = "conditions"
    OVERTIME = "overtime"

    @property
    def label(self) -> str:
        return {
            "vulnerability": "Abuse of vulnerability",
            "deception": "Deception",
            "movement": "Restriction of movement",
            "isolation": "Isolation",
            "violence": "Physical and sexual violence",
            "intimidation": "Intimidation and threats",
            "documents": "Retention of identity documents",
            "wages": "Withholding of wages",
            "debt": "Debt bondage",
            "conditions": "Abusive working and living conditions",
            "overtime": "Excessive overtime",
        }[self.value]


class Source(StrEnum):
    """How an incident came to light."""

    AUDIT = "audit"
    WORKER_VOICE = "worker_voice"
    HELPLINE = "helpline"
    FORCE_UNIT = "force_unit"
    SUPPLIER = "supplier"
    MEDIA = "media"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "audit": "Audit",
            "worker_voice": "Worker voice",
            "helpline": "Helpline",
            "force_unit": "The force's modern slavery unit",
            "supplier": "Supplier disclosure",
            "media": "Media",
            "other": "Other",
        }[self.value]


class Referral(StrEnum):
    """Where an incident was referred ("none" stands alone)."""

    NRM = "nrm"
    HELPLINE = "helpline"
    FORCE_UNIT = "force_unit"
    GLAA = "glaa"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "nrm": "National Referral Mechanism",
            "helpline": "Modern Slavery and Exploitation Helpline",
            "force_unit": "The force's modern slavery unit",
            "glaa": "Gangmasters and Labour Abuse Authority (GLAA)",
            "none": "None",
        }[self.value]


class Remediation(StrEnum):
    """The kinds of remediation taken."""

    PAYMENT = "payment"
    SUPPORT = "support"
    CORRECTIVE_PLAN = "corrective_plan"
    CONTRACT_CHANGE = "contract_change"
    EXIT = "exit"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "payment": "Payment of recruitment fees or wages owed",
            "support": "Support for workers",
            "corrective_plan": "Supplier corrective plan",
            "contract_change": "Contract change",
            "exit": "Supplier exit",
            "other": "Other",
        }[self.value]


class Tier(StrEnum):
    """How far down the supply chain the incident was found."""

    ONE = "1"
    TWO = "2"
    THREE_PLUS = "3+"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            "1": "Tier 1 (a direct supplier)",
            "2": "Tier 2",
            "3+": "Tier 3 or further",
            "unknown": "Not known",
        }[self.value]


class IncidentStatus(StrEnum):
    """Open while remediation goes on; closed with an outcome."""

    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


E = TypeVar("E", bound=StrEnum)


def join_keys(chosen: Iterable[StrEnum], kind: type[E]) -> str:
    """A set of keys as kept in the database: their values, comma-separated, in `kind`'s order."""
    have = {str(c) for c in chosen}
    return ",".join(member.value for member in kind if member.value in have)


def parse_keys(text: str | Iterable[str] | None, kind: type[E]) -> list[E]:
    """The members of `kind` named in a comma-separated text (or a list of values), in
    `kind`'s order; unknown values are dropped."""
    if text is None:
        return []
    given = text.split(",") if isinstance(text, str) else list(text)
    have = {value.strip() for value in given}
    return [member for member in kind if member.value in have]


def unknown_keys(values: Iterable[str], kind: type[StrEnum]) -> list[str]:
    """The values that are not keys of `kind` (a form sent something it never offered)."""
    known = {member.value for member in kind}
    return [value for value in values if value not in known]


def referral_problem(referrals: Iterable[Referral]) -> str | None:
    """ "None" cannot go with a referral."""
    chosen = set(referrals)
    if Referral.NONE in chosen and len(chosen) > 1:
        return "Select the referrals made, or None, not both"
    return None


def date_problems(
    *, found_on: date | None, closed_on: date | None, status: IncidentStatus, today: date
) -> dict[str, str]:
    """What is wrong with an incident's dates, by field, in GOV.UK words."""
    problems: dict[str, str] = {}
    if found_on is None:
        problems["found_on"] = "Enter the date the indicators were found"
    elif found_on > today:
        problems["found_on"] = "The date found must be today or in the past"
    if status is IncidentStatus.CLOSED:
        if closed_on is None:
            problems["closed_on"] = "Enter the date the incident was closed"
        elif closed_on > today:
            problems["closed_on"] = "The date closed must be today or in the past"
        elif found_on is not None and closed_on < found_on:
            problems["closed_on"] = "The date closed must be the same as or after the date found"
    elif closed_on is not None:
        problems["closed_on"] = "An open incident has no date closed: leave it blank, or close it"
    return problems


def closing_problem(*, status: IncidentStatus, outcome: str | None) -> str | None:
    """An incident is closed only with its outcome said."""
    if status is IncidentStatus.CLOSED and not (outcome or "").strip():
        return "Enter the outcome of the remediation to close the incident"
    return None


def text_problem(text: str | None, label: str, limit: int = SHORT_TEXT) -> str | None:
    """A free-text field over its limit."""
    if text is not None and len(text.strip()) > limit:
        return f"{label} must be {limit:,} characters or fewer"
    return None


@dataclass(frozen=True)
class IncidentFacts:
    """What the counts read of one incident."""

    found_on: date
    status: IncidentStatus
    indicators: tuple[Indicator, ...] = ()
    remediations: tuple[Remediation, ...] = ()
    referrals: tuple[Referral, ...] = ()


@dataclass(frozen=True)
class IncidentCounts:
    """Incidents counted, never described: how many, open and closed, and by indicator,
    remediation and referral (each in its kind's order, zeros included)."""

    found: int = 0
    open: int = 0
    closed: int = 0
    by_indicator: dict[Indicator, int] = field(default_factory=dict)
    by_remediation: dict[Remediation, int] = field(default_factory=dict)
    by_referral: dict[Referral, int] = field(default_factory=dict)


def _by(kind: type[E], chosen: Iterable[Iterable[E]]) -> dict[E, int]:
    counted: Counter[E] = Counter()
    for keys in chosen:
        counted.update(set(keys))
    return {member: counted[member] for member in kind}


def count_by_indicator(incidents: Iterable[IncidentFacts]) -> dict[Indicator, int]:
    """How many incidents showed each indicator (an incident counts once per indicator)."""
    return _by(Indicator, (i.indicators for i in incidents))


def count_by_remediation(incidents: Iterable[IncidentFacts]) -> dict[Remediation, int]:
    """How many incidents had each kind of remediation."""
    return _by(Remediation, (i.remediations for i in incidents))


def count_by_referral(incidents: Iterable[IncidentFacts]) -> dict[Referral, int]:
    """How many incidents were referred to each place."""
    return _by(Referral, (i.referrals for i in incidents))


def count_incidents(incidents: Iterable[IncidentFacts]) -> IncidentCounts:
    """The counts of a set of incidents."""
    listed = list(incidents)
    closed = sum(1 for i in listed if i.status is IncidentStatus.CLOSED)
    return IncidentCounts(
        found=len(listed),
        open=len(listed) - closed,
        closed=closed,
        by_indicator=count_by_indicator(listed),
        by_remediation=count_by_remediation(listed),
        by_referral=count_by_referral(listed),
    )


def figure_rows(counts: IncidentCounts, year_label: str) -> list[tuple[str, str]]:
    """The statement's lines on incidents (label, value): counts only, never details."""
    found = f"{counts.found:,}"
    if counts.found:
        found += f" ({counts.closed:,} closed, {counts.open:,} open)"
    return [
        (f"Incidents with indicators of forced labour found in {year_label}", found),
        (
            "Of them, referred to the National Referral Mechanism",
            f"{counts.by_referral.get(Referral.NRM, 0):,}",
        ),
    ]


# What the national registry calls each action, from what the log records (an action the
# registry has no words for, such as a contract change, is not claimed as another).
REGISTRY_ACTIONS: dict[Remediation | Referral, tuple[str, ...]] = {
    Remediation.PAYMENT: ("Financial remediation, including repayment of recruitment fees",),
    Referral.NRM: ("Referring potential victims to government services",),
    Referral.FORCE_UNIT: (
        "Referring potential victims to government services",
        "Supporting investigations by relevant authorities",
    ),
    Referral.GLAA: (
        "Referring potential victims to government services",
        "Supporting investigations by relevant authorities",
    ),
    Referral.HELPLINE: ("Supporting victims via NGO",),  # the helpline is run by a charity
}


def registry_choices(counts: IncidentCounts) -> dict[str, tuple[str, ...]]:
    """The registry's answers on forced labour, from a body's incidents of the year: the ILO
    indicators found, and what was done about them in the registry's words. Nothing when no
    incident was found (the body answers itself), and no actions when none the registry
    names was recorded."""
    if not counts.found:
        return {}
    found = tuple(i.label for i in Indicator if counts.by_indicator.get(i))
    taken = {
        *(
            a
            for r in Remediation
            if counts.by_remediation.get(r)
            for a in REGISTRY_ACTIONS.get(r, ())
        ),
        *(a for r in Referral if counts.by_referral.get(r) for a in REGISTRY_ACTIONS.get(r, ())),
    }
    choices = {"ilo_indicators": found}
    if taken:
        choices["ilo_actions"] = tuple(sorted(taken))
    return choices
