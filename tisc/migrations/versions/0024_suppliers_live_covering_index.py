"""suppliers live covering index: a body's unarchived suppliers with their category, company
number and matching key, so the board's and the statement's counts (tiers, distinct
businesses) read a body's suppliers from the index alone (index-only scans on PostgreSQL)
instead of from its rows of ~1 kB each

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 00:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

NAME = "ix_suppliers_org_live"
LIVE = sa.text("archived_at IS NULL")


def upgrade():
    # On SQLite the INCLUDE is ignored: a partial index of (organisation_id, id).
    op.create_index(
        NAME,
        "suppliers",
        ["organisation_id", "id"],
        postgresql_include=["category_id", "company_number", "normalised_name"],
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )


def downgrade():
    op.drop_index(NAME, table_name="suppliers")
