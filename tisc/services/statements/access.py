"""Who may change which part of a statement, and what every change to a statement shares:
plain-words refusals, conflicts on stale versions, and clearing approvals after a change.

The joint parts of a joint statement belong to the partnership's coordinators (EDIT_JOINT);
every part of a single statement, and each body's own paragraph and sign-off, belong to that
body's statement role (MANAGE_STATEMENT): the two sides of tisc.rules.statement_lifecycle.
Views check this with their access rule; the services check it again for the signed-in user
they are given (user None is the system itself: demo data and commands).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm.exc import StaleDataError

from tisc.database import db
from tisc.models import (
    Organisation,
    Partnership,
    Statement,
    StatementBody,
    StatementRisk,
    StatementSection,
    User,
)
from tisc.models.base import utcnow
from tisc.rules.authz import permissions_from, roles_in_organisation, roles_in_partnership
from tisc.rules.plans import Problem
from tisc.rules.statement_lifecycle import CLOSED, Side, open_for_changes, reopened
from tisc.rules.statement_wording import StatementBasis
from tisc.rules.statements import cleared_note
from tisc.services.errors import ConflictError, DomainError, ValidationError

STALE = (
    "Someone else changed this statement while you were editing. "
    "Your changes were not saved: check the statement below and try again."
)
PUBLISHED = CLOSED


class NotAllowedError(DomainError):
    """The user may see this part of the statement but not change it."""

    status_code = 403


def raise_first(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(problems[0].message, field=problems[0].field)


def flush() -> None:
    """Write now, so that a concurrent change shows as a conflict rather than an error page."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(STALE) from None


def check_version(
    record: Statement | StatementBody | StatementSection | StatementRisk, expected: int
) -> None:
    if record.version_id != expected:
        raise ConflictError(STALE)


def check_not_published(statement: Statement, field: str | None = None) -> None:
    if not open_for_changes(statement.state):
        raise ValidationError(PUBLISHED, field=field)


def partnership_of(statement: Statement) -> Partnership | None:
    return db.session.get(Partnership, statement.partnership_id) if statement.is_joint else None


def organisation_of(statement: Statement) -> Organisation | None:
    return None if statement.is_joint else db.session.get(Organisation, statement.organisation_id)


def owner_of(statement: Statement) -> Partnership | Organisation:
    """The partnership of a joint statement, or the body of a single one."""
    # The joint_or_single constraint: exactly one of the two is set.
    return partnership_of(statement) or organisation_of(statement)  # type: ignore[return-value]


def owner_name(statement: Statement) -> str:
    return owner_of(statement).name


def home_partnership(statement: Statement) -> Partnership | None:
    """The partnership a statement answers to: a joint statement's own, or the first of a
    single body's partnerships (None for a body in none)."""
    partnership = partnership_of(statement)
    if partnership is not None:
        return partnership
    org = organisation_of(statement)
    return org.partnerships[0] if org is not None and org.partnerships else None


def statement_basis(statement: Statement) -> StatementBasis:
    """How the statement is framed in law: its partnership's choice, else voluntary."""
    partnership = home_partnership(statement)
    return partnership.statement_basis if partnership is not None else StatementBasis.VOLUNTARY


def may_edit_shared(*, user: User, statement: Statement) -> bool:
    """The joint parts of a joint statement (coordinators), or any part of a single one."""
    partnership = partnership_of(statement)
    if partnership is not None:
        allowed = permissions_from(roles_in_partnership(user, partnership))
        return Side.SHARED.permission(joint=True) in allowed
    org = organisation_of(statement)
    if org is None:
        return False
    return Side.SHARED.permission(joint=False) in permissions_from(roles_in_organisation(user, org))


def may_manage_body(*, user: User, org: Organisation) -> bool:
    """A body's own paragraph, signatories, approval and publication: its statement role."""
    return Side.BODY.permission() in permissions_from(roles_in_organisation(user, org))


def may_edit_section(*, user: User, section: StatementSection) -> bool:
    if section.organisation_id is None:
        return may_edit_shared(user=user, statement=section.statement)
    org = db.session.get(Organisation, section.organisation_id)
    return org is not None and may_manage_body(user=user, org=org)


def require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowedError("You cannot change this part of the statement")


def clear_approvals(
    statement: Statement, bodies: list[StatementBody], what: str, today: date
) -> list[StatementBody]:
    """After a change to their part: clear the bodies' approvals, and say why on each.

    Every affected body's record is written, approved or not, so that an approval form loaded
    before the change is refused as out of date rather than approving text nobody saw.
    """
    cleared = []
    for body in bodies:
        body.updated_at = utcnow()
        if body.approved_on is not None:
            body.approved_on = None
            body.decision_reference = None
            body.approved_by_id = None
            body.approval_cleared_note = cleared_note(on=today, what=what)
            cleared.append(body)
    if cleared:
        statement.state = reopened(statement.state)
    return cleared
