"""Due diligence records per supplier and year: guidance, staff engagement plans,
beyond-Tier-1 mapping and contract reviews."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin
from tisc.models.suppliers import Contract, Supplier


class DueDiligence(TimestampMixin, Base):
    """Guidance sent and the staff engagement plan, for one supplier in one financial year."""

    __tablename__ = "due_diligence"
    __table_args__ = (UniqueConstraint("supplier_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    financial_year: Mapped[int] = mapped_column(Integer)
    guidance_sent_on: Mapped[date | None] = mapped_column(Date)
    # email, letter, portal, meeting, contract
    # (see tisc.services.due_diligence.overview.GUIDANCE_METHODS)
    guidance_method: Mapped[str | None] = mapped_column(String(30))
    plan_requested_on: Mapped[date | None] = mapped_column(Date)
    plan_received_on: Mapped[date | None] = mapped_column(Date)
    plan_note: Mapped[str | None] = mapped_column(Text)
    plan_link: Mapped[str | None] = mapped_column(String(500))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    supplier: Mapped[Supplier] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    # What a person records (the rest says whose record it is).
    RECORDED = (
        "guidance_sent_on",
        "guidance_method",
        "plan_requested_on",
        "plan_received_on",
        "plan_note",
        "plan_link",
    )

    def disagreements(self, other: DueDiligence) -> list[str]:
        """The recorded fields both records fill in, with different values."""
        return [
            name
            for name in self.RECORDED
            if getattr(self, name) not in (None, "")
            and getattr(other, name) not in (None, "")
            and getattr(self, name) != getattr(other, name)
        ]

    def fill_blanks_from(self, other: DueDiligence) -> None:
        """Take the other record's values for the fields this one leaves empty."""
        for name in self.RECORDED:
            if getattr(self, name) in (None, ""):
                setattr(self, name, getattr(other, name))

    def __repr__(self) -> str:
        return f"<DueDiligence {self.supplier_id} {self.financial_year}>"


class SubSupplier(TimestampMixin, Base):
    """A supplier's own supplier (Tier 2, or Tier 3 and below): beyond-Tier-1 mapping.

    Entered by the procurement lead, or by the supplier in its self-assessment
    (assessment_id set): those count once the assessment is complete.
    """

    __tablename__ = "sub_suppliers"
    __table_args__ = (Index("ix_sub_suppliers_supplier_year", "supplier_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    financial_year: Mapped[int] = mapped_column(Integer)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    # 2 for Tier 2; 3 for Tier 3 and below.
    tier: Mapped[int] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(String(100))
    supplies: Mapped[str] = mapped_column(String(300))
    risk_notes: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def tier_label(self) -> str:
        return "Tier 2" if self.tier == 2 else "Tier 3 and below"

    def __repr__(self) -> str:
        return f"<SubSupplier {self.name!r} tier {self.tier}>"


class ContractReview(TimestampMixin, Base):
    """A contract management review with a supplier, and whether modern slavery came up."""

    __tablename__ = "contract_reviews"
    __table_args__ = (Index("ix_contract_reviews_org_year", "organisation_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id", ondelete="SET NULL"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    # The financial year of reviewed_on, kept for counting.
    financial_year: Mapped[int] = mapped_column(Integer)
    modern_slavery_discussed: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    contract: Mapped[Contract | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<ContractReview {self.supplier_id} {self.reviewed_on}>"
