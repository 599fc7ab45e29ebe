"""The demo on three days across a financial year: every page opens on a year with data,
says which, and shows a sensible mix of done, due and overdue work.

The demo is seeded once per day (`seed-demo --date`) and the app runs "on" that day (the
TODAY setting), so nothing here depends on the real date. Seeding is slow, so it is done once per
day: on SQLite each test gets a copy of its day's seeded file, on PostgreSQL a copy of its
day's seeded tables (tests.conftest.save_postgres_snapshot).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url

from tests.conftest import (
    database_file,
    database_url,
    empty_postgres_tables,
    make_app,
    page,
    restore_postgres_snapshot,
    save_postgres_snapshot,
    sign_in,
)
from tisc.extensions import db
from tisc.rules.years import FinancialYear

PASSWORD = "demo passphrase for tests"
# The first days of a year, its middle (the statement deadline), its last days.
DAYS = (date(2026, 4, 3), date(2026, 9, 30), date(2027, 3, 28))
BODIES = (
    "cleveland-police",
    "durham-opcc",
    "north-yorkshire-police",
    "west-yorkshire-police",
    "west-yorkshire-opcc",  # the body that has not started this year's plan
)

pytestmark = pytest.mark.slow


def _snapshot(day: date) -> str:
    return f"demo_{day:%Y%m%d}"


def _seed(app: Flask, day: date) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=DAYS, ids=[d.isoformat() for d in DAYS])
def seeded_day(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path | None,
) -> tuple[date, Path | None]:
    """The day, and (SQLite) a database file with the demo seeded on it, made once; on
    PostgreSQL the seeded tables are kept in a snapshot schema instead."""
    day: date = request.param
    if sqlite_template is None:
        app = make_app(SQLALCHEMY_DATABASE_URI=database_url(Path()), DEMO_PASSWORD=PASSWORD)
        with app.app_context():
            empty_postgres_tables()
        _seed(app, day)
        with app.app_context():
            save_postgres_snapshot(_snapshot(day))
            db.session.remove()
            db.engine.dispose()
        return day, None
    folder = tmp_path_factory.mktemp(f"demo-{day.isoformat()}")
    shutil.copyfile(sqlite_template, database_file(folder))
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(folder), DEMO_PASSWORD=PASSWORD)
    _seed(app, day)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return day, database_file(folder)


@pytest.fixture
def demo_day(app: Flask, seeded_day: tuple[date, Path | None]) -> date:
    """The test's app running on the demo's day, with the demo seeded on that day."""
    day, seeded = seeded_day
    app.config["DEMO_PASSWORD"] = PASSWORD
    app.config["TODAY"] = day.isoformat()
    if seeded is None:
        with app.app_context():
            restore_postgres_snapshot(_snapshot(day))
        return day
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.copyfile(seeded, Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database))
    return day


def _read_date(text: str) -> date:
    return datetime.strptime(text.strip(), "%d %B %Y").date()


def _note(soup) -> tuple[str, str]:
    note = soup.select_one("[data-year-note]")
    assert note is not None, "the page does not say which year it shows"
    return note["data-year-note"], " ".join(note.get_text().split())


def test_the_board_opens_on_this_year_with_work_done_due_and_overdue(
    client: FlaskClient, demo_day: date
) -> None:
    this = FinancialYear.containing(demo_day)
    sign_in(client, "board@example.org", PASSWORD)
    soup = page(client.get("/partnerships/north-east/board"))
    assert soup.select_one("h1").get_text(strip=True) == f"Board dashboard {this.label}"
    assert _note(soup) == (
        "latest",
        f"Showing {this.label}, the latest year with action plans.",
    )
    cells = soup.select("#matrix tbody td")
    words = " ".join(c.get_text(" ", strip=True) for c in cells)
    assert "Done" in words
    assert "In progress" in words or "Not started" in words
    overdue = sum(int(c.get_text(strip=True)) for c in soup.select("#matrix [data-overdue]"))
    assert overdue > 0
    # One body has not started this year's plan.
    assert "No plan" in words


def test_action_plans_open_on_a_year_with_a_plan_and_a_sensible_mix(
    client: FlaskClient, demo_day: date
) -> None:
    this = FinancialYear.containing(demo_day)
    done = due = overdue = 0
    for slug in BODIES:
        sign_in(client, f"viewer.{slug}@example.org", PASSWORD)
        soup = page(client.get(f"/organisations/{slug}/action-plan"))
        reason, words = _note(soup)
        rows = soup.select("tr[data-item]")
        assert rows, slug  # never an empty year
        shown = FinancialYear.parse(soup.select_one("h1").get_text().split()[-1])
        assert reason == "latest", (slug, words)
        assert words == f"Showing {shown.label}, the latest year with an action plan."
        # This year's plan, except for the body that has not started it.
        assert shown == (FinancialYear(this.start_year - 1) if slug == BODIES[-1] else this)
        for row in rows:
            status = row.select_one(".app-status").get_text(strip=True)
            due_on = _read_date(row.select("td")[2].select_one(".app-nowrap").get_text())
            if status == "Done":
                done += 1
            elif row.select_one(".app-overdue"):
                overdue += 1
                # Overdue by days or weeks, never by hundreds of days.
                assert 0 < (demo_day - due_on).days <= 90, (slug, due_on)
            else:
                due += 1
                assert due_on >= demo_day
        client.post("/sign-out")
    assert done and due and overdue, (done, due, overdue)


def test_the_register_and_due_diligence_open_on_the_latest_year_with_payments(
    client: FlaskClient, demo_day: date
) -> None:
    this = FinancialYear.containing(demo_day)
    sign_in(client, "viewer.west-yorkshire-police@example.org", PASSWORD)
    for url in ("suppliers", "due-diligence"):
        soup = page(client.get(f"/organisations/west-yorkshire-police/{url}"))
        assert _note(soup) == ("latest", f"Showing {this.label}, the latest year with payments.")
        selected = soup.select_one("select#year option[selected]")
        assert selected.get_text(strip=True) == this.label
        assert soup.select("tbody tr"), url


def test_an_empty_year_says_so_and_points_to_the_years_with_payments(
    client: FlaskClient, demo_day: date
) -> None:
    this = FinancialYear.containing(demo_day)
    later = FinancialYear(this.start_year + 1)
    sign_in(client, "viewer.west-yorkshire-police@example.org", PASSWORD)
    soup = page(client.get(f"/organisations/west-yorkshire-police/suppliers?year={later.slug}"))
    reason, words = _note(soup)
    assert reason == "empty"
    before = FinancialYear(this.start_year - 1)
    assert words == f"No payments in {later.label}. See {this.label} or {before.label}."
    link = soup.select_one("[data-year-note] a")
    assert client.get(link["href"]).status_code == 200
    assert f"year={this.slug}" in link["href"]


def test_the_statement_opens_on_last_year_and_is_never_long_overdue(
    client: FlaskClient, demo_day: date
) -> None:
    last = FinancialYear(FinancialYear.containing(demo_day).start_year - 1)
    sign_in(client, "viewer.durham-opcc@example.org", PASSWORD)
    soup = page(client.get("/organisations/durham-opcc/statement"))
    assert soup.select_one("h1").get_text(strip=True) == f"Modern slavery statement {last.label}"
    assert soup.select("section.app-statement")
    reason, words = _note(soup)
    assert reason == "current"
    assert words == f"Showing {last.label}, the last full financial year."
    text = " ".join(soup.get_text().split())
    assert "Overdue by" not in text
    assert " late" not in text  # published on time, by 30 September
    state = soup.select_one("section.app-statement .govuk-tag").get_text(strip=True)
    # Written in spring, published from September, when it is due.
    expected = "Draft" if demo_day.month in (4, 5, 6) else "Published"
    assert state == expected


def test_a_body_without_this_years_plan_sees_last_years_and_how_to_start_this_one(
    client: FlaskClient, demo_day: date
) -> None:
    this = FinancialYear.containing(demo_day)
    slug = BODIES[-1]
    sign_in(client, f"statement.{slug}@example.org", PASSWORD)
    soup = page(client.get(f"/organisations/{slug}/action-plan"))
    last = FinancialYear(this.start_year - 1)
    assert soup.select_one("h1").get_text(strip=True) == f"Action plan {last.label}"
    link = soup.select_one("#start-current a")
    assert link.get_text(strip=True) == f"start the {this.label} plan"
    target = page(client.get(link["href"]))
    assert target.select_one("#start-plan").get_text(strip=True) == f"Start the {this.label} plan"
    assert _note(target)[0] == "empty"


def test_the_invitation_outbox_shows_each_state_as_it_stands_on_the_day(
    client: FlaskClient, demo_day: date
) -> None:
    sign_in(client, "procurement.west-yorkshire-police@example.org", PASSWORD)
    soup = page(client.get("/organisations/west-yorkshire-police/invitations"))
    states = [tag.get_text(strip=True) for tag in soup.select("tbody .govuk-tag")]
    # One link of each kind; only the one made 33 days before the day has expired.
    assert states.count("Expired") == 1, states
    assert {"To send", "Sent", "Started by the supplier", "Accepted"} <= set(states), states
    spans = [s.get_text(strip=True) for s in soup.select("tbody .govuk-body-s")]
    sent = [_read_date(t.removeprefix("Sent")) for t in spans if t.startswith("Sent ")]
    assert sent and all(day <= demo_day for day in sent)


def test_reminders_of_at_least_four_kinds_are_due_and_sent_once(
    app: Flask, client: FlaskClient, demo_day: date
) -> None:
    dry = app.test_cli_runner().invoke(
        args=["send-reminders", "--date", demo_day.isoformat(), "--dry-run", "--json"]
    )
    assert dry.exit_code == 0, dry.output
    found = json.loads(dry.output)
    assert len(found["by_kind"]) >= 4, found
    assert found["sent"] == sum(found["by_kind"].values())
    app.config["MAIL_BACKEND"] = "log"
    args = ["send-reminders", "--date", demo_day.isoformat(), "--json"]
    assert json.loads(app.test_cli_runner().invoke(args=args).output) == found
    assert json.loads(app.test_cli_runner().invoke(args=args).output)["sent"] == 0
    sign_in(client, "procurement.west-yorkshire-police@example.org", PASSWORD)
    rows = page(client.get("/tasks")).select("tbody tr")
    assert rows and all("West Yorkshire Police" in row.get_text() for row in rows)
