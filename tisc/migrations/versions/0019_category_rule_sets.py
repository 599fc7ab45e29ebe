"""category rule sets: a partnership's own versions of the rules for automatic categories
(words in suppliers' names, the reference list of well-known suppliers), as CSV text

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "category_rule_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_category_rule_sets_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_category_rule_sets_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_rule_sets")),
        sa.UniqueConstraint(
            "partnership_id",
            "kind",
            "number",
            name=op.f("uq_category_rule_sets_partnership_id_kind_number"),
        ),
    )
    with op.batch_alter_table("category_rule_sets") as batch:
        batch.create_index(batch.f("ix_category_rule_sets_partnership_id"), ["partnership_id"])


def downgrade():
    op.drop_table("category_rule_sets")
