from decimal import Decimal

import pytest

from tisc.rules.risk import RiskLevel, Tier, assess, priority_tier

T = Decimal("50000.00")


@pytest.mark.parametrize(
    ("risk", "over", "tier"),
    [
        (RiskLevel.HIGH, True, Tier.A),
        (RiskLevel.HIGH, False, Tier.B),
        (RiskLevel.MEDIUM, True, Tier.B),
        (RiskLevel.MEDIUM, False, Tier.D),
        (RiskLevel.LOW, True, Tier.C),
        (RiskLevel.LOW, False, Tier.D),
        (None, True, Tier.C),
        (None, False, Tier.D),
    ],
)
def test_priority_tiers_follow_design(risk: RiskLevel | None, over: bool, tier: Tier) -> None:
    assert priority_tier(risk=risk, over_threshold=over) is tier


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


def test_an_unknown_category_says_so() -> None:
    result = assess(annual_spend=Decimal("10"), threshold=T, risk=None, category_name=None)
    assert not result.high_risk and result.tier is Tier.D
    assert result.reasons == ("Category not known yet: map its finance category to set its risk",)


def test_credits_can_bring_spend_under_the_threshold() -> None:
    result = assess(
        annual_spend=Decimal("60000.00") + Decimal("-10000.00"),
        threshold=T,
        risk=RiskLevel.HIGH,
        category_name="Security",
    )
    assert not result.over_threshold
