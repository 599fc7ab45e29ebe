"""The board pack: the dashboard's figures at a glance as a short Word document (docxtpl, from
statements/board-report.docx; its context is tisc.services.board.pack's), as a tagged PDF of
that document, and the detail as an XLSX workbook.

The Word template is filled in a sandboxed Jinja environment with autoescaping (DESIGN.md):
a tag cannot reach Python internals, and "&" and "<" in names come out as they are. The
template gets plain strings and numbers (pack_context), never database objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from jinja2 import TemplateError

from tisc.config import ROOT
from tisc.documents.docx_render import fill_docx
from tisc.documents.exports import Cell, Column, Kind, Sheet, write_workbook
from tisc.documents.pdf import ConversionTimedOut, PdfConversionError, SofficeMissing, docx_to_pdf
from tisc.models import Partnership
from tisc.rules.years import FinancialYear
from tisc.services.board.dashboard import BoardView
from tisc.services.board.glance import board_glance
from tisc.services.board.pack import CHART_PICTURE, kpi_chart, pack_context
from tisc.services.board.packs import since_last_board
from tisc.services.errors import DomainError

TEMPLATE = ROOT / "statements" / "board-report.docx"
NO_SOFFICE = "LibreOffice (soffice) is not installed here, so no PDF can be made"


class TemplateProblem(DomainError):
    """A report template that cannot be filled in (a bad or unsafe tag)."""

    status_code = 500


class PdfUnavailable(DomainError):
    """PDF was asked for but cannot be made on this server."""

    status_code = 409


class PdfFailed(DomainError):
    """LibreOffice did not produce a PDF."""

    status_code = 500


def report_title(*, view: BoardView, partnership: Partnership) -> str:
    """ "Board pack 2024/25: North East", the document's title."""
    return f"Board pack {FinancialYear(view.financial_year).label}: {partnership.name}"


def render_docx(
    *,
    template: bytes,
    context: Mapping[str, Any],
    title: str | None = None,
    keywords: Sequence[str] = (),
    pictures: Mapping[str, bytes] | None = None,
) -> bytes:
    """A docxtpl template filled in safely; TemplateProblem when a tag is bad or unsafe."""
    try:
        return fill_docx(
            template=template, context=context, title=title, keywords=keywords, pictures=pictures
        )
    except TemplateError as error:
        raise TemplateProblem(
            f"The report template could not be filled in: {error.message}"
        ) from None


def pdf_from_docx(content: bytes, *, unavailable: str = NO_SOFFICE) -> bytes:
    """A Word document as a tagged PDF (tisc.documents.pdf), its failures as domain errors:
    PdfUnavailable (saying `unavailable`) without LibreOffice, PdfFailed when it fails."""
    try:
        return docx_to_pdf(content)
    except SofficeMissing:
        raise PdfUnavailable(unavailable) from None
    except ConversionTimedOut:
        raise PdfFailed("Making the PDF took too long; use the Word document instead") from None
    except PdfConversionError:
        raise PdfFailed("LibreOffice could not make a PDF; use the Word document instead") from None


def board_report_docx(*, view: BoardView, report_date: date, partnership: Partnership) -> bytes:
    """The board pack as a Word document, with what changed since the last pack kept for the
    year before its date (tisc.services.board.packs)."""
    glance = board_glance(view=view)
    year = FinancialYear(view.financial_year).label
    last = FinancialYear(view.financial_year - 1).label
    return render_docx(
        template=TEMPLATE.read_bytes(),
        context=pack_context(
            view=view,
            glance=glance,
            report_date=report_date,
            partnership=partnership,
            since=since_last_board(view=view),
        ),
        title=report_title(view=view, partnership=partnership),
        keywords=("modern slavery", "board pack", partnership.name, year),
        pictures={CHART_PICTURE: kpi_chart(glance, year_label=year, last_label=last)},
    )


def board_report_pdf(*, view: BoardView, report_date: date, partnership: Partnership) -> bytes:
    """The board pack as a tagged PDF, made from the Word document by LibreOffice."""
    return pdf_from_docx(
        board_report_docx(view=view, report_date=report_date, partnership=partnership)
    )


# --- the workbook -------------------------------------------------------------------------

KPI_COLUMNS = (
    Column("Body"),
    Column("KPI"),
    Column("This year"),
    Column("Part", Kind.COUNT),
    Column("Whole", Kind.COUNT),
    Column("Percentage", Kind.PERCENT),
    Column("Last year"),
    Column("Last year's percentage", Kind.PERCENT),
    Column("Change in points", Kind.CHANGE),
)
OVERDUE_COLUMNS = (
    Column("Body"),
    Column("Overdue actions", Kind.COUNT),
    Column("Own actions", Kind.COUNT),
    Column("Actions in the plan", Kind.COUNT),
    Column("Plan for the year"),
)
COMMITMENT_COLUMNS = (
    Column("Number", Kind.COUNT),
    Column("Short title"),
    Column("Commitment"),
    *(Column(word, Kind.COUNT) for word in ("Red", "Amber", "Green", "No action")),
)


def _kpi_rows(view: BoardView) -> Iterator[list[Cell]]:
    for body in (*view.body_kpis, view.total_kpis):
        for kpi in view.kpis:
            found = body.values[kpi.key]
            yield [
                body.name,
                kpi.label,
                found.value.text,
                found.value.part,
                found.value.whole,
                found.value.percent,
                found.last_year.text,
                found.last_year.percent,
                # A number; words only when a year has no data ("+12.5" text would be
                # written with a leading apostrophe by the formula-safe writer).
                found.points if found.points is not None else found.change_text,
            ]


def board_report_xlsx(*, view: BoardView, report_date: date, partnership: Partnership) -> bytes:
    """The board report as an XLSX workbook: Matrix, KPIs, Overdue, Commitments and About."""
    year = FinancialYear(view.financial_year)
    matrix_columns = [
        Column("Body"),
        *(Column(c.heading, Kind.RAG) for c in view.commitments),
        Column("Overdue actions", Kind.COUNT),
    ]
    return write_workbook(
        [
            Sheet(
                "Matrix",
                matrix_columns,
                (
                    [row.org.name, *(cell.text for cell in row.cells), row.overdue]
                    for row in view.rows
                ),
            ),
            Sheet("KPIs", KPI_COLUMNS, _kpi_rows(view)),
            Sheet(
                "Overdue",
                OVERDUE_COLUMNS,
                [
                    *(
                        [r.org.name, r.overdue, r.own_actions, r.items, r.has_plan]
                        for r in view.rows
                    ),
                    [
                        "Partnership total",
                        view.overdue,
                        view.own_actions,
                        sum(r.items for r in view.rows),
                        None,
                    ],
                ],
            ),
            Sheet(
                "Commitments",
                COMMITMENT_COLUMNS,
                (
                    [
                        c.commitment.number,
                        c.commitment.short,
                        c.commitment.title,
                        c.red,
                        c.amber,
                        c.green,
                        c.none,
                    ]
                    for c in view.rag_counts
                ),
            ),
            Sheet(
                "About",
                (Column("About"), Column("Value")),
                [
                    ["Report", report_title(view=view, partnership=partnership)],
                    ["Partnership", partnership.name],
                    ["Financial year", year.label],
                    ["Report date", report_date],
                ],
            ),
        ],
        title=report_title(view=view, partnership=partnership),
    )
