"""The priority tier and the high-risk flag agree in Python and in SQL.

Both are read from one table (tisc.rules.risk.TIER_RULES and HIGH_RISK_LEVELS); these tests
hold the register's Python rows and its SQL filters, counts and tier lists to each other for
every risk level and an unknown category, over and not over the threshold, on the database of
this test run (SQLite, or PostgreSQL when TISC_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import product
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Boolean, literal, select

from tests.conftest import Factory
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
    SOFTWARE_TEXT,
    Pay,
    import_payments,
)
from tisc.extensions import db
from tisc.models import Category
from tisc.rules.risk import RiskLevel, Tier, is_high_risk, priority_tier
from tisc.services.accounts import organisations
from tisc.services.register import contracts, suppliers
from tisc.services.register.categories import list_categories, organisation_partnership
from tisc.services.register.rows import (
    RegisterFilters,
    register_rows,
    tier_entries,
    year_summary,
)
from tisc.services.register.thresholds import threshold_for
from tisc.services.register.tiers import high_risk_condition, tier_case

YEAR = 2024  # 2024/25
RISKS: list[RiskLevel | None] = [*RiskLevel, None]
TEXTS = {RiskLevel.HIGH: CLEANING_TEXT, RiskLevel.MEDIUM: HOTEL_TEXT, RiskLevel.LOW: SOFTWARE_TEXT}
AT = "50000.00"  # exactly the threshold: not over
ABOVE = "50000.01"  # a penny more: over
# Spend only (no contract: the contract side is NULL), a contract only (no spend that year:
# the spend side is NULL), and both, where only the contract reaches the amount.
SOURCES = ("spend", "contract", "both")


@dataclass(frozen=True)
class Case:
    """A supplier whose category risk and amount put it in one combination."""

    source: str
    risk: RiskLevel | None
    amount: str

    @property
    def name(self) -> str:
        return f"{self.source} {self.risk or 'unknown'} {self.amount} Ltd"

    @property
    def over(self) -> bool:
        return self.amount == ABOVE


CASES = [Case(*values) for values in product(SOURCES, RISKS, (AT, ABOVE))]


def _contract(org, supplier, amount: str) -> None:
    contracts.add_contract(
        org=org,
        supplier=supplier,
        user=None,
        title=f"Contract worth {amount}",
        reference=None,
        start_date=date(2024, 4, 1),
        end_date=date(2025, 3, 31),
        annual_value=Decimal(amount),
    )


@pytest.fixture
def world(app: Flask, factory: Factory) -> None:
    """One body with a supplier for every case, through the importer and the contract service."""
    factory.partnership("north-east")
    factory.org("alpha-police", partnership="north-east")
    import_payments(
        app,
        "alpha-police",
        *(
            Pay(
                c.name,
                "2024-06-01",
                c.amount if c.source == "spend" else "100.00",
                TEXTS.get(c.risk, ""),  # no text: no category
            )
            for c in CASES
            if c.source != "contract"
        ),
    )
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        by_risk: dict[RiskLevel, int] = {}
        for category in list_categories(partnership=organisation_partnership(org)):
            by_risk.setdefault(category.risk, category.id)
        for c in CASES:
            if c.source == "contract":
                supplier = suppliers.add_supplier(
                    org=org, user=None, name=c.name, category_id=by_risk.get(c.risk)
                )
                _contract(org, supplier, c.amount)
            elif c.source == "both":
                _contract(org, suppliers.find_supplier_by_name(org=org, name=c.name), c.amount)
        db.session.commit()


def test_the_cases_cover_every_combination_from_each_side_of_the_boundary() -> None:
    for source in SOURCES:
        seen = {(c.risk, c.over) for c in CASES if c.source == source}
        assert seen == set(product(RISKS, (True, False)))


def test_python_rows_and_sql_tiers_filters_and_counts_agree(app: Flask, world: None) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        assert threshold_for(org=org, financial_year=YEAR) == Decimal(AT)

        def names(**narrowed: Any) -> set[str]:
            filters = RegisterFilters(financial_year=YEAR, **narrowed)
            return {row.supplier.name for row in register_rows(org=org, filters=filters)}

        # Python: each row's assessment, from rules.risk.assess.
        rows = {
            row.supplier.name: row
            for row in register_rows(org=org, filters=RegisterFilters(financial_year=YEAR))
        }
        python = {
            name: (row.assessment.tier, row.assessment.over_threshold, row.assessment.high_risk)
            for name, row in rows.items()
        }
        # SQL: the tier and over flag tier_entries reads, and the "high" filter.
        entries = {e.supplier_id: e for e in tier_entries(org=org, financial_year=YEAR, tiers=Tier)}
        high = names(flag="high")
        sql = {
            name: (
                entries[row.supplier.id].tier,
                entries[row.supplier.id].over_threshold,
                name in high,
            )
            for name, row in rows.items()
        }
        # Both against the rule itself, and against each other.
        expected = {
            c.name: (
                priority_tier(risk=c.risk, over_threshold=c.over),
                c.over,
                is_high_risk(c.risk),
            )
            for c in CASES
        }
        assert python == expected
        assert sql == python

        # The register's tier and flag filters pick the rows Python puts there.
        for tier in Tier:
            assert names(tier=tier) == {n for n, (t, _, _) in python.items() if t is tier}, tier
        assert names(flag="over") == {n for n, (_, over, _) in python.items() if over}

        # The summaries count in SQL what the rows say in Python.
        summary = year_summary(org=org, financial_year=YEAR)
        assert summary is not None
        tiers = Counter(t.value for t, _, _ in python.values())
        assert summary.tier_counts == {t.value: tiers[t.value] for t in Tier}
        assert summary.suppliers_over_threshold == sum(over for _, over, _ in python.values())
        assert summary.high_risk_suppliers == sum(h for _, _, h in python.values())


@pytest.mark.parametrize(("risk", "over"), list(product(RISKS, (True, False, None))))
def test_the_sql_expressions_match_the_python_rules_on_the_database(
    app: Flask, risk: RiskLevel | None, over: bool | None
) -> None:
    """Over None is SQL NULL (no spend or no contract to compare): it counts as not over."""
    with app.app_context():
        level = literal(risk, Category.risk.type)
        tier, high = db.session.execute(
            select(tier_case(level, literal(over, Boolean())), high_risk_condition(level))
        ).one()
    assert Tier(tier) is priority_tier(risk=risk, over_threshold=bool(over))
    assert bool(high) is is_high_risk(risk)
