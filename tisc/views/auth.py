"""Signing in and out, changing your password, and creating it from a one-time link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    after_this_request,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tisc.extensions import db
from tisc.forms import add_error
from tisc.forms.auth import ChangePasswordForm, CreatePasswordForm, SignInForm
from tisc.rules.passwords import MIN_PASSWORD_LENGTH
from tisc.services.accounts import password_links, users
from tisc.services.accounts.password_links import LinkProblem, PasswordLinkError
from tisc.services.audit.chain import Actor, acting_as
from tisc.services.errors import ThrottledError, ValidationError
from tisc.web import sessions
from tisc.web.access import public, signed_in, signed_in_user
from tisc.web.saving import saving

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> str | Response:
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = users.authenticate(
                email=form.email.data, password=form.password.data, address=request.remote_addr
            )
        except (ValidationError, ThrottledError) as error:
            db.session.commit()  # keep the failure count
            add_error(form, error, default_field="email")
            status = 429 if isinstance(error, ThrottledError) else 200
            return render_template("auth/sign_in.html", title="Sign in", form=form), status
        db.session.commit()
        session.clear()  # a fresh session on sign-in: no fixation
        login_user(user)
        sessions.start()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", title="Sign in", form=form)


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    """Sign out (a POST, so that another site cannot sign you out).

    The user's session version moves on, so a copy of this session's cookie stops working.
    """
    if current_user.is_authenticated:
        users.end_sessions(user=signed_in_user())
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> str | Response:
    """Change your own password; other sessions end."""
    form = ChangePasswordForm()
    user = signed_in_user()
    if form.validate_on_submit():
        with saving(form, field="new_password") as saved:
            users.change_password(
                user=user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
        if saved:
            login_user(user)  # the session id carries the new session version
            flash("Your password has been changed", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", title="Change your password", form=form)


def _link_problem(error: PasswordLinkError) -> tuple[str, int]:
    """A password link that does not work says why, in words."""
    status = 404 if error.problem is LinkProblem.UNKNOWN else 410
    return (
        render_template(
            "auth/password_link_problem.html", title=error.message, problem=error.problem.value
        ),
        status,
    )


@bp.route("/create-password/<token>", methods=["GET", "POST"])
@public
def create_password(token: str) -> str | Response | tuple[str, int]:
    """Create your password from the one-time link an administrator sent you."""

    @after_this_request
    def keep_the_link_private(response: Response) -> Response:
        # The token is in the address: never send it on to another site, never cache it.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    try:
        link = password_links.open_password_link(token=token)
    except PasswordLinkError as error:
        return _link_problem(error)
    form = CreatePasswordForm()
    if form.validate_on_submit():
        # The audit trail names the person whose link it is: nobody is signed in.
        with (
            acting_as(Actor(link.user.id, link.user.email)),
            saving(form, field="password", passes=(PasswordLinkError,)) as saved,
        ):
            password_links.set_password_from_link(
                token=token, password=form.password.data, address=request.remote_addr
            )
        if saved:
            # This browser may be signed in as someone else (an administrator trying the
            # link): the person starts afresh on the sign-in page.
            logout_user()
            session.clear()
            flash(
                "Your password has been created. Sign in with your email address and password.",
                "success",
            )
            return redirect(url_for("auth.sign_in"))
    return render_template(
        "auth/create_password.html",
        title="Create a password",
        form=form,
        user=link.user,
        min_length=MIN_PASSWORD_LENGTH,
    )
