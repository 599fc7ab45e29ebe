"""Each body's answers to the national registry's structured questions for a statement: its
sectors, years producing statements, policies, training, engagement, audits, grievance
mechanisms, indicators of forced labour and what was done, and how progress is shown.

Recorded once on the statement's pages by the body's statement role (who may change its part,
tisc.services.statements.access), kept on its sign-off record (StatementBody.registry_answers,
optimistic locking with the record's version), and read by the registry CSV
(tisc.services.statements.registry). The questions, options and checks are
tisc.rules.registry. The answers summarise the statement for the registry: they are not its
text, so saving them never clears an approval.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import OrganisationKind, Statement, StatementBody, User
from tisc.rules import registry as rules
from tisc.rules.text import without_control_characters
from tisc.services.register.rows import year_summary, years_with_spend
from tisc.services.statements.access import (
    check_version,
    flush,
    may_manage_body,
    raise_first,
    require,
)

POLICE = (OrganisationKind.FORCE, OrganisationKind.COMMISSIONER)


def is_public_body(body: StatementBody) -> bool:
    """Police forces and commissioners are public bodies."""
    return body.organisation.kind in POLICE


def body_answers(*, statement_body: StatementBody) -> rules.Answers:
    """The body's answers as saved; a police body's sectors start as "Public sector"."""
    answers = rules.Answers.from_json(statement_body.registry_answers)
    if not answers.sectors:
        sectors = rules.default_sectors(public_body=is_public_body(statement_body))
        answers = rules.Answers(
            sectors=sectors,
            years=answers.years,
            choices=answers.choices,
            other=answers.other,
            progress=answers.progress,
        )
    return answers


def statements_produced(*, statement_body: StatementBody) -> int:
    """How many years' statements have covered the body, up to this one's year (counting it)."""
    statement = statement_body.statement
    earlier = db.session.scalar(
        select(func.count(func.distinct(Statement.financial_year)))
        .join(StatementBody, StatementBody.statement_id == Statement.id)
        .where(
            StatementBody.organisation_id == statement_body.organisation_id,
            Statement.financial_year < statement.financial_year,
        )
    )
    return int(earlier or 0) + 1


def year_spend(*, statement_body: StatementBody) -> Decimal | None:
    """The body's spend in the register for the statement's year (None when it has none):
    the register's own total, from which the turnover band is computed."""
    org, year = statement_body.organisation, statement_body.statement.financial_year
    if year not in years_with_spend(org=org):
        return None
    summary = year_summary(org=org, financial_year=year)
    return summary.total_spend if summary is not None else None


def _clean(text: str | None) -> str:
    return without_control_characters(text or "").strip()


def record_registry_answers(
    *,
    statement_body: StatementBody,
    user: User | None,
    expected_version: int,
    answers: rules.Answers,
) -> None:
    """Save the body's answers (ValidationError when they are not the registry's options,
    ConflictError when someone saved the record since the form was shown)."""
    require(user is None or may_manage_body(user=user, org=statement_body.organisation))
    check_version(statement_body, expected_version)
    cleaned = rules.Answers(
        sectors=tuple(answers.sectors),
        years=answers.years,
        choices={key: tuple(answers.chosen(key)) for key in rules.QUESTION_KEYS},
        other={
            key: _clean(text)
            for key, text in answers.other.items()
            if rules.OTHER in answers.chosen(key) and _clean(text)
        },
        progress=_clean(answers.progress),
    )
    raise_first(rules.answer_problems(cleaned))
    stored = cleaned.to_json()
    if statement_body.registry_answers == stored:
        return
    # A new dict, never changed in place, so that the change is seen and audited.
    statement_body.registry_answers = stored
    flush()
