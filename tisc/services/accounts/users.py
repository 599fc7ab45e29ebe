"""Accounts: creating users, signing in with throttling, passwords and memberships."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tisc.database import db
from tisc.models import (
    KnownSignInAddress,
    LoginAddressThrottle,
    LoginThrottle,
    Membership,
    Organisation,
    Partnership,
    Role,
    User,
)
from tisc.rules import throttle
from tisc.rules.passwords import password_problem
from tisc.rules.throttle import Throttled, Windowed
from tisc.services.accounts.passwords import NO_PASSWORD, hash_password, verify_password
from tisc.services.errors import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    ThrottledError,
    ValidationError,
)

SIGN_IN_FAILED = "Enter a correct email address and password"


def normalise_email(email: str) -> str:
    """The stored form of an email address: trimmed and lowercase."""
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """A valid, normalised email address; ValidationError otherwise."""
    email = normalise_email(email)
    if not email:
        raise ValidationError("Enter an email address", field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            "Enter an email address in the correct format, like name@example.org", field="email"
        ) from None
    return email


def find_user(*, email: str) -> User | None:
    """The user with this email address, or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user(*, user_id: int) -> User:
    """The user with this id; NotFoundError when there is none."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError("There is no such user")
    return user


def load_session_user(session_id: str) -> User | None:
    """The user for a Flask-Login session id "<id>:<session_version>", if still valid."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def list_users() -> Sequence[User]:
    """Every user, by name."""
    return db.session.scalars(select(User).order_by(User.name, User.email)).all()


def count_users() -> int:
    """How many users exist."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    *,
    email: str,
    name: str,
    password: str | None = None,
    role: Role | str | None = None,
    organisation: Organisation | None = None,
    partnership: Partnership | None = None,
) -> User:
    """Create a user, with a first membership when a role is given.

    Without a password the person cannot sign in until they set one from a one-time link
    (password_links.issue_password_link): no one else ever types it.
    """
    email = check_email(email)
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter the person's name", field="name")
    problem = password_problem(password, email=email) if password is not None else None
    if problem:
        raise ValidationError(problem, field="password")
    if find_user(email=email) is not None:
        raise DuplicateError(
            f"There is already a user with the email address {email}", field="email"
        )
    password_hash = hash_password(password) if password is not None else NO_PASSWORD
    user = User(email=email, name=name, password_hash=password_hash)
    db.session.add(user)
    if role is not None:
        add_membership(user=user, role=role, organisation=organisation, partnership=partnership)
    db.session.flush()
    return user


def add_membership(
    *,
    user: User,
    role: Role | str,
    organisation: Organisation | None = None,
    partnership: Partnership | None = None,
) -> Membership:
    """Give a user a role in an organisation, a partnership, or (admin) the system."""
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError("Select a role", field="role") from None
    if role.scope == "organisation" and (organisation is None or partnership is not None):
        raise ValidationError("Choose the organisation this person works for", field="scope")
    if role.scope == "partnership" and (partnership is None or organisation is not None):
        raise ValidationError("Choose the partnership this person works for", field="scope")
    if role.scope == "system" and (organisation is not None or partnership is not None):
        raise ValidationError(
            "Choose None for an administrator: they work across every organisation",
            field="scope",
        )
    for existing in user.memberships:
        if (
            existing.role is role
            and existing.organisation_id == (organisation.id if organisation else None)
            and existing.partnership_id == (partnership.id if partnership else None)
        ):
            raise DuplicateError(f"This person is already a {role.label.lower()} there")
    membership = Membership(role=role, organisation=organisation, partnership=partnership)
    user.memberships.append(membership)
    db.session.flush()
    return membership


def get_membership(*, user: User, membership_id: int) -> Membership:
    """One of the person's roles; NotFoundError for anyone else's."""
    membership = next((m for m in user.memberships if m.id == membership_id), None)
    if membership is None:
        raise NotFoundError("There is no such role for this person")
    return membership


def remove_membership(*, user: User, membership_id: int) -> None:
    """Take a role away; refuses to remove the last administrator."""
    membership = next((m for m in user.memberships if m.id == membership_id), None)
    if membership is None:
        raise NotFoundError("There is no such role for this person")
    if membership.role is Role.ADMIN and count_admins() <= 1:
        raise ValidationError("You cannot remove the last administrator")
    user.memberships.remove(membership)
    db.session.flush()


def count_admins() -> int:
    """How many active users hold the admin role."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(Membership.user_id)))
            .join(User)
            .where(Membership.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def update_user(*, user: User, expected_version: int, name: str, active: bool) -> None:
    """Change a user's name or whether they can sign in."""
    if user.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this person while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter the person's name", field="name")
    if not active and user.is_admin and count_admins() <= 1:
        raise ValidationError("You cannot deactivate the last administrator", field="active")
    user.name = name
    if user.active and not active:
        user.session_version += 1  # signs them out everywhere
    user.active = active
    db.session.flush()


def _throttle_record_for_unknown(email: str) -> LoginThrottle:
    """The failure count of an address with no account; a new one is added when saved."""
    digest = hashlib.sha256(email.encode()).hexdigest()
    record = db.session.get(LoginThrottle, digest)
    return record or LoginThrottle(email_digest=digest, failed_login_count=0)


# A sign-in that meets a simultaneous one for the same account re-reads and tries again.
_SAVE_ATTEMPTS = 5


def _save_outcome(record_of: Callable[[], Any], change: Callable[[Any], None]) -> None:
    """Apply a sign-in's outcome to its record, even when another sign-in saved it first.

    Two sign-ins to one account at the same moment both change its row (failure count, last
    sign-in); the version check turns the second into StaleDataError, and two first failures
    for one unknown address both insert its throttle row. Each is retried on a fresh read, so
    neither user sees an error and no failure goes uncounted.
    """
    for attempt in range(_SAVE_ATTEMPTS):
        try:
            with db.session.begin_nested():
                record = record_of()
                db.session.add(record)
                change(record)
            return
        except (StaleDataError, IntegrityError):
            if attempt == _SAVE_ATTEMPTS - 1:
                raise
            db.session.expire_all()


def address_digest(address: str | None) -> str:
    """What is stored for a client address: keyed with the secret key, so a copy of the
    database does not list the addresses people signed in from."""
    key = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def _address_record_of(digest: str) -> Callable[[], Windowed]:
    def record_of() -> Windowed:
        record = db.session.get(LoginAddressThrottle, digest)
        return record or LoginAddressThrottle(address_digest=digest, failed_login_count=0)

    return record_of


def _is_known_address(user: User | None, digest: str, now: datetime) -> bool:
    """True when this user signed in from this address recently."""
    if user is None:
        return False
    since = now - timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
    return (
        db.session.scalar(
            select(func.count())
            .select_from(KnownSignInAddress)
            .where(
                KnownSignInAddress.user_id == user.id,
                KnownSignInAddress.address_digest == digest,
                KnownSignInAddress.last_success_at >= since,
            )
        )
        or 0
    ) > 0


def remember_address(*, user: User, address: str | None, now: datetime | None = None) -> None:
    """Note that this user proved who they are from this address (a sign-in, a password
    link): failures from elsewhere then never lock them out here. Old ones are forgotten."""
    now = now or datetime.now(UTC)
    digest = address_digest(address)
    since = now - timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
    db.session.execute(
        delete(KnownSignInAddress).where(
            KnownSignInAddress.user_id == user.id, KnownSignInAddress.last_success_at < since
        )
    )

    def record_of() -> KnownSignInAddress:
        known = db.session.get(KnownSignInAddress, (user.id, digest))
        return known or KnownSignInAddress(user_id=user.id, address_digest=digest)

    def stamp(known: KnownSignInAddress) -> None:
        known.last_success_at = now

    _save_outcome(record_of, stamp)


def _throttled() -> ThrottledError:
    return ThrottledError(
        f"Too many failed attempts to sign in. Wait {current_app.config['LOGIN_LOCK_MINUTES']} "
        "minutes and try again, or ask your administrator to help."
    )


def authenticate(
    *, email: str, password: str, address: str | None = None, now: datetime | None = None
) -> User:
    """The user these credentials belong to, for a sign-in from this client address.

    Raises ThrottledError, before any password is hashed, while the address has failed too
    often (to any accounts), or while the account is locked and the address is not one the
    user signed in from recently (known or not, so the answer never reveals whether an
    account exists); ValidationError for wrong details. Failures are counted in the session;
    the caller commits either way so that the count is kept. The design is in the README
    ("Sign-in throttling").
    """
    now = now or datetime.now(UTC)
    cfg = current_app.config
    email = normalise_email(email)
    user = find_user(email=email) if email else None
    digest = address_digest(address)
    address_record_of = _address_record_of(digest)

    def record_of() -> Throttled:
        if user is None:
            return _throttle_record_for_unknown(email)
        # Re-read under a row lock: simultaneous sign-ins to one account then take turns,
        # each on the latest version. (Retrying alone is not enough on PostgreSQL: a re-read
        # sees the old version until the other sign-in commits, so sixteen at once ran out
        # of retries.) SQLite ignores FOR UPDATE; its writers already take turns. The lock
        # is taken on the id alone: a locked load of the User itself checks the version it
        # holds against the row's and raises StaleDataError, the very thing to avoid.
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
        db.session.refresh(user)
        return user

    if throttle.is_locked(address_record_of(), now=now):
        raise _throttled()
    if throttle.is_locked(record_of(), now=now) and not _is_known_address(user, digest, now):
        raise _throttled()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        _save_outcome(
            record_of,
            lambda record: throttle.record_failure(
                record,
                now=now,
                max_failures=cfg["LOGIN_MAX_FAILURES"],
                lock_minutes=cfg["LOGIN_LOCK_MINUTES"],
            ),
        )
        _save_outcome(
            address_record_of,
            lambda record: throttle.record_failure_in_window(
                record,
                now=now,
                max_failures=cfg["LOGIN_ADDRESS_MAX_FAILURES"],
                window_minutes=cfg["LOGIN_LOCK_MINUTES"],
            ),
        )
        raise ValidationError(SIGN_IN_FAILED, field="email")

    def succeed(record: Throttled) -> None:
        throttle.record_success(record)
        user.last_login_at = now

    _save_outcome(record_of, succeed)
    remember_address(user=user, address=address, now=now)
    return user


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Change a password after checking the current one; ends other sessions."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationError("Your current password is not correct", field="current_password")
    problem = password_problem(new_password, email=user.email)
    if problem:
        raise ValidationError(problem, field="new_password")
    if verify_password(user.password_hash, new_password):
        raise ValidationError(
            "Your new password must be different from your current one", field="new_password"
        )
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    db.session.flush()


def end_sessions(*, user: User) -> None:
    """End every signed-in session of this user (signing out, on every device).

    One version per user rather than a row per session: the check costs nothing (the user is
    loaded on each request anyway) and nothing is written while someone merely reads pages.
    """
    user.session_version += 1
    db.session.flush()


def user_organisations(*, user: User) -> list[Organisation]:
    """Every organisation the user can see, through any membership, by name."""
    seen: dict[int, Organisation] = {}
    for membership in user.memberships:
        if membership.organisation is not None:
            seen[membership.organisation.id] = membership.organisation
        if membership.partnership is not None:
            for org in membership.partnership.organisations:
                seen[org.id] = org
    return sorted(seen.values(), key=lambda o: o.name)
