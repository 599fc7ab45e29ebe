"""figure keeps: words in a statement the figure check questioned, kept with a reason

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statement_figure_keeps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("finding_key", sa.String(length=64), nullable=False),
        sa.Column("quoted", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("kept_by_id", sa.Integer(), nullable=True),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_figure_keeps_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["statement_sections.id"],
            name=op.f("fk_statement_figure_keeps_section_id_statement_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kept_by_id"],
            ["users.id"],
            name=op.f("fk_statement_figure_keeps_kept_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_figure_keeps")),
        sa.UniqueConstraint(
            "section_id",
            "finding_key",
            name=op.f("uq_statement_figure_keeps_section_id_finding_key"),
        ),
    )
    with op.batch_alter_table("statement_figure_keeps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_figure_keeps_statement_id"), ["statement_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("statement_figure_keeps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_figure_keeps_statement_id"))
    op.drop_table("statement_figure_keeps")
