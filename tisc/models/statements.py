"""Modern slavery statements: the record, its narrative sections, each body's sign-off and
publication, the registry's risks, and every generated document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin, enum_column, utcnow
from tisc.models.organisations import Organisation

# Its life cycle is a rule (tisc.rules.statement_lifecycle); tisc.models re-exports it.
from tisc.rules.statement_lifecycle import StatementState


class Statement(TimestampMixin, Base):
    """A statement for one financial year: joint (a partnership's) or single (one body's)."""

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(
            "(partnership_id IS NULL) <> (organisation_id IS NULL)", name="joint_or_single"
        ),
        # Two constraints, since NULLs never collide: one joint statement per partnership and
        # year, one single statement per body and year.
        UniqueConstraint("partnership_id", "financial_year"),
        UniqueConstraint("organisation_id", "financial_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[StatementState] = mapped_column(enum_column(StatementState))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    bodies: Mapped[list[StatementBody]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="StatementBody.id"
    )
    sections: Mapped[list[StatementSection]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="StatementSection.position",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_joint(self) -> bool:
        return self.partnership_id is not None

    def __repr__(self) -> str:
        return f"<Statement {self.id} {self.financial_year} {self.state}>"


class StatementBody(TimestampMixin, Base):
    """A body covered by a statement: its signatories, approval and publication."""

    __tablename__ = "statement_bodies"
    __table_args__ = (UniqueConstraint("statement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # Signatories, e.g. the commissioner and the chief constable.
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))
    second_signatory_name: Mapped[str | None] = mapped_column(String(200))
    second_signatory_title: Mapped[str | None] = mapped_column(String(200))
    # Approval of the statement by this body.
    approved_on: Mapped[date | None] = mapped_column(Date)
    decision_reference: Mapped[str | None] = mapped_column(String(200))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Why an earlier approval was cleared (its part changed afterwards), for the record.
    approval_cleared_note: Mapped[str | None] = mapped_column(Text)
    # Publication.
    published_url: Mapped[str | None] = mapped_column(String(500))
    published_on: Mapped[date | None] = mapped_column(Date)
    registry_submitted_on: Mapped[date | None] = mapped_column(Date)
    # The body's answers to the registry's structured questions (tisc.rules.registry.Answers
    # as JSON); None until it answers.
    registry_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    statement: Mapped[Statement] = relationship(back_populates="bodies")
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def approved(self) -> bool:
        return self.approved_on is not None

    def take_signatories_from(self, other: StatementBody) -> None:
        """Sign as the same people as another record (last year's): they rarely change."""
        self.signatory_name, self.signatory_title = other.signatory_name, other.signatory_title
        self.second_signatory_name = other.second_signatory_name
        self.second_signatory_title = other.second_signatory_title

    def __repr__(self) -> str:
        return f"<StatementBody {self.statement_id} {self.organisation_id}>"


class StatementSection(TimestampMixin, Base):
    """A narrative section: a joint part (organisation_id None) or one body's own part."""

    __tablename__ = "statement_sections"
    __table_args__ = (UniqueConstraint("statement_id", "key", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    # e.g. "introduction", "structure", "policies", "principles", "risk", "due-diligence",
    # "training", "goals", "body" (a body's own paragraph).
    key: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    statement: Mapped[Statement] = relationship(back_populates="sections")

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<StatementSection {self.statement_id} {self.key}>"


class StatementRisk(TimestampMixin, Base):
    """One of up to three risks described for the registry, for the statement or a body."""

    __tablename__ = "statement_risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(200))
    # "Tier 1", "Tier 2", "Tier 3 and below" or "Don't know" (the registry's values).
    supply_chain_tier: Mapped[str | None] = mapped_column(String(30))
    groups_affected: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    mitigation: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class StatementTemplate(TimestampMixin, Base):
    """A Word template uploaded by an administrator, checked before it was stored."""

    __tablename__ = "statement_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)


class StatementDocument(Base):
    """A generated document, kept exactly as generated with what it was made from."""

    __tablename__ = "statement_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # None: the default template in statements/.
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement_templates.id", ondelete="SET NULL")
    )
    template_name: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(10))  # "docx" or "pdf"
    draft: Mapped[bool] = mapped_column(default=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The figures used, as JSON, so the document can be explained later.
    figures: Mapped[str] = mapped_column(Text)


class StatementFigureKeep(TimestampMixin, Base):
    """Words in a section that the figure check questioned, kept on purpose with a reason.

    Matched to a finding by its key (tisc.rules.figure_check.finding_key: the section's key and
    the quoted words); a keep whose words are no longer in the section matches nothing.
    """

    __tablename__ = "statement_figure_keeps"
    __table_args__ = (UniqueConstraint("section_id", "finding_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(ForeignKey("statement_sections.id", ondelete="CASCADE"))
    finding_key: Mapped[str] = mapped_column(String(64))
    quoted: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    kept_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kept_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<StatementFigureKeep {self.section_id} {self.finding_key}>"
