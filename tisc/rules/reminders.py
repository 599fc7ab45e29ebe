"""Reminders: which of a person's tasks are due on a day, and the period each reminder belongs
to, so that a reminder is sent once per period however often the daily run goes. No database.

The rules, stated once (the "period" is the key a sent reminder is kept under):

- **An action overdue**: an action plan item not done, the day after its due date onwards
  (`rules/plans.is_overdue`). Once per week while overdue: days 1 to 7 late are "overdue-week-1",
  days 8 to 14 "overdue-week-2", and so on. Due within the next 7 days (the due date included)
  it is "due soon", reminded once ("due-soon").
- **An invitation unanswered**: sent to a supplier and not yet submitted. On day 14 after it
  was sent (sent on the 1st: the 15th) it is unanswered, reminded once ("unanswered"); day 13 is
  not yet.
- **An assessment older than 12 months**: a supplier's newest completed assessment is due again
  12 months after it was completed (same day of the month; 29 February counts as 28 February).
  On that day it is due; the day after it is older than 12 months, reminded once per calendar
  month ("month-2026-12"). Within the 30 days before, it is "due soon" ("due-soon").
- **An exclusion notice**: an exclusion must be told to the Procurement Review Unit within 30
  days (`rules/debarment.notification`). While due, reminded once ("due"); when overdue, once
  per week ("overdue-week-1", ...).
- **A contract review**: a contract running on the day (started, not ended) is reviewed every
  12 months: due 12 months after its latest review, or after its start when it has none. Overdue
  the day after, reminded once per calendar month ("month-2026-12"); due soon in the 30 days
  before ("due-soon").
- **A statement awaiting the body's approval**: once the statement is sent for approval, each
  body that has not recorded its approval is reminded once per ISO week ("week-2026-50"), due
  by the statement deadline (overdue after it).
- **A statement deadline**: a body's statement for a financial year is due by 30 September
  after the year ends (`FinancialYear.statement_due`). Until it is published, reminded when 30,
  14 and 7 days or fewer are left ("30-days", "14-days", "7-days") and when missed ("missed").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tisc.rules.debarment import Decision, NotificationState, notification

INVITATION_ANSWER_DAYS = 14
ACTION_DUE_SOON_DAYS = 7
ASSESSMENT_VALID_MONTHS = 12
ASSESSMENT_DUE_SOON_DAYS = 30
CONTRACT_REVIEW_MONTHS = 12
CONTRACT_REVIEW_DUE_SOON_DAYS = 30
STATEMENT_WARNINGS = (30, 14, 7)  # days before the deadline, each reminded once


class ReminderKind(StrEnum):
    """The kinds of task tisc reminds people of."""

    ACTION_OVERDUE = "action_overdue"
    INVITATION_UNANSWERED = "invitation_unanswered"
    ASSESSMENT_STALE = "assessment_stale"
    EXCLUSION_NOTICE = "exclusion_notice"
    CONTRACT_REVIEW = "contract_review"
    STATEMENT_APPROVAL = "statement_approval"
    STATEMENT_DEADLINE = "statement_deadline"

    @property
    def label(self) -> str:
        """The kind in words, as a heading or a count says it."""
        return {
            "action_overdue": "Action plan items",
            "invitation_unanswered": "Supplier invitations not answered",
            "assessment_stale": "Supplier assessments older than 12 months",
            "exclusion_notice": "Exclusions to tell the Procurement Review Unit",
            "contract_review": "Contract reviews",
            "statement_approval": "Statements awaiting your body's approval",
            "statement_deadline": "Statement deadline",
        }[self.value]


class Urgency(StrEnum):
    """Whether a task is late or coming up."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


@dataclass(frozen=True)
class Due:
    """A task that is due: how urgent, the day it is (or was) due by, and the reminder's period."""

    urgency: Urgency
    due_on: date
    period: str

    @property
    def overdue(self) -> bool:
        return self.urgency is Urgency.OVERDUE


def _week(days_late: int) -> str:
    """The week of lateness: days 1-7 are week 1, days 8-14 week 2."""
    return f"overdue-week-{(days_late - 1) // 7 + 1}"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks becomes its last day (29 Feb + 12
    months is 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover: every month has a 28th


def action_due(due_on: date | None, done: bool, today: date) -> Due | None:
    """An action plan item: overdue (weekly) after its due date, due soon within 7 days."""
    if due_on is None or done:
        return None
    if today > due_on:
        return Due(Urgency.OVERDUE, due_on, _week((today - due_on).days))
    if (due_on - today).days <= ACTION_DUE_SOON_DAYS:
        return Due(Urgency.DUE_SOON, due_on, "due-soon")
    return None


def invitation_due(sent_on: date | None, answered: bool, today: date) -> Due | None:
    """An invitation sent and not answered after 14 days: reminded once."""
    if sent_on is None or answered:
        return None
    due_on = sent_on + timedelta(days=INVITATION_ANSWER_DAYS)
    if today >= due_on:
        return Due(Urgency.OVERDUE, due_on, "unanswered")
    return None


def assessment_due(completed_on: date | None, today: date) -> Due | None:
    """A supplier's newest completed assessment: older than 12 months, reminded monthly; due
    soon in the 30 days before."""
    if completed_on is None:
        return None
    due_on = add_months(completed_on, ASSESSMENT_VALID_MONTHS)
    if today > due_on:
        return Due(Urgency.OVERDUE, due_on, f"month-{today.year}-{today.month:02d}")
    if (due_on - today).days <= ASSESSMENT_DUE_SOON_DAYS:
        return Due(Urgency.DUE_SOON, due_on, "due-soon")
    return None


def exclusion_due(
    decision: Decision, decided_on: date | None, notified_on: date | None, today: date
) -> Due | None:
    """An exclusion not yet told to the Unit: due once, then overdue weekly."""
    state = notification(decision, decided_on, notified_on, today)
    if state.state is NotificationState.DUE and state.due_on is not None:
        return Due(Urgency.DUE_SOON, state.due_on, "due")
    if state.state is NotificationState.OVERDUE and state.due_on is not None:
        return Due(Urgency.OVERDUE, state.due_on, _week(state.days or 1))
    return None


def contract_review_due(
    last_reviewed_on: date | None, started_on: date, ends_on: date | None, today: date
) -> Due | None:
    """A running contract: reviewed every 12 months (from its start when never reviewed)."""
    if started_on > today or (ends_on is not None and ends_on < today):
        return None
    due_on = add_months(last_reviewed_on or started_on, CONTRACT_REVIEW_MONTHS)
    if today > due_on:
        return Due(Urgency.OVERDUE, due_on, f"month-{today.year}-{today.month:02d}")
    if (due_on - today).days <= CONTRACT_REVIEW_DUE_SOON_DAYS:
        return Due(Urgency.DUE_SOON, due_on, "due-soon")
    return None


def approval_due(awaiting: bool, approved: bool, deadline: date, today: date) -> Due | None:
    """A body's approval of a statement sent for approval: weekly (ISO weeks) until recorded."""
    if not awaiting or approved:
        return None
    year, week, _ = today.isocalendar()
    urgency = Urgency.OVERDUE if today > deadline else Urgency.DUE_SOON
    return Due(urgency, deadline, f"week-{year}-{week:02d}")


def statement_due(deadline: date, published: bool, today: date) -> Due | None:
    """A body's statement: at 30, 14 and 7 days before its deadline and when missed."""
    if published:
        return None
    left = (deadline - today).days
    if left < 0:
        return Due(Urgency.OVERDUE, deadline, "missed")
    for warning in sorted(STATEMENT_WARNINGS):
        if left <= warning:
            return Due(Urgency.DUE_SOON, deadline, f"{warning}-days")
    return None


def when_words(due: Due, today: date) -> str:
    """When the task is due, in words: "Overdue by 3 days", "Due today", "Due in 5 days"."""
    days = (due.due_on - today).days
    if days < 0:
        late = -days
        return f"Overdue by {late} {'day' if late == 1 else 'days'}"
    if days == 0:
        return "Due today"
    return f"Due in {days} {'day' if days == 1 else 'days'}"
