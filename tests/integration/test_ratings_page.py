"""The "How ratings work" page explains the rules with the threshold the reader's partnership
uses this year: one partnership's own, the default for someone in none, and each one for
someone in several that differ."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask

from tests.conftest import Factory, page, sign_in
from tisc.extensions import db
from tisc.models import Role
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations, users
from tisc.services.register.thresholds import set_threshold
from tisc.web.years import this_year


def set_this_years_threshold(app: Flask, partnership: str, amount: str) -> None:
    with app.app_context():
        set_threshold(
            partnership=organisations.get_partnership(slug=partnership),
            financial_year=this_year().start_year,
            amount=Decimal(amount),
        )
        db.session.commit()


def ratings_text(app: Flask, email: str) -> tuple[str, list[str]]:
    """The page's main text, and the spend and tier of each worked example."""
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    response = client.get("/how-ratings-work")
    assert response.status_code == 200
    html = page(response)
    spends = [
        dl.select("dd")[1].get_text(" ", strip=True) for dl in html.select("dl.app-rating-example")
    ]
    return " ".join(html.select_one("main").get_text(" ").split()), spends


def test_a_partnership_with_a_25000_threshold_sees_25000(app: Flask, two_bodies: dict) -> None:
    set_this_years_threshold(app, "north-east", "25000")
    year = this_year().label
    for email in ("coordinator@example.org", "viewer.alpha-police@example.org"):
        text, spends = ratings_text(app, email)
        assert "is strictly more than £25,000.00. Spend of exactly £25,000.00 is not over" in text
        assert f"North East uses a threshold of £25,000.00 in {year}." in text
        assert "The default is £50,000.00" in text
        # The worked examples keep their tiers: their spend follows the threshold.
        assert spends == [
            "£60,000.00: tier A",
            "£32,500.00: tier B",
            "£25,000.01: tier A",
        ], email


def test_last_years_threshold_is_not_this_years(app: Flask, two_bodies: dict) -> None:
    with app.app_context():
        set_threshold(
            partnership=organisations.get_partnership(slug="north-east"),
            financial_year=this_year().start_year - 1,
            amount=Decimal("25000"),
        )
        db.session.commit()
    text, spends = ratings_text(app, "viewer.alpha-police@example.org")
    assert "strictly more than £50,000.00" in text and "£25,000.00" not in text
    assert spends == ["£120,000.00: tier A", "£65,000.00: tier B", "£50,000.01: tier A"]


def test_an_administrator_in_no_partnership_sees_the_default(app: Flask, two_bodies: dict) -> None:
    set_this_years_threshold(app, "north-east", "25000")
    text, _ = ratings_text(app, "admin@example.org")
    assert "strictly more than £50,000.00" in text
    assert "£50,000.00 is the default. A partnership's coordinator can set" in text
    assert "£25,000.00" not in text


def test_someone_in_two_partnerships_sees_each_threshold_and_the_default_rules(
    app: Flask, factory: Factory, two_bodies: dict
) -> None:
    set_this_years_threshold(app, "north-east", "25000")
    set_this_years_threshold(app, "elsewhere", "75000")
    person_id = factory.user("both@example.org", Role.VIEWER, org="alpha-police")
    with app.app_context():
        users.add_membership(
            user=users.get_user(user_id=person_id),
            role=Role.VIEWER,
            organisation=organisations.get_organisation(slug="gamma-police"),
            partnership=None,
        )
        db.session.commit()
    text, _ = ratings_text(app, "both@example.org")
    year = FinancialYear(this_year().start_year).label
    assert f"The thresholds of your partnerships in {year}:" in text
    assert "North East: £25,000.00 Somewhere else: £75,000.00" in text
    assert "They differ, so this page uses the default, £50,000.00." in text
    assert "strictly more than £50,000.00" in text
