"""Assessments and due diligence of one or more bodies for a year, as one XLSX workbook.

Sheets: Figures (from due_diligence_figures), Due diligence (the tier A and B list),
Assessments, Sub-suppliers and Contract reviews. Text never becomes a formula (the rule of
tisc.documents.exports); numbers stay numbers, dates are dates and booleans read Yes or No.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import func, select

from tisc.database import db
from tisc.documents.exports import xlsx_text_cell
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
Rows = Iterable[Sequence[Value]]

DUE_DILIGENCE_COLUMNS = (
    "Organisation",
    "Supplier",
    "Company number",
    "Category",
    "Annual spend",
    "Over threshold",
    "Priority tier",
    "Rating",
    "Assessed",
    "Assessment score",
    "Guidance sent",
    "Guidance sent on",
    "Guidance sent by",
    "Plan requested on",
    "Plan received on",
    "Plan note",
    "Plan link",
    "Sub-suppliers mapped",
    "Contract reviews",
    "Reviews discussing modern slavery",
    "Missing",
)
ASSESSMENT_COLUMNS = (
    "Organisation",
    "Supplier",
    "Questionnaire",
    "Questionnaire version",
    "Source",
    "Status",
    "Score (%)",
    "Rating",
    "Completed on",
)
SUB_SUPPLIER_COLUMNS = (
    "Organisation",
    "Supplier",
    "Sub-supplier",
    "Tier",
    "Country",
    "Supplies",
    "Risk notes",
    "From the supplier's assessment",
    "Counts as mapped",
)
REVIEW_COLUMNS = (
    "Organisation",
    "Supplier",
    "Reviewed on",
    "Contract",
    "Modern slavery discussed",
    "Notes",
    "Actions",
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


def export_due_diligence(*, organisations: Sequence[Organisation], financial_year: int) -> bytes:
    """The bodies' assessments and due diligence for the year as XLSX bytes."""
    label = FinancialYear(financial_year).label
    bodies = [
        (org, due_diligence_figures(org=org, financial_year=financial_year))
        for org in organisations
    ]
    listed = [
        (org, due_diligence_rows(org=org, financial_year=financial_year)) for org in organisations
    ]
    figure_header = ["Organisation", "Financial year", *(text for _, text in FIGURE_LABELS), "Note"]
    return write_workbook(
        [
            ("Figures", figure_header, _figures_rows(bodies, label)),
            (
                "Due diligence",
                DUE_DILIGENCE_COLUMNS,
                (_due_diligence_row(org, row) for org, rows in listed for row in rows),
            ),
            (
                "Assessments",
                ASSESSMENT_COLUMNS,
                (r for org, rows in listed for r in _assessment_rows(org, financial_year, rows)),
            ),
            (
                "Sub-suppliers",
                SUB_SUPPLIER_COLUMNS,
                (r for org in organisations for r in _sub_supplier_rows(org, financial_year)),
            ),
            (
                "Contract reviews",
                REVIEW_COLUMNS,
                (r for org in organisations for r in _review_rows(org, financial_year)),
            ),
        ]
    )


# --- a formula-safe workbook of several sheets -------------------------------------------------


def _cell(sheet: WriteOnlyWorksheet, value: Value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        written = xlsx_text_cell(sheet, value)  # a string cell: never a formula
    else:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            written.number_format = "#,##0.00"
        elif isinstance(value, date):
            written.number_format = "yyyy-mm-dd"
    if bold:
        written.font = Font(bold=True)
    return written


def write_workbook(sheets: Sequence[tuple[str, Sequence[str], Rows]]) -> bytes:
    """An XLSX workbook, one sheet per (title, header, rows), each with a bold frozen header."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            width = min(max(10, len(name) + 2), 60)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_cell(sheet, name, bold=True) for name in header])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
