from decimal import Decimal
from itertools import product

import pytest

from tisc.rules.risk import (
    EVERY_RISK,
    HIGH_RISK_LEVELS,
    OTHERWISE_TIER,
    TIER_RULES,
    RiskLevel,
    Tier,
    assess,
    is_high_risk,
    priority_tier,
)

T = Decimal("50000.00")

# Every risk level and an unknown category, over and not over: all the tier rule ever sees.
COMBINATIONS = list(product([*RiskLevel, None], [True, False]))

DESIGN_TIERS = [
    (RiskLevel.HIGH, True, Tier.A),
    (RiskLevel.HIGH, False, Tier.B),
    (RiskLevel.MEDIUM, True, Tier.B),
    (RiskLevel.MEDIUM, False, Tier.D),
    (RiskLevel.LOW, True, Tier.C),
    (RiskLevel.LOW, False, Tier.D),
    (None, True, Tier.A),  # an unknown is never low: it needs a category
    (None, False, Tier.D),
]


@pytest.mark.parametrize(("risk", "over", "tier"), DESIGN_TIERS)
def test_priority_tiers_follow_design(risk: RiskLevel | None, over: bool, tier: Tier) -> None:
    assert priority_tier(risk=risk, over_threshold=over) is tier


def test_the_design_tiers_name_every_combination_once() -> None:
    named = [(risk, over) for risk, over, _ in DESIGN_TIERS]
    assert len(named) == len(set(named)) and set(named) == set(COMBINATIONS)
    assert {risk for risk, _ in COMBINATIONS} == EVERY_RISK


def test_every_row_of_the_tier_table_decides_some_combination() -> None:
    """First match wins: a row that no combination reaches first is dead, or out of order."""
    first = {
        next(i for i, rule in enumerate(TIER_RULES) if rule.matches(risk, over))
        for risk, over in COMBINATIONS
        if any(rule.matches(risk, over) for rule in TIER_RULES)
    }
    assert first == set(range(len(TIER_RULES)))
    # The default is reached too: medium, low and unknown under the threshold.
    unmatched = {c for c in COMBINATIONS if not any(r.matches(*c) for r in TIER_RULES)}
    assert unmatched == {(RiskLevel.MEDIUM, False), (RiskLevel.LOW, False), (None, False)}
    assert OTHERWISE_TIER is Tier.D


def test_the_tier_table_only_names_known_risks() -> None:
    for rule in TIER_RULES:
        assert rule.risks and rule.risks <= EVERY_RISK
        assert isinstance(rule.tier, Tier)


@pytest.mark.parametrize("risk", [*RiskLevel, None])
def test_only_a_high_risk_category_makes_a_supplier_high_risk(risk: RiskLevel | None) -> None:
    assert is_high_risk(risk) is (risk is RiskLevel.HIGH)
    assert (risk in HIGH_RISK_LEVELS) is is_high_risk(risk)
    result = assess(annual_spend=T, threshold=T, risk=risk, category_name="Some category")
    assert result.high_risk is is_high_risk(risk)


def test_the_boundary_is_not_flagged_and_a_penny_more_is() -> None:
    at = assess(annual_spend=T, threshold=T, risk=RiskLevel.HIGH, category_name="Cleaning")
    above = assess(
        annual_spend=T + Decimal("0.01"), threshold=T, risk=RiskLevel.HIGH, category_name="Cleaning"
    )
    assert (at.over_threshold, at.tier) == (False, Tier.B)
    assert (above.over_threshold, above.tier) == (True, Tier.A)
    assert above.reasons[0] == "Spend of £50,000.01 this year is over £50,000.00"
    assert above.reasons[1] == "Cleaning is a high-risk category"


def test_a_contract_over_the_threshold_flags_whatever_the_spend() -> None:
    result = assess(
        annual_spend=Decimal("1200.00"),
        threshold=T,
        risk=RiskLevel.LOW,
        category_name="Software",
        contract_annual_value=Decimal("60000.00"),
    )
    assert result.over_threshold and result.tier is Tier.C
    assert "A contract worth £60,000.00 a year is over £50,000.00" in result.reasons


def test_a_contract_worth_exactly_the_threshold_is_not_over_and_a_penny_more_is() -> None:
    def over(value: str) -> bool:
        return assess(
            annual_spend=Decimal(0),
            threshold=T,
            risk=RiskLevel.LOW,
            category_name="Software",
            contract_annual_value=Decimal(value),
        ).over_threshold

    assert (over("50000.00"), over("50000.01")) == (False, True)


def test_an_unknown_category_says_so() -> None:
    result = assess(annual_spend=Decimal("10"), threshold=T, risk=None, category_name=None)
    assert not result.high_risk and result.tier is Tier.D
    assert result.reasons == ("Category not known yet: map its finance category to set its risk",)


def test_an_unknown_category_over_the_threshold_is_tier_a_until_it_has_one() -> None:
    at = assess(annual_spend=T, threshold=T, risk=None, category_name=None)
    over = assess(annual_spend=T + Decimal("0.01"), threshold=T, risk=None, category_name=None)
    assert (at.tier, over.tier) == (Tier.D, Tier.A)  # over means more than the threshold
    assert not over.high_risk  # not called high risk: its risk is not known
    assert over.reasons[-1] == (
        "Needs a category: tier A until it has one, because an unknown risk is never treated as low"
    )


def test_credits_can_bring_spend_under_the_threshold() -> None:
    result = assess(
        annual_spend=Decimal("60000.00") + Decimal("-10000.00"),
        threshold=T,
        risk=RiskLevel.HIGH,
        category_name="Security",
    )
    assert not result.over_threshold
