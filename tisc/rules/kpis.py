"""KPIs computed from the data, never typed in: a share of a whole, or "no data".

Each KPI is a part out of a whole taken from a body's figures for the year (due diligence,
and training). A body that has not started (no spend imported, no training recorded) reads
"no data", never 0%.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class KpiDefinition:
    """What a KPI counts: a part out of a whole, both named figures."""

    key: str
    label: str
    part: str
    whole: str


KPIS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "assessed",
        "Tier A and B suppliers assessed",
        "assessed",
        "needing_assessment",
    ),
    KpiDefinition(
        "mapped",
        "Tier A suppliers mapped beyond Tier 1",
        "mapped_beyond_tier1",
        "high_risk_over_threshold",
    ),
    KpiDefinition(
        "plans",
        "Tier A suppliers' staff engagement plans received",
        "plans_received",
        "high_risk_over_threshold",
    ),
    KpiDefinition(
        "guidance",
        "Suppliers over the threshold sent guidance",
        "guidance_sent",
        "suppliers_over_threshold",
    ),
    KpiDefinition(
        "reviews",
        "Contract reviews that discussed modern slavery",
        "contract_reviews_discussed",
        "contract_reviews",
    ),
    KpiDefinition("trained", "Staff in scope who were trained", "staff_trained", "staff_in_scope"),
)
KPI_KEYS = tuple(k.key for k in KPIS)


@dataclass(frozen=True)
class KpiValue:
    """A KPI for one body (or the partnership) in one year."""

    definition: KpiDefinition
    part: int | None
    whole: int | None

    @property
    def has_data(self) -> bool:
        return self.part is not None and self.whole is not None and self.whole > 0

    @property
    def percent(self) -> Decimal | None:
        """The share as a percentage to 0.1, half up; None when there is no data."""
        if not self.has_data:
            return None
        share = Decimal(self.part) * 100 / Decimal(self.whole)  # type: ignore[arg-type]
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def no_data(self) -> bool:
        """Nothing recorded: the body has not started (shown as "No data", never zero)."""
        return self.part is None or self.whole is None

    @property
    def text(self) -> str:
        """Like "12 of 40 (30.0%)"; "None in scope" for 0 of 0; "No data" when not started."""
        if self.no_data:
            return "No data"
        if not self.whole:
            return "None in scope"
        return f"{self.part:,} of {self.whole:,} ({self.percent}%)"


def kpi_values(figures: Mapping[str, int | None] | None) -> dict[str, KpiValue]:
    """Every KPI from a body's named figures; missing figures (or none at all) are no data."""
    found = figures or {}
    return {k.key: KpiValue(k, found.get(k.part), found.get(k.whole)) for k in KPIS}


def total(values: list[KpiValue]) -> KpiValue | None:
    """The sum of several bodies' values of one KPI; bodies with no data are left out."""
    if not values:
        return None
    present = [v for v in values if not v.no_data]
    if not present:
        return KpiValue(values[0].definition, None, None)
    return KpiValue(
        values[0].definition,
        sum(v.part or 0 for v in present),
        sum(v.whole or 0 for v in present),
    )


def change(this_year: KpiValue, last_year: KpiValue) -> Decimal | None:
    """The change in percentage points since last year; None unless both years have data.

    Taken from the printed shares (each to 0.1), so that it is always the difference a reader
    works out from the two values beside it: 66.7% against 33.3% is +33.4, never +33.3."""
    if this_year.percent is None or last_year.percent is None:
        return None
    return this_year.percent - last_year.percent


def relative_change_text(now: int | Decimal, then: int | Decimal) -> str:
    """A sum's or a count's change as a share of last year's: "Up 4.2%", "Down 0.5%",
    "No change" (under 0.05%), "No data" when last year's is nothing to compare with."""
    if not then:
        return "No data"
    share = (Decimal(now) - Decimal(then)) * 100 / Decimal(then)
    rounded = share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "No change"
    return f"{'Up' if rounded > 0 else 'Down'} {abs(rounded)}%"


_TARGET = re.compile(r"^(?P<number>\d{1,3}(?:\.\d)?)\s*%?$")


def parse_target(text: str | None) -> Decimal | None:
    """A KPI's target as typed ("90", "92.5", "90%") as a share to one decimal place; None
    when empty. ValueError (with the message to show) when it is not a share from 0 to 100."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    match = _TARGET.match(cleaned)
    value = Decimal(match.group("number")) if match else None
    if value is None or value > 100:
        raise ValueError("Enter the target as a percentage from 0 to 100, like 90 or 92.5")
    return value


def target_text(target: Decimal | None) -> str:
    """A target as a page or a document shows it: "90%", "92.5%", "Not set"."""
    if target is None:
        return "Not set"
    return f"{target.normalize():f}%"


def against_target(value: KpiValue, target: Decimal | None) -> str:
    """Where a share stands against its target: "Target met", "4.2 points below target", or ""
    when there is no target or no data."""
    if target is None or value.percent is None:
        return ""
    gap = target - value.percent
    if gap <= 0:
        return "Target met"
    return f"{gap} points below target"
