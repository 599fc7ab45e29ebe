"""exclusion decision procurement: the body's procurement an exclusion decision was made in,
when it is one of the body's recorded procurements (the reference stays for one that is not)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exclusion_decisions") as batch:
        batch.add_column(sa.Column("procurement_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_exclusion_decisions_procurement_id_procurements",
            "procurements",
            ["procurement_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_exclusion_decisions_procurement_id"), ["procurement_id"])


def downgrade() -> None:
    with op.batch_alter_table("exclusion_decisions") as batch:
        batch.drop_index(batch.f("ix_exclusion_decisions_procurement_id"))
        batch.drop_constraint(
            "fk_exclusion_decisions_procurement_id_procurements", type_="foreignkey"
        )
        batch.drop_column("procurement_id")
