"""Risk beyond Tier 1 on the pages: a sub-supplier's findings on its supplier's due-diligence
page, and the category-by-country heat-map on a body's due-diligence page (its own entries only)
and on the board (the partnership's, no one else's), its table agreeing with its chart.

The year is due_diligence_support's: alpha-police's Clean A1 Ltd has Cloth Mill Ltd (Bangladesh,
counted), Clean A2 Ltd has Draft Chemicals Ltd (China, from a draft assessment: not counted);
beta-opcc's Beta Clean Ltd has Beta Mill Ltd (Bangladesh). Here alpha adds gloves from Malaysia
and two entries from the UK written two ways, and gamma-police (another partnership) one more.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from tests.conftest import page
from tests.integration.due_diligence_support import SLUG, A, add_sub, build_year
from tests.integration.register_support import (
    CLEANING_TEXT,
    Pay,
    as_user,
    import_payments,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import Supplier

BOARD = "/partnerships/north-east/board"
GLOVES = "US DoL 2024 list: rubber gloves from Malaysia — forced labour"


def category_of(app: Flask, org_slug: str, name: str) -> str:
    sid = supplier_id(app, org_slug, name)
    with app.app_context():
        return db.session.get(Supplier, sid).category.name


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_year(app)
    add_sub(
        app, "alpha-police", "Clean A3 Ltd", "Glove Works Sdn Bhd", "Malaysia", "nitrile gloves"
    )
    add_sub(app, "alpha-police", "Clean A3 Ltd", "Mop Makers Ltd", "UK", "mop heads")
    add_sub(app, "alpha-police", "Hotel B Ltd", "Linen Co", "England", "bed linen")
    import_payments(
        app, "gamma-police", Pay("Gamma Clean Ltd", "2024-05-01", "90000.00", CLEANING_TEXT)
    )
    add_sub(app, "gamma-police", "Gamma Clean Ltd", "Far Gloves", "Malaysia", "gloves")


def cells(soup: BeautifulSoup, prefix: str) -> tuple[dict, dict]:
    """(the chart's cells, the table's cells): (row, column) -> (count, flagged, shown text)."""
    chart = {
        (g["data-row"], g["data-column"]): (
            int(g["data-count"]),
            int(g["data-flagged"]),
            g.select_one("text").get_text(strip=True),
        )
        for g in soup.select(f"svg#{prefix} g.app-heat-map__cell")
    }
    table = {
        (td["data-row"], td["data-column"]): (
            int(td["data-count"]),
            int(td["data-flagged"]),
            td.get_text(" ", strip=True).split(" ")[0],
        )
        for td in soup.select(f"table#{prefix}-table td[data-row]")
    }
    return chart, table


def test_nitrile_gloves_from_malaysia_show_the_dol_finding_on_the_page(
    app: Flask, year: None
) -> None:
    sid = supplier_id(app, "alpha-police", "Clean A3 Ltd")
    soup = page(
        as_user(app, "viewer.alpha-police@example.org").get(
            f"{A}/suppliers/{sid}/due-diligence/{SLUG}"
        )
    )
    rows = {
        tr.select_one("th").get_text(strip=True): tr
        for tr in soup.select("#sub-suppliers tbody tr")
    }
    gloves = rows["Glove Works Sdn Bhd"].select(".app-finding")
    assert [f.select_one(".govuk-tag").get_text(strip=True) for f in gloves] == [
        "Forced labour risk",
        "Higher-risk commodity",
    ]
    assert "govuk-tag--red" in gloves[0].select_one(".govuk-tag")["class"]
    assert gloves[0].select_one(".app-finding__reason").get_text(strip=True) == GLOVES
    assert gloves[1].select_one(".app-finding__reason").get_text(strip=True) == (
        "PPN 009 names personal protective equipment as a higher-risk commodity (‘nitrile gloves’)"
    )
    mops = rows["Mop Makers Ltd"].select_one(".app-goods-risk")
    assert mops.get_text(" ", strip=True) == "None on the lists"


def test_a_body_counts_only_its_own_counted_entries(app: Flask, year: None) -> None:
    cleaning = category_of(app, "alpha-police", "Clean A1 Ltd")
    hotels = category_of(app, "alpha-police", "Hotel B Ltd")
    soup = page(
        as_user(app, "viewer.alpha-police@example.org").get(f"{A}/due-diligence?year={SLUG}")
    )
    chart, table = cells(soup, "dd-heat-map")
    # Beta's Beta Mill Ltd (Bangladesh, cleaning) is not alpha's; the draft's is not counted.
    assert {key: value[:2] for key, value in table.items() if value[0]} == {
        (cleaning, "Bangladesh"): (1, 0),
        (cleaning, "Malaysia"): (1, 1),
        (cleaning, "United Kingdom"): (1, 0),
        (hotels, "United Kingdom"): (1, 0),
    }
    assert soup.select_one("#dd-heat-map-total").get_text(strip=True) == "4"
    assert table[(hotels, "Malaysia")][:2] == (0, 0)
    assert "China" not in [th.get_text(strip=True) for th in soup.select("#dd-heat-map-table th")]
    assert chart == table


def test_beta_sees_only_its_own_entry(app: Flask, year: None) -> None:
    soup = page(
        as_user(app, "viewer.beta-opcc@example.org").get(
            f"/organisations/beta-opcc/due-diligence?year={SLUG}"
        )
    )
    chart, table = cells(soup, "dd-heat-map")
    cleaning = category_of(app, "beta-opcc", "Beta Clean Ltd")
    assert {k: v[:2] for k, v in table.items() if v[0]} == {(cleaning, "Bangladesh"): (1, 0)}
    assert chart == table


def test_the_board_counts_the_partnerships_entries_to_the_number(app: Flask, year: None) -> None:
    cleaning = category_of(app, "alpha-police", "Clean A1 Ltd")
    hotels = category_of(app, "alpha-police", "Hotel B Ltd")
    soup = page(as_user(app, "board@example.org").get(f"{BOARD}?year={SLUG}"))
    chart, table = cells(soup, "board-heat-map")
    # Alpha's and beta's; gamma-police's gloves are another partnership's.
    assert {k: v[:2] for k, v in table.items() if v[0]} == {
        (cleaning, "Bangladesh"): (2, 0),
        (cleaning, "Malaysia"): (1, 1),
        (cleaning, "United Kingdom"): (1, 0),
        (hotels, "United Kingdom"): (1, 0),
    }
    assert soup.select_one("#board-heat-map-total").get_text(strip=True) == "5"
    svg = soup.select_one("svg#board-heat-map")
    assert svg["role"] == "img"
    assert svg.select_one("title").get_text(strip=True).startswith("The partnership’s")
    assert "5 entries" in svg.select_one("desc").get_text()
    assert "1 on the US DoL list" in svg.select_one("desc").get_text()
    assert chart == table


def test_the_table_alternative_shows_the_charts_numbers(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(f"{BOARD}?year={SLUG}"))
    chart, table = cells(soup, "board-heat-map")
    assert chart.keys() == table.keys()
    for key, (count, flagged, shown) in chart.items():
        assert shown == str(count) == table[key][2]
        assert table[key][:2] == (count, flagged)
    # Flagged cells are marked in both.
    flagged = [k for k, v in chart.items() if v[1]]
    assert len(flagged) == 1
    row, column = flagged[0]
    g = soup.select_one(f'svg#board-heat-map g[data-row="{row}"][data-column="{column}"]')
    assert g.select_one("path") is not None
    assert "1 flagged" in soup.select_one(
        f'table#board-heat-map-table td[data-row="{row}"][data-column="{column}"]'
    ).get_text(" ", strip=True)


def test_a_year_without_sub_suppliers_says_so(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(f"{BOARD}?year=2023-24"))
    assert soup.select_one("svg#board-heat-map") is None
    assert soup.select_one("#board-heat-map-empty") is not None
