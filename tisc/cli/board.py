"""The board report as a file: `flask --app tisc board-report`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tisc.cli.common import check_pdf_possible, one_transaction, partnership_named, write_out
from tisc.rules.years import FinancialYear


@click.command("board-report")
@click.option("--year", required=True, help="financial year, like 2024-25")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="FILE.docx, .xlsx or .pdf (tagged, with LibreOffice)",
)
@click.option(
    "--partnership", "partnership_slug", help="slug of the partnership (default: the only one)"
)
@click.option("--date", "report_date", help="the date printed on it, YYYY-MM-DD (default: today)")
@click.option(
    "--keep",
    is_flag=True,
    help="keep the pack's figures, so that the next pack says what changed since this one",
)
@one_transaction
def board_report(
    year: str, out: Path, partnership_slug: str | None, report_date: str | None, keep: bool
) -> None:
    """Write the board report for a year: each body by commitment, overdue actions and KPIs,
    as a Word document, a tagged PDF of it or a workbook."""
    from datetime import datetime

    from tisc.services.board.dashboard import board_view
    from tisc.services.board.packs import keep_pack
    from tisc.services.board.report import board_report_docx, board_report_pdf, board_report_xlsx

    try:
        financial_year = FinancialYear.parse(year).start_year
    except ValueError as error:
        raise click.ClickException(f"--year: {error}") from None
    latest = FinancialYear.containing(date.today()).start_year + 1
    if not 2000 <= financial_year <= latest:
        raise click.ClickException(
            f"--year: choose a year from 2000-01 to {FinancialYear(latest).slug}"
        )
    file_format = out.suffix.lower().lstrip(".")
    if file_format not in ("docx", "xlsx", "pdf") or out.is_dir():
        raise click.ClickException("--out: the file must end in .docx, .xlsx or .pdf")
    if not out.parent.is_dir():
        raise click.ClickException(f"--out: there is no folder {out.parent}")
    check_pdf_possible(out)
    try:
        day = datetime.strptime(report_date, "%Y-%m-%d").date() if report_date else date.today()
    except ValueError:
        raise click.ClickException(
            f"--date: enter a date like 2026-11-29, not {report_date!r}"
        ) from None
    partnership = partnership_named(partnership_slug)
    view = board_view(partnership=partnership, financial_year=financial_year, today=day)
    write = {"docx": board_report_docx, "pdf": board_report_pdf, "xlsx": board_report_xlsx}[
        file_format
    ]
    body = write(view=view, report_date=day, partnership=partnership)
    write_out(out, body)
    click.echo(f"Wrote {out} ({len(body):,} bytes)")
    if keep:
        keep_pack(view=view, user=None, by="command line: board-report")
        click.echo(f"Kept the figures of the pack dated {day.isoformat()} for the next board")
