"""The partnership's supplier counts computed in the database (tisc.services.register.
partnership: count_distinct_suppliers, distinct_suppliers_by_body, count_paid_businesses)
against the rule itself (tisc.rules.supplier_groups) applied to the same records in Python,
on registers where records collide in every way the rule has to settle."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from flask import Flask

from tests.conftest import Factory
from tisc.extensions import db
from tisc.models import Organisation, Supplier, SupplierYear
from tisc.rules.supplier_groups import group_suppliers
from tisc.services.register import partnership
from tisc.services.register.partnership import (
    count_distinct_suppliers,
    count_paid_businesses,
    distinct_suppliers_by_body,
    shared_suppliers,
)

YEAR = 2024
BODIES = ("alpha-police", "beta-opcc", "delta-police")

# (body, matching key, company number, spend in the year or None for no spend that year)
Record = tuple[str, str, str | None, str | None]

TRICKY: dict[str, list[Record]] = {
    # the same name with different numbers, and records without one in other bodies
    "same name, two numbers": [
        ("alpha-police", "ACME", "0123", "10"),
        ("beta-opcc", "ACME", None, "10"),
        ("delta-police", "ACME", "0999", "10"),
    ],
    # the record without a number joins the first numbered one: whether the second business
    # counts as paid depends on which
    "which business is paid": [
        ("alpha-police", "ACME", "0123", "10"),
        ("beta-opcc", "ACME", None, "10"),
        ("delta-police", "ACME", "0999", "-5"),
    ],
    # the record without a number comes first (a lower body), then two numbers
    "no number first": [
        ("alpha-police", "ACME", None, "10"),
        ("beta-opcc", "ACME", "0999", "10"),
        ("delta-police", "ACME", "0123", "10"),
    ],
    # a number in one record only, its name in the others
    "number only in one record": [
        ("alpha-police", "BAKERS", None, "1"),
        ("beta-opcc", "BAKERS", "0555", "1"),
        ("delta-police", "BAKERS", None, "1"),
    ],
    # one business through a number then a name; empty numbers are none
    "number then name": [
        ("alpha-police", "ACME CLEANING", "0123", "5"),
        ("beta-opcc", "ACME SERVICES", "0123", "5"),
        ("delta-police", "ACME SERVICES", "", "5"),
        ("delta-police", "OTHER", "", "5"),
        ("alpha-police", "OTHER", None, "5"),
    ],
    # the same number under three names, one of them shared with another number
    "a number wins over a name": [
        ("alpha-police", "ACME", "0111", "1"),
        ("beta-opcc", "ZED", "0222", "1"),
        ("delta-police", "ACME", "0222", "1"),
        ("beta-opcc", "ACME", None, "1"),
    ],
    # credits and nothing: a business counts as paid only when a body's spend is above 0
    "credits and no spend": [
        ("alpha-police", "REFUNDS LTD", None, "-50"),
        ("beta-opcc", "REFUNDS LTD", None, "20"),
        ("alpha-police", "ZERO CO", "0777", "0"),
        ("delta-police", "ZERO CO", None, "-1"),
        ("beta-opcc", "NOT THIS YEAR", None, None),
        ("alpha-police", "PAID", "0888", "0.01"),
    ],
}


def _add(app: Flask, records: list[Record]) -> None:
    with app.app_context():
        ids = {org.slug: org.id for org in db.session.query(Organisation)}
        for body, name, number, spend in records:
            supplier = Supplier(
                organisation_id=ids[body],
                name=name.title(),
                normalised_name=name,
                company_number=number,
            )
            db.session.add(supplier)
            db.session.flush()
            if spend is not None:
                db.session.add(
                    SupplierYear(
                        supplier_id=supplier.id,
                        financial_year=YEAR,
                        organisation_id=ids[body],
                        annual_spend=Decimal(spend),
                        payments=1,
                    )
                )
        db.session.commit()


def _python_counts(members: list[Organisation]) -> tuple[int, int, dict[int, int], int]:
    """The rule in Python: records, distinct businesses, each body's, and the businesses of
    the partnership register with a body's spend above 0."""
    records = partnership._year_records(members, YEAR)
    by_body = {
        org.id: len(group_suppliers(r.key for r in records if r.organisation_id == org.id))
        for org in members
    }
    paid = sum(
        1
        for shared in shared_suppliers(organisations=members, financial_year=YEAR)
        if any(amount > 0 for amount in shared.spend_by_body.values())
    )
    return len(records), len(group_suppliers(r.key for r in records)), by_body, paid


def _check(app: Flask) -> None:
    with app.app_context():
        members = [
            org
            for org in db.session.query(Organisation).order_by(Organisation.id)
            if org.slug in BODIES
        ]
        records, distinct, by_body, paid = _python_counts(members)
        counted = count_distinct_suppliers(organisations=members, financial_year=YEAR)
        assert (counted.records, counted.distinct) == (records, distinct)
        assert distinct_suppliers_by_body(organisations=members, financial_year=YEAR) == by_body
        assert count_paid_businesses(organisations=members, financial_year=YEAR) == paid


@pytest.fixture
def bodies(two_bodies: dict, factory: Factory) -> None:
    factory.org("delta-police", partnership="north-east")


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_the_database_counts_as_the_rule_groups(app: Flask, bodies: None, case: str) -> None:
    _add(app, TRICKY[case])
    _check(app)


def test_the_database_counts_as_the_rule_groups_on_a_made_up_register(
    app: Flask, bodies: None
) -> None:
    # Few names and numbers over three bodies: every kind of collision, many times over.
    rng = random.Random(11)
    records: list[Record] = []
    for body in BODIES:
        for name in rng.sample([f"NAME {n}" for n in range(30)], 20):  # unique in a body
            number = rng.choice([None, None, "", "01", "02", "03", "04", "05"])
            spend = rng.choice([None, "-3", "0", "2", "7.50"])
            records.append((body, name, number, spend))
    _add(app, records)
    _check(app)


def test_nothing_paid_counts_nothing(app: Flask, bodies: None) -> None:
    _check(app)
