"""invitation post limit: POSTs on a supplier's link counted per window

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-07 06:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(
            sa.Column("post_window_started_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("post_count", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("post_count")
        batch.drop_column("post_window_started_at")
