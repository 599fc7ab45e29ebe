"""Incidents: indicators of forced labour a body found in its supply chain, the referrals it
made and the remediation it took. Never a victim's or worker's name or identifying detail: no
column holds a person's name, and the free text is a short outline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin, enum_column
from tisc.models.suppliers import Supplier
from tisc.rules.incidents import (
    IncidentStatus,
    Indicator,
    Referral,
    Remediation,
    Source,
    Tier,
    parse_keys,
)


class Incident(TimestampMixin, Base):
    """One incident of a body: when it was found, with which supplier and how far down the
    chain, the ILO indicators observed, how it came to light, the referrals, the remediation
    and its outcome, open or closed."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("suppliers.id", ondelete="SET NULL"), index=True
    )
    found_on: Mapped[date] = mapped_column(Date)
    tier: Mapped[Tier] = mapped_column(enum_column(Tier))
    # Keys, comma-separated, in their kind's order (rules.incidents.join_keys).
    indicators: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[Source] = mapped_column(enum_column(Source))
    referrals: Mapped[str] = mapped_column(String(100), default="")
    remediation_types: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str | None] = mapped_column(Text)
    remediation: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[IncidentStatus] = mapped_column(enum_column(IncidentStatus))
    closed_on: Mapped[date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    supplier: Mapped[Supplier | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def indicator_list(self) -> list[Indicator]:
        return parse_keys(self.indicators, Indicator)

    @property
    def referral_list(self) -> list[Referral]:
        return parse_keys(self.referrals, Referral)

    @property
    def remediation_list(self) -> list[Remediation]:
        return parse_keys(self.remediation_types, Remediation)

    def __repr__(self) -> str:
        return f"<Incident {self.id} {self.status.value}>"
