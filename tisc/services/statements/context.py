"""What a statement's Word template reads: the record's text, the bodies with their
signatories and approval, the registry's risks and the live figures, as plain strings, numbers,
lists and dicts (never database objects, which a template could walk from).

The top-level names are tisc.rules.statement_context.CONTEXT_NAMES, the same list the check on
an uploaded template allows. Text is cleaned of control characters on the way out: XML cannot
hold them, and docxtpl reads \\a and \\f as paragraph and page breaks.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from tisc.database import db
from tisc.models import Statement, StatementBody, StatementRisk
from tisc.rules.figure_words import fill_figures
from tisc.rules.statement_context import CONTEXT_NAMES
from tisc.rules.statement_wording import Approval, approval_sentence, sign_line
from tisc.rules.text import without_control_characters
from tisc.rules.years import FinancialYear, long_date
from tisc.services.statements.access import home_partnership, owner_of
from tisc.services.statements.figure_words import figure_values
from tisc.services.statements.figures import covered_organisations
from tisc.services.statements.figures_data import StatementFigures
from tisc.services.statements.goals import goals_context, kpi_targets
from tisc.services.statements.summary import procurement_context, summary_context

DRAFT_HEADER = "DRAFT – not approved"
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def clean(value: Any) -> Any:
    """Strings without control characters, all the way down through dicts and lists."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    return value


def paragraphs(text: str | None) -> list[str]:
    """Text split into paragraphs on blank lines (a single line break stays a line break)."""
    cleaned = clean(text or "").strip()
    return [part.strip() for part in _BLANK_LINE.split(cleaned) if part.strip()]


def _person(name: str | None, title: str | None) -> str | None:
    if not name:
        return None
    return f"{name}, {title}" if title else name


def _named_signatories(body: StatementBody) -> str:
    people = (
        _person(body.signatory_name, body.signatory_title),
        _person(body.second_signatory_name, body.second_signatory_title),
    )
    return " and ".join(p for p in people if p)


def _signatories(body: StatementBody) -> str:
    return _named_signatories(body) or "signatories not yet named"


def _approval(body: StatementBody) -> Approval:
    return Approval(
        name=body.organisation.name,
        approved_on=body.approved_on,
        decision_reference=body.decision_reference,
        signatories=_named_signatories(body) or None,
    )


def _risks(statement: Statement, names: dict[int, str], everyone: str) -> list[dict[str, Any]]:
    found = db.session.scalars(
        select(StatementRisk)
        .where(StatementRisk.statement_id == statement.id)
        .order_by(StatementRisk.organisation_id.is_not(None), StatementRisk.position)
    )
    return [
        {
            "number": number,
            "body": names.get(risk.organisation_id or 0, everyone),
            "description": risk.description,
            "area": risk.area or "Not given",
            "tier": risk.supply_chain_tier or "Not given",
            "groups": risk.groups_affected or "Not given",
            "location": risk.location or "Not given",
            "mitigation": risk.mitigation or "Not given",
        }
        for number, risk in enumerate(found, 1)
    ]


def figure_names(figures: StatementFigures) -> dict[str, Any]:
    """The context's figures, its total and last year's total."""
    shown = figures.as_context()
    last_year = (
        {"year": shown["last_year_label"], "total": shown["last_year_total"]}
        if figures.has_last_year
        else None
    )
    return {"figures": shown, "total": shown["total"], "last_year": last_year}


def document_context(
    *, statement: Statement, figures: StatementFigures, draft: bool, today: date
) -> dict[str, Any]:
    """What the Word template reads: exactly the names of CONTEXT_NAMES."""
    year = FinancialYear(statement.financial_year)
    owner = owner_of(statement)
    bodies = list(statement.bodies)
    names = {body.organisation_id: body.organisation.name for body in bodies}
    # Live figures named in the text, ((spend)), in words: all the bodies' (or the one body's)
    # in the shared sections, each body's own in its paragraph.
    shared_values = figure_values(figures=figures)
    own: dict[int, list[str]] = {}
    for section in statement.sections:
        if section.organisation_id is not None:
            values = figure_values(figures=figures, organisation_id=section.organisation_id)
            own.setdefault(section.organisation_id, []).extend(
                paragraphs(fill_figures(section.text or "", values))
            )
    partnerships = [owner] if statement.is_joint else owner.partnerships  # type: ignore[union-attr]
    covered = covered_organisations(statement)
    context = {
        "statement": {"title": statement.title, "state": statement.state.label},
        "title": statement.title,
        "owner": owner.name,
        "partnership": partnerships[0].name if partnerships else "",
        "year": year.label,
        "year_label": year.label,
        "year_span": f"{long_date(year.starts)} to {long_date(year.ends)}",
        "period_start": long_date(year.starts),
        "period_end": long_date(year.ends),
        "joint": statement.is_joint,
        "draft": draft,
        "draft_header": DRAFT_HEADER if draft else "",
        "state": statement.state.label,
        "generated_on": long_date(today),
        "body_count": len(bodies),
        "body_word": "body" if len(bodies) == 1 else "bodies",
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "paragraphs": paragraphs(fill_figures(s.text or "", shared_values)),
            }
            for s in statement.sections
            if s.organisation_id is None
        ],
        "bodies": [
            {
                "name": body.organisation.name,
                "paragraphs": own.get(body.organisation_id, []),
                "signatories": _signatories(body),
                "approved": body.approved_on is not None,
                "approved_on": long_date(body.approved_on) if body.approved_on else "Not yet",
                "decision_reference": body.decision_reference
                or ("Not recorded" if body.approved_on else "Not yet approved"),
                "sign_line": sign_line(_approval(body)),
                "published_url": body.published_url or "",
            }
            for body in bodies
        ],
        "risks": _risks(statement, names, "All bodies" if statement.is_joint else owner.name),
        "approval": {
            "sentence": approval_sentence(
                [_approval(body) for body in bodies], joint=statement.is_joint
            ),
            "complete": bool(bodies) and all(body.approved_on for body in bodies),
        },
        **figure_names(figures),
        **summary_context(
            figures=figures,
            organisations=covered,
            targets=kpi_targets(partnership=home_partnership(statement)),
        ),
        "procurement": procurement_context(
            organisations=covered,
            financial_year=statement.financial_year,
            today=today,
            joint=statement.is_joint,
        ),
        "goals": goals_context(
            partnership=home_partnership(statement),
            organisations=covered,
            figures=figures,
            joint=statement.is_joint,
        ),
    }
    # Exactly CONTEXT_NAMES, in its order: a name listed there but missing here is a KeyError,
    # and tests check that nothing here is missing from the list.
    return clean({name: context[name] for name in CONTEXT_NAMES})
