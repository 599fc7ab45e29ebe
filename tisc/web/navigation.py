"""The service navigation: its links as data (which person sees each, where it goes, which pages
it is current on), made into the links for this request. templates/components/navigation.html
draws them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from flask import g, request, url_for
from flask_login import current_user

from tisc.rules.authz import ROLE_PERMISSIONS, Permission, may_manage_incidents


class Shown(Enum):
    """When a link is shown, and which address it takes."""

    ALWAYS = "always"  # to anyone signed in
    IN_A_BODY = "in a body"  # a body is in view: the page's, or the person's only one
    TO_INCIDENT_LEADS = "to incident leads"  # a body is in view and its incidents are theirs
    IN_A_PARTNERSHIP = "in a partnership"  # the person has a partnership role
    IN_A_PARTNERSHIP_ONLY = "in a partnership only"  # ...and no body is in view
    TO_ADMINISTRATORS = "to administrators"
    TO_AUDIT_READERS = "to audit readers"  # a role that reads the audit trail


@dataclass(frozen=True)
class NavItem:
    """A link: its text, its endpoint, when it is shown, and the endpoints (by prefix) of the
    pages where it is the current one."""

    text: str
    endpoint: str
    shown: Shown
    current_on: tuple[str, ...]


STATEMENT_PAGES = ("statements.", "statement_documents.")

NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "main.home", Shown.ALWAYS, ("main.home",)),
    NavItem("Your tasks", "tasks.index", Shown.ALWAYS, ("tasks.",)),
    NavItem("Overview", "organisations.overview", Shown.IN_A_BODY, ("organisations.overview",)),
    NavItem(
        "Suppliers", "suppliers.register_list", Shown.IN_A_BODY, ("suppliers.", "categories.map")
    ),
    NavItem(
        "Due diligence",
        "due_diligence.overview",
        Shown.IN_A_BODY,
        ("due_diligence.", "assessments.", "invitations."),
    ),
    NavItem("Procurement", "procurements.index", Shown.IN_A_BODY, ("procurements.", "contracts.")),
    NavItem("Incidents", "incidents.index", Shown.TO_INCIDENT_LEADS, ("incidents.",)),
    NavItem("Action plan", "plans.overview", Shown.IN_A_BODY, ("plans.",)),
    NavItem("Imports", "imports.history", Shown.IN_A_BODY, ("imports.",)),
    NavItem("Statement", "statements.body_statement", Shown.IN_A_BODY, STATEMENT_PAGES),
    NavItem(
        "Statement",
        "statements.partnership_statements",
        Shown.IN_A_PARTNERSHIP_ONLY,
        STATEMENT_PAGES,
    ),
    NavItem(
        "Partnership",
        "organisations.partnership",
        Shown.IN_A_PARTNERSHIP,
        ("organisations.partnership", "organisations.shared"),
    ),
    NavItem("Board", "board.dashboard", Shown.IN_A_PARTNERSHIP, ("board.",)),
    NavItem("Admin", "admin.index", Shown.TO_ADMINISTRATORS, ("admin.",)),
    NavItem("Audit trail", "audit.events", Shown.TO_AUDIT_READERS, ("audit.",)),
    NavItem("Your account", "auth.change_password", Shown.ALWAYS, ("auth.change_password",)),
)


@dataclass(frozen=True)
class NavLink:
    """A link as drawn: text, address, and whether this page is its own."""

    text: str
    href: str
    active: bool


def navigation() -> list[NavLink]:
    """The links the signed-in person sees on this page (none for anyone else)."""
    if not current_user.is_authenticated:
        return []
    org = g.get("org") or _only_organisation()
    # The person's first partnership role gives the partnership links.
    partnership = next((m.partnership for m in current_user.memberships if m.partnership), None)
    shown = {
        Shown.ALWAYS: True,
        # An administrator on a body's incident log reaches none of its other pages.
        Shown.IN_A_BODY: org is not None
        and Permission.READ_ORGANISATION
        in g.get("org_permissions", {Permission.READ_ORGANISATION}),
        Shown.TO_INCIDENT_LEADS: org is not None and may_manage_incidents(current_user, org),
        Shown.IN_A_PARTNERSHIP: partnership is not None,
        Shown.IN_A_PARTNERSHIP_ONLY: org is None and partnership is not None,
        Shown.TO_ADMINISTRATORS: current_user.is_admin,
        Shown.TO_AUDIT_READERS: any(
            Permission.READ_AUDIT in ROLE_PERMISSIONS[m.role] for m in current_user.memberships
        ),
    }
    address: dict[Shown, dict[str, str]] = {
        Shown.IN_A_BODY: {"org_slug": org.slug} if org is not None else {},
        Shown.TO_INCIDENT_LEADS: {"org_slug": org.slug} if org is not None else {},
        Shown.IN_A_PARTNERSHIP: {"partnership_slug": partnership.slug} if partnership else {},
    }
    address[Shown.IN_A_PARTNERSHIP_ONLY] = address[Shown.IN_A_PARTNERSHIP]
    endpoint = request.endpoint or ""
    return [
        NavLink(
            item.text,
            url_for(item.endpoint, **address.get(item.shown, {})),
            endpoint.startswith(item.current_on),
        )
        for item in NAVIGATION
        if shown[item.shown]
    ]


def _only_organisation() -> Any:
    """The one organisation of a user with a single body membership, for the navigation."""
    orgs = {m.organisation for m in current_user.memberships if m.organisation is not None}
    has_partnership = any(m.partnership is not None for m in current_user.memberships)
    return orgs.pop() if len(orgs) == 1 and not has_partnership else None
