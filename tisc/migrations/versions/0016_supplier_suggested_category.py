"""supplier suggested category: a low-confidence suggestion waits for a person in the review
queue instead of being applied

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 20:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # Empty until the next import or "categorise" finds a suggestion it is not sure of.
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("suggested_category_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("suggested_source", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("suggested_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            "fk_suppliers_suggested_category_id_categories",
            "categories",
            ["suggested_category_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_suppliers_suggested_category_id", ["suggested_category_id"])


def downgrade():
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_index("ix_suppliers_suggested_category_id")
        batch.drop_constraint("fk_suppliers_suggested_category_id_categories", type_="foreignkey")
        batch.drop_column("suggested_reason")
        batch.drop_column("suggested_source")
        batch.drop_column("suggested_category_id")
