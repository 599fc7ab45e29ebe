"""Board packs kept with their date, and "since the last board": the first pack says there is
nothing to compare with; a pack after a kept one names the ratings that moved, the actions
closed and those newly overdue, against the kept snapshot."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import page
from tests.integration.board_support import BOARD, RED_RISK, SLUG, build_board, item_id
from tests.integration.register_support import as_user
from tisc.extensions import db
from tisc.models import BoardPack, ItemStatus, PlanItem, Rag
from tisc.rules.years import long_date

FIRST = "No earlier board pack is kept for 2024/25, so there is nothing to compare with yet."


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_board(app)


def since_in_pack(app: Flask, day: date) -> list[str]:
    """The bullets under "Since the last board" in the pack dated `day`."""
    response = as_user(app, "board@example.org").get(
        f"{BOARD}/report.docx?year={SLUG}&date={day.isoformat()}"
    )
    assert response.status_code == 200
    paragraphs = docx.Document(io.BytesIO(response.data)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Since the last board")
    lines = []
    for paragraph in paragraphs[start + 1 :]:
        if paragraph.style.name.startswith("Heading"):
            break
        if paragraph.text.strip():
            lines.append(paragraph.text)
    return lines


def packs(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(BoardPack.id)))


def test_a_pack_with_none_kept_before_says_so(app: Flask, year: None) -> None:
    assert since_in_pack(app, date.today()) == [FIRST]
    soup = page(as_user(app, "board@example.org").get(BOARD))
    assert [li.get_text(strip=True) for li in soup.select("#since-lines li")] == [FIRST]
    # The board reads; only coordinators keep a pack.
    assert soup.select_one("#keep-pack") is None
    assert packs(app) == 0


def test_the_next_pack_compares_with_the_kept_one(app: Flask, year: None) -> None:
    today = date.today()
    coordinator = as_user(app, "coordinator@example.org")
    form = page(coordinator.get(BOARD)).select_one("#keep-pack").find_parent("form")
    response = coordinator.post(
        form["action"], data={"csrf_token": form.select_one("[name=csrf_token]")["value"]}
    )
    assert response.status_code == 302 and response.location.endswith("#since")
    assert packs(app) == 1
    with app.app_context():
        kept = db.session.scalars(select(BoardPack)).one()
        assert (kept.financial_year, kept.report_date) == (2024, today)
        assert kept.created_by_name
    # A pack dated the same day compares with none before it.
    assert since_in_pack(app, today) == [FIRST]

    risk, mapping = item_id(app, RED_RISK), item_id(app, "Map tier 2")
    with app.app_context():
        done = db.session.get(PlanItem, risk)
        done.status, done.rag, done.rag_reason = ItemStatus.DONE, Rag.GREEN, None
        db.session.get(PlanItem, mapping).rag = Rag.RED
        db.session.commit()
    later = today + timedelta(days=2)
    assert since_in_pack(app, later) == [
        f"Since the board pack of {long_date(today)}: 2 ratings moved (1 worse, 1 better), "
        "1 action closed, 2 newly overdue.",
        "Worse: Alpha Police on 2. Beyond tier 1 (Amber to Red).",
        "Better: Alpha Police on 1. Risk at start (Red to Green).",
        f"Closed: Alpha Police: {RED_RISK}.",
        # Due today and tomorrow: overdue by the pack's date, and not at the last board.
        "Newly overdue: Alpha Police: Map tier 2; Beta Opcc: Beta risk.",
    ]
    # Reading the pack kept nothing more.
    assert packs(app) == 1
    soup = page(as_user(app, "coordinator@example.org").get(BOARD))
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#packs tbody tr")
    ]
    assert len(rows) == 1 and rows[0][0] == f"{today.day} {today:%B %Y}"


def test_the_board_cannot_keep_a_pack(app: Flask, year: None) -> None:
    client = as_user(app, "board@example.org")
    assert client.post(f"{BOARD}/packs?year={SLUG}").status_code in (400, 403)
    assert packs(app) == 0


def test_the_command_line_keeps_a_pack_when_asked(app: Flask, year: None, tmp_path) -> None:
    today = date.today()
    out = tmp_path / "pack.docx"
    args = ["board-report", "--year", SLUG, "--partnership", "north-east", "--out", str(out)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert packs(app) == 0  # without --keep, nothing is kept
    result = app.test_cli_runner().invoke(args=[*args, "--keep"])
    assert result.exit_code == 0, result.output
    assert f"Kept the figures of the pack dated {today.isoformat()}" in result.output
    with app.app_context():
        kept = db.session.scalars(select(BoardPack)).one()
        assert kept.created_by_name == "command line: board-report"
    later = since_in_pack(app, today + timedelta(days=2))
    assert later[0].startswith(f"Since the board pack of {long_date(today)}: 0 ratings moved")
