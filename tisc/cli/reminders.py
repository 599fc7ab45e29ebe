"""The daily reminders: `flask --app tisc send-reminders`, for a schedule (cron or a systemd
timer; README)."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app, url_for

from tisc.cli.common import one_transaction
from tisc.mail import configured_mailer
from tisc.rules.reminders import ReminderKind
from tisc.services.reminders.sending import send_reminders
from tisc.services.reminders.tasks import Task


def _link(task: Task) -> str:
    """The task's page as a full address (TISC_BASE_URL, else http://127.0.0.1:5000)."""
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        return url_for(task.endpoint, _external=True, **task.args)


@click.command("send-reminders")
@click.option(
    "--date", "on_day", type=click.DateTime(formats=["%Y-%m-%d"]), help="the day (default today)"
)
@click.option("--dry-run", is_flag=True, help="list what would be sent; send and record nothing")
@click.option("--json", "as_json", is_flag=True, help='print {"sent": N, "by_kind": {...}}')
@one_transaction
def send_reminders_command(on_day: object, dry_run: bool, as_json: bool) -> None:
    """Email each person the reminders due for their tasks, each once per period."""
    today = on_day.date() if on_day is not None else date.today()  # type: ignore[attr-defined]
    outcome = send_reminders(today=today, mailer=configured_mailer(), link=_link, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"sent": outcome.sent, "by_kind": outcome.by_kind}))
        return
    verb = "Would send" if dry_run else "Sent"
    for user, tasks in outcome.due:
        for task in tasks:
            click.echo(f"{user.email}\t{task.kind.value}\t{task.record}\t{task.due.period}")
    kinds = ", ".join(
        f"{ReminderKind(kind).label}: {count:,}" for kind, count in outcome.by_kind.items()
    )
    people = len(outcome.due)
    click.echo(
        f"{verb} {outcome.sent:,} {'reminder' if outcome.sent == 1 else 'reminders'} to "
        f"{people:,} {'person' if people == 1 else 'people'}" + (f" ({kinds})" if kinds else "")
    )
