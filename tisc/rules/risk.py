"""Risk rules from DESIGN.md: high-risk and over-threshold flags, and priority tiers A to D."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tisc.rules.money import format_pounds, is_over_threshold


class RiskLevel(StrEnum):
    """A category's inherent modern slavery risk."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Tier(StrEnum):
    """How much due diligence a supplier needs this year."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def action(self) -> str:
        return {
            "A": "Full due diligence: assessment, beyond-Tier-1 mapping, staff engagement plan, "
            "contract reviews",
            "B": "Assessment",
            "C": "Guidance",
            "D": "Monitor",
        }[self.value]


@dataclass(frozen=True)
class Assessment:
    """A supplier's flags and tier for one year, with the reasons in words."""

    high_risk: bool
    over_threshold: bool
    tier: Tier
    reasons: tuple[str, ...]


def priority_tier(*, risk: RiskLevel | None, over_threshold: bool) -> Tier:
    """A: high-risk and over; B: high-risk under, or medium over; C: other over; D: the rest."""
    if risk is RiskLevel.HIGH:
        return Tier.A if over_threshold else Tier.B
    if over_threshold:
        return Tier.B if risk is RiskLevel.MEDIUM else Tier.C
    return Tier.D


def assess(
    *,
    annual_spend: Decimal,
    threshold: Decimal,
    risk: RiskLevel | None,
    category_name: str | None,
    contract_annual_value: Decimal | None = None,
) -> Assessment:
    """Flags, tier and reasons for one supplier in one year.

    A contract whose annual value is over the threshold flags the supplier whatever the
    spend so far.
    """
    spend_over = is_over_threshold(annual_spend, threshold)
    contract_over = contract_annual_value is not None and is_over_threshold(
        contract_annual_value, threshold
    )
    over = spend_over or contract_over
    reasons: list[str] = []
    limit = format_pounds(threshold)
    if spend_over:
        reasons.append(f"Spend of {format_pounds(annual_spend)} this year is over {limit}")
    if contract_over:
        reasons.append(
            f"A contract worth {format_pounds(contract_annual_value)} a year is over {limit}"
        )
    if risk is None:
        reasons.append("Category not known yet: map its finance category to set its risk")
    else:
        reasons.append(f"{category_name} is a {risk.value}-risk category")
    tier = priority_tier(risk=risk, over_threshold=over)
    return Assessment(risk is RiskLevel.HIGH, over, tier, tuple(reasons))
