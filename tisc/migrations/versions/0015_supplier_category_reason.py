"""supplier category reason: why a supplier has its category, in words, when it was found
automatically (another body's decision, the reference list, words in its name, finance text)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 19:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # Empty for categories chosen by hand and for suppliers categorised before this release
    # (the next import or "categorise" fills it in).
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("category_reason", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_column("category_reason")
