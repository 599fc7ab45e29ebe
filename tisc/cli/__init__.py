"""Command-line commands (`flask --app tisc ...`): as thin as views, over the same services.

One module per area; each command runs in one transaction (tisc.cli.common.one_transaction).
"""

from __future__ import annotations

from flask import Flask

from tisc.cli import (
    accounts,
    audit,
    backup,
    board,
    exclusions,
    procurements,
    register,
    reminders,
    statements,
    worker,
)


def init_app(app: Flask) -> None:
    """Register the commands on `flask --app tisc`."""
    for command in (
        accounts.create_partnership,
        accounts.create_org,
        accounts.create_user,
        accounts.seed_demo,
        register.import_spend,
        register.categorise,
        register.export_register,
        register.export_due_diligence,
        procurements.export_contracts,
        register.invite_supplier,
        exclusions.import_debarment_list,
        exclusions.check_exclusions,
        board.board_report,
        statements.generate_statement,
        statements.registry_csv,
        reminders.send_reminders_command,
        audit.verify_audit,
        worker.worker,
    ):
        app.cli.add_command(command)
    backup.init_app(app)
