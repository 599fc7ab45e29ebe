"""The partnership's view of one supplier: the same business in every body's register, with
each body's spend, tier, category and latest assessment, and the worst tier."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import Factory, page
from tests.integration.due_diligence_support import make_assessment
from tests.integration.register_support import (
    CLEANING_TEXT,
    SOFTWARE_TEXT,
    Pay,
    as_user,
    import_payments,
    main_text,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import Supplier, SupplierAssessment
from tisc.rules.figure_words import fill_figures
from tisc.services.accounts import organisations
from tisc.services.assessments.records import adopt_assessment
from tisc.services.statements import records as statements
from tisc.services.statements.figure_words import figure_values
from tisc.services.statements.figures import statement_figures

URL = "/partnerships/north-east/suppliers"
COORDINATOR = "coordinator@example.org"
BOARD = "board@example.org"


@pytest.fixture
def zephyr(app: Flask, two_bodies: dict, factory: Factory) -> dict[str, int]:
    """Zephyr Holdings in three bodies of north-east (two by company number, delta by name
    only) and in gamma-police, outside it. Ids of each body's record."""
    factory.org("delta-police", partnership="north-east")
    # Beta and delta first: their imports have no other body's category to copy.
    import_payments(
        app,
        "beta-opcc",
        Pay("ZEPHYR HOLDINGS LIMITED", "2024-05-01", "50000.01", company="07654321"),
        Pay("Other Thing Ltd", "2024-05-01", "5.00"),
    )
    import_payments(
        app, "delta-police", Pay("Zephyr Holdings Limited", "2024-06-01", "1234.56", SOFTWARE_TEXT)
    )
    import_payments(
        app,
        "alpha-police",
        Pay("Zephyr Holdings Ltd", "2024-05-01", "40000.00", CLEANING_TEXT, "07654321"),
        Pay("Zephyr Holdings Ltd", "2024-06-01", "0.11", CLEANING_TEXT, "07654321"),
        Pay("Solo Widgets Ltd", "2024-05-01", "10.00"),
    )
    import_payments(
        app, "gamma-police", Pay("Zephyr Holdings Ltd", "2024-05-01", "777.77", company="07654321")
    )
    return {
        "alpha": supplier_id(app, "alpha-police", "Zephyr Holdings Ltd"),
        "beta": supplier_id(app, "beta-opcc", "ZEPHYR HOLDINGS LIMITED"),
        "delta": supplier_id(app, "delta-police", "Zephyr Holdings Limited"),
        "gamma": supplier_id(app, "gamma-police", "Zephyr Holdings Ltd"),
        "solo": supplier_id(app, "alpha-police", "Solo Widgets Ltd"),
    }


def body_rows(response) -> dict[str, dict[str, str]]:
    """Each body's row of the page's table, by body slug: spend, tier, category, assessment."""
    return {
        tr["data-body"]: {
            key: tr.select_one(f"[data-{key}]").get_text(" ", strip=True)
            for key in ("spend", "tier", "category", "assessment")
        }
        for tr in page(response).select("#bodies tbody tr")
    }


@pytest.mark.parametrize("email", [COORDINATOR, BOARD])
@pytest.mark.parametrize("body", ["alpha", "beta", "delta"])
def test_any_bodys_record_opens_the_same_view_with_totals_to_the_penny(
    app: Flask, zephyr: dict[str, int], email: str, body: str
) -> None:
    response = as_user(app, email).get(f"{URL}/{zephyr[body]}?year=2024-25")
    assert response.status_code == 200
    rows = body_rows(response)
    assert list(rows) == ["alpha-police", "beta-opcc", "delta-police"]
    assert [r["spend"] for r in rows.values()] == ["£40,000.11", "£50,000.01", "£1,234.56"]
    soup = page(response)
    assert soup.select_one("[data-total]").get_text(strip=True) == "£91,234.68"
    summary = {
        dt.get_text(strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(
            soup.select("#partnership-supplier dt"),
            soup.select("#partnership-supplier dd"),
            strict=True,
        )
    }
    assert summary["Partnership spend in 2024/25"] == "£91,234.68"
    assert summary["Company number"] == "07654321"
    assert summary["Bodies paying it"] == "3"
    assert summary["Names the bodies use"] == (
        "Zephyr Holdings Ltd; ZEPHYR HOLDINGS LIMITED; Zephyr Holdings Limited"
    )
    assert "777.77" not in main_text(response) and "Gamma" not in main_text(response)


def test_each_bodys_tier_and_the_worst_tier_with_its_body(
    app: Flask, zephyr: dict[str, int]
) -> None:
    response = as_user(app, COORDINATOR).get(f"{URL}/{zephyr['alpha']}?year=2024-25")
    rows = body_rows(response)
    # Alpha: high risk under the threshold; beta: over it with no category; delta: low, under.
    assert rows["alpha-police"]["tier"].startswith("Tier B")
    assert rows["alpha-police"]["category"].startswith("Cleaning")
    assert rows["beta-opcc"]["tier"].startswith("Tier A")
    assert "Needs a category" in rows["beta-opcc"]["tier"]
    assert rows["beta-opcc"]["category"] == "Needs a category"
    assert rows["delta-police"]["tier"].startswith("Tier D")
    assert "Monitor" in rows["delta-police"]["tier"]
    worst = page(response).select_one("#worst-tier").get_text(" ", strip=True)
    assert worst.startswith("Worst tier in 2024/25: Tier A , at Beta Opcc.")
    assert "What that tier asks for: full due diligence: assessment," in worst
    assert worst.endswith(
        "At Beta Opcc it needs a category: tier A until it has one, because an unknown risk"
        " is never treated as low."
    )


def test_latest_assessments_say_when_they_are_shared_from_another_body(
    app: Flask, zephyr: dict[str, int]
) -> None:
    original = make_assessment(app, "alpha-police", "Zephyr Holdings Ltd", complete=True)
    with app.app_context():
        delta = organisations.get_organisation(slug="delta-police")
        adopt_assessment(
            org=delta,
            supplier=db.session.get(Supplier, zephyr["delta"]),
            shared=db.session.get(SupplierAssessment, original),
            financial_year=2024,
            user=None,
        )
        db.session.commit()
    rows = body_rows(as_user(app, BOARD).get(f"{URL}/{zephyr['beta']}?year=2024-25"))
    assert "2024/25, completed 1 September 2024" in rows["alpha-police"]["assessment"]
    assert "Shared from" not in rows["alpha-police"]["assessment"]
    assert rows["delta-police"]["assessment"].endswith("Shared from Alpha Police")
    assert rows["beta-opcc"]["assessment"] == "None"


def test_the_list_links_each_business_and_shows_its_worst_tier(
    app: Flask, zephyr: dict[str, int]
) -> None:
    soup = page(as_user(app, COORDINATOR).get(f"{URL}?year=2024-25"))
    first = soup.select_one("table tbody tr")
    link = first.select_one("th a")
    assert link["href"] == f"{URL}/{zephyr['alpha']}?year=2024-25"
    assert first.select_one("[data-worst-tier]").get_text(strip=True) == "Tier A"
    assert first.select("td")[-1].get_text(strip=True) == "£91,234.68"
    # Three businesses: Zephyr's three records once, Solo Widgets and Other Thing.
    assert len(soup.select("table tbody tr")) == 3


@pytest.mark.parametrize("email", [COORDINATOR, BOARD])
def test_another_partnerships_supplier_answers_404(
    app: Flask, zephyr: dict[str, int], email: str
) -> None:
    client = as_user(app, email)
    assert client.get(f"{URL}/{zephyr['gamma']}").status_code == 404
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.get(f"/partnerships/elsewhere/suppliers/{zephyr['gamma']}").status_code == 404


def test_an_archived_supplier_answers_404(app: Flask, zephyr: dict[str, int]) -> None:
    with app.app_context():
        db.session.get(Supplier, zephyr["delta"]).archived_at = db.func.now()
        db.session.commit()
    client = as_user(app, COORDINATOR)
    assert client.get(f"{URL}/{zephyr['delta']}").status_code == 404
    assert list(body_rows(client.get(f"{URL}/{zephyr['alpha']}"))) == ["alpha-police", "beta-opcc"]


@pytest.mark.parametrize(
    "email",
    [
        "procurement.alpha-police@example.org",
        "viewer.alpha-police@example.org",
        "viewer.beta-opcc@example.org",
        "procurement.gamma-police@example.org",
    ],
)
def test_a_bodys_own_people_do_not_read_the_partnership_view(
    app: Flask, zephyr: dict[str, int], email: str
) -> None:
    # Body roles do not read the partnership (as for its list): it does not exist for them.
    assert as_user(app, email).get(f"{URL}/{zephyr['alpha']}").status_code == 404


def test_the_supplier_page_says_how_far_the_business_reaches(
    app: Flask, zephyr: dict[str, int]
) -> None:
    own = f"/organisations/alpha-police/suppliers/{zephyr['alpha']}"
    board = page(as_user(app, BOARD).get(own)).select_one("#across-partnership")
    assert board.get_text(" ", strip=True) == (
        "Across the partnership in 2024/25: 3 bodies, £91,234.68"
    )
    assert board.select_one("a")["href"] == f"{URL}/{zephyr['alpha']}?year=2024-25"
    lead = page(as_user(app, "procurement.alpha-police@example.org").get(own))
    line = lead.select_one("#across-partnership")
    assert line.get_text(" ", strip=True).startswith(
        "Across the partnership in 2024/25: 3 bodies paid this supplier."
    )
    assert line.select_one("a") is None and "£" not in line.get_text()
    solo = f"/organisations/alpha-police/suppliers/{zephyr['solo']}"
    assert page(as_user(app, BOARD).get(solo)).select_one("#across-partnership") is None


def test_the_board_counts_each_business_once_as_the_list_groups_them(
    app: Flask, zephyr: dict[str, int]
) -> None:
    client = as_user(app, BOARD)
    board = page(client.get("/partnerships/north-east/board?year=2024-25"))
    line = board.select_one("#distinct-suppliers")
    # Five records: Zephyr spelt three ways in three bodies (two by company number, one by
    # name), Solo Widgets and Other Thing; gamma-police's Zephyr is another partnership's.
    assert line.get_text(" ", strip=True).startswith(
        "3 distinct suppliers across the partnership in 2024/25, from 5 in the bodies' registers"
    )
    listed = page(client.get(f"{URL}?year=2024-25")).select("table tbody tr")
    assert len(listed) == 3
    assert line.select_one("a")["href"] == f"{URL}?year=2024-25"
    # Beta's Zephyr (£50,000.01, no category text, imported before any body decided) is the
    # one record over the threshold without a category.
    assert board.select_one("#needs-category strong").get_text(" ", strip=True) == (
        "1 of the bodies' suppliers over the threshold in 2024/25 has no category yet."
    )
    empty = page(client.get("/partnerships/north-east/board?year=2022-23"))
    assert empty.select_one("#needs-category") is None
    assert empty.select_one("#distinct-suppliers").get_text(" ", strip=True) == (
        "No supplier payments recorded across the partnership in 2022/23."
    )


def test_the_joint_statement_names_the_distinct_suppliers_as_a_live_figure(
    app: Flask, zephyr: dict[str, int]
) -> None:
    with app.app_context():
        statement = statements.create_statement(
            financial_year=2024,
            user=None,
            partnership=organisations.get_partnership(slug="north-east"),
        )
        db.session.commit()
        figures = statement_figures(statement=statement)
        together = figure_values(figures=figures)
        alpha = organisations.get_organisation(slug="alpha-police").id
        own = figure_values(figures=figures, organisation_id=alpha)
    assert together["distinct suppliers"] == "3"
    assert together["suppliers"] == "5"  # each body's records added up
    assert own["distinct suppliers"] == "2" and own["suppliers"] == "2"
    words = "We paid ((distinct suppliers)) distinct suppliers across the partnership."
    assert fill_figures(words, together) == ("We paid 3 distinct suppliers across the partnership.")
    assert "distinct_suppliers" in figures.as_json()
    assert figures.as_context()["distinct_suppliers"] == "3"


def test_two_companies_of_one_name_stay_apart_on_the_list_and_their_pages(
    app: Flask, zephyr: dict[str, int]
) -> None:
    import_payments(app, "alpha-police", Pay("Acme Ltd", "2024-05-01", "1.00", company="0111"))
    import_payments(app, "beta-opcc", Pay("Acme Ltd", "2024-05-01", "2.00"))
    import_payments(app, "delta-police", Pay("Acme Ltd", "2024-05-01", "4.00", company="0999"))
    client = as_user(app, COORDINATOR)
    listed = [
        tr.select("td")[-1].get_text(strip=True)
        for tr in page(client.get(f"{URL}?year=2024-25&q=acme")).select("table tbody tr")
    ]
    # Beta's record has no number: it joins the first Acme; 0999 is another company.
    assert listed == ["£4.00", "£3.00"]
    for slug, expected in (("beta-opcc", "£3.00"), ("delta-police", "£4.00")):
        shown = client.get(f"{URL}/{supplier_id(app, slug, 'Acme Ltd')}?year=2024-25")
        assert page(shown).select_one("[data-total]").get_text(strip=True) == expected
