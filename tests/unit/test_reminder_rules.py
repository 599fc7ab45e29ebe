"""The reminder rules: which tasks are due on a day, and the period that keeps each reminder
to once per period, at every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tisc.rules.debarment import Decision
from tisc.rules.reminders import (
    Due,
    ReminderKind,
    Urgency,
    action_due,
    add_months,
    approval_due,
    assessment_due,
    contract_review_due,
    exclusion_due,
    invitation_due,
    statement_due,
    when_words,
)

DAY = date(2026, 6, 10)
DEADLINE = date(2026, 9, 30)


# --- actions ---------------------------------------------------------------------------------


def test_an_action_on_its_due_date_is_due_soon_not_overdue() -> None:
    assert action_due(DAY, False, DAY) == Due(Urgency.DUE_SOON, DAY, "due-soon")


def test_an_action_the_day_after_its_due_date_is_overdue_in_week_one() -> None:
    assert action_due(DAY, False, DAY + timedelta(days=1)) == Due(
        Urgency.OVERDUE, DAY, "overdue-week-1"
    )


@pytest.mark.parametrize(
    ("days_late", "period"),
    [(1, "overdue-week-1"), (7, "overdue-week-1"), (8, "overdue-week-2"), (14, "overdue-week-2"),
     (15, "overdue-week-3"), (70, "overdue-week-10")],
)  # fmt: skip
def test_an_overdue_action_is_reminded_once_a_week(days_late: int, period: str) -> None:
    found = action_due(DAY, False, DAY + timedelta(days=days_late))
    assert found is not None and found.period == period and found.overdue


def test_an_action_due_in_seven_days_is_due_soon_and_in_eight_is_not() -> None:
    assert action_due(DAY + timedelta(days=7), False, DAY) is not None
    assert action_due(DAY + timedelta(days=8), False, DAY) is None


def test_a_done_action_or_one_with_no_due_date_is_never_due() -> None:
    assert action_due(DAY, True, DAY + timedelta(days=30)) is None
    assert action_due(None, False, DAY) is None


# --- invitations -----------------------------------------------------------------------------


def test_an_invitation_is_unanswered_on_day_14_not_day_13() -> None:
    sent = date(2026, 6, 1)
    assert invitation_due(sent, False, date(2026, 6, 14)) is None
    assert invitation_due(sent, False, date(2026, 6, 15)) == Due(
        Urgency.OVERDUE, date(2026, 6, 15), "unanswered"
    )


def test_an_unanswered_invitation_is_reminded_once_whatever_the_day() -> None:
    sent = date(2026, 1, 1)
    periods = {invitation_due(sent, False, sent + timedelta(days=d)).period for d in (14, 40, 400)}
    assert periods == {"unanswered"}


def test_an_answered_or_unsent_invitation_is_never_due() -> None:
    assert invitation_due(date(2026, 1, 1), True, DAY) is None
    assert invitation_due(None, False, DAY) is None


# --- assessments -----------------------------------------------------------------------------


def test_add_months_keeps_the_day_and_clamps_to_the_months_end() -> None:
    assert add_months(date(2025, 6, 10), 12) == date(2026, 6, 10)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_an_assessment_exactly_12_months_old_is_due_not_stale() -> None:
    found = assessment_due(date(2025, 6, 10), DAY)
    assert found == Due(Urgency.DUE_SOON, DAY, "due-soon")


def test_an_assessment_12_months_and_a_day_old_is_stale_for_this_month() -> None:
    found = assessment_due(date(2025, 6, 9), DAY)
    assert found == Due(Urgency.OVERDUE, date(2026, 6, 9), "month-2026-06")


def test_a_stale_assessment_is_reminded_once_a_calendar_month() -> None:
    completed = date(2024, 1, 5)
    periods = [assessment_due(completed, date(2026, m, d)).period for m, d in ((3, 1), (3, 31))]
    assert periods == ["month-2026-03", "month-2026-03"]
    assert assessment_due(completed, date(2026, 4, 1)).period == "month-2026-04"


def test_an_assessment_due_in_30_days_is_due_soon_and_in_31_is_not() -> None:
    assert assessment_due(add_months(DAY, -12) + timedelta(days=30), DAY) is not None
    assert assessment_due(add_months(DAY, -12) + timedelta(days=31), DAY) is None
    assert assessment_due(None, DAY) is None


# --- exclusions ------------------------------------------------------------------------------


def test_an_exclusion_is_due_until_day_30_then_overdue_weekly() -> None:
    decided = date(2026, 5, 1)
    last_day = date(2026, 5, 31)
    assert exclusion_due(Decision.EXCLUDED, decided, None, last_day) == Due(
        Urgency.DUE_SOON, last_day, "due"
    )
    late = exclusion_due(Decision.EXCLUDED, decided, None, last_day + timedelta(days=1))
    assert late == Due(Urgency.OVERDUE, last_day, "overdue-week-1")
    assert exclusion_due(Decision.EXCLUDED, decided, None, last_day + timedelta(days=8)).period == (
        "overdue-week-2"
    )


def test_an_exclusion_told_or_a_supplier_not_excluded_needs_no_reminder() -> None:
    decided = date(2026, 5, 1)
    assert exclusion_due(Decision.EXCLUDED, decided, date(2026, 5, 2), DAY) is None
    assert exclusion_due(Decision.NOT_EXCLUDED, decided, None, DAY) is None


# --- contract reviews ------------------------------------------------------------------------

STARTED = date(2025, 1, 15)


def test_a_contract_never_reviewed_is_due_12_months_after_its_start() -> None:
    assert contract_review_due(None, STARTED, None, date(2026, 1, 15)) == Due(
        Urgency.DUE_SOON, date(2026, 1, 15), "due-soon"
    )
    assert contract_review_due(None, STARTED, None, date(2026, 1, 16)) == Due(
        Urgency.OVERDUE, date(2026, 1, 15), "month-2026-01"
    )


def test_a_contract_review_counts_from_the_latest_review() -> None:
    reviewed = date(2025, 11, 1)
    assert contract_review_due(reviewed, STARTED, None, date(2026, 6, 1)) is None
    assert contract_review_due(reviewed, STARTED, None, date(2026, 10, 2)).period == "due-soon"
    assert contract_review_due(reviewed, STARTED, None, date(2026, 10, 1)) is None
    assert contract_review_due(reviewed, STARTED, None, date(2026, 11, 2)).overdue


def test_an_overdue_contract_review_is_reminded_once_a_calendar_month() -> None:
    periods = {contract_review_due(None, STARTED, None, date(2026, 3, d)).period for d in (1, 31)}
    assert periods == {"month-2026-03"}


def test_a_contract_not_started_or_ended_needs_no_review() -> None:
    assert contract_review_due(None, date(2027, 1, 1), None, date(2026, 6, 1)) is None
    assert contract_review_due(None, STARTED, date(2026, 5, 31), date(2026, 6, 1)) is None
    assert contract_review_due(None, STARTED, date(2026, 6, 1), date(2026, 6, 1)).overdue


# --- a statement's approval ------------------------------------------------------------------


def test_an_approval_awaited_is_reminded_once_an_iso_week() -> None:
    monday, sunday, next_monday = date(2026, 6, 8), date(2026, 6, 14), date(2026, 6, 15)
    assert approval_due(True, False, DEADLINE, monday).period == "week-2026-24"
    assert approval_due(True, False, DEADLINE, sunday).period == "week-2026-24"
    assert approval_due(True, False, DEADLINE, next_monday).period == "week-2026-25"


def test_an_approval_is_overdue_only_after_the_deadline() -> None:
    assert not approval_due(True, False, DEADLINE, DEADLINE).overdue
    assert approval_due(True, False, DEADLINE, DEADLINE + timedelta(days=1)).overdue


def test_an_approval_recorded_or_not_asked_for_needs_no_reminder() -> None:
    assert approval_due(True, True, DEADLINE, DAY) is None
    assert approval_due(False, False, DEADLINE, DAY) is None


# --- the statement deadline ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "period"),
    [(31, None), (30, "30-days"), (15, "30-days"), (14, "14-days"), (8, "14-days"),
     (7, "7-days"), (0, "7-days"), (-1, "missed"), (-100, "missed")],
)  # fmt: skip
def test_the_statement_is_reminded_at_30_14_and_7_days_and_when_missed(
    days_left: int, period: str | None
) -> None:
    found = statement_due(DEADLINE, False, DEADLINE - timedelta(days=days_left))
    assert (found.period if found else None) == period


def test_a_missed_deadline_is_overdue_and_a_published_statement_is_never_due() -> None:
    found = statement_due(DEADLINE, False, DEADLINE + timedelta(days=1))
    assert found is not None and found.overdue
    assert statement_due(DEADLINE, True, DEADLINE + timedelta(days=1)) is None


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "words"),
    [(-1, "Overdue by 1 day"), (-3, "Overdue by 3 days"), (0, "Due today"), (1, "Due in 1 day"),
     (5, "Due in 5 days")],
)  # fmt: skip
def test_when_a_task_is_due_in_words(offset: int, words: str) -> None:
    due = Due(Urgency.OVERDUE if offset < 0 else Urgency.DUE_SOON, DAY + timedelta(offset), "x")
    assert when_words(due, DAY) == words


def test_every_kind_has_a_label() -> None:
    assert all(kind.label for kind in ReminderKind)
