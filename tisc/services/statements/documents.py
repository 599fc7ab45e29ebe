"""The statement as a Word document (and a tagged PDF), generated from the statement record and
live figures, and every generated document kept exactly as it was made.

The default template (statements/statement.docx, built by scripts/build-statement-template.py)
is filled in this process with board_report.render_docx: a sandboxed, autoescaping Jinja
environment, so a tag cannot reach Python internals and "&" and "<" come out as they are. An
uploaded template is filled in a separate process with time and memory limits
(tisc.services.statements.templates). Either way the template reads plain strings and numbers
(tisc.services.statements.context), never database objects, and user text is never rendered as
a template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from tisc.config import ROOT
from tisc.database import db
from tisc.documents.pdf import soffice_installed
from tisc.models import (
    Organisation,
    Partnership,
    Statement,
    StatementDocument,
    StatementState,
    StatementTemplate,
    User,
)
from tisc.rules.years import FinancialYear
from tisc.services.board.report import PdfUnavailable, TemplateProblem, pdf_from_docx, render_docx
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.statements.access import home_partnership, owner_of
from tisc.services.statements.context import document_context
from tisc.services.statements.figures import statement_figures
from tisc.services.statements.goals import kpi_targets
from tisc.services.statements.records import find_statement
from tisc.services.statements.summary import glance_chart
from tisc.services.statements.templates import render_in_subprocess

DEFAULT_TEMPLATE = ROOT / "statements" / "statement.docx"
DEFAULT_TEMPLATE_NAME = "Default statement template"
# The picture a template shows as the chart of "The year at a glance": its stand-in in the
# template is replaced by the chart drawn from this document's figures.
CHART_PICTURE = "statement-chart.png"
FORMATS = ("docx", "pdf")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
NO_SOFFICE = (
    "PDF is not offered: LibreOffice (soffice) is not installed on this server. "
    "Download the Word document and save it as a PDF from Word, ticking "
    "“Document structure tags for accessibility”."
)


# --- finding statements ---------------------------------------------------------------------


def statement_for_year(
    *, financial_year: int, partnership: Partnership | None = None, org: Organisation | None = None
) -> Statement:
    """The partnership's joint statement (or the body's own) for a year."""
    found = find_statement(financial_year=financial_year, partnership=partnership, org=org)
    if found is None:
        name = partnership.name if partnership is not None else org.name  # type: ignore[union-attr]
        label = FinancialYear(financial_year).label
        raise NotFoundError(f"There is no {label} statement for {name}")
    return found


def is_draft(statement: Statement) -> bool:
    """A statement is a draft until it is approved (or published)."""
    return statement.state not in (StatementState.APPROVED, StatementState.PUBLISHED)


# --- generating -----------------------------------------------------------------------------


def _keep(
    *,
    statement: Statement,
    user: User | None,
    content: bytes,
    file_format: str,
    draft: bool,
    figures: str,
    template_id: int | None,
    template_name: str,
) -> StatementDocument:
    document = StatementDocument(
        statement_id=statement.id,
        generated_by_id=user.id if user else None,
        template_id=template_id,
        template_name=template_name,
        file_format=file_format,
        draft=draft,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        figures=figures,
    )
    db.session.add(document)
    db.session.flush()
    return document


def render_statement(
    *,
    statement: Statement,
    context: dict[str, Any],
    template: StatementTemplate | None,
    pictures: dict[str, bytes] | None = None,
) -> bytes:
    """The filled-in Word document: the default template here, an uploaded one in a
    separate process. `pictures` replaces the template's pictures of those names (the chart,
    CHART_PICTURE)."""
    keywords = statement_keywords(statement)
    if template is None:
        try:
            return render_docx(
                template=DEFAULT_TEMPLATE.read_bytes(),
                context=context,
                title=statement.title,
                keywords=keywords,
                pictures=pictures,
            )
        except TemplateProblem as problem:
            message = problem.message.replace("report template", "statement template")
            raise TemplateProblem(message) from None
    # The title is set by the child too: this process never opens what a template produced.
    return render_in_subprocess(
        template_bytes=template.content,
        context=context,
        title=statement.title,
        keywords=keywords,
        pictures=pictures,
    )


def statement_keywords(statement: Statement) -> tuple[str, ...]:
    """What the document is about, for search and the PDF: the subject, who, which year."""
    year = FinancialYear(statement.financial_year).label
    return ("modern slavery", "transparency statement", owner_of(statement).name, year)


def generate_statement_document(
    *,
    statement: Statement,
    user: User | None,
    template: StatementTemplate | None = None,
    file_format: str = "docx",
    today: date | None = None,
) -> StatementDocument:
    """Generate the statement from today's figures and keep it: who, when, which template,
    its checksum and the figures used. A PDF is made from the Word document, and both are kept.
    """
    if file_format not in FORMATS:
        raise ValidationError("Choose a Word document or a PDF", field="file_format")
    if file_format == "pdf":
        available, reason = pdf_available()
        if not available:
            raise PdfUnavailable(reason)
    day = today or date.today()
    figures = statement_figures(statement=statement, today=day)
    draft = is_draft(statement)
    context = document_context(statement=statement, figures=figures, draft=draft, today=day)
    content = render_statement(
        statement=statement,
        context=context,
        template=template,
        pictures={
            CHART_PICTURE: glance_chart(
                figures, kpi_targets(partnership=home_partnership(statement))
            )
        },
    )
    document = _keep(
        statement=statement,
        user=user,
        content=content,
        file_format="docx",
        draft=draft,
        figures=figures.as_json(),
        template_id=template.id if template is not None else None,
        template_name=template.name if template is not None else DEFAULT_TEMPLATE_NAME,
    )
    if file_format == "pdf":
        return document_pdf(document=document, user=user)
    return document


# --- PDF ------------------------------------------------------------------------------------


def pdf_available() -> tuple[bool, str]:
    """Whether a tagged PDF can be made here, and why not when it cannot."""
    if not soffice_installed():
        return False, NO_SOFFICE
    return True, ""


def convert_to_pdf(content: bytes) -> bytes:
    """A Word document as a tagged PDF in en-GB, by the one converter (tisc.documents.pdf)."""
    return pdf_from_docx(content, unavailable=NO_SOFFICE)


def document_pdf(*, document: StatementDocument, user: User | None) -> StatementDocument:
    """A tagged PDF of a kept Word document, kept as another document with the same figures."""
    if document.file_format != "docx":
        raise ValidationError("Only a Word document can be made into a PDF")
    statement = db.session.get(Statement, document.statement_id)
    return _keep(
        statement=statement,
        user=user,
        content=convert_to_pdf(document.content),
        file_format="pdf",
        draft=document.draft,
        figures=document.figures,
        template_id=document.template_id,
        template_name=document.template_name,
    )


# --- the kept documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentEntry:
    """A kept document as the list shows it (without its content)."""

    id: int
    generated_at: datetime
    generated_by: str
    template_name: str
    file_format: str
    draft: bool
    size: int
    sha256: str

    @property
    def checksum(self) -> str:
        """The first 12 characters of the SHA-256, enough to tell documents apart."""
        return self.sha256[:12]


def list_documents(*, statement: Statement) -> list[DocumentEntry]:
    """Every document generated for the statement, newest first."""
    rows = db.session.execute(
        select(StatementDocument, User.name)
        .outerjoin(User, User.id == StatementDocument.generated_by_id)
        .where(StatementDocument.statement_id == statement.id)
        .options(defer(StatementDocument.content), defer(StatementDocument.figures))
        .order_by(StatementDocument.generated_at.desc(), StatementDocument.id.desc())
    )
    return [
        DocumentEntry(
            id=d.id,
            generated_at=d.generated_at,
            generated_by=name or ("Command line" if d.generated_by_id is None else "A former user"),
            template_name=d.template_name,
            file_format=d.file_format,
            draft=d.draft,
            size=d.size,
            sha256=d.sha256,
        )
        for d, name in rows
    ]


def get_document(*, statement: Statement, document_id: int) -> StatementDocument:
    """One kept document of the statement; NotFoundError for another statement's."""
    document = db.session.get(StatementDocument, document_id)
    if document is None or document.statement_id != statement.id:
        raise NotFoundError("There is no such document")
    return document


def document_filename(*, statement: Statement, document: StatementDocument) -> str:
    """e.g. north-east-modern-slavery-statement-2024-25-draft-12.docx"""
    owner = owner_of(statement)
    draft = "-draft" if document.draft else ""
    year = FinancialYear(statement.financial_year).slug
    extension = document.file_format
    return f"{owner.slug}-modern-slavery-statement-{year}{draft}-{document.id}.{extension}"
