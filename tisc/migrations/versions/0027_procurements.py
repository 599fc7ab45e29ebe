"""procurements: a body's procurements with their PPN 009 risk assessments; a contract's
modern slavery clause and regime, its KPIs and its yearly performance ratings

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-09 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


REGIME = ("pcr2015", "pa2023")
LEVEL = ("low", "medium", "high")
RATING = ("good", "approaching", "requires_improvement", "inadequate", "other")
CHARACTERISTICS = ("industry", "workforce", "location", "context", "commodity", "business_model")


def _timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("modern_slavery_clause", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("regime", _enum("regime", *REGIME), nullable=True))

    op.create_table(
        "procurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("regime", _enum("regime", *REGIME), nullable=False),
        sa.Column("cpv_codes", sa.String(length=500), nullable=False),
        sa.Column("estimated_value_pence", sa.BigInteger(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("countries", sa.String(length=300), nullable=True),
        sa.Column("tender_notice_on", sa.Date(), nullable=True),
        sa.Column("award_on", sa.Date(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        *_timestamps(),
        _fk("procurements", "organisation_id", "organisations", "CASCADE"),
        _fk("procurements", "category_id", "categories", "SET NULL"),
        _fk("procurements", "contract_id", "contracts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procurements")),
    )
    with op.batch_alter_table("procurements") as batch:
        batch.create_index(batch.f("ix_procurements_organisation_id"), ["organisation_id"])
        batch.create_index(batch.f("ix_procurements_contract_id"), ["contract_id"])

    characteristics = []
    for name in CHARACTERISTICS:
        characteristics.append(sa.Column(name, _enum("level", *LEVEL), nullable=False))
        characteristics.append(sa.Column(f"{name}_note", sa.Text(), nullable=True))
    op.create_table(
        "ppn009_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procurement_id", sa.Integer(), nullable=False),
        *characteristics,
        sa.Column("overall", _enum("level", *LEVEL), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("mitigations", sa.String(length=200), nullable=False),
        sa.Column("mitigation_note", sa.Text(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        *_timestamps(),
        _fk("ppn009_assessments", "procurement_id", "procurements", "CASCADE"),
        _fk("ppn009_assessments", "assessed_by_id", "users", "SET NULL"),
        _fk("ppn009_assessments", "reviewed_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ppn009_assessments")),
        sa.UniqueConstraint("procurement_id", name=op.f("uq_ppn009_assessments_procurement_id")),
    )

    op.create_table(
        "contract_kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("measure", sa.String(length=300), nullable=False),
        sa.Column("modern_slavery", sa.Boolean(), nullable=False),
        *_timestamps(),
        _fk("contract_kpis", "contract_id", "contracts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_kpis")),
    )
    with op.batch_alter_table("contract_kpis") as batch:
        batch.create_index(batch.f("ix_contract_kpis_contract_id"), ["contract_id"])

    op.create_table(
        "contract_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("rating", _enum("performancerating", *RATING), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        *_timestamps(),
        _fk("contract_ratings", "contract_id", "contracts", "CASCADE"),
        _fk("contract_ratings", "rated_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_ratings")),
        sa.UniqueConstraint(
            "contract_id",
            "financial_year",
            name=op.f("uq_contract_ratings_contract_id_financial_year"),
        ),
    )


def downgrade():
    op.drop_table("contract_ratings")
    op.drop_table("contract_kpis")
    op.drop_table("ppn009_assessments")
    op.drop_table("procurements")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("regime")
        batch.drop_column("modern_slavery_clause")
