"""Commands for registers: importing spend, exports, and inviting a supplier."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app, url_for

from tisc.cli.common import bodies_chosen, one_transaction, table_format, write_out
from tisc.database import db
from tisc.rules.years import FinancialYear, long_date
from tisc.services.accounts import organisations as org_service
from tisc.services.due_diligence.export import export_due_diligence as write_due_diligence
from tisc.services.imports import importing as imports
from tisc.services.register import categorise as categorising
from tisc.services.register import export as register_export
from tisc.services.register import rows as register


def _parse_map(values: tuple[str, ...]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not field=COLUMN", param_hint="--map")
        mapping[name.strip()] = column.strip() or None
    return mapping


@click.command("import-spend")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="slug of the body whose register it is")
@click.option(
    "--sheet", help="the sheet to read in an .xlsx workbook (default: the first with data)"
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="choose the column for a field, e.g. --map supplier_name='Beneficiary Name'",
)
@click.option("--dry-run", is_flag=True, help="check and report, write nothing")
@click.option("--json", "as_json", is_flag=True, help="print the summary as one JSON object")
@one_transaction
def import_spend(
    path: Path,
    org_slug: str,
    sheet: str | None,
    maps: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a finance export (CSV or XLSX) into a body's supplier register."""
    org = org_service.get_organisation(slug=org_slug)
    stages = imports.IMPORT_STAGES
    with click.progressbar(
        length=len(stages), label="Importing", file=sys.stderr, show_pos=False
    ) as bar:

        def progress(stage: str) -> None:
            bar.update(1)
            if not sys.stderr.isatty():  # a log has no bar to redraw: one line per stage
                click.echo(f"{stage}...", err=True)

        summary = imports.import_spend(
            org=org,
            user=None,
            data=path.read_bytes(),
            filename=path.name,
            sheet=sheet,
            mapping=_parse_map(maps),
            dry_run=dry_run,
            progress=progress,
        )
    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {summary.imported:,} of {summary.rows_read:,} rows "
        f"(£{summary.total_imported:,.2f}) into {org.name}; "
        f"{summary.suppliers_created:,} new suppliers."
    )
    if not summary.imported:
        click.echo(summary.why_nothing)
    for added in summary.year_totals:
        click.echo(f"  {added.year.label}: {added.payments:,} payments, £{added.total:,.2f}")
    click.echo(
        f"Skipped {summary.duplicates_skipped:,} already in the register; "
        f"left out {summary.excluded:,} private individuals (£{summary.total_excluded:,.2f}) "
        f"and {summary.rejected:,} rows with problems."
    )
    for problem in summary.problems[:20]:
        where = f"row {problem.row}" + (f", {problem.column}" if problem.column else "")
        click.echo(f"  {where}: {problem.message}")
    if len(summary.problems) > 20:
        click.echo(f"  ... and {len(summary.problems) - 20:,} more problems")


@click.command("export-register")
@click.option("--org", "org_slug", help="one body's register")
@click.option("--partnership", "partnership_slug", help="every member body's register")
@click.option("--year", required=True, help="financial year, like 2024-25")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx or FILE.csv",
)
@one_transaction
def export_register(
    org_slug: str | None, partnership_slug: str | None, year: str, out: Path
) -> None:
    """Write a register with flags, tier, spend and category to XLSX or CSV."""
    organisations, owner = bodies_chosen(org_slug, partnership_slug)
    try:
        financial_year = FinancialYear.parse(year)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year") from None
    file_format = table_format(out)
    body = register_export.export_register(
        organisations=organisations,
        financial_year=financial_year.start_year,
        file_format=file_format,
        owner=owner,
    )
    write_out(out, body)
    click.echo(f"Wrote {out} ({len(body):,} bytes)")


@click.command("export-due-diligence")
@click.option("--org", "org_slug", help="one body's due diligence")
@click.option("--partnership", "partnership_slug", help="every member body's due diligence")
@click.option("--year", required=True, help="financial year, like 2025-26")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.xlsx"
)
@one_transaction
def export_due_diligence(
    org_slug: str | None, partnership_slug: str | None, year: str, out: Path
) -> None:
    """Write assessments, due diligence and the figures for a year to XLSX."""
    if bool(org_slug) == bool(partnership_slug):  # exit 1 with one line, as its tests ask
        raise click.ClickException("Give exactly one of --org or --partnership")
    organisations, owner = bodies_chosen(org_slug, partnership_slug)
    try:
        financial_year = FinancialYear.parse(year)
    except ValueError as error:
        raise click.ClickException(f"--year: {error}") from None
    if out.suffix.lower() != ".xlsx":
        raise click.ClickException("--out: the file must end in .xlsx")
    body = write_due_diligence(
        organisations=organisations, financial_year=financial_year.start_year, owner=owner
    )
    write_out(out, body)
    click.echo(f"Wrote {out} ({len(body):,} bytes)")


@click.command("invite-supplier")
@click.option("--org", "org_slug", required=True, help="slug of the body that invites")
@click.option("--supplier", "supplier_name", required=True, help="the supplier's name")
@click.option("--year", help="financial year, like 2025-26 (default: the newest with spend)")
@click.option("--form", "form_key", type=click.Choice(["standard", "short"]), default="standard")
@click.option("--days", type=int, default=30, show_default=True, help="how long the link works")
@click.option("--contact-email", help="shown in the message; nothing is sent unless mail is on")
@one_transaction
def invite_supplier(
    org_slug: str,
    supplier_name: str,
    year: str | None,
    form_key: str,
    days: int,
    contact_email: str | None,
) -> None:
    """Make a self-assessment link and print it, for a body that sends its own email."""
    from tisc.services.assessments import invitations
    from tisc.services.register import suppliers

    org = org_service.get_organisation(slug=org_slug)
    supplier = suppliers.find_supplier_by_name(org=org, name=supplier_name)
    if year:
        try:
            financial_year = FinancialYear.parse(year).start_year
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--year") from None
    else:
        years = register.years_with_spend(org=org)
        financial_year = years[0] if years else FinancialYear.containing(date.today()).start_year
    invitation, token = invitations.create_invitation(
        org=org,
        supplier=supplier,
        financial_year=financial_year,
        questionnaire_key=form_key,
        user=None,
        contact_email=contact_email,
        days=days,
    )
    base = current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        link = url_for("respond.answer", token=token, _external=True)
    sent = invitations.send_if_configured(invitation=invitation, link=link)
    click.echo(link)
    click.echo(
        f"{supplier.name}, {FinancialYear(financial_year).label}: the link works until "
        f"{long_date(invitation.expires_at)}." + (f" Emailed to {contact_email}." if sent else ""),
        err=True,
    )


@click.command("categorise")
@click.option("--org", "org_slug", help="slug of the body whose register to categorise")
@click.option("--partnership", "partnership_slug", help="or every body of this partnership")
@click.option("--dry-run", is_flag=True, help="count what would change, write nothing")
@click.option("--json", "as_json", is_flag=True, help="print the summary as one JSON object")
@one_transaction
def categorise(
    org_slug: str | None, partnership_slug: str | None, dry_run: bool, as_json: bool
) -> None:
    """Give every supplier not chosen by hand its category from the strongest source, with
    the reason: the finance text, another body's decision, the reference list, its name."""
    if bool(org_slug) == bool(partnership_slug):
        raise click.UsageError("Give either --org SLUG or --partnership SLUG")
    if org_slug:
        bodies = [org_service.get_organisation(slug=org_slug)]
    else:
        bodies = list(org_service.get_partnership(slug=partnership_slug).organisations)
    summary = categorising.categorise(organisations=bodies)
    if dry_run:
        db.session.rollback()  # nothing is written, not even the audit event
    if as_json:
        click.echo(json.dumps(summary.as_json()))
        return
    verb = "Would change" if dry_run else "Changed"
    click.echo(
        f"{verb} the category of {summary.changed:,} suppliers. Of {summary.suppliers:,} "
        f"suppliers, {summary.categorised:,} have a category ({summary.automatic:,} found "
        f"automatically) and {summary.uncategorised:,} wait for a person to choose one "
        f"({summary.for_review:,} with a suggestion to review)."
    )
    for source, count in sorted(summary.by_source.items()):
        click.echo(f"  {source}: {count:,}")
