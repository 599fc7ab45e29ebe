"""Action plan rules: what makes an item valid, when it is overdue, when it needs updating,
and what a new year carries over. No database here.

The rules, stated once:

- **An item** needs a title (300 characters or fewer). A due date is optional, but when given it
  must be on or after 1 April of the plan's financial year (a plan for 2025/26 takes items due
  from 1 April 2025). Evidence links are one per line and each must be an http(s) address.
- **A progress update** needs a note; its status is one of not started, in progress, done or
  blocked; its RAG is red, amber or green; red and amber need a reason ("Enter why the item is
  red"). Green keeps no reason.
- **Overdue**: the item is not done and today is after its due date. On the due date itself it
  is not overdue yet; the day after, it is.
- **Needs updating** (shown to the body's statement owner): an item that is not done and
    1. is overdue; or
    2. is red or amber with no progress update in the last 30 days; or
    3. has had no progress update at all in the last 90 days.
  "In the last N days" counts from the latest update, or from when the item was added when it
  has no update yet: an update exactly N days ago still counts; N + 1 days ago does not.
  Done items never need updating.
- **Carry-over**: starting a new year copies forward every item of last year's plan that is
  not done (not started, in progress or blocked), marked as carried over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from tisc.rules.years import FinancialYear, long_date


class ItemStatus(StrEnum):
    """Where an action stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Rag(StrEnum):
    """Red, amber or green: how an action is going."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


RAG_STALE_DAYS = 30
ANY_STALE_DAYS = 90
TITLE_LIMIT = 300
OWNER_LIMIT = 200
KPI_LIMIT = 300
TARGET_LIMIT = 200
LINK_LIMIT = 500
MAX_LINKS = 20
NEEDS_REASON = (Rag.RED, Rag.AMBER)


@dataclass(frozen=True)
class Problem:
    """What is wrong with the input, in plain words, and the field it belongs to."""

    message: str
    field: str


class ItemLike(Protocol):
    """What the overdue and carry-over rules read from an item."""

    due_date: date | None
    status: ItemStatus


T = TypeVar("T", bound=ItemLike)


def _length(value: str | None, limit: int, field: str, name: str) -> Problem | None:
    if value is not None and len(value) > limit:
        return Problem(f"{name} must be {limit} characters or fewer", field)
    return None


def parse_links(text: str | None) -> tuple[list[str], Problem | None]:
    """Evidence links, one per line (blank lines ignored), and the first problem with them."""
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        return links, Problem(f"Enter {MAX_LINKS} links or fewer", "evidence_links")
    for link in links:
        if len(link) > LINK_LIMIT:
            return links, Problem(
                f"Each link must be {LINK_LIMIT} characters or fewer", "evidence_links"
            )
        lowered = link.lower()
        host = link.split("//", 1)[1].split("/", 1)[0] if "//" in link else ""
        if not lowered.startswith(("https://", "http://")) or "." not in host:
            return links, Problem(
                "Enter each link on its own line in the correct format, "
                "like https://example.org/evidence.pdf",
                "evidence_links",
            )
        if any(c.isspace() for c in link):
            return links, Problem("A link cannot contain spaces", "evidence_links")
    return links, None


def item_problems(
    *,
    title: str | None,
    due_date: date | None,
    financial_year: int,
    owner: str | None = None,
    kpi: str | None = None,
    kpi_target: str | None = None,
    evidence_links: str | None = None,
    current_due_date: date | None = None,
) -> list[Problem]:
    """Everything wrong with an item's details, in the order of the form (empty when valid).

    A due date the item already has is accepted as it is: a carried-over item keeps last
    year's date (it is late, and should show as late) until someone changes it.
    """
    problems: list[Problem] = []
    title = (title or "").strip()
    if not title:
        problems.append(Problem("Enter the action", "title"))
    elif found := _length(title, TITLE_LIMIT, "title", "The action"):
        problems.append(found)
    if found := _length((owner or "").strip(), OWNER_LIMIT, "owner", "The owner"):
        problems.append(found)
    year = FinancialYear(financial_year)
    if due_date is not None and due_date < year.starts and due_date != current_due_date:
        problems.append(
            Problem(
                f"The due date must be on or after {long_date(year.starts)}, "
                f"the start of the {year.label} plan",
                "due_date",
            )
        )
    if found := _length((kpi or "").strip(), KPI_LIMIT, "kpi", "The KPI"):
        problems.append(found)
    if found := _length((kpi_target or "").strip(), TARGET_LIMIT, "kpi_target", "The target"):
        problems.append(found)
    _, link_problem = parse_links(evidence_links)
    if link_problem:
        problems.append(link_problem)
    return problems


def update_problems(
    *, note: str | None, status: str | None, rag: str | None, rag_reason: str | None
) -> list[Problem]:
    """Everything wrong with a progress update (empty when valid)."""
    problems: list[Problem] = []
    if not (note or "").strip():
        problems.append(Problem("Enter what has happened", "note"))
    if status not in {s.value for s in ItemStatus}:
        problems.append(Problem("Select the status", "status"))
    if rag not in {r.value for r in Rag}:
        problems.append(Problem("Select red, amber or green", "rag"))
    elif Rag(rag) in NEEDS_REASON and not (rag_reason or "").strip():
        problems.append(Problem(f"Enter why the item is {rag}", "rag_reason"))
    return problems


def is_overdue(item: ItemLike, today: date) -> bool:
    """Not done, and today is after the due date (on the due date it is not overdue yet)."""
    return item.due_date is not None and item.due_date < today and item.status != ItemStatus.DONE


def _day(value: date | datetime) -> date:
    """The local calendar day of a time kept in UTC (naive times are UTC, as SQLite returns)."""
    if not isinstance(value, datetime):
        return value
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone().date()


def update_reasons(
    *,
    due_date: date | None,
    status: ItemStatus,
    rag: Rag,
    added: date | datetime,
    last_update: date | datetime | None,
    today: date,
) -> list[str]:
    """Why an item needs updating, in words; empty when it does not (see the module rules)."""
    if status == ItemStatus.DONE:
        return []
    reasons = []
    if due_date is not None and due_date < today:
        reasons.append(f"Overdue: it was due on {long_date(due_date)}")
    since = _day(last_update if last_update is not None else added)
    quiet = (today - since).days
    if rag in NEEDS_REASON and quiet > RAG_STALE_DAYS:
        reasons.append(f"{rag.label}, with no progress update in the last {RAG_STALE_DAYS} days")
    elif quiet > ANY_STALE_DAYS:
        reasons.append(f"No progress update in the last {ANY_STALE_DAYS} days")
    return reasons


def carried_over(items: Iterable[T]) -> list[T]:
    """The items a new year copies forward: every one that is not done, in the same order."""
    return [item for item in items if item.status != ItemStatus.DONE]


def status_change(
    before_status: ItemStatus | None,
    after_status: ItemStatus,
    before_rag: Rag | None,
    after_rag: Rag,
) -> Sequence[str]:
    """What an update changed, in words: ("Status: Not started to In progress", ...)."""
    changes = []
    if before_status is not None and before_status != after_status:
        changes.append(f"Status: {before_status.label} to {after_status.label}")
    if before_rag is not None and before_rag != after_rag:
        changes.append(f"RAG: {before_rag.label} to {after_rag.label}")
    return changes
