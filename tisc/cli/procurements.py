"""Commands for procurements and contract management: the contracts export."""

from __future__ import annotations

from pathlib import Path

import click

from tisc.cli.common import bodies_chosen, one_transaction, table_format, write_out
from tisc.services.procurements import export as contracts_export


@click.command("export-contracts")
@click.option("--org", "org_slug", help="one body's contracts")
@click.option("--partnership", "partnership_slug", help="every member body's contracts")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx or FILE.csv",
)
@one_transaction
def export_contracts(org_slug: str | None, partnership_slug: str | None, out: Path) -> None:
    """Write contracts with regime, values, PPN 009 risk, clause, KPIs and rating to XLSX or
    CSV."""
    organisations, owner = bodies_chosen(org_slug, partnership_slug)
    file_format = table_format(out)
    body = contracts_export.export_contracts(
        organisations=organisations, file_format=file_format, owner=owner
    )
    write_out(out, body)
    click.echo(f"Wrote {out} ({len(body):,} bytes)")
