"""register covering indexes: a body's suppliers are sorted, counted and flagged from the index
of their organisation alone (it also carries id, name, archived_at and both categories), and
undoing an import finds its spend lines and the suppliers it brought in by an index instead of
scanning every body's

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08 00:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

SUPPLIERS = "ix_suppliers_organisation_id"
REGISTER_COLUMNS = ["id", "name", "archived_at", "category_id", "suggested_category_id"]
IMPORT_LINES = "ix_spend_lines_import_id"
IMPORT_SUPPLIERS = "ix_suppliers_created_by_import_id"


def upgrade():
    # On SQLite the INCLUDE is ignored and the suppliers' index stays as it was.
    op.drop_index(SUPPLIERS, table_name="suppliers")
    op.create_index(
        SUPPLIERS, "suppliers", ["organisation_id"], postgresql_include=REGISTER_COLUMNS
    )
    # IF NOT EXISTS: the national bench register (bench/NATIONAL.md) was given both by hand.
    op.create_index(IMPORT_LINES, "spend_lines", ["import_id"], if_not_exists=True)
    op.create_index(IMPORT_SUPPLIERS, "suppliers", ["created_by_import_id"], if_not_exists=True)


def downgrade():
    op.drop_index(IMPORT_SUPPLIERS, table_name="suppliers")
    op.drop_index(IMPORT_LINES, table_name="spend_lines")
    op.drop_index(SUPPLIERS, table_name="suppliers")
    op.create_index(SUPPLIERS, "suppliers", ["organisation_id"])
