"""incidents: indicators of forced labour a body found in its supply chain, the referrals made
and the remediation taken (never a victim's or worker's name)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-08 03:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


TIER = ("1", "2", "3+", "unknown")
SOURCE = ("audit", "worker_voice", "helpline", "force_unit", "supplier", "media", "other")
STATUS = ("open", "closed")


def _fk(column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_incidents_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("tier", _enum("tier", *TIER), nullable=False),
        sa.Column("indicators", sa.String(length=200), nullable=False),
        sa.Column("source", _enum("source", *SOURCE), nullable=False),
        sa.Column("referrals", sa.String(length=100), nullable=False),
        sa.Column("remediation_types", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("remediation", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("status", _enum("incidentstatus", *STATUS), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("organisation_id", "organisations", "CASCADE"),
        _fk("supplier_id", "suppliers", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents") as batch:
        batch.create_index(batch.f("ix_incidents_organisation_id"), ["organisation_id"])
        batch.create_index(batch.f("ix_incidents_supplier_id"), ["supplier_id"])


def downgrade():
    op.drop_table("incidents")
