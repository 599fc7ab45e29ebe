"""The statement as a Word document (and a tagged PDF), generated from the statement record and
live figures, and every generated document kept exactly as it was made.

The default template (statements/statement.docx, built by scripts/build-statement-template.py)
is filled in this process with board_report.render_docx: a sandboxed, autoescaping Jinja
environment, so a tag cannot reach Python internals and "&" and "<" come out as they are. An
uploaded template is filled in a separate process with time and memory limits
(tisc.services.statement_templates). Either way the template reads plain strings and numbers
(document_context), never database objects, and user text is never rendered as a template.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
from sqlalchemy import select
from sqlalchemy.orm import defer

from tisc.extensions import db
from tisc.models import (
    Organisation,
    Partnership,
    Statement,
    StatementDocument,
    StatementRisk,
    StatementState,
    StatementTemplate,
    User,
)
from tisc.rules.years import FinancialYear, long_date
from tisc.services.board_report import TemplateProblem, render_docx
from tisc.services.errors import DomainError, NotFoundError, ValidationError
from tisc.services.statement_figures import StatementFigures, statement_figures
from tisc.services.statements import find_statement

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "statements" / "statement.docx"
DEFAULT_TEMPLATE_NAME = "Default statement template"
DRAFT_HEADER = "DRAFT – not approved"
FORMATS = ("docx", "pdf")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# LibreOffice 7.4+ reads export options as JSON: a tagged (accessible) PDF.
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
PDF_TIMEOUT = 120
NO_SOFFICE = (
    "PDF is not offered: LibreOffice (soffice) is not installed on this server. "
    "Download the Word document and save it as a PDF from Word, ticking "
    "“Document structure tags for accessibility”."
)
# Characters XML cannot hold, and docxtpl's own paragraph and page-break markers (\a, \f).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


class PdfUnavailable(DomainError):
    """PDF was asked for but cannot be made on this server."""

    status_code = 409


class PdfFailed(DomainError):
    """LibreOffice did not produce a PDF."""

    status_code = 500


# --- finding statements ---------------------------------------------------------------------


def load_statement(
    *, statement_id: int, partnership: Partnership | None = None, org: Organisation | None = None
) -> Statement:
    """A partnership's joint statement or a body's own; NotFoundError for anyone else's."""
    statement = db.session.get(Statement, statement_id)
    if statement is None or (
        statement.partnership_id != (partnership.id if partnership else None)
        or statement.organisation_id != (org.id if org else None)
    ):
        raise NotFoundError("There is no such statement")
    return statement


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


def owner_of(statement: Statement) -> Partnership | Organisation:
    """The partnership of a joint statement, or the body of a single one."""
    if statement.is_joint:
        return db.session.get(Partnership, statement.partnership_id)
    return db.session.get(Organisation, statement.organisation_id)


def is_draft(statement: Statement) -> bool:
    """A statement is a draft until it is approved (or published)."""
    return statement.state not in (StatementState.APPROVED, StatementState.PUBLISHED)


# --- the context ----------------------------------------------------------------------------


def clean(value: Any) -> Any:
    """Strings without control characters (XML cannot hold them; docxtpl reads \\a and \\f
    as paragraph and page breaks), all the way down through dicts and lists."""
    if isinstance(value, str):
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
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


def document_context(
    *, statement: Statement, figures: StatementFigures, draft: bool, today: date
) -> dict[str, Any]:
    """What the Word template reads: the record's text, the bodies, risks and the figures."""
    year = FinancialYear(statement.financial_year)
    owner = owner_of(statement)
    bodies = list(statement.bodies)
    names = {body.organisation_id: body.organisation.name for body in bodies}
    own: dict[int, list[str]] = {}
    for section in statement.sections:
        if section.organisation_id is not None:
            own.setdefault(section.organisation_id, []).extend(paragraphs(section.text))
    shown = figures.as_context()
    partnerships = [owner] if statement.is_joint else owner.partnerships  # type: ignore[union-attr]
    context = {
        "statement": {"title": statement.title, "state": statement.state.label},
        "title": statement.title,
        "owner": owner.name,
        "partnership": partnerships[0].name if partnerships else "",
        "year": year.label,
        "joint": statement.is_joint,
        "draft": draft,
        "draft_header": DRAFT_HEADER if draft else "",
        "state": statement.state.label,
        "year_label": year.label,
        "year_span": f"{long_date(year.starts)} to {long_date(year.ends)}",
        "period_start": long_date(year.starts),
        "period_end": long_date(year.ends),
        "generated_on": long_date(today),
        "body_count": len(bodies),
        "body_word": "body" if len(bodies) == 1 else "bodies",
        "sections": [
            {"key": s.key, "title": s.title, "paragraphs": paragraphs(s.text)}
            for s in statement.sections
            if s.organisation_id is None
        ],
        "bodies": [
            {
                "name": body.organisation.name,
                "paragraphs": own.get(body.organisation_id, []),
                "signatories": " and ".join(
                    p
                    for p in (
                        _person(body.signatory_name, body.signatory_title),
                        _person(body.second_signatory_name, body.second_signatory_title),
                    )
                    if p
                )
                or "signatories not yet named",
                "approved_on": long_date(body.approved_on) if body.approved_on else "Not yet",
                "decision_reference": body.decision_reference or "None recorded",
                "published_url": body.published_url or "",
            }
            for body in bodies
        ],
        "risks": _risks(statement, names, "All bodies" if statement.is_joint else owner.name),
        "figures": shown,
        "total": shown["total"],
        "last_year": {"year": shown["last_year_label"], "total": shown["last_year_total"]}
        if figures.has_last_year
        else None,
    }
    return clean(context)


# --- generating -----------------------------------------------------------------------------


def _with_title(content: bytes, title: str) -> bytes:
    """The document with its title property set (core properties are plain text)."""
    document = docx.Document(io.BytesIO(content))
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
    *, statement: Statement, context: dict[str, Any], template: StatementTemplate | None
) -> bytes:
    """The filled-in Word document: the default template here, an uploaded one in a
    separate process."""
    if template is None:
        try:
            return render_docx(
                template=DEFAULT_TEMPLATE.read_bytes(), context=context, title=statement.title
            )
        except TemplateProblem as problem:
            message = problem.message.replace("report template", "statement template")
            raise TemplateProblem(message) from None
    from tisc.services.statement_templates import render_in_subprocess

    rendered = render_in_subprocess(template_bytes=template.content, context=context)
    return _with_title(rendered, statement.title)


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
    content = render_statement(statement=statement, context=context, template=template)
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
    if shutil.which("soffice") is None:
        return False, NO_SOFFICE
    return True, ""


def convert_to_pdf(content: bytes, *, timeout: int = PDF_TIMEOUT) -> bytes:
    """A Word document as a tagged PDF, by LibreOffice in its own profile and folder."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise PdfUnavailable(NO_SOFFICE)
    with tempfile.TemporaryDirectory(prefix="tisc-pdf-") as folder:
        work = Path(folder)
        (work / "statement.docx").write_bytes(content)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(work / "out"),
            str(work / "statement.docx"),
        ]
        # Its own session, so a conversion that hangs is ended with all its children.
        process = subprocess.Popen(  # noqa: S603 - a fixed command on our own temporary file
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfFailed("Making the PDF took too long; download the Word document") from None
        pdf = work / "out" / "statement.pdf"
        if process.returncode != 0 or not pdf.is_file():
            raise PdfFailed("LibreOffice could not make a PDF; download the Word document")
        return pdf.read_bytes()


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
