"""invitation link made: an invitation made in bulk has no link until the lead makes one in the
outbox (a link is shown only once)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 21:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    # Every invitation before this release showed its link when it was made.
    with op.batch_alter_table("invitations") as batch:
        batch.add_column(
            sa.Column("link_made", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("link_made")
