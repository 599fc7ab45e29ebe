"""Commands for debarment and exclusions: importing the central debarment list, and checking
bodies' registers against it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tisc.cli.common import bodies_chosen, one_transaction, table_format, write_out
from tisc.services.accounts import organisations as org_service
from tisc.services.exclusions import debarment_list
from tisc.services.exclusions.export import export_exclusions
from tisc.services.exclusions.matches import find_matches


@click.command("import-debarment-list")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the summary as one JSON object")
@one_transaction
def import_debarment_list(path: Path, as_json: bool) -> None:
    """Import the central debarment list (CSV or XLSX); it replaces the list in force."""
    try:
        record = debarment_list.import_debarment_list(
            data=path.read_bytes(), filename=path.name, user=None
        )
    except debarment_list.ListRefused as refused:
        for problem in refused.problems:
            click.echo(debarment_list.problem_words(problem), err=True)
        raise
    matches = find_matches(organisations=org_service.list_organisations())
    if as_json:
        click.echo(json.dumps({"entries": record.entry_count, "matches": len(matches)}))
        return
    click.echo(
        f"Imported {record.entry_count:,} entries from {path.name}; "
        f"{len(matches):,} {'match' if len(matches) == 1 else 'matches'} with the registers."
    )


@click.command("check-exclusions")
@click.option("--org", "org_slug", help="one body's register")
@click.option("--partnership", "partnership_slug", help="every member body's register")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.csv or FILE.xlsx",
)
@one_transaction
def check_exclusions(org_slug: str | None, partnership_slug: str | None, out: Path) -> None:
    """Write every match of the registers (and their connected persons and subcontractors)
    with the debarment list in force, one row per match."""
    organisations, owner = bodies_chosen(org_slug, partnership_slug)
    file_format = table_format(out)
    if debarment_list.current_import() is None:
        click.echo(
            "No debarment list has been imported yet: every register is unchecked.", err=True
        )
    body, count = export_exclusions(
        organisations=organisations, file_format=file_format, owner=owner
    )
    write_out(out, body)
    click.echo(f"Wrote {out}: {count:,} {'match' if count == 1 else 'matches'}")
