"""Joint commitments, each body's action plan per year with its items and their progress
timeline, and training records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, Percent, TimestampMixin, enum_column, utcnow
from tisc.models.organisations import Organisation
from tisc.rules.plans import ItemStatus, Rag


class Commitment(TimestampMixin, Base):
    """One of a partnership's joint commitments (DOMAIN.md), which every plan answers."""

    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("partnership_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    # Stable short name, e.g. "beyond-tier-1"; the KPI computed for it is named by kpi_key.
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Which computed KPI measures it (tisc.rules.kpis.KPI keys), if any.
    kpi_key: Mapped[str | None] = mapped_column(String(60))
    # The partnership's target for that KPI, a share from 0 to 100 (None: no target set).
    target_percent: Mapped[Decimal | None] = mapped_column(Percent)
    # The default action each plan starts with for this commitment.
    default_action: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Commitment {self.key}>"


class ActionPlan(TimestampMixin, Base):
    """A body's action plan for one financial year."""

    __tablename__ = "action_plans"
    __table_args__ = (UniqueConstraint("organisation_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The year the financial year starts in: 2025 means 2025/26.
    financial_year: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<ActionPlan {self.organisation_id} {self.financial_year}>"


class PlanItem(TimestampMixin, Base):
    """An action in a plan: against a joint commitment, or the body's own."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    # Kept on the item too, so that tenancy checks need no join.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus))
    rag: Mapped[Rag] = mapped_column(enum_column(Rag))
    # Required for red and amber.
    rag_reason: Mapped[str | None] = mapped_column(Text)
    kpi: Mapped[str | None] = mapped_column(String(300))
    kpi_target: Mapped[str | None] = mapped_column(String(200))
    # Links to evidence, one per line.
    evidence_links: Mapped[str | None] = mapped_column(Text)
    # The item of last year's plan this one continues.
    carried_over_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_items.id", ondelete="SET NULL")
    )
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[ActionPlan] = relationship(back_populates="items")
    commitment: Mapped[Commitment | None] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="item",
        order_by="ProgressUpdate.at.desc(), ProgressUpdate.id.desc()",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in (self.evidence_links or "").splitlines() if line.strip()]

    def is_overdue(self, today: date) -> bool:
        """Past its due date and not done."""
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status is not ItemStatus.DONE
        )

    def __repr__(self) -> str:
        return f"<PlanItem {self.id} {self.title[:30]!r}>"


class ProgressUpdate(Base):
    """A dated note on an item, which may change its status or RAG.

    Never edited or deleted: a correction is a new update.
    """

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("plan_items.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who wrote it, kept as text so that the timeline survives the user's removal.
    author: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    # The status and RAG after this update (equal to before when unchanged).
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus))
    rag: Mapped[Rag] = mapped_column(enum_column(Rag))
    rag_reason: Mapped[str | None] = mapped_column(Text)
    # What they were before, so the timeline can say "Amber to Green".
    previous_status: Mapped[ItemStatus | None] = mapped_column(enum_column(ItemStatus))
    previous_rag: Mapped[Rag | None] = mapped_column(enum_column(Rag))

    item: Mapped[PlanItem] = relationship(back_populates="updates")

    def __repr__(self) -> str:
        return f"<ProgressUpdate {self.item_id} {self.at:%Y-%m-%d}>"


class Audience(StrEnum):
    """Who a course was for."""

    ALL_STAFF = "all_staff"
    PROCUREMENT = "procurement"
    SENIOR_LEADERS = "senior_leaders"
    FRONT_LINE = "front_line"
    SUPPLIERS = "suppliers"

    @property
    def label(self) -> str:
        return {
            "all_staff": "All staff",
            "procurement": "Procurement staff",
            "senior_leaders": "Senior leaders",
            "front_line": "Front-line officers and staff",
            "suppliers": "Suppliers",
        }[self.value]


class TrainingRecord(TimestampMixin, Base):
    """Training delivered by a body in a year: for whom, how many in scope and trained."""

    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int] = mapped_column(Integer)
    audience: Mapped[Audience] = mapped_column(enum_column(Audience))
    course: Mapped[str] = mapped_column(String(300))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    staff_in_scope: Mapped[int] = mapped_column(Integer)
    staff_trained: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<TrainingRecord {self.organisation_id} {self.financial_year} {self.audience}>"
