"""Commands for partnerships, organisations, users and the demo data."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from flask import current_app

from tisc.cli.common import one_transaction
from tisc.demo import seed as demo
from tisc.models import Role
from tisc.services.accounts import organisations as org_service
from tisc.services.accounts import users as user_service


@click.command("create-partnership")
@click.option("--slug", required=True, help="e.g. north-east")
@click.option("--name", required=True, help="e.g. North East and Yorkshire & the Humber")
@one_transaction
def create_partnership(slug: str, name: str) -> None:
    """Create a partnership of organisations."""
    partnership = org_service.create_partnership(slug=slug, name=name)
    click.echo(f"Created partnership {partnership.slug}: {partnership.name}")


@click.command("create-org")
@click.option("--slug", required=True, help="e.g. west-yorkshire-police")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice(["force", "commissioner", "other"]))
@click.option("--partnership", "partnership_slug", help="slug of the partnership to join")
@one_transaction
def create_org(slug: str, name: str, kind: str, partnership_slug: str | None) -> None:
    """Create an organisation, optionally in a partnership."""
    partnership = org_service.get_partnership(slug=partnership_slug) if partnership_slug else None
    org = org_service.create_organisation(slug=slug, name=name, kind=kind, partnership=partnership)
    click.echo(f"Created organisation {org.slug}: {org.name}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_slug", help="slug of the organisation (procurement, statement, viewer)")
@click.option(
    "--partnership", "partnership_slug", help="slug of the partnership (coordinator, board)"
)
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@one_transaction
def create_user(
    email: str,
    name: str,
    role: str,
    org_slug: str | None,
    partnership_slug: str | None,
    password_stdin: bool,
) -> None:
    """Create a user with a role; prompts for the password unless --password-stdin."""
    organisation = org_service.get_organisation(slug=org_slug) if org_slug else None
    partnership = org_service.get_partnership(slug=partnership_slug) if partnership_slug else None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = user_service.create_user(
        email=email,
        name=name,
        password=password,
        role=role,
        organisation=organisation,
        partnership=partnership,
    )
    click.echo(f"Created user {user.email} ({role})")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="only when the database has no organisations at all")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="the day the demo is built around, YYYY-MM-DD (default today): it covers that "
    "day's financial year and the one before",
)
@one_transaction
def seed_demo(if_empty: bool, day: datetime | None) -> None:
    """Load the demo partnership, bodies, users, suppliers and spend (once), as they stand on
    --date."""
    password = current_app.config.get("DEMO_PASSWORD")
    if current_app.config["TISC_ENV"] == "production" or not password:
        raise click.ClickException("Demo data is not allowed in production")
    if if_empty and org_service.count_organisations() > 0:
        click.echo("The database already has organisations: demo data not loaded.")
        return
    report = demo.seed_demo(password=password, today=day.date() if day else None)
    click.echo(report.message)
