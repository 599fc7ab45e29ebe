"""Your tasks: each signed-in person's tasks for the bodies they belong to, overdue first, then
due soon, each linking to the page where it is done."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from tisc.rules.reminders import Urgency
from tisc.services.reminders.tasks import tasks_for
from tisc.web.access import signed_in, signed_in_user
from tisc.web.years import today

bp = Blueprint("tasks", __name__)


@bp.get("/tasks")
@signed_in
def index() -> str:
    """The signed-in person's own tasks, grouped: overdue, then due soon."""
    day = today()
    # Each task names its page by its endpoint in full (services/reminders/tasks).
    found = [
        (t, url_for(t.endpoint, **t.args)) for t in tasks_for(user=signed_in_user(), today=day)
    ]
    return render_template(
        "tasks/index.html",
        title="Your tasks",
        today=day,
        overdue=[(t, href) for t, href in found if t.due.urgency is Urgency.OVERDUE],
        due_soon=[(t, href) for t, href in found if t.due.urgency is Urgency.DUE_SOON],
    )
