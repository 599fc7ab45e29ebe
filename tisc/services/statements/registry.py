"""The national modern slavery statement registry's summary, one row per body covered, filled
from the statement record so that each body can submit without retyping.

The columns are the registry's bulk CSV export's, in its order (DOMAIN.md). Cells the app has
no record for are left blank for the body to answer on the registry itself. Multi-value cells
are joined by line breaks; text never becomes a spreadsheet formula (tisc.documents.exports).
"""

from __future__ import annotations

import re
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
    TrainingRecord,
)
from tisc.rules.years import FinancialYear
from tisc.services.plans.kpis import body_kpis
from tisc.services.statements.access import owner_of

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
    people = (
        (body.signatory_name, body.signatory_title),
        (body.second_signatory_name, body.second_signatory_title),
    )
    return "\n".join(f"{name}, {title}" if title else name for name, title in people if name)


def _training(org: Organisation, financial_year: int) -> str:
    audiences = set(
        db.session.scalars(
            select(TrainingRecord.audience).where(
                TrainingRecord.organisation_id == org.id,
                TrainingRecord.financial_year == financial_year,
                TrainingRecord.staff_trained > 0,
            )
        )
    )
    return "\n".join(label for audience, label in TRAINED.items() if audience in audiences)


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


def _progress(org: Organisation, financial_year: int) -> str:
    """How progress is shown: the KPIs the statement reports, computed from the records."""
    values = body_kpis(org=org, financial_year=financial_year)
    return "\n".join(f"{v.definition.label}: {v.text}" for v in values.values() if not v.no_data)


def registry_rows(
    *, statement: Statement, org: Organisation | None = None
) -> list[dict[str, str | date | None]]:
    """One row per body covered (only org's, when given), with exactly the registry's
    columns."""
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
    for body in statement.bodies:
        if org is not None and body.organisation_id != org.id:
            continue
        member = body.organisation
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
                "Training": _training(member, statement.financial_year),
                "DemonstrateProgress": _progress(member, statement.financial_year),
            }
        )
        own = [s for s in sections if s.organisation_id in (None, member.id)]
        row.update(_areas(own))
        row.update(_risks([r for r in risks if r.organisation_id in (None, member.id)]))
        rows.append(row)
    return rows


def registry_csv(*, statement: Statement, org: Organisation | None = None) -> bytes:
    """The registry summary as CSV (UTF-8 with a BOM), formula-safe; only org's row when
    given (a body downloading its own part of a joint statement)."""
    rows = registry_rows(statement=statement, org=org)
    return exports.write_csv(REGISTRY_COLUMNS, ([row[c] for c in REGISTRY_COLUMNS] for row in rows))
