"""statement basis and KPI targets: how a partnership's statements are framed in law, and the
joint target of each commitment's KPI

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    # Police bodies are not commercial organisations: a statement is voluntary unless the
    # partnership says otherwise.
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(
            sa.Column(
                "statement_basis",
                sa.String(length=20),
                nullable=False,
                server_default="voluntary",
            )
        )
    # A share from 0 to 100 in tenths of a percent (tisc.models.base.Percent); empty until
    # the coordinators set one.
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("target_percent", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("target_percent")
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_column("statement_basis")
