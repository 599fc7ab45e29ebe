"""The board dashboard at a glance: the one-line summary (each number a count from the
database), the heat-map's colours and words, its legend and links, the quarter trend from the
actions' history, and the KPIs against target with their direction in words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import page
from tests.integration.board_support import BOARD, RED_RISK, YEAR, build_board, item_id
from tests.integration.register_support import as_user
from tisc.config import ROOT
from tisc.extensions import db
from tisc.models import ActionPlan, ItemStatus, Organisation, PlanItem, ProgressUpdate, Rag
from tisc.rules.board import LEGEND, RAG_COLOURS


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_board(app)


def _count(app: Flask, year: int, *conditions) -> int:
    """Actions in the year's plans of north-east's bodies meeting the conditions."""
    with app.app_context():
        return db.session.scalar(
            select(func.count(PlanItem.id))
            .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
            .join(Organisation, Organisation.id == ActionPlan.organisation_id)
            .where(
                ActionPlan.financial_year == year,
                Organisation.slug.in_(["alpha-police", "beta-opcc"]),
                *conditions,
            )
        )


def test_the_summary_says_what_the_database_holds(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    summary = soup.select_one("#summary").get_text(" ", strip=True)
    # The summary is the first thing under the heading.
    assert soup.select_one("h1").find_next("p")["id"] == "summary"
    found = re.fullmatch(r"(\d+) actions? overdue, (\d+) red; every body has a plan\.", summary)
    assert found, summary
    today = date.today()
    overdue = _count(app, YEAR, PlanItem.due_date < today, PlanItem.status != ItemStatus.DONE)
    red = _count(app, YEAR, PlanItem.rag == Rag.RED)
    assert (int(found.group(1)), int(found.group(2))) == (overdue, red) == (2, 2)


def test_the_summary_names_a_body_without_a_plan(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(f"{BOARD}?year=2023-24"))
    summary = soup.select_one("#summary").get_text(" ", strip=True)
    red = _count(app, YEAR - 1, PlanItem.rag == Rag.RED)
    assert summary == f"0 actions overdue, {red} red; Alpha Police has no plan."


def test_each_cell_is_coloured_and_worded_and_links_to_its_action(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    cells = soup.select("#matrix tbody td[data-commitment]")
    assert len(cells) == 2 * 6
    words = {"red": "Red", "amber": "Amber", "green": "Green"}
    for cell in cells:
        rag = cell["data-rag"]
        assert f"app-heat--{rag}" in cell["class"]
        link = cell.select_one("a")
        if rag == "none":
            assert link is None
            assert cell.get_text(strip=True) in ("No plan", "No action")
        else:
            assert link.contents[0].strip() == words[rag]
            assert "/action-plan/items/" in link["href"]
    first = soup.select_one("#matrix tbody tr td[data-commitment='1'] a")
    assert first["href"].endswith(f"/items/{item_id(app, RED_RISK)}")
    # The legend explains every word a cell may say, beside its colour.
    legend = {
        li["data-word"]: li.get_text(" ", strip=True) for li in soup.select("#heat-legend li")
    }
    assert set(legend) == {"Red", "Amber", "Green", "No plan", "No action"}
    assert legend["No action"].startswith("No action : the body's plan has no action")
    assert legend["No plan"].startswith("No plan : the body has no action plan")


def test_the_stylesheet_fills_cells_with_the_rules_colours() -> None:
    css = (ROOT / "tisc" / "static" / "app.css").read_text(encoding="utf-8")
    for rag, (fill, ink) in RAG_COLOURS.items():
        name = rag.value if rag else "none"
        rule = re.search(rf"\.app-heat--{name} {{ background: (#\w+); color: (#\w+); }}", css)
        assert rule and rule.groups() == (fill, ink), name
    assert [word for _, word, _ in LEGEND] == ["Red", "Amber", "Green", "No plan", "No action"]


def test_the_heat_map_scrolls_inside_its_own_region(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    region = soup.select_one("#matrix").parent
    assert "app-table-scroll" in region["class"]
    assert region["role"] == "region" and region["tabindex"] == "0"
    assert region["aria-labelledby"] == "matrix-caption"


def _update(item: PlanItem, day: date, rag: Rag) -> None:
    item.updates.append(
        ProgressUpdate(
            at=datetime(day.year, day.month, day.day, 23, 0, tzinfo=UTC),
            note="Progress",
            status=ItemStatus.IN_PROGRESS,
            rag=rag,
        )
    )


def test_the_quarter_trend_counts_the_ratings_history(app: Flask, year: None) -> None:
    risk_id, mapping_id = item_id(app, RED_RISK), item_id(app, "Map tier 2")
    with app.app_context():
        risk = db.session.get(PlanItem, risk_id)
        mapping = db.session.get(PlanItem, mapping_id)
        _update(risk, date(2024, 5, 1), Rag.AMBER)
        _update(risk, date(2024, 8, 1), Rag.RED)
        _update(mapping, date(2024, 6, 30), Rag.GREEN)  # Q1's last day: counts in Q1
        _update(mapping, date(2024, 10, 1), Rag.AMBER)  # Q3's first day
        db.session.commit()
    soup = page(as_user(app, "board@example.org").get(BOARD))
    rows = {
        tr.th.get_text(strip=True): [int(tr.select_one(f"[data-rag={r}]").text) for r in RAGS]
        for tr in soup.select("#trend-table tbody tr")
    }
    # Every other action has no update: it counts from its creation (today, after 2024/25).
    assert rows == {"Q1": [0, 1, 1], "Q2": [1, 0, 1], "Q3": [1, 1, 0], "Q4": [1, 1, 0]}
    chart = soup.select_one("#trend-chart")
    assert chart["role"] == "img"
    assert chart.title.get_text() and "Q2: 1 red, 0 amber, 1 green" in chart.desc.get_text()
    bars = {
        (g["data-quarter"], g["data-rag"]): int(g["data-count"])
        for g in chart.select("g.app-rag-trend__bar")
    }
    assert bars[("3", "amber")] == 1 and bars[("1", "red")] == 0 and len(bars) == 12


RAGS = ("red", "amber", "green")


def test_kpis_against_target_say_the_direction_in_words(app: Flask, year: None) -> None:
    with app.app_context():
        from tisc.models import Commitment

        trained = db.session.scalar(select(Commitment).where(Commitment.kpi_key == "trained"))
        if trained is None:
            pytest.skip("no commitment measures training")
        trained.target_percent = 90
        db.session.commit()
    soup = page(as_user(app, "board@example.org").get(BOARD))
    row = soup.select_one("#kpi-targets tr[data-kpi='trained']")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    # Alpha 80 of 100 (beta's 9 of 10 has no last year: the total adds both): 89 of 110.
    assert cells[0] == "89 of 110 (80.9%)"
    assert cells[1] == "90%" and cells[2] == "9.1 points below target"
    assert cells[3] == "50 of 100 (50.0%)"
    direction = row.select_one("[data-direction]")
    assert direction.select_one("[aria-hidden=true]").get_text(strip=True) == "\u2191"
    assert cells[4] == "\u2191 Up 30.9 points"
