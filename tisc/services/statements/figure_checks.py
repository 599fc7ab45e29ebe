"""The figure check on a statement: every section's words compared with its live figures
(tisc.rules.figure_check), the words kept on purpose with a reason, and the refusal to send
a statement for approval while any finding is neither changed nor kept.

A joint section is checked against the total of every body covered, a body's own paragraph
against that body's figures. A keep matches a finding by its key (the section's key and the
quoted words), so a keep whose words have left the section matches nothing and is ignored.
Keeping words changes no text, so it clears no approval; who kept them, when and why is on the
record and in the audit trail (tisc.services.audit.records follows StatementFigureKeep).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tisc.database import db
from tisc.models import Statement, StatementFigureKeep, StatementSection, User
from tisc.models.base import utcnow
from tisc.rules.figure_check import Finding, blocked_message, check_section, keep_problems
from tisc.rules.statement_wording import StatementBasis
from tisc.rules.text import without_control_characters
from tisc.rules.years import FinancialYear
from tisc.services.errors import ValidationError
from tisc.services.plans.kpis import audience_totals
from tisc.services.statements.access import (
    check_not_published,
    flush,
    may_edit_section,
    raise_first,
    require,
    statement_basis,
)
from tisc.services.statements.figure_words import check_figures
from tisc.services.statements.figures import statement_figures
from tisc.services.statements.figures_data import StatementFigures


class FiguresDisagreeError(ValidationError):
    """The statement's words disagree with its figures and nobody has kept them."""


@dataclass(frozen=True)
class SectionFinding:
    """A finding in one of the statement's sections, and the keep that answers it (if any)."""

    section: StatementSection
    finding: Finding
    kept: StatementFigureKeep | None

    @property
    def is_open(self) -> bool:
        return self.kept is None


def _keeps(statement: Statement) -> dict[tuple[int, str], StatementFigureKeep]:
    found = db.session.scalars(
        select(StatementFigureKeep).where(StatementFigureKeep.statement_id == statement.id)
    )
    return {(k.section_id, k.finding_key): k for k in found}


def statement_findings(
    *,
    statement: Statement,
    figures: StatementFigures | None = None,
    sections: list[StatementSection] | None = None,
    today: date | None = None,
) -> list[SectionFinding]:
    """Every finding in the statement's sections (or only those given), in the order of the
    sections, each with its keep. The figures are computed when not given."""
    figures = figures or statement_figures(statement=statement, today=today)
    year = FinancialYear(statement.financial_year)
    last_year = FinancialYear(statement.financial_year - 1)
    covered = {b.organisation_id for b in figures.bodies}
    audiences = audience_totals(
        organisation_ids=[b.organisation_id for b in figures.bodies if b.organisation_id],
        financial_year=statement.financial_year,
    )
    voluntary = statement_basis(statement) is StatementBasis.VOLUNTARY
    keeps = _keeps(statement)
    found: list[SectionFinding] = []
    for section in sections if sections is not None else statement.sections:
        org = section.organisation_id if section.organisation_id in covered else None
        for finding in check_section(
            section_key=section.key,
            text=section.text,
            year_label=year.label,
            last_year_label=last_year.label,
            figures=check_figures(
                figures=figures, organisation_id=org, audiences=audiences, voluntary=voluntary
            ),
        ):
            found.append(SectionFinding(section, finding, keeps.get((section.id, finding.key))))
    return found


def refuse_open_findings(*, statement: Statement, today: date | None = None) -> None:
    """FiguresDisagreeError while any finding is neither changed nor kept with a reason."""
    still = [f for f in statement_findings(statement=statement, today=today) if f.is_open]
    if still:
        raise FiguresDisagreeError(blocked_message([f.section.title for f in still]))


def keep_words(
    *,
    statement: Statement,
    section: StatementSection,
    finding_key: str,
    reason: str | None,
    user: User | None,
    today: date | None = None,
) -> StatementFigureKeep:
    """Keep the words of a finding in the section, with a reason (who and when are recorded).
    Keeping them again replaces the reason. ValidationError when the words are no longer there
    or the reason is missing."""
    require(user is None or may_edit_section(user=user, section=section))
    check_not_published(statement, "reason")
    cleaned = without_control_characters(reason or "").strip()
    raise_first(keep_problems(reason=cleaned))
    finding = next(
        (
            f.finding
            for f in statement_findings(statement=statement, sections=[section], today=today)
            if f.finding.key == finding_key
        ),
        None,
    )
    if finding is None:
        raise ValidationError(
            "These words are no longer in the section, or agree with the figures now: "
            "there is nothing to keep",
            field="reason",
        )
    keep = db.session.scalar(
        select(StatementFigureKeep).where(
            StatementFigureKeep.section_id == section.id,
            StatementFigureKeep.finding_key == finding_key,
        )
    )
    if keep is None:
        keep = StatementFigureKeep(
            statement_id=statement.id, section_id=section.id, finding_key=finding_key
        )
        db.session.add(keep)
    keep.quoted = finding.quoted
    keep.reason = cleaned
    keep.kept_by_id = user.id if user else None
    keep.kept_at = utcnow()
    flush()
    return keep
