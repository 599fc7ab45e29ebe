"""sent reminders: each reminder sent to a person, once per kind, record and period, so that
send-reminders sends nothing twice

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-08 03:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sent_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint(
            "user_id",
            "kind",
            "record",
            "period",
            name=op.f("uq_sent_reminders_user_id_kind_record_period"),
        ),
    )
    with op.batch_alter_table("sent_reminders") as batch:
        batch.create_index(batch.f("ix_sent_reminders_user_id"), ["user_id"])


def downgrade():
    op.drop_table("sent_reminders")
