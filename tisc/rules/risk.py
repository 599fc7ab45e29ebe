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


HIGH_RISK_LEVELS: frozenset[RiskLevel] = frozenset({RiskLevel.HIGH})
"""The risk levels that make a supplier high-risk. A supplier with no category is not."""

EVERY_RISK: frozenset[RiskLevel | None] = frozenset((*RiskLevel, None))
"""Every risk level, and None for a supplier whose category is not known yet."""


@dataclass(frozen=True)
class TierRule:
    """A row of the tier table: suppliers whose risk is in `risks` (None there: no category
    yet) and whose over-threshold flag is `over` (None: either way) are in `tier`."""

    risks: frozenset[RiskLevel | None]
    over: bool | None
    tier: Tier

    def matches(self, risk: RiskLevel | None, over_threshold: bool) -> bool:
        """True when a supplier with this risk and over-threshold flag falls under the row."""
        return risk in self.risks and (self.over is None or self.over is over_threshold)


# The one definition of the priority tier: the Python rule below and the SQL expression of
# tisc.services.register.tiers are both read from this table, first matching row first, as
# DESIGN.md words it. An unknown is never low: a supplier over the threshold with no category
# yet is in tier A until it has one (it "needs a category"), so it is counted, assessed and
# rated red like a high-risk one rather than falling to guidance only.
UNKNOWN_RISK: frozenset[RiskLevel | None] = frozenset({None})
TIER_RULES: tuple[TierRule, ...] = (
    TierRule(HIGH_RISK_LEVELS, over=True, tier=Tier.A),
    TierRule(UNKNOWN_RISK, over=True, tier=Tier.A),
    TierRule(HIGH_RISK_LEVELS, over=False, tier=Tier.B),
    TierRule(frozenset({RiskLevel.MEDIUM}), over=True, tier=Tier.B),
    TierRule(EVERY_RISK, over=True, tier=Tier.C),
)
OTHERWISE_TIER = Tier.D
"""The tier of a supplier no row of TIER_RULES matches."""


def is_high_risk(risk: RiskLevel | None) -> bool:
    """True when a category of this risk makes its suppliers high-risk (None: not known yet)."""
    return risk in HIGH_RISK_LEVELS


def priority_tier(*, risk: RiskLevel | None, over_threshold: bool) -> Tier:
    """A: high-risk, or no category yet, and over; B: high-risk under, or medium over; C: other
    over; D: the rest."""
    for rule in TIER_RULES:
        if rule.matches(risk, over_threshold):
            return rule.tier
    return OTHERWISE_TIER


def assess(
    *,
    annual_spend: Decimal,
    threshold: Decimal,
    risk: RiskLevel | None,
    category_name: str | None,
    contract_annual_value: Decimal | None = None,
    category_reason: str | None = None,
) -> Assessment:
    """Flags, tier and reasons for one supplier in one year.

    A contract whose annual value is over the threshold flags the supplier whatever the
    spend so far. `category_reason` says how the category was found ("automatic: name
    contains ROOFING"), and follows the category's risk in the reasons.
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
    if risk is None and over:
        reasons.append(
            "Needs a category: tier A until it has one, because an unknown risk is never "
            "treated as low"
        )
    elif risk is None:
        reasons.append("Category not known yet: map its finance category to set its risk")
    else:
        how = f" ({category_reason})" if category_reason else ""
        reasons.append(f"{category_name} is a {risk.value}-risk category{how}")
    tier = priority_tier(risk=risk, over_threshold=over)
    return Assessment(is_high_risk(risk), over, tier, tuple(reasons))
