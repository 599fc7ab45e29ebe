"""`flask --app tisc backup` and `restore`: thin commands over tisc.services.backups."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from tisc.services import backups
from tisc.services.errors import DomainError


@click.command("backup")
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="the backup file to write"
)
@with_appcontext
def backup(out: Path) -> None:
    """Back up the whole database (SQLite online backup, or pg_dump for PostgreSQL)."""
    try:
        result = backups.backup_database(out=out)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Backed up the {result.kind} database to {out} ({result.size:,} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="replace the data without asking")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace everything in the database with a backup made by `backup`."""
    if not yes:
        click.confirm(
            f"Restoring {path.name} replaces every record in the database with the backup's. "
            "Go ahead? (--yes skips this question)",
            abort=True,
        )
    try:
        result = backups.restore_database(path=path)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Restored the {result.kind} database from {path} ({result.size:,} bytes)")


def init_app(app: Flask) -> None:
    """Register the commands (called from tisc.cli.init_app)."""
    app.cli.add_command(backup)
    app.cli.add_command(restore)
