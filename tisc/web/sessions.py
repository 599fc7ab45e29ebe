"""How long a sign-in lasts: it ends after a spell without requests, and after a working day.

Signing out ends a session on the server too: it moves the user's session version on
(services/accounts/users.end_sessions), and Flask-Login's user loader refuses a cookie that
carries an older one. The times below live in the signed session cookie, so the server keeps
no per-session state and needs no write on each request.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

SEEN_AT = "seen_at"
SIGNED_IN_AT = "signed_in_at"
# The last-seen time is written again only after this many seconds: not every request needs
# a new cookie.
SEEN_GRANULARITY = 60


def now() -> float:
    """Seconds since the epoch; tests replace it with a fake clock."""
    return time.time()


def start() -> None:
    """Note the start of a sign-in in this session (after login_user)."""
    moment = int(now())
    session[SIGNED_IN_AT] = moment
    session[SEEN_AT] = moment


def idle_message(minutes: int) -> str:
    """What someone signed out for being idle reads on the sign-in page."""
    return (
        f"You have been signed out because you had not used tisc for {minutes} minutes. "
        "Sign in again to carry on."
    )


def _expired_message() -> str | None:
    """Why this signed-in session has ended, or None while it lasts."""
    cfg = current_app.config
    moment = now()
    seen_at = session.get(SEEN_AT)
    signed_in_at = session.get(SIGNED_IN_AT)
    if not isinstance(seen_at, int) or not isinstance(signed_in_at, int):
        # A session from before these times were kept: sign in again.
        return "Sign in again to carry on"
    idle = cfg["SESSION_IDLE_MINUTES"] * 60
    if moment - seen_at > idle:
        return idle_message(cfg["SESSION_IDLE_MINUTES"])
    if moment - signed_in_at > current_app.permanent_session_lifetime.total_seconds():
        return "You have been signed out because you signed in a long time ago. Sign in again."
    return None


def init_app(app: Flask) -> None:
    """End idle and old sessions before each request; note when a session was last used."""

    @app.before_request
    def end_idle_sessions() -> Response | None:
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        message = _expired_message()
        if message is None:
            if now() - session[SEEN_AT] >= SEEN_GRANULARITY:
                session[SEEN_AT] = int(now())
            return None
        logout_user()
        session.clear()
        flash(message, "info")
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "access_rule", "public") == "public":
            return None  # the page carries on for someone not signed in
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.sign_in", next=target))
