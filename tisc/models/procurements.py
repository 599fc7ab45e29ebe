"""Procurements and their PPN 009 risk assessments; contracts' KPIs and yearly ratings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, Money, TimestampMixin, enum_column
from tisc.models.categories import Category
from tisc.models.suppliers import Contract
from tisc.models.users import User
from tisc.rules.ppn009 import Characteristic, Level, Mitigation
from tisc.rules.procurement import PerformanceRating, Regime


class Procurement(TimestampMixin, Base):
    """A body's procurement: what it buys, under which law, its key dates, and the contract it
    awarded once it has."""

    __tablename__ = "procurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(100))
    regime: Mapped[Regime] = mapped_column(enum_column(Regime))
    # One or more codes like 79710000-4, separated by spaces.
    cpv_codes: Mapped[str] = mapped_column(String(500))
    estimated_value: Mapped[Decimal | None] = mapped_column("estimated_value_pence", Money())
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    # Where the goods or services come from, in words ("Bangladesh; India"), for the suggestion.
    countries: Mapped[str | None] = mapped_column(String(300))
    tender_notice_on: Mapped[date | None] = mapped_column(Date)
    award_on: Mapped[date | None] = mapped_column(Date)
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="SET NULL"), index=True
    )
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    category: Mapped[Category | None] = relationship()
    contract: Mapped[Contract | None] = relationship()
    assessment: Mapped[Ppn009Assessment | None] = relationship(
        back_populates="procurement", uselist=False, passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def cpv_list(self) -> list[str]:
        return self.cpv_codes.split()

    def __repr__(self) -> str:
        return f"<Procurement {self.id} {self.title!r}>"


class Ppn009Assessment(TimestampMixin, Base):
    """A procurement's PPN 009 modern slavery risk assessment: six characteristics, the
    overall level with reasons, the mitigations chosen; who first recorded it and when (the
    date PPN 009's "before the tender notice" is judged by), and who last reviewed it."""

    __tablename__ = "ppn009_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(
        ForeignKey("procurements.id", ondelete="CASCADE"), unique=True
    )
    industry: Mapped[Level] = mapped_column(enum_column(Level))
    industry_note: Mapped[str | None] = mapped_column(Text)
    workforce: Mapped[Level] = mapped_column(enum_column(Level))
    workforce_note: Mapped[str | None] = mapped_column(Text)
    location: Mapped[Level] = mapped_column(enum_column(Level))
    location_note: Mapped[str | None] = mapped_column(Text)
    context: Mapped[Level] = mapped_column(enum_column(Level))
    context_note: Mapped[str | None] = mapped_column(Text)
    commodity: Mapped[Level] = mapped_column(enum_column(Level))
    commodity_note: Mapped[str | None] = mapped_column(Text)
    business_model: Mapped[Level] = mapped_column(enum_column(Level))
    business_model_note: Mapped[str | None] = mapped_column(Text)
    overall: Mapped[Level] = mapped_column(enum_column(Level))
    reasons: Mapped[str] = mapped_column(Text)
    # Mitigation values, comma-separated, in their order (rules.ppn009.join_mitigations).
    mitigations: Mapped[str] = mapped_column(String(200), default="")
    mitigation_note: Mapped[str | None] = mapped_column(Text)
    assessed_on: Mapped[date] = mapped_column(Date)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    procurement: Mapped[Procurement] = relationship(back_populates="assessment")
    assessed_by: Mapped[User | None] = relationship(foreign_keys=[assessed_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __mapper_args__ = {"version_id_col": version_id}

    def level(self, characteristic: Characteristic) -> Level:
        return getattr(self, characteristic.value)

    def note(self, characteristic: Characteristic) -> str | None:
        return getattr(self, f"{characteristic.value}_note")

    @property
    def levels(self) -> dict[Characteristic, Level]:
        return {c: self.level(c) for c in Characteristic}

    @property
    def mitigation_list(self) -> list[Mitigation]:
        given = set((self.mitigations or "").split(","))
        return [m for m in Mitigation if m.value in given]

    def __repr__(self) -> str:
        return f"<Ppn009Assessment {self.procurement_id} {self.overall}>"


class ContractKpi(TimestampMixin, Base):
    """A key performance indicator of a contract."""

    __tablename__ = "contract_kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(300))
    target: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(300))
    modern_slavery: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<ContractKpi {self.contract_id} {self.description!r}>"


class ContractRating(TimestampMixin, Base):
    """A contract's performance rating for one financial year."""

    __tablename__ = "contract_ratings"
    __table_args__ = (UniqueConstraint("contract_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    financial_year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[PerformanceRating] = mapped_column(enum_column(PerformanceRating))
    note: Mapped[str | None] = mapped_column(Text)
    rated_on: Mapped[date] = mapped_column(Date)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    rated_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ContractRating {self.contract_id} {self.financial_year} {self.rating}>"
