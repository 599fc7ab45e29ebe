"""Partnerships (regions working together) and the organisations in them."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin, enum_column
from tisc.rules.statement_wording import StatementBasis


class OrganisationKind(StrEnum):
    """What sort of public body an organisation is."""

    FORCE = "force"
    COMMISSIONER = "commissioner"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "force": "Police force",
            "commissioner": "Commissioner's office",
            "other": "Other body",
        }[self.value]


partnership_organisations = Table(
    "partnership_organisations",
    Base.metadata,
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Partnership(TimestampMixin, Base):
    """A region's bodies working together on one joint statement."""

    __tablename__ = "partnerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # How its statements are framed in law: voluntary unless it says otherwise.
    statement_basis: Mapped[StatementBasis] = mapped_column(
        enum_column(StatementBasis), default=StatementBasis.VOLUNTARY, server_default="voluntary"
    )
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=partnership_organisations,
        back_populates="partnerships",
        order_by="Organisation.name",
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Partnership {self.slug}>"


class Organisation(TimestampMixin, Base):
    """A force, a commissioner's office or another body that publishes a statement."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    region: Mapped[str | None] = mapped_column(String(120))
    senior_lead_name: Mapped[str | None] = mapped_column(String(200))
    senior_lead_title: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    partnerships: Mapped[list[Partnership]] = relationship(
        secondary=partnership_organisations, back_populates="organisations"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
