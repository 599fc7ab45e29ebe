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
