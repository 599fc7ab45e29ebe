"""import jobs: reading, checking and importing an uploaded file in a background worker, with
its progress, what the check found and why a job failed

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 23:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

KINDS = sa.Enum("check", "import", name="jobkind", native_enum=False, length=20)
STATUSES = sa.Enum(
    "queued", "running", "done", "failed", name="jobstatus", native_enum=False, length=20
)


def upgrade():
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("kind", KINDS, nullable=False),
        sa.Column("status", STATUSES, nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("asked", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=100), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=True),
        sa.Column("rows_checked", sa.Integer(), nullable=True),
        sa.Column("rows_written", sa.Integer(), nullable=True),
        sa.Column("rows_to_write", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=2000), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_import_jobs_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["pending_uploads.id"],
            name=op.f("fk_import_jobs_upload_id_pending_uploads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_import_jobs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    with op.batch_alter_table("import_jobs") as batch:
        batch.create_index(batch.f("ix_import_jobs_organisation_id"), ["organisation_id"])
        batch.create_index(batch.f("ix_import_jobs_upload_id"), ["upload_id"])


def downgrade():
    op.drop_table("import_jobs")
