"""Access decorators: the one rule each view declares (roles and permissions are tisc.rules.authz).

Every view carries exactly one access rule from this module; tests/integration/test_routes.py
walks app.url_map and fails on a view without one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, g, make_response, request
from flask_login import current_user, login_required

from tisc.extensions import db
from tisc.rules.authz import (
    Permission,
    may_manage_incidents,
    permissions_from,
    roles_in_organisation,
    roles_in_partnership,
)
from tisc.services.accounts.organisations import find_organisation, find_partnership
from tisc.services.assessments.invitations import open_invitation
from tisc.services.audit.chain import Actor, acting_as
from tisc.services.audit.reading import reader_scope
from tisc.services.errors import DomainError
from tisc.web.errors import render_error

if TYPE_CHECKING:
    from tisc.models import User

F = TypeVar("F", bound=Callable[..., Any])


def signed_in_user() -> User:
    """The signed-in user as a model, not Flask-Login's proxy (services store its id)."""
    return current_user._get_current_object()


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


def incident_access(view: F) -> F:
    """The route takes <org_slug>: a body's incidents, for its statement and procurement leads
    and administrators only. Anyone else signed in answers 404, not 403 (that a body has an
    incident log is itself not shown). `g.org` is the organisation for the view."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        org = find_organisation(slug=kwargs["org_slug"])
        if org is None or not may_manage_incidents(current_user, org):
            abort(404)
        roles = roles_in_organisation(current_user, org)
        g.org, g.org_roles, g.org_permissions = org, roles, permissions_from(roles)
        return view(*args, **kwargs)

    return _mark(login_required(wrapped), f"incidents:{Permission.MANAGE_INCIDENTS}")


def partnership_access(permission: Permission) -> Callable[[F], F]:
    """The route takes <partnership_slug>; the user needs `permission` in that partnership."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
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
                title = getattr(error, "title", None)  # a link says what became of it
                response = make_response(
                    render_error(error.status_code, error.message, title=title)
                )
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
