"""Roles and permissions: what each role may do, and which roles reach an organisation or a
partnership. Pure: users, organisations and partnerships in (anything with their attributes),
roles and permissions out. The web layer's access decorators and the services both read these.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """The six roles of DESIGN.md."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    BOARD = "board"
    PROCUREMENT = "procurement"
    STATEMENT = "statement"
    VIEWER = "viewer"

    @property
    def scope(self) -> str:
        """Where the role applies: 'system', 'partnership' or 'organisation'."""
        if self is Role.ADMIN:
            return "system"
        if self in (Role.COORDINATOR, Role.BOARD):
            return "partnership"
        return "organisation"

    @property
    def label(self) -> str:
        return {
            "admin": "Administrator",
            "coordinator": "Partnership coordinator",
            "board": "Collaboration board member",
            "procurement": "Procurement lead",
            "statement": "Statement owner",
            "viewer": "Viewer",
        }[self.value]


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
    MANAGE_INCIDENTS = "manage_incidents"

    @property
    def description(self) -> str:
        """What the permission lets a person do, in words that follow "able to"."""
        return {
            "read_organisation": "see the body's register, assessments, due diligence, action"
            " plan and statement",
            "manage_register": "import spend, change suppliers and record assessments and due"
            " diligence",
            "manage_statement": "change the action plan, training records and the statement",
            "read_partnership": "see the partnership's dashboard, shared suppliers and joint"
            " statement",
            "edit_joint": "change the joint statement and the partnership's commitments",
            "manage_categories": "change categories and spend thresholds",
            "manage_questionnaire": "publish assessment questionnaires",
            "administer": "add and change organisations, partnerships, people, roles and"
            " statement templates",
            "read_audit": "read the audit trail",
            "manage_incidents": "read and record the body's incidents of forced labour and"
            " their remediation",
        }[self.value]


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            Permission.ADMINISTER,
            Permission.MANAGE_CATEGORIES,
            Permission.MANAGE_QUESTIONNAIRE,
            Permission.READ_AUDIT,
            Permission.MANAGE_INCIDENTS,
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
    # Incidents are restricted: a body's leads and administrators, never viewers, the board
    # or coordinators (who see counts only).
    Role.PROCUREMENT: frozenset(
        {Permission.READ_ORGANISATION, Permission.MANAGE_REGISTER, Permission.MANAGE_INCIDENTS}
    ),
    Role.STATEMENT: frozenset(
        {Permission.READ_ORGANISATION, Permission.MANAGE_STATEMENT, Permission.MANAGE_INCIDENTS}
    ),
    Role.VIEWER: frozenset({Permission.READ_ORGANISATION}),
}


def permissions_from(roles: Iterable[Role]) -> frozenset[Permission]:
    """The union of what the given roles allow."""
    result: set[Permission] = set()
    for role in roles:
        result |= ROLE_PERMISSIONS[role]
    return frozenset(result)


def roles_in_organisation(user: Any, org: Any) -> frozenset[Role]:
    """The roles a user holds that reach this organisation (directly or by partnership)."""
    partnership_ids = {p.id for p in org.partnerships}
    return frozenset(
        m.role
        for m in user.memberships
        if m.organisation_id == org.id
        or (m.partnership_id is not None and m.partnership_id in partnership_ids)
    )


def roles_in_partnership(user: Any, partnership: Any) -> frozenset[Role]:
    """The roles that reach a partnership: its coordinators and board, and administrators."""
    return frozenset(
        m.role
        for m in user.memberships
        if m.partnership_id == partnership.id or m.role is Role.ADMIN
    )


def permissions_lost(memberships: Iterable[Any], removed: Any) -> tuple[Permission, ...]:
    """What a person can no longer do where the `removed` membership applied once it is taken
    away: its role's permissions that none of their other roles reaching the same place gives,
    in the order of Permission."""
    others = [m for m in memberships if m.id != removed.id]
    if removed.organisation is not None:
        org = removed.organisation
        partnership_ids = {p.id for p in org.partnerships}
        kept = {
            m.role
            for m in others
            if m.organisation_id == org.id
            or (m.partnership_id is not None and m.partnership_id in partnership_ids)
        }
    elif removed.partnership is not None:
        kept = {
            m.role
            for m in others
            if m.partnership_id == removed.partnership_id or m.role is Role.ADMIN
        }
    else:
        kept = {m.role for m in others if m.role is Role.ADMIN}
    lost = ROLE_PERMISSIONS[removed.role] - permissions_from(kept)
    return tuple(p for p in Permission if p in lost)


def may_manage_incidents(user: Any, org: Any) -> bool:
    """Whether a user may read and record this body's incidents: its statement or procurement
    lead, or an administrator (whose role reaches every body for this alone)."""
    roles = set(roles_in_organisation(user, org))
    roles |= {m.role for m in user.memberships if m.role is Role.ADMIN}
    return Permission.MANAGE_INCIDENTS in permissions_from(roles)
