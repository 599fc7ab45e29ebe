"""Spend categories with their modern slavery risk, and how finance text maps to them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, Money, TimestampMixin, enum_column, utcnow
from tisc.models.users import User
from tisc.rules.risk import RiskLevel
from tisc.rules.rule_files import RuleKind


class Category(TimestampMixin, Base):
    """A partnership's spend category, e.g. "Uniforms, workwear, footwear" (High)."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("partnership_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    risk: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel))
    reason: Mapped[str | None] = mapped_column(Text)
    cpv_codes: Mapped[str | None] = mapped_column(String(300))
    # Lowercase words or phrases, separated by semicolons, found in finance category text.
    keywords: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in (self.keywords or "").split(";") if k.strip()]

    @property
    def cpv_list(self) -> list[str]:
        return [c.strip() for c in (self.cpv_codes or "").split(";") if c.strip()]

    def __repr__(self) -> str:
        return f"<Category {self.name!r} {self.risk}>"


class CategoryChange(Base):
    """A recorded change to a category: who, when, and what it was before and after."""

    __tablename__ = "category_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    summary: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<CategoryChange {self.category_id} {self.changed_at}>"


class CategoryMapping(TimestampMixin, Base):
    """A body's decision that a piece of finance category text means a category."""

    __tablename__ = "category_mappings"
    __table_args__ = (UniqueConstraint("organisation_id", "text_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # The finance text lowercased with spaces collapsed, so "Cleaning  Materials" matches.
    text_key: Mapped[str] = mapped_column(String(300))
    category_text: Mapped[str] = mapped_column(String(300))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    category: Mapped[Category] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<CategoryMapping {self.category_text!r} -> {self.category_id}>"


class SpendThreshold(Base):
    """The over-threshold limit a partnership uses for one financial year (default £50,000)."""

    __tablename__ = "spend_thresholds"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True
    )
    financial_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column("amount_pence", Money())

    def __repr__(self) -> str:
        return f"<SpendThreshold {self.partnership_id} {self.financial_year} {self.amount}>"


class CategoryRuleSet(Base):
    """One saved version of a partnership's rules for automatic categories of one kind (words
    in names, or the reference list), as CSV text. Versions are never changed: each edit, and
    each restore, is a new one, and the newest is in force. With none, the file shipped with
    tisc is in force, counted as version 1, so the first saved version is 2."""

    __tablename__ = "category_rule_sets"
    __table_args__ = (UniqueConstraint("partnership_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RuleKind] = mapped_column(enum_column(RuleKind))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # What the audit trail records instead of the text: its size in bytes and its SHA-256.
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<CategoryRuleSet {self.partnership_id} {self.kind} v{self.number}>"
