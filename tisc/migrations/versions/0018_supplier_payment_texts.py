"""supplier payment texts: the newest cost centre, description and CPV code of a supplier's
payments, which the automatic categoriser reads when its finance category text says nothing

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 21:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    # Empty until the supplier's next import.
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("payment_texts", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_column("payment_texts")
