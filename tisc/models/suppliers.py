"""A body's supplier register and the spend lines behind it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin
from tisc.models.organisations import Organisation

MONEY = Numeric(14, 2)


class Supplier(TimestampMixin, Base):
    """A supplier in one organisation's register."""

    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("organisation_id", "normalised_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    # The matching key from tisc.rules.names.normalise_supplier_name.
    normalised_name: Mapped[str] = mapped_column(String(300))
    company_number: Mapped[str | None] = mapped_column(String(20), index=True)
    category_text: Mapped[str | None] = mapped_column(String(300))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Supplier {self.id} {self.name!r}>"


class SpendLine(Base):
    """One payment (or credit, when negative) to a supplier."""

    __tablename__ = "spend_lines"
    __table_args__ = (
        Index(
            "ix_spend_lines_org_year_supplier", "organisation_id", "financial_year", "supplier_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    payment_date: Mapped[date] = mapped_column(Date)
    # The year the financial year starts in: 2024 means 2024/25.
    financial_year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reference: Mapped[str | None] = mapped_column(String(100))
    category_text: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<SpendLine {self.id} {self.amount}>"
