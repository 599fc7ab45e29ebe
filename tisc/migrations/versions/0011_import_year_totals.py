"""import year totals: the payments and total an import added in each financial year

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 12:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # Empty for imports made before this: their years are read from their spend lines.
    with op.batch_alter_table("spend_imports") as batch:
        batch.add_column(sa.Column("year_totals", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("spend_imports") as batch:
        batch.drop_column("year_totals")
