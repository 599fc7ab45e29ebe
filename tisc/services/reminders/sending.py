"""Sending reminders: each person's tasks that have a reminder not yet sent for its period,
in one email per person, each reminder kept (`SentReminder`) so that a second run on the same
day, or any day in the same period, sends nothing new."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tisc.database import db
from tisc.mail import Mailer
from tisc.models import SentReminder, User
from tisc.rules.reminders import ReminderKind
from tisc.rules.years import long_date
from tisc.services.errors import ValidationError
from tisc.services.reminders.tasks import Task, people_to_remind, tasks_for


@dataclass
class Outcome:
    """What a run sent (or, dry, would send): each person's new reminders, and the counts."""

    due: list[tuple[User, list[Task]]] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(len(tasks) for _, tasks in self.due)

    @property
    def by_kind(self) -> dict[str, int]:
        counts = Counter(task.kind.value for _, tasks in self.due for task in tasks)
        return {kind.value: counts[kind.value] for kind in ReminderKind if counts[kind.value]}


def _already_sent(user: User) -> set[tuple[str, str, str]]:
    rows = db.session.execute(
        select(SentReminder.kind, SentReminder.record, SentReminder.period).where(
            SentReminder.user_id == user.id
        )
    )
    return {(kind, record, period) for kind, record, period in rows}


def new_reminders(*, user: User, today: date) -> list[Task]:
    """The person's tasks whose reminder for this period has not been sent."""
    sent = _already_sent(user)
    return [
        task
        for task in tasks_for(user=user, today=today)
        if (task.kind.value, task.record, task.due.period) not in sent
    ]


def reminder_message(
    *, user: User, tasks: list[Task], today: date, link: Callable[[Task], str]
) -> tuple[str, str]:
    """The email: its subject and plain-text body, each task with when and where to do it."""
    count = len(tasks)
    subject = f"tisc: {count} {'task needs' if count == 1 else 'tasks need'} your attention"
    lines = [f"Hello {user.name},", "", f"Your tasks on tisc on {long_date(today)}:", ""]
    for task in tasks:
        lines += [f"- {task.what} ({task.body}): {task.when(today)}", f"  {link(task)}", ""]
    lines.append("You get one reminder for each task in each period; see all your tasks on tisc.")
    return subject, "\n".join(lines) + "\n"


def send_reminders(
    *,
    today: date,
    mailer: Mailer | None,
    link: Callable[[Task], str],
    dry_run: bool = False,
) -> Outcome:
    """Send each person one email with their reminders not yet sent for the period, and keep
    each; dry, only say what would be sent. ValidationError when email is off and not dry."""
    if mailer is None and not dry_run:
        raise ValidationError(
            "Email is off: set TISC_MAIL_BACKEND to send reminders, or use --dry-run"
        )
    outcome = Outcome()
    for user in people_to_remind():
        tasks = new_reminders(user=user, today=today)
        if not tasks:
            continue
        outcome.due.append((user, tasks))
        if dry_run or mailer is None:
            continue
        subject, body = reminder_message(user=user, tasks=tasks, today=today, link=link)
        mailer.send(to=user.email, subject=subject, body=body)
        for task in tasks:
            db.session.add(
                SentReminder(
                    user_id=user.id,
                    kind=task.kind.value,
                    record=task.record,
                    period=task.due.period,
                )
            )
        # Flushed as each email goes: the unique key refuses a reminder kept twice at once.
        db.session.flush()
    return outcome
