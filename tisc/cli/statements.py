"""Commands for statements: the Word document (or its tagged PDF) and the registry CSV."""

from __future__ import annotations

from pathlib import Path

import click

from tisc.cli.common import check_pdf_possible, one_transaction, partnership_named, write_out
from tisc.models import Statement
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations as org_service


def _statement_args(
    year: str,
    partnership_slug: str | None,
    org_slug: str | None,
    out: Path,
    suffixes: tuple[str, ...],
) -> Statement:
    """The statement of --org, --partnership or the only partnership for --year; --out checked
    against the suffixes the command writes."""
    from tisc.services.statements.documents import statement_for_year

    if partnership_slug and org_slug:
        raise click.ClickException("Give --partnership or --org, not both")
    try:
        financial_year = FinancialYear.parse(year).start_year
    except ValueError as error:
        raise click.ClickException(f"--year: {error}") from None
    if out.suffix.lower() not in suffixes or out.is_dir():
        raise click.ClickException(f"--out: the file must end in {' or '.join(suffixes)}")
    if not out.parent.is_dir():
        raise click.ClickException(f"--out: there is no folder {out.parent}")
    if org_slug:
        org = org_service.get_organisation(slug=org_slug)
        return statement_for_year(financial_year=financial_year, org=org)
    partnership = partnership_named(partnership_slug)
    return statement_for_year(financial_year=financial_year, partnership=partnership)


@click.command("generate-statement")
@click.option("--year", required=True, help="financial year, like 2024-25")
@click.option(
    "--partnership", "partnership_slug", help="its joint statement (default: the only one)"
)
@click.option("--org", "org_slug", help="this body's own statement instead")
@click.option(
    "--template", "template_path", type=click.Path(path_type=Path), help="a .docx template to use"
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="FILE.docx, or FILE.pdf (a tagged PDF, with LibreOffice)",
)
@one_transaction
def generate_statement(
    year: str,
    partnership_slug: str | None,
    org_slug: str | None,
    template_path: Path | None,
    out: Path,
) -> None:
    """Generate the statement for a year as a Word document from today's figures, and keep it;
    for FILE.pdf, also a tagged PDF of it, kept beside it."""
    import hashlib

    from tisc.models import StatementTemplate
    from tisc.services.statements.documents import generate_statement_document

    statement = _statement_args(year, partnership_slug, org_slug, out, (".docx", ".pdf"))
    check_pdf_possible(out)
    template = None
    if template_path is not None:
        if not template_path.is_file():
            raise click.ClickException(f"--template: there is no file {template_path}")
        from tisc.services.statements.templates import check_template

        data = template_path.read_bytes()
        check_template(data)
        # Not stored: used once, as an uploaded template would be (checked, then sandboxed).
        template = StatementTemplate(
            name=template_path.name,
            file_name=template_path.name,
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
        )
    file_format = out.suffix.lower().lstrip(".")
    document = generate_statement_document(
        statement=statement, user=None, template=template, file_format=file_format
    )
    write_out(out, document.content)
    kept = f"kept as document {document.id}"
    if file_format == "pdf":
        kept += ", with the Word document it was made from"
    click.echo(
        f"Wrote {out} ({document.size:,} bytes, {'draft' if document.draft else 'final'}, "
        f"SHA-256 {document.sha256[:12]}); {kept}"
    )


@click.command("registry-csv")
@click.option("--year", required=True, help="financial year, like 2024-25")
@click.option(
    "--partnership", "partnership_slug", help="its joint statement (default: the only one)"
)
@click.option("--org", "org_slug", help="this body's own statement instead")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="FILE.csv")
@one_transaction
def registry_csv(year: str, partnership_slug: str | None, org_slug: str | None, out: Path) -> None:
    """Write the national registry's summary, one row per body, from the statement record.

    Every body is written; one not approved yet or with the registry's questions unanswered is
    listed on stderr with why ("Durham Constabulary: not approved yet"), and the command still
    succeeds."""
    from tisc.services.statements.registry import registry_report, report_csv

    statement = _statement_args(year, partnership_slug, org_slug, out, (".csv",))
    report = registry_report(statement=statement)
    body = report_csv(report)
    write_out(out, body)
    click.echo(f"Wrote {out} ({len(statement.bodies)} bodies, {len(body):,} bytes)")
    if report.warnings:
        click.echo(f"Check {len(report.warnings)} of the rows before submitting:", err=True)
        for line in report.warnings:
            click.echo(line, err=True)
