"""Debarment and exclusions (Procurement Act 2023): the central debarment list as imported, a
body's exclusion decisions, and the connected persons and relied-on subcontractors the
grounds also reach."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin, enum_column, utcnow
from tisc.models.procurements import Procurement
from tisc.models.suppliers import Supplier
from tisc.models.users import User
from tisc.rules.debarment import Decision, PartyKind


class DebarmentImport(Base):
    """One reading of the central debarment list. The newest is the list in force: a new
    import replaces it, and the older ones are kept to show what was listed when."""

    __tablename__ = "debarment_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)

    imported_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<DebarmentImport {self.id} {self.file_name!r}>"


class DebarmentEntry(Base):
    """A supplier on the list as the list gives it: name, identifiers, ground and dates."""

    __tablename__ = "debarment_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("debarment_imports.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    company_number: Mapped[str | None] = mapped_column(String(20))
    ppon: Mapped[str | None] = mapped_column(String(40))
    ground: Mapped[str] = mapped_column(Text)
    # Mandatory grounds exclude; discretionary ones are for the buyer to consider.
    mandatory: Mapped[bool] = mapped_column(default=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    @property
    def mandatory_label(self) -> str:
        return "Mandatory" if self.mandatory else "Discretionary"

    def __repr__(self) -> str:
        return f"<DebarmentEntry {self.id} {self.name!r}>"


class ExclusionDecision(TimestampMixin, Base):
    """A body's decision on excluding one of its suppliers, and when it told the Procurement
    Review Unit (due within 30 days of an exclusion: tisc.rules.debarment.notification)."""

    __tablename__ = "exclusion_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    # The procurement it was made in: one of the body's recorded procurements, or a
    # reference (a procurement run before the body recorded them here, or elsewhere).
    procurement_id: Mapped[int | None] = mapped_column(
        ForeignKey("procurements.id", ondelete="SET NULL"), index=True
    )
    procurement_reference: Mapped[str | None] = mapped_column(String(100))
    ground: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_on: Mapped[date] = mapped_column(Date)
    notified_on: Mapped[date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    decided_by: Mapped[User | None] = relationship()
    procurement: Mapped[Procurement | None] = relationship()
    supplier: Mapped[Supplier] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<ExclusionDecision {self.id} {self.decision.value}>"


class ConnectedParty(TimestampMixin, Base):
    """A connected person or relied-on subcontractor of a supplier, matched against the
    debarment list as the supplier itself is."""

    __tablename__ = "connected_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind))
    name: Mapped[str] = mapped_column(String(300))
    company_number: Mapped[str | None] = mapped_column(String(20))
    ppon: Mapped[str | None] = mapped_column(String(40))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<ConnectedParty {self.id} {self.name!r}>"
