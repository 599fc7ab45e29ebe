"""A body's supplier register: suppliers, spend lines, annual totals, contracts and history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, Money, TimestampMixin, enum_column, utcnow
from tisc.models.categories import Category
from tisc.models.organisations import Organisation
from tisc.rules.procurement import Regime


class CategorySource(StrEnum):
    """How a supplier's category was decided."""

    CHOSEN = "chosen"  # a person chose it on the supplier page
    MAPPING = "mapping"  # the body mapped the finance category text
    KEYWORD = "keyword"  # a category keyword appears in the finance text
    PARTNERSHIP = "partnership"  # another body of the partnership decided it (automatic)
    REFERENCE = "reference"  # the reference list of well-known suppliers (automatic)
    NAME = "name"  # words in the supplier's name (automatic)
    CPV = "cpv"  # the CPV code of its payments (automatic)
    NONE = "none"

    @property
    def is_automatic(self) -> bool:
        """Found by the service, not decided by a person of this body."""
        return self in (
            CategorySource.KEYWORD,
            CategorySource.PARTNERSHIP,
            CategorySource.REFERENCE,
            CategorySource.NAME,
            CategorySource.CPV,
        )

    @property
    def label(self) -> str:
        """How the supplier page says where the category came from."""
        return {
            "chosen": "chosen by hand",
            "mapping": "from the finance category",
            "keyword": "automatic: from a keyword in the finance category",
            "partnership": "automatic: another body's decision",
            "reference": "automatic: the reference list of well-known suppliers",
            "name": "automatic: from words in the supplier's name",
            "cpv": "automatic: from the CPV code of its payments",
            "none": "",
        }[self.value]


# What the register reads of every supplier of a body to sort, count and flag them.
REGISTER_COLUMNS = ["id", "name", "archived_at", "category_id", "suggested_category_id"]


class Supplier(TimestampMixin, Base):
    """A supplier in one organisation's register."""

    __tablename__ = "suppliers"
    __table_args__ = (
        UniqueConstraint("organisation_id", "normalised_name"),
        # Covering (PostgreSQL): the board's and the statement's counts read a body's live
        # suppliers from the index alone, not from its rows of ~1 kB (bench/NATIONAL.md).
        Index(
            "ix_suppliers_org_live",
            "organisation_id",
            "id",
            postgresql_include=["category_id", "company_number", "normalised_name"],
            postgresql_where=text("archived_at IS NULL"),
            sqlite_where=text("archived_at IS NULL"),
        ),
        # Covering (PostgreSQL): the register sorts, counts and flags a body's suppliers from
        # the index alone, not from rows half a kilobyte wide (bench/NATIONAL.md).
        Index(
            "ix_suppliers_organisation_id",
            "organisation_id",
            postgresql_include=REGISTER_COLUMNS,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    # The matching key from tisc.rules.names.normalise_supplier_name.
    normalised_name: Mapped[str] = mapped_column(String(300))
    company_number: Mapped[str | None] = mapped_column(String(20), index=True)
    # Public Procurement Organisation Number (the Central Digital Platform's identifier).
    ppon: Mapped[str | None] = mapped_column(String(40))
    vat_number: Mapped[str | None] = mapped_column(String(30))
    charity_number: Mapped[str | None] = mapped_column(String(30))
    # The finance export's category text, as last imported.
    category_text: Mapped[str | None] = mapped_column(String(300))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    category_source: Mapped[CategorySource] = mapped_column(
        enum_column(CategorySource), default=CategorySource.NONE
    )
    # Why it has its category, in words, when it was found automatically ("name contains
    # ROOFING"); empty for a person's choice.
    category_reason: Mapped[str | None] = mapped_column(Text)
    # A category found automatically but not surely enough to apply ("name contains
    # SECURITY"): it waits for a person in the review queue. Empty once the supplier has a
    # category.
    suggested_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    suggested_source: Mapped[CategorySource | None] = mapped_column(enum_column(CategorySource))
    suggested_reason: Mapped[str | None] = mapped_column(Text)
    # The newest cost centre, description and CPV code of its payments, one "label<TAB>text"
    # a line (tisc.rules.auto_category.join_payment_texts): what the categoriser reads when
    # the finance category text says nothing.
    payment_texts: Mapped[str | None] = mapped_column(Text)
    # The import that first brought this supplier in ("new" until someone reviews it).
    # Indexed: undoing an import (and its preview) finds the suppliers it brought in.
    created_by_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("spend_imports.id", ondelete="SET NULL"), index=True
    )
    reviewed: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notes: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship()
    category: Mapped[Category | None] = relationship(lazy="joined", foreign_keys=[category_id])
    suggested_category: Mapped[Category | None] = relationship(
        lazy="joined", foreign_keys=[suggested_category_id]
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def category_how(self) -> str:
        """Where its category came from, as the supplier page says it: "chosen by hand",
        "automatic: name contains ROOFING"; "" without a category."""
        if self.category_id is None:
            return ""
        if self.category_reason:
            automatic = "automatic: " if self.category_source.is_automatic else ""
            return f"{automatic}{self.category_reason}"
        return self.category_source.label

    @property
    def suggestion_how(self) -> str:
        """The suggestion waiting for review, in words: "Security and manned guarding (not
        sure: name contains SECURITY)"; "" without one."""
        if self.suggested_category is None:
            return ""
        return f"{self.suggested_category.name} (not sure: {self.suggested_reason})"

    @property
    def is_new(self) -> bool:
        """Came in with an import and nobody has looked at it yet."""
        return self.created_by_import_id is not None and not self.reviewed

    def __repr__(self) -> str:
        return f"<Supplier {self.id} {self.name!r}>"


class SpendLine(Base):
    """One payment (or credit, when negative) to a supplier."""

    __tablename__ = "spend_lines"
    # Few indexes: every index costs seconds on a million-line import. Totals per body and
    # year are read from supplier_years, not from here.
    __table_args__ = (
        Index("ix_spend_lines_supplier_year", "supplier_id", "financial_year"),
        # Undoing an import finds its lines: without it, a scan of every body's lines.
        Index("ix_spend_lines_import_id", "import_id"),
        # The same line never counts twice, however many files carry it.
        UniqueConstraint("organisation_id", "line_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only the supplier is a foreign key: PostgreSQL checks each one row by row, which
    # doubled the time of a million-line import. The supplier belongs to the organisation
    # (deleting either removes the lines through it); imports are undone, never deleted.
    organisation_id: Mapped[int] = mapped_column(Integer)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(Integer)
    # A fingerprint of reference, supplier, date, amount and description (and which
    # repeat of identical lines this is), from tisc.services.register.spend_lines.
    line_key: Mapped[int] = mapped_column(BigInteger)
    row_number: Mapped[int | None] = mapped_column(Integer)
    payment_date: Mapped[date] = mapped_column(Date)
    # The year the financial year starts in: 2024 means 2024/25.
    financial_year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column("amount_pence", Money())
    reference: Mapped[str | None] = mapped_column(String(100))
    category_text: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    cost_centre: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<SpendLine {self.id} {self.amount}>"


class SupplierYear(Base):
    """A supplier's net spend and number of payments in one financial year.

    Refreshed from the spend lines after every import, undo and merge, so that
    register pages stay fast for bodies with a hundred thousand suppliers.
    """

    __tablename__ = "supplier_years"
    __table_args__ = (
        # Covering (PostgreSQL): a body's year is read from the index alone, not from rows
        # that imports and merges have scattered over the table (25 million spend lines,
        # bench/NATIONAL.md).
        Index(
            "ix_supplier_years_org_year_spend",
            "organisation_id",
            "financial_year",
            "spend_pence",
            postgresql_include=["supplier_id", "payments"],
        ),
    )

    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True
    )
    financial_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    annual_spend: Mapped[Decimal] = mapped_column("spend_pence", Money())
    payments: Mapped[int] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"<SupplierYear {self.supplier_id} {self.financial_year} {self.annual_spend}>"


class Contract(TimestampMixin, Base):
    """A contract with a supplier; its annual value can flag the supplier on its own."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(100))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    total_value: Mapped[Decimal | None] = mapped_column("total_value_pence", Money())
    annual_value: Mapped[Decimal] = mapped_column("annual_value_pence", Money())
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    # None: not recorded (older contracts, before anyone asked).
    modern_slavery_clause: Mapped[bool | None] = mapped_column(Boolean)
    regime: Mapped[Regime | None] = mapped_column(enum_column(Regime))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    supplier: Mapped[Supplier] = relationship()
    category: Mapped[Category | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def covers(self, financial_year: int) -> bool:
        """True when the contract runs for any part of the financial year."""
        return self.start_date <= date(financial_year + 1, 3, 31) and self.end_date >= date(
            financial_year, 4, 1
        )

    def __repr__(self) -> str:
        return f"<Contract {self.id} {self.title!r}>"


class SupplierEvent(Base):
    """A line in a supplier's history: created by an import, edited, merged, archived."""

    __tablename__ = "supplier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    summary: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<SupplierEvent {self.supplier_id} {self.summary[:30]!r}>"
