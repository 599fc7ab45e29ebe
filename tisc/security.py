"""Roles and permissions, access decorators, password hashing and security headers.

Every view carries exactly one access rule from this module; tests/integration/test_routes.py
walks app.url_map and fails on a view without one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, current_app, g, make_response, request
from flask_login import current_user, login_required

from tisc.models import Organisation, Partnership, Role
from tisc.services.audit import Actor, acting_as

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    """What a role may do, within the scope its membership gives."""

    READ_ORGANISATION = "read_organisation"
    MANAGE_REGISTER = "manage_register"
    MANAGE_STATEMENT = "manage_statement"
    READ_PARTNERSHIP = "read_partnership"
    EDIT_JOINT = "edit_joint"
    MANAGE_CATEGORIES = "manage_categories"
    MANAGE_QUESTIONNAIRE = "manage_questionnaire"
    ADMINISTER = "administer"
    READ_AUDIT = "read_audit"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            Permission.ADMINISTER,
            Permission.MANAGE_CATEGORIES,
            Permission.MANAGE_QUESTIONNAIRE,
            Permission.READ_AUDIT,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            Permission.READ_ORGANISATION,
            Permission.READ_PARTNERSHIP,
            Permission.EDIT_JOINT,
            Permission.MANAGE_CATEGORIES,
            Permission.MANAGE_QUESTIONNAIRE,
        }
    ),
    Role.BOARD: frozenset(
        {Permission.READ_ORGANISATION, Permission.READ_PARTNERSHIP, Permission.READ_AUDIT}
    ),
    Role.PROCUREMENT: frozenset({Permission.READ_ORGANISATION, Permission.MANAGE_REGISTER}),
    Role.STATEMENT: frozenset({Permission.READ_ORGANISATION, Permission.MANAGE_STATEMENT}),
    Role.VIEWER: frozenset({Permission.READ_ORGANISATION}),
}


def permissions_from(roles: Iterable[Role]) -> frozenset[Permission]:
    """The union of what the given roles allow."""
    result: set[Permission] = set()
    for role in roles:
        result |= ROLE_PERMISSIONS[role]
    return frozenset(result)


def roles_in_organisation(user: Any, org: Organisation) -> frozenset[Role]:
    """The roles a user holds that reach this organisation (directly or by partnership)."""
    partnership_ids = {p.id for p in org.partnerships}
    return frozenset(
        m.role
        for m in user.memberships
        if m.organisation_id == org.id
        or (m.partnership_id is not None and m.partnership_id in partnership_ids)
    )


def roles_in_partnership(user: Any, partnership: Partnership) -> frozenset[Role]:
    """The roles that reach a partnership: its coordinators and board, and administrators."""
    return frozenset(
        m.role
        for m in user.memberships
        if m.partnership_id == partnership.id or m.role is Role.ADMIN
    )


# --- access rules -------------------------------------------------------------------------


def _mark(view: F, rule: str) -> F:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Anyone, signed in or not, may use this route."""
    return _mark(view, "public")


def signed_in(view: F) -> F:
    """Any signed-in user may use this route; it shows only their own things."""
    return _mark(login_required(view), "signed_in")


def admin_only(view: F) -> F:
    """Only administrators."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return _mark(login_required(wrapped), "admin")


def organisation_access(permission: Permission) -> Callable[[F], F]:
    """The route takes <org_slug>; the user needs `permission` within that organisation.

    An organisation the user cannot see at all answers 404 (its existence is not revealed);
    one they can see but not act on in this way answers 403. The organisation and the user's
    roles in it are put on `g.org` and `g.org_roles` for the view.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from tisc.services.organisations import find_organisation

            org = find_organisation(slug=kwargs["org_slug"])
            roles = roles_in_organisation(current_user, org) if org else frozenset()
            allowed = permissions_from(roles)
            if org is None or Permission.READ_ORGANISATION not in allowed:
                abort(404)
            if permission not in allowed:
                abort(403)
            g.org, g.org_roles, g.org_permissions = org, roles, allowed
            return view(*args, **kwargs)

        return _mark(login_required(wrapped), f"organisation:{permission}")

    return decorator


def partnership_access(permission: Permission) -> Callable[[F], F]:
    """The route takes <partnership_slug>; the user needs `permission` in that partnership."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from tisc.services.organisations import find_partnership

            partnership = find_partnership(slug=kwargs["partnership_slug"])
            roles = roles_in_partnership(current_user, partnership) if partnership else frozenset()
            allowed = permissions_from(roles)
            # Administrators see a partnership's set-up (categories), never its registers.
            visible = Permission.READ_PARTNERSHIP in allowed or permission in allowed
            if partnership is None or not visible:
                abort(404)
            if permission not in allowed:
                abort(403)
            g.partnership, g.partnership_roles = partnership, roles
            return view(*args, **kwargs)

        return _mark(login_required(wrapped), f"partnership:{permission}")

    return decorator


def audit_reader(view: F) -> F:
    """Administrators (every event) and board members (their partnerships' bodies' events).

    Anyone else signed in answers 403. What a reader may see is put on `g.audit_scope`.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from tisc.services.audit_trail import reader_scope

        scope = reader_scope(user=current_user)
        if scope is None:
            abort(403)
        g.audit_scope = scope
        return view(*args, **kwargs)

    return _mark(login_required(wrapped), "audit_reader")


def invitation_link(view: F) -> F:
    """A supplier's self-assessment pages: the route takes <token>, which must still work.

    No account is needed; the link reaches one assessment of one supplier, put on
    `g.invitation`. A bad link answers with a plain message and nothing else.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from tisc.errors import render_error
        from tisc.extensions import db
        from tisc.services.errors import DomainError
        from tisc.services.invitations import open_invitation

        def supplier() -> Actor:
            invitation = g.get("invitation")
            number = f" #{invitation.id}" if invitation is not None else ""
            return Actor(None, f"supplier by invitation link{number}")

        with acting_as(supplier):
            try:
                g.invitation = open_invitation(
                    token=kwargs["token"], client=request.remote_addr or ""
                )
            except DomainError as error:
                db.session.commit()  # keeps the count of links that do not work
                response = make_response(render_error(error.status_code, error.message))
            else:
                db.session.commit()  # keeps the first opening, shown in the outbox
                response = make_response(view(*args, **kwargs))
        # The token is in the address: never send it on to another site, never cache it.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    return _mark(wrapped, "invitation_link")


def access_rule_of(view: Callable[..., Any]) -> str | None:
    """The access rule a view declares, or None."""
    return getattr(view, "access_rule", None)


# --- passwords ------------------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 12
_COMMON = {"password", "passw0rd", "letmein", "qwerty", "welcome", "123456", "changeme"}


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why a new password is too weak, in plain words, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    lowered = password.lower()
    if any(word in lowered for word in _COMMON) or len(set(password)) < 5:
        return "Password is too easy to guess; use three or four random words"
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return "Password must not contain your email address"
    return None


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Spends the same effort when there is no hash."""
    hasher = _hasher()
    if password_hash is None:
        # Hash anyway so an unknown email takes as long as a wrong password.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- headers --------------------------------------------------------------------------------


def csp_nonce() -> str:
    """This request's CSP nonce, made when first needed.

    Made on demand rather than in a before_request hook: a request refused by an earlier
    hook (a missing CSRF token, a body over the size limit) still renders an error page whose
    inline script needs the nonce that its header names.
    """
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def person_signed_in() -> Actor:
    """The audit trail's actor for a request: the signed-in person, or nobody signed in."""
    if current_user.is_authenticated:
        return Actor(current_user.id, current_user.email)
    return Actor(None, "someone not signed in")


def init_app(app: Flask) -> None:
    """Label each request's changes, give it a CSP nonce and set security headers."""

    @app.before_request
    def label_changes() -> None:
        # Asked at commit, not now: someone signing in is signed in by then. Views that act
        # for someone else (a supplier's link) label their own block with acting_as.
        g.audit_label = ExitStack()
        g.audit_label.enter_context(acting_as(person_signed_in))

    @app.teardown_request
    def end_label(_error: BaseException | None) -> None:
        # Threads are reused between requests: leave no label behind.
        scope = g.pop("audit_label", None)
        if scope is not None:
            scope.close()

    @app.context_processor
    def inject_nonce() -> dict[str, str]:
        return {"csp_nonce": csp_nonce()}

    @app.after_request
    def set_headers(response: Any) -> Any:
        nonce = csp_nonce()
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["HSTS"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Check the endpoint first: static files need no user loaded from the database.
        if request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
