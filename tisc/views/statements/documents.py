"""A statement's generated documents: generate the Word document (and a tagged PDF when
LibreOffice is installed), download any kept document exactly as generated, and download the
registry summary CSV.

Joint statements live under their partnership (coordinators generate; the partnership's
readers download every body's registry rows), a body's own statement under the body (its
statement role generates; anyone who reads the body downloads). A body's readers also download
the documents of a joint statement that covers the body, and the body's own registry row, from
the body's pages. Another partnership's or body's statement answers 404.
The panel (templates/statements/documents_panel.html) is on the documents page and on the
statement's page; each view passes it the Panel of documents_panel().
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from tisc.models import Organisation, Statement, StatementTemplate
from tisc.rules.authz import Permission, permissions_from
from tisc.rules.years import FinancialYear
from tisc.services.statements import documents
from tisc.services.statements import records as statements
from tisc.services.statements.access import owner_of
from tisc.services.statements.registry import registry_csv, registry_warnings
from tisc.services.statements.templates import list_templates
from tisc.views.statements.pages import home_url
from tisc.web.access import organisation_access, partnership_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import saving

bp = Blueprint("statement_documents", __name__)

JOINT = "/partnerships/<partnership_slug>/statements/<int:statement_id>"
SINGLE = "/organisations/<org_slug>/statements/<int:statement_id>"


@dataclass(frozen=True)
class DocumentEndpoints:
    """A side's document pages: a partnership's (of its joint statements) or a body's."""

    documents: str
    generate: str
    download: str
    registry: str


# Written out in full, never assembled, so that a search for an endpoint finds every caller.
JOINT_PAGES = DocumentEndpoints(
    documents="statement_documents.joint_documents",
    generate="statement_documents.joint_generate",
    download="statement_documents.joint_download",
    registry="statement_documents.joint_registry",
)
SINGLE_PAGES = DocumentEndpoints(
    documents="statement_documents.single_documents",
    generate="statement_documents.single_generate",
    download="statement_documents.single_download",
    registry="statement_documents.single_registry",
)


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
    can_generate: bool
    on_statement_page: bool  # come back to the statement's page after generating
    level: int  # of its heading
    registry_whose: str  # whose rows the registry summary holds: "each body's"
    # Its rows not ready for the registry, with why ("Durham Constabulary: not approved yet").
    registry_warnings: list[str]
    # Added to its element ids where a page shows a second panel (a body's page shows its own
    # statement's and the joint one's).
    id_suffix: str


def _scope(
    statement: Statement, org: Organisation | None
) -> tuple[DocumentEndpoints, dict[str, object]]:
    """The endpoints and URL values of a statement's document pages: a body's (org), else
    those of the statement's owner."""
    if org is not None:
        return SINGLE_PAGES, {"org_slug": org.slug, "statement_id": statement.id}
    owner = owner_of(statement)
    if statement.is_joint:
        return JOINT_PAGES, {"partnership_slug": owner.slug, "statement_id": statement.id}
    return SINGLE_PAGES, {"org_slug": owner.slug, "statement_id": statement.id}


def documents_panel(
    statement: Statement,
    *,
    can_generate: bool,
    org: Organisation | None = None,
    on_statement_page: bool = False,
) -> Panel:
    """The panel's contents, for the documents page and the statement's page to pass to
    templates/statements/documents_panel.html. org: shown on that body's pages (a joint
    statement covering it, or its own statement)."""
    endpoints, values = _scope(statement, org)
    available, reason = documents.pdf_available()
    return Panel(
        generate_url=url_for(endpoints.generate, **values),
        registry_url=url_for(endpoints.registry, **values),
        documents=[
            (entry, url_for(endpoints.download, document_id=entry.id, **values))
            for entry in documents.list_documents(statement=statement)
        ],
        pdf_available=available,
        pdf_reason=reason,
        draft=documents.is_draft(statement),
        templates=[(t.id, t.name) for t in list_templates(active_only=True)],
        can_generate=can_generate,
        on_statement_page=on_statement_page,
        registry_whose=f"{org.name}'s" if org is not None else "each body's",
        registry_warnings=registry_warnings(statement=statement, org=org),
        level=3 if org is not None and on_statement_page else 2,
        id_suffix=f"-{statement.id}" if org is not None and statement.is_joint else "",
    )


def _chosen_template() -> StatementTemplate | None:
    """The uploaded template asked for (404 for one that is not offered), or None."""
    asked = request.form.get("template_id", "")
    if not asked:
        return None
    chosen = [t for t in list_templates(active_only=True) if str(t.id) == asked]
    if not chosen:
        abort(404)
    return chosen[0]


def _back(statement: Statement) -> str:
    """Where to go after generating: the statement's page when the panel was on it."""
    if request.form.get("back") == "statement":
        return home_url(statement) + "#statement-documents"
    endpoints, values = _scope(statement, _side())
    return url_for(endpoints.documents, **values)


def _side() -> Organisation | None:
    """The body whose pages these are; None on a partnership's pages."""
    return None if "partnership" in g else g.org


def _load(statement_id: int) -> Statement:
    """The partnership's joint statement; on a body's pages, its own statement or a joint
    one that covers it (404 for any other)."""
    return statements.get_statement(
        statement_id=statement_id, partnership=g.get("partnership"), org=_side()
    )


def _page(statement: Statement, can_generate: bool) -> str:
    owner = owner_of(statement)
    return render_template(
        "statements/documents.html",
        title=f"Documents of the {FinancialYear(statement.financial_year).label} statement "
        f"– {owner.name}",
        statement=statement,
        owner=owner,
        panel=documents_panel(statement, can_generate=can_generate, org=_side()),
    )


def _generate(statement: Statement) -> Response:
    file_format = request.form.get("file_format", "docx")
    template = _chosen_template()
    with saving() as saved:
        document = documents.generate_statement_document(
            statement=statement, user=signed_in_user(), template=template, file_format=file_format
        )
    if saved:
        flash(
            "The Word document and its PDF have been generated and kept"
            if document.file_format == "pdf"
            else "The Word document has been generated and kept",
            "success",
        )
    return redirect(_back(statement))


def _download(statement: Statement, document_id: int) -> Response:
    document = documents.get_document(statement=statement, document_id=document_id)
    filename = documents.document_filename(statement=statement, document=document)
    # The name ends in the document's format (.docx, .pdf), which gives its type.
    return download(document.content, filename, etag=document.sha256)


def _registry(statement: Statement) -> Response:
    """Every covered body's rows on a partnership's pages; only the body's own on its pages."""
    side = _side()
    owner = side or owner_of(statement)
    filename = f"{owner.slug}-registry-summary-{FinancialYear(statement.financial_year).slug}.csv"
    return download(registry_csv(statement=statement, org=side), filename)


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


def _own(statement: Statement) -> bool:
    return statement.organisation_id == g.org.id


@bp.get(f"{SINGLE}/documents")
@organisation_access(Permission.READ_ORGANISATION)
def single_documents(org_slug: str, statement_id: int) -> str:
    """The documents of the body's own statement, or of a joint statement that covers it;
    the button to generate one is for the body's own statement (its statement role)."""
    statement = _load(statement_id)
    return _page(statement, _own(statement) and Permission.MANAGE_STATEMENT in g.org_permissions)


@bp.post(f"{SINGLE}/documents")
@organisation_access(Permission.MANAGE_STATEMENT)
def single_generate(org_slug: str, statement_id: int) -> Response:
    """Generate the body's statement as Word (and PDF) from today's figures, and keep it. A
    joint statement's documents are the coordinators' to generate (403 here)."""
    statement = _load(statement_id)
    if not _own(statement):
        abort(403)
    return _generate(statement)


@bp.get(f"{SINGLE}/documents/<int:document_id>")
@organisation_access(Permission.READ_ORGANISATION)
def single_download(org_slug: str, statement_id: int, document_id: int) -> Response:
    """A kept document, byte for byte as it was generated."""
    return _download(_load(statement_id), document_id)


@bp.get(f"{SINGLE}/registry.csv")
@organisation_access(Permission.READ_ORGANISATION)
def single_registry(org_slug: str, statement_id: int) -> Response:
    """The body's row of the registry summary (of its own statement or a joint one covering
    it), as CSV."""
    return _registry(_load(statement_id))
