"""registry answers: each body's answers to the registry's structured questions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    # Empty until a body answers: the registry CSV then fills only what the records give.
    with op.batch_alter_table("statement_bodies") as batch:
        batch.add_column(sa.Column("registry_answers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("statement_bodies") as batch:
        batch.drop_column("registry_answers")
