"""A statement's way to publication: each body's signatories, approval, publication and
registry submission; sending for approval, marking approved and published; and the registry's
risks. The rules are in tisc.rules.statements; who may do what is in
tisc.services.statements.access.

The life cycle (its states, each step, who takes it, when, and its words) is the table in
tisc.rules.statement_lifecycle: each step here asks it whether the step is open and where it
leads, and adds what needs the records: every body covered has approved before the statement is
marked approved; at least one body has published before it is marked published; every body has
published for a body's publication to publish it. A change to a body's part after it approved
(its own paragraph, its signatories, or a joint part) clears that approval and takes an approved
statement back to awaiting approval (tisc.services.statements.access.clear_approvals).
Sending for approval is refused while the figure check has findings neither changed nor kept
(tisc.services.statements.figure_checks).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import Statement, StatementBody, StatementRisk, StatementState, User
from tisc.models.base import utcnow
from tisc.rules.statement_lifecycle import (
    APPROVAL,
    MARK_APPROVED,
    MARK_PUBLISHED,
    PUBLICATION,
    REGISTRY_SUBMISSION,
    SEND_FOR_APPROVAL,
    SIGNATORIES,
    Side,
    Step,
    StepRefused,
    next_state,
)
from tisc.rules.statement_signoff import (
    publication_problems,
    registry_problems,
    risk_problems,
    signatory_problems,
)
from tisc.rules.statements import (
    MAX_RISKS,
    approval_problems,
    not_approved_message,
    possessive,
    still_to_approve,
)
from tisc.rules.text import without_control_characters
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.statements.access import (
    check_not_published,
    check_version,
    clear_approvals,
    flush,
    may_edit_shared,
    may_manage_body,
    raise_first,
    require,
)
from tisc.services.statements.figure_checks import refuse_open_findings

RISKS = "the risks"


def _text(value: str | None) -> str | None:
    """Typed text as stored: without control characters (PostgreSQL refuses NUL), trimmed,
    None when empty."""
    return without_control_characters(value or "").strip() or None


def _require_body(user: User | None, body: StatementBody) -> None:
    require(user is None or may_manage_body(user=user, org=body.organisation))


def _require_shared(user: User | None, statement: Statement) -> None:
    require(user is None or may_edit_shared(user=user, statement=statement))


def _require_step(
    step: Step, user: User | None, statement: Statement, body: StatementBody | None = None
) -> None:
    """Who may take the step (Step.who): the statement's shared side, or the body's."""
    if step.who is Side.SHARED:
        _require_shared(user, statement)
    elif body is None:
        raise TypeError(f"{step.name} is a body's step: which body?")
    else:
        _require_body(user, body)


def _next(step: Step, statement: Statement, field: str | None = None) -> StatementState:
    """Where the step takes the statement; ValidationError, in the step's words, when the
    statement's state does not allow it."""
    try:
        return next_state(statement.state, step)
    except StepRefused as refused:
        raise ValidationError(refused.message, field=field) from None


# --- each body's sign-off and publication ---------------------------------------------------


def record_signatories(
    *,
    statement_body: StatementBody,
    user: User | None,
    expected_version: int,
    signatory_name: str | None,
    signatory_title: str | None,
    second_signatory_name: str | None = None,
    second_signatory_title: str | None = None,
    today: date | None = None,
) -> list[StatementBody]:
    """Who signs the statement for the body: for example its commissioner or chief constable.

    The signatories are part of the body's part of the statement: a change after the body
    approved clears that approval (returned in the list, with a note saying why).
    """
    _require_step(SIGNATORIES, user, statement_body.statement, statement_body)
    _next(SIGNATORIES, statement_body.statement, "signatory_name")
    check_version(statement_body, expected_version)
    values = {
        "signatory_name": _text(signatory_name),
        "signatory_title": _text(signatory_title),
        "second_signatory_name": _text(second_signatory_name),
        "second_signatory_title": _text(second_signatory_title),
    }
    raise_first(
        signatory_problems(
            name=values["signatory_name"],
            title=values["signatory_title"],
            second_name=values["second_signatory_name"],
            second_title=values["second_signatory_title"],
        )
    )
    if all(getattr(statement_body, name) == value for name, value in values.items()):
        return []
    for name, value in values.items():
        setattr(statement_body, name, value)
    what = f"{possessive(statement_body.organisation.name)} signatories"
    cleared = clear_approvals(
        statement_body.statement, [statement_body], what, today or date.today()
    )
    flush()
    return cleared


def record_approval(
    *,
    statement_body: StatementBody,
    user: User | None,
    expected_version: int,
    approved_on: date | None,
    decision_reference: str | None,
    today: date | None = None,
) -> None:
    """The body approved the statement: the date and the decision reference.

    Only once the statement has been sent for approval, and not after it is published.
    """
    statement = statement_body.statement
    _require_step(APPROVAL, user, statement, statement_body)
    _next(APPROVAL, statement, "approved_on")
    check_version(statement_body, expected_version)
    reference = _text(decision_reference)
    raise_first(
        approval_problems(
            approved_on=approved_on,
            decision_reference=reference,
            financial_year=statement.financial_year,
            today=today or date.today(),
        )
    )
    statement_body.approved_on = approved_on
    statement_body.decision_reference = reference
    statement_body.approved_by_id = user.id if user else None
    flush()


def record_publication(
    *,
    statement_body: StatementBody,
    user: User | None,
    expected_version: int,
    url: str | None,
    published_on: date | None,
    today: date | None = None,
) -> bool:
    """Where and when the body published the approved statement; True when that made the
    statement published (every body covered has now published it)."""
    statement = statement_body.statement
    _require_step(PUBLICATION, user, statement, statement_body)
    published = _next(PUBLICATION, statement, "published_url")
    check_version(statement_body, expected_version)
    raise_first(
        publication_problems(
            url=url,
            published_on=published_on,
            approved_on=statement_body.approved_on,
            today=today or date.today(),
        )
    )
    statement_body.published_url = (url or "").strip()
    statement_body.published_on = published_on
    became = statement.state is not published and all(b.published_url for b in statement.bodies)
    if became:
        statement.state = published
    else:
        # Written either way, so two bodies publishing at once cannot both miss the last step.
        statement.updated_at = utcnow()
    flush()
    return became


def record_registry_submission(
    *,
    statement_body: StatementBody,
    user: User | None,
    expected_version: int,
    submitted_on: date | None,
    today: date | None = None,
) -> None:
    """The date the body submitted the published statement to the national registry."""
    _require_step(REGISTRY_SUBMISSION, user, statement_body.statement, statement_body)
    _next(REGISTRY_SUBMISSION, statement_body.statement, "submitted_on")
    if not statement_body.published_url:
        raise ValidationError(
            "Record where the statement is published before its registry submission",
            field="submitted_on",
        )
    check_version(statement_body, expected_version)
    raise_first(
        registry_problems(
            submitted_on=submitted_on,
            published_on=statement_body.published_on,
            today=today or date.today(),
        )
    )
    statement_body.registry_submitted_on = submitted_on
    flush()


# --- the statement's state ------------------------------------------------------------------


def _take(
    step: Step, statement: Statement, user: User | None, expected_version: int
) -> StatementState:
    """The checks each of the statement's own steps makes first: who, the version, the state.
    The state it leads to."""
    _require_step(step, user, statement)
    check_version(statement, expected_version)
    return _next(step, statement)


def submit_for_approval(*, statement: Statement, user: User | None, expected_version: int) -> None:
    """Send the draft to the bodies for approval; FiguresDisagreeError while words disagree
    with the figures and nobody has kept them (tisc.services.statements.figure_checks)."""
    sent = _take(SEND_FOR_APPROVAL, statement, user, expected_version)
    refuse_open_findings(statement=statement)
    statement.state = sent
    flush()


def mark_approved(*, statement: Statement, user: User | None, expected_version: int) -> None:
    """Mark the statement approved; ValidationError naming the bodies still to approve."""
    approved = _take(MARK_APPROVED, statement, user, expected_version)
    missing = still_to_approve([(b.organisation.name, b.approved_on) for b in statement.bodies])
    if missing:
        raise ValidationError(not_approved_message(missing))
    statement.state = approved
    # Written, so that a change clearing an approval at the same moment is refused, not lost.
    for body in statement.bodies:
        body.updated_at = utcnow()
    flush()


def mark_published(*, statement: Statement, user: User | None, expected_version: int) -> None:
    """Mark the approved statement published before every body has recorded its publication.

    At least one body must have recorded where it is published.
    """
    published = _take(MARK_PUBLISHED, statement, user, expected_version)
    if not any(b.published_url for b in statement.bodies):
        raise ValidationError("Record where at least one body has published the statement first")
    statement.state = published
    flush()


# What each of the statement's own steps does besides moving it on (the checks on its records).
STATE_CHANGES: dict[Step, Callable[..., None]] = {
    SEND_FOR_APPROVAL: submit_for_approval,
    MARK_APPROVED: mark_approved,
    MARK_PUBLISHED: mark_published,
}


def change_state(
    *, statement: Statement, step: Step, user: User | None, expected_version: int
) -> None:
    """Take one of the statement's own steps (tisc.rules.statement_lifecycle, Side.SHARED)."""
    STATE_CHANGES[step](statement=statement, user=user, expected_version=expected_version)


# --- risks ----------------------------------------------------------------------------------


def _risk_values(**values: str | None) -> dict[str, str | None]:
    cleaned = {name: _text(value) for name, value in values.items()}
    raise_first(risk_problems(**cleaned))
    return cleaned


def add_risk(
    *,
    statement: Statement,
    user: User | None,
    description: str | None,
    area: str | None = None,
    supply_chain_tier: str | None = None,
    groups_affected: str | None = None,
    location: str | None = None,
    mitigation: str | None = None,
    today: date | None = None,
) -> StatementRisk:
    """Describe one of up to three risks for the registry. A change to the statement's shared
    part, so it clears every body's approval."""
    _require_shared(user, statement)
    check_not_published(statement, "description")
    count = db.session.scalar(
        select(func.count()).where(StatementRisk.statement_id == statement.id)
    )
    if count >= MAX_RISKS:
        raise ValidationError(
            f"A statement can describe up to {MAX_RISKS} risks for the registry: "
            "change or remove one of them instead",
            field="description",
        )
    values = _risk_values(
        description=description,
        area=area,
        supply_chain_tier=supply_chain_tier,
        groups_affected=groups_affected,
        location=location,
        mitigation=mitigation,
    )
    position = (
        db.session.scalar(
            select(func.max(StatementRisk.position)).where(
                StatementRisk.statement_id == statement.id
            )
        )
        or 0
    )
    risk = StatementRisk(statement_id=statement.id, position=position + 1, **values)
    db.session.add(risk)
    clear_approvals(statement, list(statement.bodies), RISKS, today or date.today())
    flush()
    return risk


def update_risk(
    *,
    statement: Statement,
    risk: StatementRisk,
    user: User | None,
    expected_version: int,
    description: str | None,
    area: str | None = None,
    supply_chain_tier: str | None = None,
    groups_affected: str | None = None,
    location: str | None = None,
    mitigation: str | None = None,
    today: date | None = None,
) -> None:
    """Change a risk; a real change clears every body's approval."""
    _require_shared(user, statement)
    check_not_published(statement, "description")
    check_version(risk, expected_version)
    values = _risk_values(
        description=description,
        area=area,
        supply_chain_tier=supply_chain_tier,
        groups_affected=groups_affected,
        location=location,
        mitigation=mitigation,
    )
    if all(getattr(risk, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(risk, name, value)
    clear_approvals(statement, list(statement.bodies), RISKS, today or date.today())
    flush()


def remove_risk(
    *,
    statement: Statement,
    risk: StatementRisk,
    user: User | None,
    expected_version: int,
    today: date | None = None,
) -> None:
    """Remove a risk; clears every body's approval."""
    _require_shared(user, statement)
    check_not_published(statement)
    check_version(risk, expected_version)
    db.session.delete(risk)
    clear_approvals(statement, list(statement.bodies), RISKS, today or date.today())
    flush()


def get_risk(*, statement: Statement, risk_id: int) -> StatementRisk:
    """One of the statement's risks; NotFoundError for another statement's."""
    risk = db.session.get(StatementRisk, risk_id)
    if risk is None or risk.statement_id != statement.id:
        raise NotFoundError("There is no such risk")
    return risk
