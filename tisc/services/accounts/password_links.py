"""One-time links for a person to set their own password: a new user's first, or a new one.

A link carries a random token; only its SHA-256 is stored, so a copy of the database gives
no working link. A link works once, until it expires, and issuing a new one for the same
person retires the old one. Setting a password from a link proves the person holds the link,
so their address becomes one they signed in from (see users.authenticate's throttling).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select, update

from tisc.database import db
from tisc.mail import configured_mailer
from tisc.models import PasswordLink, User
from tisc.rules import throttle
from tisc.rules.passwords import password_problem
from tisc.rules.years import long_date
from tisc.services.accounts.passwords import hash_password
from tisc.services.accounts.users import remember_address
from tisc.services.errors import DomainError, ValidationError

TOKEN_BYTES = 32
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


class LinkProblem(StrEnum):
    """Why a password link does not work."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class PasswordLinkError(DomainError):
    """The link does not work; `problem` says why, in a way the page can put in words."""

    status_code = 410

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(LINK_PROBLEM_WORDS[problem])
        self.problem = problem


LINK_PROBLEM_WORDS = {
    LinkProblem.UNKNOWN: "This link does not work",
    LinkProblem.USED: "This link has already been used",
    LinkProblem.EXPIRED: "This link has expired",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def issue_password_link(*, user: User, now: datetime | None = None) -> tuple[PasswordLink, str]:
    """A new link for this person; their earlier links stop working. Returns the link and its
    token, which is shown once: only its hash is kept."""
    now = now or datetime.now(UTC)
    db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.replaced_at.is_(None),
        )
        .values(replaced_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PasswordLink(
        user_id=user.id,
        token_hash=_hash(token),
        expires_at=now + timedelta(days=current_app.config["PASSWORD_LINK_DAYS"]),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def open_password_link(*, token: str, now: datetime | None = None) -> PasswordLink:
    """The link this token belongs to, if it still works; PasswordLinkError saying why not."""
    now = now or datetime.now(UTC)
    link = None
    if _TOKEN.match(token or ""):
        link = db.session.scalar(
            select(PasswordLink).where(PasswordLink.token_hash == _hash(token))
        )
    if link is None or not link.user.active:
        raise PasswordLinkError(LinkProblem.UNKNOWN)
    if link.used_at is not None:
        raise PasswordLinkError(LinkProblem.USED)
    if link.replaced_at is not None or _aware(link.expires_at) <= now:
        # A replaced link is as good as expired: the person asks for (or has) a newer one.
        raise PasswordLinkError(LinkProblem.EXPIRED)
    return link


def set_password_from_link(
    *, token: str, password: str, address: str | None = None, now: datetime | None = None
) -> User:
    """Set the person's password from their link, which then stops working. Other sessions
    end, and a lock from failed sign-ins is lifted (they have just proved who they are)."""
    now = now or datetime.now(UTC)
    link = open_password_link(token=token, now=now)
    user = link.user
    problem = password_problem(password, email=user.email)
    if problem:
        raise ValidationError(problem, field="password")
    user.password_hash = hash_password(password)
    user.session_version += 1
    throttle.record_success(user)
    link.used_at = now
    db.session.flush()
    remember_address(user=user, address=address, now=now)
    return user


def password_link_message(*, user: User, link: str, expires_at: datetime) -> tuple[str, str]:
    """The email that gives a person their link: its subject and body, in plain words."""
    expires = long_date(_aware(expires_at))
    body = (
        f"Hello {user.name},\n\n"
        "An administrator has given you an account on tisc, the modern slavery transparency "
        "service, or asked for a new password for you.\n\n"
        f"Create your password here:\n{link}\n\n"
        f"The link works once, until {expires}. If it has expired, ask your administrator for "
        "a new one. If you did not expect this email, you can ignore it.\n"
    )
    return "Create your password for tisc", body


def send_password_link(*, user: User, link: str, expires_at: datetime) -> bool:
    """Send the link by the configured mailer; False when email is off."""
    mailer = configured_mailer()
    if mailer is None:
        return False
    subject, body = password_link_message(user=user, link=link, expires_at=expires_at)
    mailer.send(to=user.email, subject=subject, body=body)
    return True
