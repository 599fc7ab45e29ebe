"""Modern slavery statements: starting one for a year (joint for a partnership, or a single
body's), finding and listing them within their scope, editing the narrative sections, and the
checklist and deadline shown beside them.

Sign-off, publication, state changes and risks are in tisc.services.statements.signoff; who may
change what, conflicts and clearing approvals in tisc.services.statements.access; the default
text in tisc.services.statements.text. The rules themselves (deadline, checklist, what each form
needs) are in tisc.rules.statements.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tisc.database import db
from tisc.models import (
    Organisation,
    Partnership,
    Statement,
    StatementBody,
    StatementRisk,
    StatementSection,
    StatementState,
    User,
)
from tisc.rules.statements import (
    BODY_KEY,
    BodyRecord,
    ChecklistItem,
    Deadline,
    SectionText,
    checklist,
    deadline_status,
    section_problems,
    text_problem,
)
from tisc.rules.text import without_control_characters
from tisc.rules.years import FinancialYear
from tisc.services.errors import DuplicateError, NotFoundError, ValidationError
from tisc.services.statements.access import (
    check_not_published,
    check_version,
    clear_approvals,
    flush,
    may_edit_section,
    organisation_of,
    partnership_of,
    raise_first,
    require,
)
from tisc.services.statements.text import (
    default_text,
    fill,
    section_defaults,
    short_name,
    values_for,
)

# --- finding and listing --------------------------------------------------------------------


def _loaded():
    return select(Statement).options(
        selectinload(Statement.bodies).selectinload(StatementBody.organisation),
        selectinload(Statement.sections),
    )


def find_statement(
    *, financial_year: int, partnership: Partnership | None = None, org: Organisation | None = None
) -> Statement | None:
    """The partnership's joint statement, or the body's single one, for the year."""
    if partnership is not None:
        owner = Statement.partnership_id == partnership.id
    elif org is not None:
        owner = Statement.organisation_id == org.id
    else:
        raise ValueError("Give a partnership or an organisation")
    return db.session.scalar(_loaded().where(owner, Statement.financial_year == financial_year))


def get_statement(
    *, statement_id: int, partnership: Partnership | None = None, org: Organisation | None = None
) -> Statement:
    """A statement within the scope asked: the partnership's own (joint) statement, or one
    that covers the body (a joint statement it is part of, or its single one)."""
    statement = db.session.scalar(_loaded().where(Statement.id == statement_id))
    if statement is not None and partnership is not None:
        visible = statement.partnership_id == partnership.id
    elif statement is not None and org is not None:
        visible = any(b.organisation_id == org.id for b in statement.bodies)
    else:
        visible = False
    if not visible:
        raise NotFoundError("There is no such statement")
    return statement


def list_statements(
    *, partnership: Partnership | None = None, org: Organisation | None = None
) -> list[Statement]:
    """The partnership's joint statements, or those covering the body (joint ones first),
    newest year first."""
    if partnership is not None:
        query = _loaded().where(Statement.partnership_id == partnership.id)
    elif org is not None:
        covering = select(StatementBody.statement_id).where(StatementBody.organisation_id == org.id)
        query = _loaded().where(
            or_(Statement.id.in_(covering), Statement.organisation_id == org.id)
        )
    else:
        raise ValueError("Give a partnership or an organisation")
    found = db.session.scalars(query).all()
    return sorted(found, key=lambda s: (-s.financial_year, not s.is_joint, s.id))


def previous_statement(statement: Statement) -> Statement | None:
    """The same kind of statement for the year before, if there is one."""
    return find_statement(
        financial_year=statement.financial_year - 1,
        partnership=partnership_of(statement),
        org=organisation_of(statement),
    )


def get_section(*, statement: Statement, section_id: int) -> StatementSection:
    section = next((s for s in statement.sections if s.id == section_id), None)
    if section is None:
        raise NotFoundError("There is no such section")
    return section


def get_body(*, statement: Statement, org: Organisation) -> StatementBody:
    """The body's sign-off record in the statement; NotFoundError when it is not covered."""
    body = next((b for b in statement.bodies if b.organisation_id == org.id), None)
    if body is None:
        raise NotFoundError("This statement does not cover this body")
    return body


def list_risks(*, statement: Statement) -> list[StatementRisk]:
    return list(
        db.session.scalars(
            select(StatementRisk)
            .where(StatementRisk.statement_id == statement.id)
            .order_by(StatementRisk.position, StatementRisk.id)
        )
    )


# --- starting a statement -------------------------------------------------------------------


def create_statement(
    *,
    financial_year: int,
    user: User | None,
    partnership: Partnership | None = None,
    org: Organisation | None = None,
    from_last_year: bool = True,
) -> Statement:
    """Start the year's joint statement (partnership) or a body's single statement (org).

    It covers the partnership's member bodies, or the one body. Its sections are last year's
    text when the same kind of statement exists for the year before (and from_last_year),
    otherwise the default text of statements/sections.toml; each body gets its own paragraph.
    Last year's risks are copied too. Each body's signatories are last year's whichever text
    is chosen: the people who sign rarely change, and the page shows them to be checked.
    DuplicateError when the year already has one.
    """
    if (partnership is None) == (org is None):
        raise ValueError("Give a partnership or an organisation, not both")
    year = FinancialYear(financial_year)
    if find_statement(financial_year=financial_year, partnership=partnership, org=org):
        raise DuplicateError(
            f"{partnership.name} already has a joint statement for {year.label}"
            if partnership
            else f"{org.name} already has its own statement for {year.label}"
        )
    covered = list(partnership.organisations) if partnership else [org]
    if not covered:
        raise ValidationError(f"{partnership.name} has no member bodies for a statement to cover")
    statement = Statement(
        partnership_id=partnership.id if partnership else None,
        organisation_id=org.id if org else None,
        financial_year=financial_year,
        title=(
            f"{partnership.name}: joint modern slavery statement {year.label}"
            if partnership
            else f"{org.name}: modern slavery statement {year.label}"
        )[:300],
        state=StatementState.DRAFT,
        created_by_id=user.id if user else None,
    )
    db.session.add(statement)
    last_year = previous_statement(statement)
    signed = {b.organisation_id: b for b in last_year.bodies} if last_year else {}
    for body in covered:
        record = StatementBody(organisation_id=body.id)
        if body.id in signed:
            record.take_signatories_from(signed[body.id])
        statement.bodies.append(record)
    previous = last_year if from_last_year else None
    _add_sections(statement, covered, previous)
    db.session.flush()
    for risk in list_risks(statement=previous) if previous else []:
        db.session.add(
            StatementRisk(
                statement_id=statement.id,
                organisation_id=risk.organisation_id,
                position=risk.position,
                description=risk.description,
                area=risk.area,
                supply_chain_tier=risk.supply_chain_tier,
                groups_affected=risk.groups_affected,
                location=risk.location,
                mitigation=risk.mitigation,
            )
        )
    db.session.flush()
    return statement


def _add_sections(
    statement: Statement, covered: list[Organisation], previous: Statement | None
) -> None:
    joint, _ = section_defaults()
    old_joint = (
        {s.key: s for s in previous.sections if s.organisation_id is None} if previous else {}
    )
    old_body = (
        {s.organisation_id: s for s in previous.sections if s.organisation_id} if previous else {}
    )
    values = values_for(statement, organisation_of(statement))
    position = 0
    for default in joint:
        position += 1
        old = old_joint.get(default.key)
        if old is not None:
            title, text = old.title, old.text
        elif statement.is_joint:
            title, text = default.title, fill(default.text, values)
        else:
            title, text = default.single_title, fill(default.single_text, values)
        statement.sections.append(
            StatementSection(key=default.key, position=position, title=title, text=text)
        )
    for org in covered:
        position += 1
        statement.sections.append(_own_paragraph(statement, org, position, old_body.get(org.id)))


def _own_paragraph(
    statement: Statement, org: Organisation, position: int, last_year: StatementSection | None
) -> StatementSection:
    """A body's own paragraph: last year's text, or the default text filled in for it."""
    _, body_default = section_defaults()
    return StatementSection(
        key=BODY_KEY,
        organisation_id=org.id,
        position=position,
        title=org.name[:300],
        text=last_year.text if last_year else fill(body_default.text, values_for(statement, org)),
    )


def cover_new_members(*, partnership: Partnership) -> list[Statement]:
    """After bodies join a partnership: add them to its joint statements that are still
    drafts, each with its sign-off record and its own paragraph (last year's, when it was in
    last year's statement, else the default text). The statements changed.

    A statement sent for approval, approved or published is left as it is: its bodies are
    approving the statement as it stands, so a body that joins then is covered from the next
    year's statement (the statement's page names it).
    """
    drafts = db.session.scalars(
        _loaded().where(
            Statement.partnership_id == partnership.id, Statement.state == StatementState.DRAFT
        )
    ).all()
    changed = []
    for statement in drafts:
        covered = {b.organisation_id for b in statement.bodies}
        joining = sorted(
            (o for o in partnership.organisations if o.id not in covered), key=lambda o: o.name
        )
        if not joining:
            continue
        previous = previous_statement(statement)
        old_body = (
            {s.organisation_id: s for s in previous.sections if s.organisation_id}
            if previous
            else {}
        )
        position = max((s.position for s in statement.sections), default=0)
        for number, org in enumerate(joining, 1):
            statement.bodies.append(StatementBody(organisation_id=org.id))
            statement.sections.append(
                _own_paragraph(statement, org, position + number, old_body.get(org.id))
            )
        changed.append(statement)
    db.session.flush()
    return changed


def members_not_covered(*, statement: Statement) -> list[Organisation]:
    """The partnership's members a joint statement does not cover (they joined after it was
    sent for approval); [] for a single statement."""
    partnership = partnership_of(statement)
    if partnership is None:
        return []
    covered = {b.organisation_id for b in statement.bodies}
    return sorted(
        (o for o in partnership.organisations if o.id not in covered), key=lambda o: o.name
    )


# --- editing a section ----------------------------------------------------------------------


def update_section(
    *,
    section: StatementSection,
    text: str | None,
    user: User | None,
    expected_version: int,
    today: date | None = None,
) -> list[StatementBody]:
    """Change a section's text; the bodies whose approval this cleared (see clear_approvals).

    A joint section clears every body's approval, a body's own paragraph that body's; an
    approved statement goes back to awaiting approval. Unchanged text clears nothing.
    """
    statement = section.statement
    require(user is None or may_edit_section(user=user, section=section))
    check_not_published(statement, "text")
    check_version(section, expected_version)
    raise_first(section_problems(text=text))
    cleaned = without_control_characters(text or "")
    new = "\n".join(line.rstrip() for line in cleaned.strip().splitlines())
    if new == section.text:
        return []
    section.text = new
    section.updated_by_id = user.id if user else None
    affected = [
        b
        for b in statement.bodies
        if section.organisation_id is None or b.organisation_id == section.organisation_id
    ]
    cleared = clear_approvals(statement, affected, short_name(section), today or date.today())
    flush()
    return cleared


# --- checklist and deadline -----------------------------------------------------------------


def statement_checklist(*, statement: Statement) -> list[ChecklistItem]:
    """What the statement and the registry still need (tisc.rules.statements.checklist)."""
    previous = previous_statement(statement)
    before = {(s.key, s.organisation_id): s.text for s in previous.sections} if previous else {}
    names = {b.organisation_id: b.organisation.name for b in statement.bodies}
    joint, _ = section_defaults()
    shorts = {d.key: d.short for d in joint}
    sections = [
        SectionText(
            key=s.key,
            title=s.title,
            text=s.text,
            default=default_text(statement, s),
            last_year=before.get((s.key, s.organisation_id)),
            short=shorts.get(s.key) if s.organisation_id is None else None,
            body=names.get(s.organisation_id) if s.organisation_id is not None else None,
        )
        for s in statement.sections
    ]
    bodies = [
        BodyRecord(
            name=b.organisation.name,
            signatory_name=b.signatory_name,
            signatory_title=b.signatory_title,
            approved_on=b.approved_on,
            decision_reference=b.decision_reference,
            published_url=b.published_url,
            published_on=b.published_on,
            registry_submitted_on=b.registry_submitted_on,
        )
        for b in statement.bodies
    ]
    return checklist(
        sections=sections, bodies=bodies, risk_count=len(list_risks(statement=statement))
    )


def written_sections(*, statement: Statement) -> frozenset[str]:
    """The keys of the shared sections written in full, judged as the checklist judges them:
    not empty, not the default text, not last year's text unchanged, no [prompt] left."""
    previous = previous_statement(statement)
    before = {(s.key, s.organisation_id): s.text for s in previous.sections} if previous else {}
    return frozenset(
        s.key
        for s in statement.sections
        if s.organisation_id is None
        and text_problem(s.text, default_text(statement, s), before.get((s.key, None))) is None
    )


def statement_deadline(*, statement: Statement, today: date) -> Deadline:
    """The deadline and where the statement stands. A published statement counts from the
    last publication date recorded (every body has published by then, or the coordinator
    marked it published)."""
    dates = [b.published_on for b in statement.bodies if b.published_on]
    published = statement.state is StatementState.PUBLISHED and dates
    return deadline_status(
        financial_year=statement.financial_year,
        today=today,
        published_on=max(dates) if published else None,
    )
