"""Assessments and due diligence of one or more bodies for a year, as one XLSX workbook.

Sheets: Figures (from due_diligence_figures), Due diligence (the tier A and B list),
Assessments, Sub-suppliers and Contract reviews, written by tisc.documents.exports: text
never becomes a formula, each column's kind gives amounts in £, scores as percentages, dates
as dates and ratings filled with their colour; booleans read Yes or No.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from tisc.database import db
from tisc.documents.exports import Column, Kind, Sheet, workbook_title, write_workbook
from tisc.models import (
    AssessmentStatus,
    Contract,
    ContractReview,
    Organisation,
    SubSupplier,
    Supplier,
    SupplierAssessment,
)
from tisc.rules.risk import Tier
from tisc.rules.years import FinancialYear
from tisc.services.assessments.records import supplier_rating
from tisc.services.due_diligence.overview import (
    FIGURE_LABELS,
    DueDiligenceFigures,
    DueDiligenceRow,
    due_diligence_figures,
    due_diligence_rows,
    total_figures,
)
from tisc.services.due_diligence.records import COUNTS_AS_MAPPED, GUIDANCE_METHODS
from tisc.services.register import rows as register

Value = str | int | Decimal | date | datetime | bool | None

COUNT, MONEY, PERCENT, DATE, RAG = (
    Kind.COUNT,
    Kind.MONEY,
    Kind.PERCENT,
    Kind.DATE,
    Kind.RAG,
)
DUE_DILIGENCE_COLUMNS = (
    Column("Organisation"),
    Column("Supplier"),
    Column("Company number"),
    Column("Category"),
    Column("Annual spend", MONEY),
    Column("Over threshold"),
    Column("Priority tier"),
    Column("Rating", RAG),
    Column("Assessed"),
    Column("Assessment score", PERCENT),
    Column("Guidance sent"),
    Column("Guidance sent on", DATE),
    Column("Guidance sent by"),
    Column("Plan requested on", DATE),
    Column("Plan received on", DATE),
    Column("Plan note"),
    Column("Plan link"),
    Column("Sub-suppliers mapped", COUNT),
    Column("Contract reviews", COUNT),
    Column("Reviews discussing modern slavery", COUNT),
    Column("Missing"),
)
ASSESSMENT_COLUMNS = (
    Column("Organisation"),
    Column("Supplier"),
    Column("Questionnaire"),
    Column("Questionnaire version", COUNT),
    Column("Source"),
    Column("Status"),
    Column("Score (%)", PERCENT),
    Column("Rating", RAG),
    Column("Completed on", DATE),
)
SUB_SUPPLIER_COLUMNS = (
    Column("Organisation"),
    Column("Supplier"),
    Column("Sub-supplier"),
    Column("Tier"),
    Column("Country"),
    Column("Supplies"),
    Column("Risk notes"),
    Column("From the supplier's assessment"),
    Column("Counts as mapped"),
)
REVIEW_COLUMNS = (
    Column("Organisation"),
    Column("Supplier"),
    Column("Reviewed on", DATE),
    Column("Contract"),
    Column("Modern slavery discussed"),
    Column("Notes"),
    Column("Actions"),
)


def _figures_rows(
    bodies: list[tuple[Organisation, DueDiligenceFigures | None]], label: str
) -> Iterator[list[Value]]:
    found = [(org.name, figures) for org, figures in bodies]
    if len(bodies) > 1:
        found.append(("Total", total_figures(f for _, f in bodies)))
    for name, figures in found:
        if figures is None:
            yield [name, label, *([None] * len(FIGURE_LABELS)), "No spend recorded this year"]
        else:
            yield [name, label, *(getattr(figures, key) for key, _ in FIGURE_LABELS), None]


def _due_diligence_row(org: Organisation, row: DueDiligenceRow) -> list[Value]:
    record = row.record
    category = row.supplier.category
    return [
        org.name,
        row.supplier.name,
        row.supplier.company_number,
        category.name if category else None,
        row.annual_spend,
        row.flags.over_threshold,
        row.tier.value,
        row.rating.rating.label,
        row.assessment is not None,
        row.assessment.score if row.assessment else None,
        row.guidance_sent,
        record.guidance_sent_on if record else None,
        GUIDANCE_METHODS.get(record.guidance_method or "") if record else None,
        record.plan_requested_on if record else None,
        record.plan_received_on if record else None,
        record.plan_note if record else None,
        record.plan_link if record else None,
        row.mapped,
        row.reviews,
        row.reviews_discussed,
        "; ".join(row.missing) or "Nothing",
    ]


def _assessment_rows(
    org: Organisation, financial_year: int, rows: list[DueDiligenceRow]
) -> Iterator[list[Value]]:
    tiers = {row.supplier.id: row.tier for row in rows}
    filters = register.RegisterFilters(financial_year=financial_year, tier=Tier.C)
    tiers.update({r.supplier.id: Tier.C for r in register.register_rows(org=org, filters=filters)})
    found = db.session.execute(
        select(SupplierAssessment, Supplier)
        .join(Supplier, Supplier.id == SupplierAssessment.supplier_id)
        .where(
            SupplierAssessment.organisation_id == org.id,
            SupplierAssessment.financial_year == financial_year,
        )
        .order_by(func.lower(Supplier.name), SupplierAssessment.id)
    )
    for assessment, supplier in found:
        rating = None
        if assessment.status is AssessmentStatus.COMPLETE:
            rating = supplier_rating(
                risk=supplier.category.risk if supplier.category else None,
                tier=tiers.get(supplier.id, Tier.D),
                assessment=assessment,
            ).rating.label
        yield [
            org.name,
            supplier.name,
            assessment.questionnaire.title,
            assessment.questionnaire.version,
            assessment.source.label,
            assessment.status.label,
            assessment.score,
            rating,
            assessment.completed_at,
        ]


def _sub_supplier_rows(org: Organisation, financial_year: int) -> Iterator[list[Value]]:
    found = db.session.execute(
        select(SubSupplier, Supplier.name, COUNTS_AS_MAPPED)
        .join(Supplier, Supplier.id == SubSupplier.supplier_id)
        .outerjoin(SupplierAssessment, SupplierAssessment.id == SubSupplier.assessment_id)
        .where(SubSupplier.organisation_id == org.id, SubSupplier.financial_year == financial_year)
        .order_by(func.lower(Supplier.name), SubSupplier.tier, func.lower(SubSupplier.name))
    )
    for sub, supplier_name, counts in found:
        yield [
            org.name,
            supplier_name,
            sub.name,
            sub.tier_label,
            sub.country,
            sub.supplies,
            sub.risk_notes,
            sub.assessment_id is not None,
            bool(counts),
        ]


def _review_rows(org: Organisation, financial_year: int) -> Iterator[list[Value]]:
    found = db.session.execute(
        select(ContractReview, Supplier.name, Contract.title)
        .join(Supplier, Supplier.id == ContractReview.supplier_id)
        .outerjoin(Contract, Contract.id == ContractReview.contract_id)
        .where(
            ContractReview.organisation_id == org.id,
            ContractReview.financial_year == financial_year,
        )
        .order_by(ContractReview.reviewed_on, func.lower(Supplier.name), ContractReview.id)
    )
    for review, supplier_name, contract_title in found:
        yield [
            org.name,
            supplier_name,
            review.reviewed_on,
            contract_title,
            review.modern_slavery_discussed,
            review.notes,
            review.actions,
        ]


def export_due_diligence(
    *, organisations: Sequence[Organisation], financial_year: int, owner: str | None = None
) -> bytes:
    """The bodies' assessments and due diligence for the year as XLSX bytes; `owner` names
    whose they are in the workbook's title (a partnership's name)."""
    label = FinancialYear(financial_year).label
    bodies = [
        (org, due_diligence_figures(org=org, financial_year=financial_year))
        for org in organisations
    ]
    listed = [
        (org, due_diligence_rows(org=org, financial_year=financial_year)) for org in organisations
    ]
    figure_columns = [
        Column("Organisation"),
        Column("Financial year"),
        *(Column(text, COUNT) for _, text in FIGURE_LABELS),
        Column("Note"),
    ]
    return write_workbook(
        [
            Sheet("Figures", figure_columns, _figures_rows(bodies, label)),
            Sheet(
                "Due diligence",
                DUE_DILIGENCE_COLUMNS,
                (_due_diligence_row(org, row) for org, rows in listed for row in rows),
            ),
            Sheet(
                "Assessments",
                ASSESSMENT_COLUMNS,
                (r for org, rows in listed for r in _assessment_rows(org, financial_year, rows)),
            ),
            Sheet(
                "Sub-suppliers",
                SUB_SUPPLIER_COLUMNS,
                (r for org in organisations for r in _sub_supplier_rows(org, financial_year)),
            ),
            Sheet(
                "Contract reviews",
                REVIEW_COLUMNS,
                (r for org in organisations for r in _review_rows(org, financial_year)),
            ),
        ],
        title=workbook_title("Due diligence", organisations, owner, label),
    )
