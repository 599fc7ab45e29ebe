"""debarment and exclusions: the central debarment list as imported, each body's exclusion
decisions with the day it told the Procurement Review Unit, the connected persons and
relied-on subcontractors of its suppliers, and a supplier's PPON

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-09 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

DECISIONS = sa.Enum(
    "under_consideration",
    "excluded",
    "not_excluded",
    name="decision",
    native_enum=False,
    length=20,
)
PARTY_KINDS = sa.Enum(
    "connected_person", "subcontractor", name="partykind", native_enum=False, length=20
)


def _owned(table: str) -> list:
    """The organisation and supplier columns and keys of a body's record about a supplier."""
    return [
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f(f"fk_{table}_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f(f"fk_{table}_supplier_id_suppliers"),
            ondelete="CASCADE",
        ),
    ]


def _timestamps() -> list:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("ppon", sa.String(length=40), nullable=True))
    op.create_table(
        "debarment_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["users.id"],
            name=op.f("fk_debarment_imports_imported_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debarment_imports")),
    )
    op.create_table(
        "debarment_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("company_number", sa.String(length=20), nullable=True),
        sa.Column("ppon", sa.String(length=40), nullable=True),
        sa.Column("ground", sa.Text(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["debarment_imports.id"],
            name=op.f("fk_debarment_entries_import_id_debarment_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debarment_entries")),
    )
    op.create_table(
        "exclusion_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        *_owned("exclusion_decisions"),
        sa.Column("procurement_reference", sa.String(length=100), nullable=True),
        sa.Column("ground", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("decision", DECISIONS, nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_exclusion_decisions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exclusion_decisions")),
    )
    op.create_table(
        "connected_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        *_owned("connected_parties"),
        sa.Column("kind", PARTY_KINDS, nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("company_number", sa.String(length=20), nullable=True),
        sa.Column("ppon", sa.String(length=40), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connected_parties")),
    )
    op.create_index(op.f("ix_debarment_entries_import_id"), "debarment_entries", ["import_id"])
    for table in ("exclusion_decisions", "connected_parties"):
        for column in ("organisation_id", "supplier_id"):
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade():
    op.drop_table("connected_parties")
    op.drop_table("exclusion_decisions")
    op.drop_table("debarment_entries")
    op.drop_table("debarment_imports")
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_column("ppon")
