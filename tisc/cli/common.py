"""What every command shares: one transaction per command, the partnership it is about, and
writing its file (as a PDF only where LibreOffice is installed)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from tisc.documents.pdf import soffice_installed
from tisc.extensions import db
from tisc.models import Organisation, Partnership
from tisc.services.accounts import organisations as org_service
from tisc.services.audit.chain import acting_as
from tisc.services.errors import DomainError

NO_SOFFICE = "--out: a PDF needs LibreOffice (soffice), which is not installed here; use .docx"


def one_transaction(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run in an app context and commit at the end; a domain error rolls back and exits 1."""

    @wraps(command)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        # The audit trail names the command as the one who made its changes.
        with acting_as(f"command line: {click.get_current_context().command.name}"):
            try:
                result = command(*args, **kwargs)
            except DomainError as error:
                db.session.rollback()
                raise click.ClickException(error.message) from None
            except Exception:
                db.session.rollback()
                raise
            db.session.commit()
        return result

    return with_appcontext(wrapped)


def check_pdf_possible(out: Path) -> None:
    """Exit with a one-line reason, before any work, when --out is a PDF that cannot be made."""
    if out.suffix.lower() == ".pdf" and not soffice_installed():
        raise click.ClickException(NO_SOFFICE)


def write_out(out: Path, body: bytes) -> None:
    """Write the command's file, or exit with why it cannot be written."""
    try:
        out.write_bytes(body)
    except OSError as error:
        raise click.ClickException(f"--out: cannot write {out}: {error.strerror}") from None


def partnership_named(slug: str | None) -> Partnership:
    """The partnership --partnership names, or the only one there is."""
    if slug:
        return org_service.get_partnership(slug=slug)
    found = org_service.list_partnerships()
    if len(found) != 1:
        raise click.ClickException(f"Give --partnership: there are {len(found)} partnerships")
    return found[0]


def bodies_chosen(
    org_slug: str | None, partnership_slug: str | None
) -> tuple[list[Organisation], str | None]:
    """The bodies --org or --partnership names (exactly one of them is given) and, for a
    partnership, its name, which says whose an export is."""
    if bool(org_slug) == bool(partnership_slug):
        raise click.UsageError("Give exactly one of --org or --partnership")
    if org_slug:
        return [org_service.get_organisation(slug=org_slug)], None
    partnership = org_service.get_partnership(slug=partnership_slug)
    return list(partnership.organisations), partnership.name


def table_format(out: Path) -> str:
    """ "csv" or "xlsx", from how --out ends; any other ending is refused."""
    file_format = out.suffix.lower().lstrip(".")
    if file_format not in ("xlsx", "csv"):
        raise click.BadParameter("the file must end in .xlsx or .csv", param_hint="--out")
    return file_format
