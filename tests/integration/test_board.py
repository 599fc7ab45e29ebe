"""The board dashboard: the matrix of bodies by commitment, overdue counts, RAG bars, KPIs
against last year, drill-down links, and a board role that reads everything and changes
nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from tests.conftest import page
from tests.integration.board_support import (
    BOARD,
    RED_RISK,
    SLUG,
    YEAR,
    build_board,
    item_id,
    row_counts,
)
from tests.integration.register_support import as_user
from tisc.rules.kpis import KPIS, total
from tisc.services.accounts import organisations
from tisc.services.board.dashboard import bar_width, change_text
from tisc.services.plans.kpis import body_kpis
from tisc.web.access import access_rule_of

HEADINGS = [
    "Body",
    "1. Risk at start",
    "2. Beyond tier 1",
    "3. Staff engagement",
    "4. Contract management",
    "5. Awareness",
    "6. Guidance",
    "Overdue actions",
    "Own actions",
]
MATRIX = {
    "Alpha Police": [
        "Red In progress Overdue 2 actions",
        "Amber Not started",
        "Green Done",
        "No action",
        "No action",
        "No action",
        "2",
        "1",
    ],
    "Beta Opcc": [
        "Green In progress",
        "Red Blocked",
        "No action",
        "No action",
        "No action",
        "No action",
        "0",
        "0",
    ],
}


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_board(app)


def visible(element) -> str:
    """An element's text as seen on screen: visually hidden words left out."""
    copy = BeautifulSoup(str(element), "html.parser")
    for hidden in copy.select(".govuk-visually-hidden"):
        hidden.decompose()
    return " ".join(copy.get_text(" ", strip=True).split())


def matrix(soup: BeautifulSoup) -> dict[str, list[str]]:
    return {
        visible(tr.th): [visible(td) for td in tr.find_all("td")]
        for tr in soup.select("#matrix tbody tr")
    }


def test_the_matrix_shows_each_body_on_each_active_commitment(app: Flask, year: None) -> None:
    response = as_user(app, "board@example.org").get(BOARD)
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Board dashboard 2024/25"  # the newest year
    # Years with plans (beta's 2023/24) or spend (2024/25).
    assert [o.text for o in soup.select("#year option")] == ["2024/25", "2023/24"]
    table = soup.select_one("#matrix")
    assert "Member bodies by joint commitment, 2024/25" in table.caption.get_text()
    headers = table.select("thead th")
    assert [visible(th) for th in headers] == HEADINGS
    assert {th["scope"] for th in headers} == {"col"}
    assert {th["scope"] for th in table.select("tbody th")} == {"row"}
    assert matrix(soup) == MATRIX
    # The RAG is in words inside a cell filled with its colour, so it reads without colour.
    red = table.select_one("tbody tr td.app-heat--red")
    assert visible(red.select_one("a")) == "Red"
    assert soup.select_one("#overdue-total").get_text(strip=True) == (
        "2 actions are overdue across the partnership."
    )
    listed = [li.get_text(strip=True) for li in soup.select("#commitments li")]
    assert len(listed) == 6 and listed[1].startswith("Beyond tier 1: High-risk purchases")


def test_a_body_without_a_plan_that_year_reads_no_plan(app: Flask, year: None) -> None:
    soup = page(as_user(app, "coordinator@example.org").get(f"{BOARD}?year=2023-24"))
    found = matrix(soup)
    assert found["Alpha Police"] == ["No plan"] * 6 + ["0", "0"]
    assert found["Beta Opcc"] == ["Amber Done"] + ["No action"] * 5 + ["0", "0"]
    assert as_user(app, "board@example.org").get(f"{BOARD}?year=soon").status_code == 404


def test_overdue_means_past_due_and_not_done(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    overdue = {
        visible(tr.th): tr.select_one("[data-overdue]").text
        for tr in soup.select("#matrix tbody tr")
    }
    # Alpha: red in progress due yesterday, own action blocked 10 days ago. Not: done due
    # yesterday, not started due today. Beta: due tomorrow, and no due date.
    assert overdue == {"Alpha Police": "2", "Beta Opcc": "0"}


def test_a_cell_drills_down_to_the_worst_item(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    first = soup.select_one("#matrix tbody tr td[data-commitment='1'] a")
    assert (
        first["href"] == f"/organisations/alpha-police/action-plan/items/{item_id(app, RED_RISK)}"
    )
    assert visible(first) == "Red"
    assert first.select_one(".govuk-visually-hidden").get_text(strip=True) == (
        "for Alpha Police on 1. Risk at start"
    )
    links = [a["href"] for a in soup.select("#matrix td a")]
    expected = [
        ("alpha-police", RED_RISK),
        ("alpha-police", "Map tier 2"),
        ("alpha-police", "Plans received"),
        ("beta-opcc", "Beta risk"),
        ("beta-opcc", "Beta mapping"),
    ]
    assert links == [
        f"/organisations/{slug}/action-plan/items/{item_id(app, title)}" for slug, title in expected
    ]


def test_the_board_can_follow_a_drill_down_to_the_item(app: Flask, year: None) -> None:
    if "plans.item" not in app.view_functions:
        pytest.skip("the action-plan pages are not registered yet")
    client = as_user(app, "board@example.org")
    href = page(client.get(BOARD)).select_one("#matrix td a")["href"]
    response = client.get(href)
    assert response.status_code == 200
    assert RED_RISK in page(response).get_text()
    # Gamma's item is in another partnership: not even the board sees it.
    assert (
        client.get(
            f"/organisations/gamma-police/action-plan/items/{item_id(app, 'Gamma secret')}"
        ).status_code
        == 404
    )


def test_rag_counts_have_numbers_and_bars_sized_by_them(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    rows = soup.select("#rag-counts tbody tr")
    counts = [[visible(tr.th)] + [visible(td) for td in tr.find_all("td")] for tr in rows]
    assert counts[:3] == [
        ["1. Risk at start", "1", "0", "1", "0"],
        ["2. Beyond tier 1", "1", "1", "0", "0"],
        ["3. Staff engagement", "0", "0", "1", "1"],
    ]
    # Red 1 of 2 bodies, amber 0 of 2, green 1 of 2.
    bars = [bar["class"][-1] for bar in rows[0].select(".app-bar")]
    assert bars == ["app-bar--w50", "app-bar--w0", "app-bar--w50"]
    assert all(bar["aria-hidden"] == "true" for bar in soup.select(".app-bar"))
    # No inline styles (blocked by the CSP), no canvas, no script on the page.
    assert not soup.select("main [style], canvas, main script")
    css = (Path(app.static_folder) / "app.css").read_text()
    for width in range(0, 101, 5):
        assert f".app-bar--w{width} {{ width: {width}%; }}" in css


def test_the_kpi_total_is_the_sum_of_the_bodies(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    shown = {
        visible(tr.th): {td["data-kpi"]: td for td in tr.find_all("td")}
        for tr in soup.select("#kpis tbody tr")
    }
    assert list(shown) == ["Alpha Police", "Beta Opcc", "Partnership total"]
    with app.app_context():
        bodies = [
            body_kpis(org=organisations.get_organisation(slug=slug), financial_year=YEAR)
            for slug in ("alpha-police", "beta-opcc")
        ]
    for definition in KPIS:
        values = [b[definition.key] for b in bodies]
        summed = total(values)
        assert summed.part == sum(v.part for v in values if v.has_data)
        assert summed.whole == sum(v.whole for v in values if v.has_data)
        cell = shown["Partnership total"][definition.key]
        assert cell.select_one(".app-kpi-value").text == summed.text
        for name, value in zip(["Alpha Police", "Beta Opcc"], values, strict=True):
            assert shown[name][definition.key].select_one(".app-kpi-value").text == value.text
    trained = {name: cells["trained"] for name, cells in shown.items()}
    assert visible(trained["Alpha Police"]) == "80 of 100 (80.0%) Change: +30.0 points"
    assert visible(trained["Beta Opcc"]) == "9 of 10 (90.0%) Change: No data"
    assert visible(trained["Partnership total"]) == "89 of 110 (80.9%) Change: +30.9 points"
    # Spend and due diligence exist only this year: no change to show.
    assert shown["Partnership total"]["assessed"].select_one(".app-kpi-change").text == "No data"


def test_gamma_police_never_appears(app: Flask, year: None) -> None:
    text = as_user(app, "board@example.org").get(BOARD).get_data(as_text=True)
    assert "Gamma" not in text and "gamma" not in text


def _example(rule, values: dict[str, str]) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: values.get(m[1], "1"), rule.rule)


WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Not the partnership's data: signing in and out, the user's own password, and supplier links.
OWN_ACCOUNT = {"auth.sign_in", "auth.sign_out", "auth.change_password"}


def test_the_board_changes_nothing_on_any_route(app: Flask, year: None) -> None:
    client = as_user(app, "board@example.org")
    values = {
        "org_slug": "alpha-police",
        "partnership_slug": "north-east",
        "item_id": str(item_id(app, RED_RISK)),
        "year_slug": SLUG,
        "file_format": "xlsx",
        "filename": "app.css",
    }
    before = row_counts(app)
    refused = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OWN_ACCOUNT:
            continue
        if access_rule_of(app.view_functions[rule.endpoint]) in ("public", "invitation_link"):
            continue
        url = _example(rule, values)
        for method in sorted(WRITES):
            response = client.open(url, method=method, data={"version": "1", "name": "x"})
            # Another rule may share the address and take the method, so any refusal will do.
            assert response.status_code in {403, 404, 405}, (method, rule.rule)
            refused.append(response.status_code)
    assert refused.count(403) >= 10  # not vacuous: the rules themselves refused
    assert row_counts(app) == before
    board_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("board.")]
    assert {r.endpoint for r in board_rules} == {"board.dashboard", "board.report", "board.keep"}
    # Keeping a pack's figures is a coordinator's (the walk above saw the board refused).
    reading = [r for r in board_rules if r.endpoint != "board.keep"]
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in reading)
    assert access_rule_of(app.view_functions["board.keep"]) == "partnership:edit_joint"


def test_the_board_reads_every_body_and_sees_no_edit_links(app: Flask, year: None) -> None:
    client = as_user(app, "board@example.org")
    soup = page(client.get(BOARD))
    forms = soup.select("main form")
    assert forms and all(f.get("method", "get").lower() == "get" for f in forms)
    hrefs = [a["href"] for a in soup.select("main a")]
    assert not [h for h in hrefs if re.search(r"/(edit|new|remove|upload|import)\b", h)]
    for slug in ("alpha-police", "beta-opcc"):
        assert client.get(f"/organisations/{slug}").status_code == 200
    assert client.get("/organisations/gamma-police").status_code == 404
    nav = {a.get_text(strip=True): a for a in soup.select(".govuk-service-navigation__link")}
    assert nav["Board"]["href"] == BOARD
    active = soup.select(".govuk-service-navigation__item--active a")
    assert [a.get_text(strip=True) for a in active] == ["Board"]


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("coordinator@example.org", 200),
        ("board@example.org", 200),
        ("procurement.alpha-police@example.org", 404),
        ("statement.beta-opcc@example.org", 404),
        ("viewer.alpha-police@example.org", 404),
        ("admin@example.org", 404),
    ],
)
def test_only_the_partnership_reads_the_board(
    app: Flask, year: None, email: str, status: int
) -> None:
    client = as_user(app, email)
    assert client.get(BOARD).status_code == status
    assert client.get(f"{BOARD}/report.docx?year={SLUG}").status_code == status
    assert client.get(f"{BOARD}/report.xlsx?year={SLUG}").status_code == status


def test_another_partnership_answers_404(app: Flask, year: None) -> None:
    client = as_user(app, "board@example.org")
    assert client.get("/partnerships/elsewhere/board").status_code == 404
    assert client.get("/partnerships/nowhere/board").status_code == 404


def test_the_download_links_carry_the_year_and_date(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    links = [a["href"] for a in soup.select("#downloads a")]
    assert [link.split("?")[0] for link in links] == [
        f"{BOARD}/report.docx",
        f"{BOARD}/report.xlsx",
    ]
    assert all(f"year={SLUG}" in link and "date=" in link for link in links)


def test_a_year_without_anything_shows_the_current_year(app: Flask, two_bodies: dict) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    assert soup.h1.get_text(strip=True).startswith("Board dashboard 20")
    assert matrix(soup)["Alpha Police"] == ["No plan"] * 7 + ["0", "0"]


def test_bar_widths_and_change_words() -> None:
    assert [bar_width(n, 14) for n in (0, 1, 7, 13, 14)] == [0, 5, 50, 95, 100]
    assert bar_width(1, 0) == 0
    assert change_text(Decimal("12.5")) == "+12.5 points"
    assert change_text(Decimal("-3.0")) == "\u22123.0 points"  # a true minus sign
    assert change_text(Decimal("0.0")) == "No change"
    assert change_text(None) == "No data"
