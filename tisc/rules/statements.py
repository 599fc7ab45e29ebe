"""Statement rules: the deadline, text still to write, the registry checklist and approval.
No database here.

The rules, stated once:

- **Deadline**: a statement is due by 30 September after its year ends (FinancialYear's
  statement_due). Not yet published: "Due in N days" is a warning from 60 days before the date
  to the date itself ("Due today"); the day after, it is "Overdue". Further off than 60 days it
  is simply "Due by ...". Published on or before the date: "Published in time"; after it:
  "Published N days late".
- **Text that is still missing**: a section is missing when it is empty, is still exactly its
  default text, is still exactly last year's text (copied and not changed since), or has any
  placeholder in square brackets left, like "[say how many staff and officers the bodies
  employ]".
- **The checklist**: each of the registry's six recommended areas (structure, policies, risk
  assessment, due diligence, training, goals) has its section written; so have the other joint
  sections and every body's own paragraph; every body has a signatory (name and
  job title), an approval date, a decision reference, a published web address and a registry
  submission; the statement describes at least one risk.
- **Approval**: a date, on or after the end of the year the statement covers and not in the
  future, and a decision reference. A statement is approved only when every body it covers has
  approved. A change to a body's part after it approved clears that approval, with a note of
  when and why.

Signatories, publication, the registry submission and risks: tisc.rules.statement_signoff.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tisc.rules.figure_words import unknown_figures
from tisc.rules.plans import Problem
from tisc.rules.years import FinancialYear, long_date

WARNING_DAYS = 60
MAX_RISKS = 3
TEXT_LIMIT = 20_000
NAME_LIMIT = 200
BODY_KEY = "body"
# The registry's six recommended areas: the section that covers each, and its name in messages.
REGISTRY_AREAS: tuple[tuple[str, str], ...] = (
    ("structure", "organisation structure, business and supply chains"),
    ("policies", "policies"),
    ("risk", "risk assessment"),
    ("due-diligence", "due diligence"),
    ("training", "training"),
    ("goals", "goals and KPIs"),
)
PLACEHOLDER = re.compile(r"\[[^\[\]]+\]")


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count:,} {word}s"


def possessive(name: str) -> str:
    """Humberside Police's."""
    return f"{name}'s"


# --- the deadline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """Where a statement stands against its deadline, in words."""

    due: date
    status: str  # "due", "due_soon", "overdue", "in_time" or "late"
    days: int  # days left (due, due_soon) or days late (overdue, late); 0 when in time
    message: str

    @property
    def warning(self) -> bool:
        """Whether the page should warn: the deadline is near or has passed unpublished."""
        return self.status in ("due_soon", "overdue")


def deadline_status(*, financial_year: int, today: date, published_on: date | None) -> Deadline:
    """The statement's deadline and where it stands today (see the module's rules)."""
    due = FinancialYear(financial_year).statement_due
    by = long_date(due)
    if published_on is not None:
        late = (published_on - due).days
        if late <= 0:
            return Deadline(due, "in_time", 0, f"Published in time: it was due by {by}")
        return Deadline(
            due, "late", late, f"Published {_plural(late, 'day')} late: it was due by {by}"
        )
    left = (due - today).days
    if left < 0:
        return Deadline(due, "overdue", -left, f"Overdue by {_plural(-left, 'day')}: due by {by}")
    if left == 0:
        return Deadline(due, "due_soon", 0, f"Due today, {by}")
    if left <= WARNING_DAYS:
        return Deadline(due, "due_soon", left, f"Due in {_plural(left, 'day')}, by {by}")
    return Deadline(due, "due", left, f"Due by {by}")


# --- text -----------------------------------------------------------------------------------


def placeholders(text: str | None) -> list[str]:
    """The placeholders in square brackets still in the text."""
    return PLACEHOLDER.findall(text or "")


def _normal(text: str | None) -> str:
    return " ".join((text or "").split())


def text_problem(
    text: str | None, default: str | None = None, last_year: str | None = None
) -> str | None:
    """Why a section still counts as missing ("is empty"), or None when it is written.

    Text copied from last year's statement and not changed since counts as missing too: it
    still describes last year.
    """
    if not _normal(text):
        return "is empty"
    if default is not None and _normal(text) == _normal(default):
        return "is still the default text"
    if last_year is not None and _normal(text) == _normal(last_year):
        return "is still last year's text"
    left = placeholders(text)
    if left:
        return f"still has {_plural(len(left), 'placeholder')} to replace"
    unknown = unknown_figures(text)
    if unknown:
        return f"names {' and '.join(unknown)}, which is not a live figure"
    return None


def section_problems(*, text: str | None) -> list[Problem]:
    """What is wrong with a section's new text (placeholders are allowed while drafting)."""
    text = (text or "").strip()
    if not text:
        return [Problem("Enter the text of the section", "text")]
    if len(text) > TEXT_LIMIT:
        return [Problem(f"The text must be {TEXT_LIMIT:,} characters or fewer", "text")]
    return []


# --- the checklist --------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionText:
    """A section as the checklist reads it. body: the body's name for its own paragraph."""

    key: str
    title: str
    text: str
    default: str | None = None  # the default text it would start from
    last_year: str | None = None  # the same section's text in last year's statement
    short: str | None = None  # "the introduction"
    body: str | None = None


@dataclass(frozen=True)
class BodyRecord:
    """A body's sign-off and publication as the checklist reads them."""

    name: str
    signatory_name: str | None = None
    signatory_title: str | None = None
    approved_on: date | None = None
    decision_reference: str | None = None
    published_url: str | None = None
    published_on: date | None = None
    registry_submitted_on: date | None = None


@dataclass(frozen=True)
class ChecklistItem:
    """One thing the statement needs; missing says in plain words what is missing, if it is."""

    group: str  # "areas", "text", "bodies" or "statement"
    label: str
    missing: str | None
    body: str | None = None

    @property
    def done(self) -> bool:
        return self.missing is None


def checklist(
    *, sections: Sequence[SectionText], bodies: Sequence[BodyRecord], risk_count: int
) -> list[ChecklistItem]:
    """Everything the statement and the registry need, in order, each done or missing."""
    items: list[ChecklistItem] = []
    joint = {s.key: s for s in sections if s.body is None}
    for key, area in REGISTRY_AREAS:
        found = joint.get(key)
        problem = (
            text_problem(found.text, found.default, found.last_year) if found else "is missing"
        )
        items.append(
            ChecklistItem(
                "areas",
                area[0].upper() + area[1:],
                f"The text on {area} {problem}" if problem else None,
            )
        )
    areas = {key for key, _ in REGISTRY_AREAS}
    for section in sections:
        if section.body is not None or section.key in areas:
            continue
        problem = text_problem(section.text, section.default, section.last_year)
        name = section.short or f"“{section.title}”"
        items.append(
            ChecklistItem(
                "text", section.title, f"{name[0].upper()}{name[1:]} {problem}" if problem else None
            )
        )
    paragraphs = {s.body: s for s in sections if s.body is not None}
    for body in bodies:
        items += _body_items(body, paragraphs.get(body.name))
    items.append(
        ChecklistItem(
            "statement",
            "Risks described for the registry",
            None if risk_count else "No risks described",
        )
    )
    return items


def _body_items(body: BodyRecord, paragraph: SectionText | None) -> list[ChecklistItem]:
    name = body.name
    if paragraph is not None:
        problem = text_problem(paragraph.text, paragraph.default, paragraph.last_year)
        missing = f"{possessive(name)} own paragraph {problem}" if problem else None
    else:
        missing = None
    if not body.signatory_name:
        signatory = f"No signatory for {name}"
    elif not body.signatory_title:
        signatory = f"No job title for the signatory of {name}"
    else:
        signatory = None
    checks = [
        ("Own paragraph", missing),
        ("Signatories", signatory),
        ("Approval date", None if body.approved_on else f"No approval date for {name}"),
        (
            "Decision reference",
            None if body.decision_reference else f"No decision reference for {name}",
        ),
        (
            "Published web address",
            None if body.published_url else f"No published web address for {name}",
        ),
        (
            "Submitted to the registry",
            None
            if body.registry_submitted_on
            else f"{name} has not recorded its submission to the national registry",
        ),
    ]
    if paragraph is None:
        checks = checks[1:]
    return [ChecklistItem("bodies", label, found, name) for label, found in checks]


def missing_lines(items: Sequence[ChecklistItem]) -> list[str]:
    """What is still missing, one line each."""
    return [i.missing for i in items if i.missing]


# --- approval -------------------------------------------------------------------------------


def too_long(value: str | None, limit: int, field: str, name: str) -> Problem | None:
    if value and len(value) > limit:
        return Problem(f"{name} must be {limit} characters or fewer", field)
    return None


def approval_problems(
    *,
    approved_on: date | None,
    decision_reference: str | None,
    financial_year: int,
    today: date,
) -> list[Problem]:
    """What is wrong with a body's approval of the statement for the year."""
    year = FinancialYear(financial_year)
    problems: list[Problem] = []
    if approved_on is None:
        problems.append(Problem("Enter the date the statement was approved", "approved_on"))
    elif approved_on > today:
        problems.append(Problem("The approval date must be today or in the past", "approved_on"))
    elif approved_on < year.ends:
        problems.append(
            Problem(
                f"The approval date must be on or after {long_date(year.ends)}, "
                f"the end of {year.label}",
                "approved_on",
            )
        )
    reference = (decision_reference or "").strip()
    if not reference:
        problems.append(
            Problem(
                "Enter the decision reference, like the number of the decision record",
                "decision_reference",
            )
        )
    elif found := too_long(reference, NAME_LIMIT, "decision_reference", "The decision reference"):
        problems.append(found)
    return problems


def still_to_approve(bodies: Sequence[tuple[str, date | None]]) -> list[str]:
    """The names of the bodies, of (name, approved on), that have not approved."""
    return [name for name, approved_on in bodies if approved_on is None]


def not_approved_message(names: Sequence[str]) -> str:
    """Why the statement cannot be marked approved yet."""
    verb = "has" if len(names) == 1 else "have"
    return (
        f"The statement cannot be marked approved until every body has approved it: "
        f"{join_names(names)} {verb} not approved it yet"
    )


def cleared_note(*, on: date, what: str) -> str:
    """Approval cleared on 29 November 2026 because the introduction changed."""
    return f"Approval cleared on {long_date(on)} because {what} changed"
