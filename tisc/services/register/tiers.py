"""The tier table and the high-risk levels of tisc.rules.risk, as SQL expressions.

The register filters, sorts and counts tiers in the database; these expressions are built from
the same table that priority_tier reads, so the two cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, false, func, not_, or_, true

from tisc.rules.risk import (
    EVERY_RISK,
    HIGH_RISK_LEVELS,
    OTHERWISE_TIER,
    TIER_RULES,
    RiskLevel,
)


def _risk_in(risk: ColumnElement, risks: frozenset[RiskLevel | None]) -> ColumnElement[bool]:
    """SQL for `risk in risks`, with None meaning a NULL risk (no category)."""
    if risks >= EVERY_RISK:
        return true()
    # In RiskLevel's order, so the same table always makes the same SQL text.
    levels = [level for level in RiskLevel if level in risks]
    found = risk.in_(levels) if levels else false()
    return or_(found, risk.is_(None)) if None in risks else found


def high_risk_condition(risk: ColumnElement) -> ColumnElement[bool]:
    """SQL for is_high_risk: true when the category's risk is a high-risk level."""
    return _risk_in(risk, HIGH_RISK_LEVELS)


def _over_is(over: ColumnElement[bool], wanted: bool | None) -> ColumnElement[bool]:
    """SQL for a row's over-threshold test (wanted None: either way)."""
    if wanted is None:
        return true()
    return over if wanted else not_(over)


def tier_case(risk: ColumnElement, over: ColumnElement) -> ColumnElement[str]:
    """SQL for priority_tier: the tier letter of TIER_RULES' first matching row, else D.

    `risk` is a category's risk level (NULL: no category); `over` is the over-threshold flag.
    """
    # NULL counts as not over, as in Python: a supplier with no contract compares
    # NULL > threshold, and NOT NULL would match no row at all.
    known = func.coalesce(over, false())
    return case(
        *(
            (and_(_risk_in(risk, rule.risks), _over_is(known, rule.over)), rule.tier.value)
            for rule in TIER_RULES
        ),
        else_=OTHERWISE_TIER.value,
    )
