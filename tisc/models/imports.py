"""Records of spend imports, a body's remembered column mapping, and its personal payees."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, Money, enum_column, utcnow
from tisc.models.users import User
from tisc.rules.years import FinancialYear


class ImportStatus(StrEnum):
    """Whether an import's lines are in the register."""

    COMPLETED = "completed"
    UNDONE = "undone"


class SpendImport(Base):
    """One finance export imported into a body's register."""

    __tablename__ = "spend_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))
    sheet: Mapped[str | None] = mapped_column(String(100))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    rows_read: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    excluded: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    duplicates_skipped: Mapped[int] = mapped_column(Integer)
    suppliers_created: Mapped[int] = mapped_column(Integer)
    total_imported: Mapped[Decimal] = mapped_column("total_imported_pence", Money())
    total_excluded: Mapped[Decimal] = mapped_column("total_excluded_pence", Money())
    # Up to PROBLEM_LIMIT rejected rows: {"row", "column", "message", "cells"}, for download.
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What it added in each financial year: [{"year": 2022, "payments": 12, "pence": 123456}],
    # oldest first. None for imports made before it was kept (read from their lines instead).
    year_totals: Mapped[list[dict[str, int]] | None] = mapped_column(JSON)
    status: Mapped[ImportStatus] = mapped_column(
        enum_column(ImportStatus), default=ImportStatus.COMPLETED
    )
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def years_added(self) -> list[FinancialYear]:
        """The financial years this import added payments to (empty if not kept)."""
        return [FinancialYear(int(kept["year"])) for kept in self.year_totals or []]

    def __repr__(self) -> str:
        return f"<SpendImport {self.id} {self.file_name!r}>"


class ImportMapping(Base):
    """The column mapping a body last confirmed, offered again next time."""

    __tablename__ = "import_mappings"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    def __repr__(self) -> str:
        return f"<ImportMapping {self.organisation_id}>"


class PersonalPayee(Base):
    """A payee name a body marks as a private individual: excluded, never a supplier."""

    __tablename__ = "personal_payees"
    __table_args__ = (UniqueConstraint("organisation_id", "normalised_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    normalised_name: Mapped[str] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<PersonalPayee {self.id}>"


class PendingUpload(Base):
    """An uploaded file waiting for its mapping to be confirmed.

    Kept in the database, not on an app server's disk, so any server can finish the import.
    """

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255))
    # Deferred: a page about the upload loads the (up to 20 MB) file only when it reads it.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    def __repr__(self) -> str:
        return f"<PendingUpload {self.id} {self.file_name!r}>"


class JobKind(StrEnum):
    """What a background import job does with an uploaded file."""

    CHECK = "check"  # read it, guess its columns and say what importing would do
    IMPORT = "import"  # read, check and write it into the register


class JobStatus(StrEnum):
    """Where a background import job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(Base):
    """Reading, checking or importing an uploaded file in the background, with its progress.

    The page that follows the job reads this row; the worker writes it. A check keeps what the
    preview page shows (`result`) and the rows with problems, so the page never reads the file.
    """

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("pending_uploads.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind))
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    file_name: Mapped[str] = mapped_column(String(255))
    # What was asked: {"sheet": name or None, "fields": {field: column}} (a check: only the
    # fields chosen on the page; an import: the whole mapping).
    asked: Mapped[dict[str, Any]] = mapped_column(JSON)
    stage: Mapped[str | None] = mapped_column(String(100))
    rows_read: Mapped[int | None] = mapped_column(Integer)
    rows_checked: Mapped[int | None] = mapped_column(Integer)
    rows_written: Mapped[int | None] = mapped_column(Integer)
    rows_to_write: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(2000))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Which process runs it ("host:pid"), so a page can tell a worker that was killed.
    worker: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.kind} {self.status}>"
