"""The national modern slavery statement registry's summary, one row per body covered, filled
from the statement record so that each body can submit without retyping.

The columns are the registry's bulk CSV export's, in its order (DOMAIN.md). They are filled from
the statement (period, areas covered, risks), each body's sign-off (approving person, date) and
answers to the registry's questions (tisc.services.statements.registry_answers), and the
records: the turnover band from the body's spend in the register for the year, the years
producing statements counted from earlier statements when not answered, the training audiences
from the training records when not answered, the indicators of forced labour found and what
was done about them from the body's incident log when it recorded any in the year, and the KPIs
as progress. Cells the app has no record for are left blank for the body to answer on the
registry itself. Multi-value cells are joined by line breaks; text never becomes a spreadsheet
formula (tisc.documents.exports).

Every body covered is exported; one not approved yet, or with questions unanswered, is listed
with why (registry_warnings), for the command line and the statement's page to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from tisc.database import db
from tisc.documents import exports
from tisc.models import (
    Audience,
    Organisation,
    Statement,
    StatementBody,
    StatementRisk,
    StatementSection,
)
from tisc.rules import registry as rules
from tisc.rules.incidents import registry_choices
from tisc.rules.years import FinancialYear
from tisc.services.incidents.counts import incident_counts
from tisc.services.plans.kpis import body_kpis
from tisc.services.plans.training import list_training
from tisc.services.register.rows import years_with_spend
from tisc.services.statements.access import owner_of
from tisc.services.statements.registry_answers import (
    body_answers,
    is_public_body,
    statements_produced,
    year_spend,
)

RISK_COLUMNS = tuple(
    f"Risk{n}{part}"
    for n in (1, 2, 3)
    for part in (
        "",
        "Area",
        "SupplyChainTier",
        "GroupAffected",
        "OtherGroupAffected",
        "Location",
        "Mitigation",
    )
)
REGISTRY_COLUMNS: tuple[str, ...] = (
    "StatementYear",
    "OrganisationName",
    "Address",
    "SectorType",
    "CompanyNumber",
    "LastUpdated",
    "GroupSubmission",
    "ParentName",
    "StatementURL",
    "EmailAddressNoURL",
    "StatementSummaryURL",
    "StatementStartDate",
    "StatementEndDate",
    "ApprovingPerson",
    "DateApproved",
    "StatementIncludesOrgStructure",
    "NoOrgStructureReason",
    "StatementIncludesPolicies",
    "NoPoliciesReason",
    "StatementIncludesRisksAssessment",
    "NoRiskAssessmentReason",
    "StatementIncludesDueDiligence",
    "NoDueDiligenceReason",
    "StatementIncludesTraining",
    "NoTrainingReason",
    "StatementIncludesGoals",
    "NoGoalsReason",
    "OrganisationSectors",
    "OtherOrganisationSector",
    "Turnover",
    "YearsProducingStatements",
    "Policies",
    "OtherPolicies",
    "NoPolicies",
    "Training",
    "OtherTraining",
    "NoTraining",
    "WorkingConditionsEngagement",
    "NoEngagement",
    "SocialAudits",
    "NoSocialAudits",
    "GrievanceMechanisms",
    "NoGrievanceMechanisms",
    "OtherMonitoring",
    "NoRisks",
    *RISK_COLUMNS,
    "ILOIndicatorsInStatement",
    "NoILOIndicatorsInStatement",
    "ILOIndicatorsActions",
    "ILOIndicatorsNoActions",
    "DemonstrateProgress",
    "PDFDate",
    "PDFURL",
)

# The six recommended areas: the section keys that cover each, and the registry's columns.
AREAS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("structure",), "StatementIncludesOrgStructure", "NoOrgStructureReason"),
    (("policies",), "StatementIncludesPolicies", "NoPoliciesReason"),
    (("risk", "risk-assessment"), "StatementIncludesRisksAssessment", "NoRiskAssessmentReason"),
    (("due-diligence",), "StatementIncludesDueDiligence", "NoDueDiligenceReason"),
    (("training",), "StatementIncludesTraining", "NoTrainingReason"),
    (("goals", "kpis"), "StatementIncludesGoals", "NoGoalsReason"),
)
NOT_WRITTEN = "This part of the statement is not written yet"
PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")
# Who was trained, in the registry's words.
TRAINED = {
    Audience.ALL_STAFF: "Your whole organisation",
    Audience.FRONT_LINE: "Your front line staff",
    Audience.SENIOR_LEADERS: "Executive-level staff",
    Audience.PROCUREMENT: "Procurement staff",
    Audience.SUPPLIERS: "Your suppliers",
}
MAX_RISKS = 3


def is_written(text: str | None) -> bool:
    """A section counts when it has text and no "[...]" placeholder is left in it."""
    return bool((text or "").strip()) and PLACEHOLDER.search(text or "") is None


def _areas(sections: list[StatementSection]) -> dict[str, str]:
    cells: dict[str, str] = {}
    for keys, included, reason in AREAS:
        written = any(s.key in keys and is_written(s.text) for s in sections)
        cells[included] = "Yes" if written else "No"
        cells[reason] = "" if written else NOT_WRITTEN
    return cells


def _approving(body: StatementBody) -> str:
    """The person signing for the body, "Name, Role" (the registry has one approving person)."""
    return rules.approving_person(
        body.signatory_name, body.signatory_title, body_name=body.organisation.name
    )


def _trained(org: Organisation, financial_year: int) -> str:
    """The registry's audiences of the year's training records that trained anyone."""
    audiences = {
        r.audience
        for r in list_training(org=org, financial_year=financial_year)
        if r.staff_trained > 0
    }
    return "\n".join(label for audience, label in TRAINED.items() if audience in audiences)


@dataclass(frozen=True)
class BodyAnswers:
    """What a body's row is filled from besides the statement: its answers and the records."""

    answers: rules.Answers
    trained: str  # the training records' audiences, one a line
    has_spend: bool


def _body_answers(body: StatementBody, financial_year: int) -> BodyAnswers:
    member = body.organisation
    answers = body_answers(statement_body=body)
    # Indicators of forced labour found, and what was done: from the body's incident log when
    # it recorded any in the year (its own answers stand only where the log says nothing).
    logged = registry_choices(
        incident_counts(organisations=[member], financial_year=financial_year)
    )
    if logged:
        answers = replace(answers, choices={**answers.choices, **logged})
    return BodyAnswers(
        answers=answers,
        trained=_trained(member, financial_year),
        has_spend=financial_year in years_with_spend(org=member),
    )


def _reasons(body: StatementBody, found: BodyAnswers, year: FinancialYear) -> list[str]:
    """Why the body's row is not ready for the registry ([] when it is)."""
    reasons = []
    if body.approved_on is None:
        reasons.append("not approved yet")
    if not _approving(body):
        reasons.append("no signatory")
    missing = rules.missing_answers(found.answers, has_training_records=bool(found.trained))
    if missing:
        reasons.append(rules.no_answer_for(missing))
    if not found.has_spend:
        reasons.append(f"no spend in the register for {year.label} to set the Turnover band")
    return reasons


def _answered(body: StatementBody, found: BodyAnswers, year: FinancialYear) -> dict[str, str]:
    """The cells filled from the body's answers and the records."""
    answers = found.answers
    public = is_public_body(body)
    spend = year_spend(statement_body=body) if found.has_spend else None
    cells = {
        "SectorType": rules.sector_type(answers.sectors, public_body=public),
        "OrganisationSectors": "\n".join(s for s in rules.SECTORS if s in answers.sectors),
        "Turnover": rules.turnover_band(spend),
        "YearsProducingStatements": answers.years
        or rules.years_band(statements_produced(statement_body=body)),
    }
    for question in rules.QUESTIONS:
        cells.update(rules.columns(question, answers))
    if not answers.chosen("training"):
        cells["Training"] = found.trained
    return cells


def _risks(risks: list[StatementRisk]) -> dict[str, str]:
    cells = dict.fromkeys(RISK_COLUMNS, "")
    for n, risk in enumerate(risks[:MAX_RISKS], 1):
        cells[f"Risk{n}"] = risk.description
        cells[f"Risk{n}Area"] = risk.area or ""
        cells[f"Risk{n}SupplyChainTier"] = risk.supply_chain_tier or ""
        cells[f"Risk{n}GroupAffected"] = risk.groups_affected or ""
        cells[f"Risk{n}Location"] = risk.location or ""
        cells[f"Risk{n}Mitigation"] = risk.mitigation or ""
    return cells


def _progress(org: Organisation, financial_year: int, answered: str) -> str:
    """How progress is shown: the body's words, then the KPIs the statement reports, computed
    from the records."""
    values = body_kpis(org=org, financial_year=financial_year)
    kpis = [f"{v.definition.label}: {v.text}" for v in values.values() if not v.no_data]
    return "\n".join([answered, *kpis] if answered else kpis)


@dataclass(frozen=True)
class RegistryReport:
    """The registry summary's rows, and the rows to check before submitting, one line each:
    "Durham Constabulary: not approved yet"."""

    rows: list[dict[str, str | date | None]]
    warnings: list[str]


def _bodies(statement: Statement, org: Organisation | None) -> list[StatementBody]:
    return [b for b in statement.bodies if org is None or b.organisation_id == org.id]


def registry_warnings(*, statement: Statement, org: Organisation | None = None) -> list[str]:
    """The bodies (only org's, when given) whose row is not ready for the registry, with why:
    not approved yet, no signatory, questions unanswered, no spend for the turnover band."""
    year = FinancialYear(statement.financial_year)
    lines = []
    for body in _bodies(statement, org):
        reasons = _reasons(body, _body_answers(body, year.start_year), year)
        if reasons:
            lines.append(rules.warning_line(body.organisation.name, reasons))
    return lines


def registry_rows(
    *, statement: Statement, org: Organisation | None = None
) -> list[dict[str, str | date | None]]:
    """One row per body covered (only org's, when given), with exactly the registry's
    columns."""
    return registry_report(statement=statement, org=org).rows


def registry_report(*, statement: Statement, org: Organisation | None = None) -> RegistryReport:
    """The rows of registry_rows, and the lines of registry_warnings, computed once."""
    year = FinancialYear(statement.financial_year)
    sections = list(statement.sections)
    risks = list(
        db.session.scalars(
            select(StatementRisk)
            .where(StatementRisk.statement_id == statement.id)
            .order_by(StatementRisk.organisation_id.is_(None), StatementRisk.position)
        )
    )
    owner = owner_of(statement)
    rows = []
    warnings = []
    for body in _bodies(statement, org):
        member = body.organisation
        found = _body_answers(body, statement.financial_year)
        reasons = _reasons(body, found, year)
        if reasons:
            warnings.append(rules.warning_line(member.name, reasons))
        row: dict[str, str | date | None] = dict.fromkeys(REGISTRY_COLUMNS, "")
        row.update(
            {
                # The registry's year is the calendar year the financial year ends in.
                "StatementYear": str(year.start_year + 1),
                "OrganisationName": member.name,
                "Address": (member.address or "").strip(),
                "GroupSubmission": "Yes" if len(statement.bodies) > 1 else "No",
                "ParentName": owner.name if statement.is_joint else "",
                "StatementURL": body.published_url or "",
                "StatementStartDate": year.starts,
                "StatementEndDate": year.ends,
                "ApprovingPerson": _approving(body),
                "DateApproved": body.approved_on,
                "DemonstrateProgress": _progress(
                    member, statement.financial_year, found.answers.progress
                ),
            }
        )
        row.update(_answered(body, found, year))
        own = [s for s in sections if s.organisation_id in (None, member.id)]
        row.update(_areas(own))
        row.update(_risks([r for r in risks if r.organisation_id in (None, member.id)]))
        rows.append(row)
    return RegistryReport(rows=rows, warnings=warnings)


def report_csv(report: RegistryReport) -> bytes:
    """A report's rows as CSV (UTF-8 with a BOM), formula-safe."""
    rows = report.rows
    return exports.write_csv(REGISTRY_COLUMNS, ([row[c] for c in REGISTRY_COLUMNS] for row in rows))


def registry_csv(*, statement: Statement, org: Organisation | None = None) -> bytes:
    """The registry summary as CSV (UTF-8 with a BOM), formula-safe; only org's row when
    given (a body downloading its own part of a joint statement)."""
    return report_csv(registry_report(statement=statement, org=org))
