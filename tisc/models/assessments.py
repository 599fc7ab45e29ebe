"""Questionnaires, supplier assessments and their answers, and self-assessment invitations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin, enum_column, utcnow
from tisc.models.organisations import Organisation
from tisc.models.suppliers import Supplier
from tisc.rules.questionnaire import Definition, cached_definition


class Questionnaire(Base):
    """One published version of a partnership's questionnaire (never changed once published)."""

    __tablename__ = "questionnaires"
    __table_args__ = (UniqueConstraint("partnership_id", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    # "standard" or "short"; a new version keeps the key.
    key: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    short_form: Mapped[bool] = mapped_column(Boolean, default=False)
    # The TOML as published: the definition is read from it (tisc.rules.questionnaire).
    source: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def definition(self) -> Definition:
        return cached_definition(self.source)

    def __repr__(self) -> str:
        return f"<Questionnaire {self.key} v{self.version}>"


class AssessmentStatus(StrEnum):
    """Where an assessment is."""

    DRAFT = "draft"  # a procurement lead is answering
    WITH_SUPPLIER = "with_supplier"  # the supplier is answering through its link
    AWAITING_REVIEW = "awaiting_review"  # the supplier submitted; the lead reviews and accepts
    COMPLETE = "complete"  # scored and final
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "with_supplier": "With the supplier",
            "awaiting_review": "Awaiting review",
            "complete": "Complete",
            "cancelled": "Cancelled",
        }[self.value]


# Every status but cancelled: an assessment in one of these is live for its supplier and year.
ACTIVE = (
    AssessmentStatus.DRAFT,
    AssessmentStatus.WITH_SUPPLIER,
    AssessmentStatus.AWAITING_REVIEW,
    AssessmentStatus.COMPLETE,
)


class AssessmentSource(StrEnum):
    """Who answered."""

    BUYER = "buyer"  # scored by the body's procurement lead
    SUPPLIER = "supplier"  # self-assessment by the supplier, accepted by the lead
    ADOPTED = "adopted"  # another body's complete assessment of the same business

    @property
    def label(self) -> str:
        return {
            "buyer": "Scored by the body",
            "supplier": "Supplier self-assessment",
            "adopted": "Shared by another body",
        }[self.value]


class SupplierAssessment(TimestampMixin, Base):
    """A supplier's assessment against one questionnaire version, for one financial year."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int] = mapped_column(Integer)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id"))
    status: Mapped[AssessmentStatus] = mapped_column(enum_column(AssessmentStatus))
    source: Mapped[AssessmentSource] = mapped_column(enum_column(AssessmentSource))
    # Set when the assessment is complete; answers never change after that.
    score_tenths: Mapped[int | None] = mapped_column(Integer)
    # Reasons of critical answers (forced labour indicators), one per line.
    critical_flags: Mapped[str | None] = mapped_column(Text)
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    respondent_role: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    adopted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship()
    supplier: Mapped[Supplier] = relationship()
    questionnaire: Mapped[Questionnaire] = relationship(lazy="joined")
    answers: Mapped[list[AssessmentAnswer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentAnswer.id"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def score(self) -> Decimal | None:
        """The percentage score of a complete assessment."""
        if self.score_tenths is None:
            return None
        return (Decimal(self.score_tenths) / 10).quantize(Decimal("0.1"))

    @property
    def critical_reasons(self) -> tuple[str, ...]:
        return tuple(line for line in (self.critical_flags or "").splitlines() if line)

    @property
    def answer_map(self) -> dict[str, str]:
        """{question key: option key}."""
        return {a.question_key: a.option_key for a in self.answers}

    def __repr__(self) -> str:
        return f"<SupplierAssessment {self.id} {self.status}>"


class AssessmentAnswer(Base):
    """The answer to one question, with evidence and any adjustment by the reviewing lead."""

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(60))
    option_key: Mapped[str] = mapped_column(String(60))
    evidence: Mapped[str | None] = mapped_column(Text)
    evidence_link: Mapped[str | None] = mapped_column(String(500))
    # When the lead changed the supplier's answer: what the supplier said, and why it changed.
    supplier_option_key: Mapped[str | None] = mapped_column(String(60))
    adjusted_reason: Mapped[str | None] = mapped_column(Text)
    adjusted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    adjusted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    assessment: Mapped[SupplierAssessment] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<AssessmentAnswer {self.question_key}={self.option_key}>"


class Invitation(TimestampMixin, Base):
    """A supplier's link to answer one assessment; only a hash of the token is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    # SHA-256 of the token in the link, hex.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # False for an invitation made in bulk until the lead makes its link in the outbox: a
    # link is shown only once, so none was shown for it.
    link_made: Mapped[bool] = mapped_column(default=True, server_default=true())
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How it was sent: "by hand" (copied into the body's own email) or the mailer's name.
    sent_by: Mapped[str | None] = mapped_column(String(50))
    first_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_saved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    supplier: Mapped[Supplier] = relationship()
    assessment: Mapped[SupplierAssessment] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Invitation {self.id} supplier={self.supplier_id}>"


class InvitationPosts(Base):
    """POSTs made on a supplier's link in the current window, for the per-link limit
    (tisc.services.assessments.invitations.count_link_post).

    Bookkeeping, like sign-in throttles: kept in the database so the limit holds across
    workers, apart from the invitation so that counting never moves its version, and not
    audited.
    """

    __tablename__ = "invitation_posts"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True
    )
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    posts: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<InvitationPosts {self.invitation_id}: {self.posts}>"


class StrtFile(Base):
    """A supplier's completed Slavery and Trafficking Risk Template (.xlsx), kept as evidence.

    Uploaded, it waits for its preview to be confirmed (no assessment yet); confirmed, it
    belongs to the draft assessment its answers filled, which names it.
    """

    __tablename__ = "strt_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int] = mapped_column(Integer)
    # The browser's name, cleaned (tisc.rules.file_names.safe_file_name).
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<StrtFile {self.id} {self.file_name!r}>"
