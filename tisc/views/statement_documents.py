"""A statement's generated documents: generate the Word document (and a tagged PDF when
LibreOffice is installed), download any kept document exactly as generated, and download the
registry summary CSV.

Joint statements live under their partnership (coordinators generate; the partnership's
readers download), a body's own statement under the body (its statement role generates;
anyone who reads the body downloads). Another partnership's or body's statement answers 404.
The panel (templates/statements/documents_panel.html) is included by the statement page.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.routing import BuildError

from tisc.extensions import db
from tisc.models import Statement, StatementTemplate
from tisc.rules.years import FinancialYear
from tisc.security import Permission, organisation_access, partnership_access, permissions_from
from tisc.services import statement_documents as documents
from tisc.services.errors import DomainError, NotFoundError
from tisc.services.registry import registry_csv
from tisc.views import signed_in_user

bp = Blueprint("statement_documents", __name__)

JOINT = "/partnerships/<partnership_slug>/statements/<int:statement_id>"
SINGLE = "/organisations/<org_slug>/statements/<int:statement_id>"


@dataclass(frozen=True)
class Panel:
    """What the documents panel shows for a statement."""

    generate_url: str
    registry_url: str
    documents: list[tuple[documents.DocumentEntry, str]]  # each with its download address
    pdf_available: bool
    pdf_reason: str
    draft: bool
    templates: list[tuple[int, str]]  # uploaded templates to choose from, besides the default


def _scope(statement: Statement) -> tuple[str, dict[str, object]]:
    """The endpoint prefix and URL values of a statement's document pages."""
    owner = documents.owner_of(statement)
    if statement.is_joint:
        return "joint", {"partnership_slug": owner.slug, "statement_id": statement.id}
    return "single", {"org_slug": owner.slug, "statement_id": statement.id}


def documents_panel(statement: Statement) -> Panel:
    """The panel's contents; also a template global, so the statement page can include it."""
    prefix, values = _scope(statement)
    available, reason = documents.pdf_available()
    return Panel(
        generate_url=url_for(f"statement_documents.{prefix}_generate", **values),
        registry_url=url_for(f"statement_documents.{prefix}_registry", **values),
        documents=[
            (
                entry,
                url_for(f"statement_documents.{prefix}_download", document_id=entry.id, **values),
            )
            for entry in documents.list_documents(statement=statement)
        ],
        pdf_available=available,
        pdf_reason=reason,
        draft=documents.is_draft(statement),
        templates=[(t.id, t.name) for t in _uploaded_templates()],
    )


def _uploaded_templates() -> list[StatementTemplate]:
    try:
        from tisc.services.statement_templates import list_templates
    except ImportError:
        return []
    return list(list_templates(active_only=True))


def _chosen_template() -> StatementTemplate | None:
    """The uploaded template asked for (404 for one that is not offered), or None."""
    asked = request.form.get("template_id", "")
    if not asked:
        return None
    chosen = [t for t in _uploaded_templates() if str(t.id) == asked]
    if not chosen:
        abort(404)
    return chosen[0]


def _back(statement: Statement) -> str:
    """Where to go after generating: the statement's page when the panel was on it."""
    prefix, values = _scope(statement)
    if request.form.get("back") == "statement":
        try:
            from tisc.views.statement_pages import home_url

            return home_url(statement) + "#statement-documents"
        except (ImportError, BuildError):
            pass
    return url_for(f"statement_documents.{prefix}_documents", **values)


bp.add_app_template_global(documents_panel, "documents_panel")


def _load(statement_id: int) -> Statement:
    try:
        if "partnership" in g:
            return documents.load_statement(statement_id=statement_id, partnership=g.partnership)
        return documents.load_statement(statement_id=statement_id, org=g.org)
    except NotFoundError:
        abort(404)


def _page(statement: Statement, can_generate: bool) -> str:
    owner = documents.owner_of(statement)
    return render_template(
        "statements/documents.html",
        title=f"Documents of the {FinancialYear(statement.financial_year).label} statement "
        f"– {owner.name}",
        statement=statement,
        owner=owner,
        can_generate=can_generate,
        panel=documents_panel(statement),
    )


def _generate(statement: Statement) -> Response:
    file_format = request.form.get("file_format", "docx")
    template = _chosen_template()
    try:
        document = documents.generate_statement_document(
            statement=statement, user=signed_in_user(), template=template, file_format=file_format
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            "The Word document and its PDF have been generated and kept"
            if document.file_format == "pdf"
            else "The Word document has been generated and kept",
            "success",
        )
    return redirect(_back(statement))


def _download(statement: Statement, document_id: int) -> Response:
    try:
        document = documents.get_document(statement=statement, document_id=document_id)
    except NotFoundError:
        abort(404)
    filename = documents.document_filename(statement=statement, document=document)
    response = Response(
        document.content,
        mimetype=documents.MIMETYPES[document.file_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    response.set_etag(document.sha256)
    return response


def _registry(statement: Statement) -> Response:
    owner = documents.owner_of(statement)
    filename = f"{owner.slug}-registry-summary-{FinancialYear(statement.financial_year).slug}.csv"
    return Response(
        registry_csv(statement=statement),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- a partnership's joint statement --------------------------------------------------------


@bp.get(f"{JOINT}/documents")
@partnership_access(Permission.READ_PARTNERSHIP)
def joint_documents(partnership_slug: str, statement_id: int) -> str:
    """The joint statement's documents, and the button to generate one (coordinators)."""
    allowed = permissions_from(g.partnership_roles)
    return _page(_load(statement_id), Permission.EDIT_JOINT in allowed)


@bp.post(f"{JOINT}/documents")
@partnership_access(Permission.EDIT_JOINT)
def joint_generate(partnership_slug: str, statement_id: int) -> Response:
    """Generate the joint statement as Word (and PDF) from today's figures, and keep it."""
    return _generate(_load(statement_id))


@bp.get(f"{JOINT}/documents/<int:document_id>")
@partnership_access(Permission.READ_PARTNERSHIP)
def joint_download(partnership_slug: str, statement_id: int, document_id: int) -> Response:
    """A kept document, byte for byte as it was generated."""
    return _download(_load(statement_id), document_id)


@bp.get(f"{JOINT}/registry.csv")
@partnership_access(Permission.READ_PARTNERSHIP)
def joint_registry(partnership_slug: str, statement_id: int) -> Response:
    """The registry summary of every body the joint statement covers, as CSV."""
    return _registry(_load(statement_id))


# --- a body's own statement -----------------------------------------------------------------


@bp.get(f"{SINGLE}/documents")
@organisation_access(Permission.READ_ORGANISATION)
def single_documents(org_slug: str, statement_id: int) -> str:
    """The body's statement's documents, and the button to generate one (its statement role)."""
    return _page(_load(statement_id), Permission.MANAGE_STATEMENT in g.org_permissions)


@bp.post(f"{SINGLE}/documents")
@organisation_access(Permission.MANAGE_STATEMENT)
def single_generate(org_slug: str, statement_id: int) -> Response:
    """Generate the body's statement as Word (and PDF) from today's figures, and keep it."""
    return _generate(_load(statement_id))


@bp.get(f"{SINGLE}/documents/<int:document_id>")
@organisation_access(Permission.READ_ORGANISATION)
def single_download(org_slug: str, statement_id: int, document_id: int) -> Response:
    """A kept document, byte for byte as it was generated."""
    return _download(_load(statement_id), document_id)


@bp.get(f"{SINGLE}/registry.csv")
@organisation_access(Permission.READ_ORGANISATION)
def single_registry(org_slug: str, statement_id: int) -> Response:
    """The registry summary of the body's statement, as CSV."""
    return _registry(_load(statement_id))
