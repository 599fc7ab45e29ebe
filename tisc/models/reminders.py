"""Reminders sent: each person's reminder of one record's task, kept once per period so that
the daily run never sends the same reminder twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tisc.models.base import Base, utcnow


class SentReminder(Base):
    """A reminder sent to a person: its kind, the record it is about ("plan_item:12"), the
    period it belongs to (`rules/reminders`) and when it was sent.

    Bookkeeping, like sign-in throttles: not audited, never changed."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("user_id", "kind", "record", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    record: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<SentReminder {self.user_id} {self.kind} {self.record} {self.period}>"
