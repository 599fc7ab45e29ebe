"""supplier years covering index: the index of a body's year also carries each row's supplier
and number of payments, so the register, its counts and the board read a body's year from
the index alone (index-only scans on PostgreSQL) instead of from rows scattered over the table

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 23:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

NAME = "ix_supplier_years_org_year_spend"
COLUMNS = ["organisation_id", "financial_year", "spend_pence"]


def upgrade():
    # On SQLite the INCLUDE is ignored and the index stays as it was.
    op.drop_index(NAME, table_name="supplier_years")
    op.create_index(NAME, "supplier_years", COLUMNS, postgresql_include=["supplier_id", "payments"])


def downgrade():
    op.drop_index(NAME, table_name="supplier_years")
    op.create_index(NAME, "supplier_years", COLUMNS)
