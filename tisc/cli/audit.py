"""Checking the audit trail: `flask --app tisc verify-audit [--unkeyed-up-to N] [--anchor FILE]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _read_anchor(path: Path) -> tuple[int, str]:
    try:
        anchor = json.loads(path.read_text(encoding="utf-8"))
        return int(anchor["event"]), str(anchor["hash"])
    except (OSError, ValueError, KeyError, TypeError):
        _fail(f"{path} is not an anchor written by verify-audit: check the file.")


@click.command("verify-audit")
@click.option(
    "--unkeyed-up-to",
    type=click.IntRange(min=0),
    default=None,
    help="Events up to this id were written before the trail was keyed "
    "(default: TISC_AUDIT_UNKEYED_UP_TO, or 0).",
)
@click.option(
    "--anchor",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file outside the database holding the last event's hash: checked when it exists, "
    "then written with the newest event.",
)
@with_appcontext
def verify_audit(unkeyed_up_to: int | None, anchor: Path | None) -> None:
    """Check every audit event's hash and link, in order; exit 1 at the first broken one."""
    from tisc.services.audit import chain as audit

    try:
        result = audit.verify_chain(unkeyed_up_to=unkeyed_up_to)
    except audit.AuditKeyMissing as missing_key:
        _fail(f"{missing_key}. Without the key the trail cannot be checked.")
    if not result.ok:
        _fail(
            f"Audit trail broken at event {result.broken_id}: {result.reason}. "
            f"The {result.checked:,} events before it are intact."
        )
    if anchor is not None and anchor.exists():
        event_id, expected = _read_anchor(anchor)
        if audit.stored_hash(event_id=event_id) != expected:
            _fail(
                f"Audit trail does not reach the anchor in {anchor}: event {event_id} is "
                f"missing or holds another hash (the trail now has {result.checked:,} "
                "events). Events were removed or rewritten since the anchor was written."
            )
    missing = audit.missing_triggers()
    if missing:
        _fail(
            f"Audit trail chain intact ({result.checked:,} events), but the triggers that "
            f"stop events being changed or deleted are missing or disarmed: {', '.join(missing)}. "
            "Someone removed, disabled or rewrote them: put them back (migration 0005) and "
            "find out who."
        )
    if anchor is not None:  # only a trail that passed every check moves the anchor on
        anchor.write_text(
            json.dumps({"event": result.checked, "hash": result.last_hash}) + "\n",
            encoding="utf-8",
        )
    cutover = unkeyed_up_to if unkeyed_up_to is not None else audit.configured_unkeyed_up_to()
    unkeyed = min(cutover, result.checked)
    keyed = (
        f" (the first {unkeyed:,} written before the trail was keyed, checked with plain SHA-256)"
        if unkeyed
        else ""
    )
    # Removing the newest events leaves no gap: keep the last hash somewhere else to compare.
    click.echo(
        f"Audit trail OK: {result.checked:,} events{keyed}, every hash and link checked. "
        f"Last hash: {result.last_hash}"
        + (f". Anchor written to {anchor}" if anchor is not None else "")
    )
