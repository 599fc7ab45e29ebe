"""Board packs kept with their date: the figures each showed, so that the next one can say
what changed since the last board."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tisc.models.base import Base, utcnow


class BoardPack(Base):
    """A board pack as it was made for a meeting: the partnership, the year, the date it is
    dated, who kept it, and a snapshot of its figures (JSON: each body's rating on each
    commitment, each action's status and whether it was overdue, the partnership's KPIs).

    Never changed: a new pack is a new row."""

    __tablename__ = "board_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )
    financial_year: Mapped[int] = mapped_column(Integer)
    report_date: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who kept it, as text, so that the list survives the user's removal.
    created_by_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<BoardPack {self.partnership_id} {self.financial_year} {self.report_date}>"
