"""Training records: recording, validation at the limits, the totals and KPI they feed,
conflicts, removal with confirmation, and access."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.plan_support import (
    STATEMENT,
    A,
    add_training,
    kpi_table,
    snapshot,
    training_rows,
)
from tests.integration.register_support import as_user, banner, error_messages, main_text

GOOD = {
    "audience": "all_staff",
    "course": "Modern slavery awareness (e-learning)",
    "delivered_on": ["30", "9", "2025"],
    "staff_in_scope": "1,200",
    "staff_trained": "950",
    "version": "",
}


@pytest.fixture
def client(app: Flask, two_bodies: dict):
    return as_user(app, STATEMENT)


def test_recording_training_lists_it_and_moves_the_kpi(app: Flask, client) -> None:
    response = client.post(f"{A}/training/new?year=2025-26", data=GOOD, follow_redirects=True)
    assert banner(response) == "The training record has been saved in 2025/26"
    assert training_rows(app, "alpha-police") == [
        (2025, "Modern slavery awareness (e-learning)", 1200, 950)
    ]
    html = page(response)
    assert html.select_one("#trained-kpi").get_text(strip=True) == "950 of 1,200 (79.2%)"
    row = html.select_one("#training tbody tr")
    assert [c.get_text(strip=True) for c in row.select("th, td")][:5] == [
        "Modern slavery awareness (e-learning)",
        "All staff",
        "30 September 2025",
        "1,200",
        "950",
    ]
    plan = kpi_table(client.get(f"{A}/action-plan?year=2025-26"))
    assert plan["trained"][0] == "950 of 1,200 (79.2%)"


def test_the_kpi_counts_staff_not_suppliers_and_all_staff_when_recorded(app: Flask, client) -> None:
    add_training(app, "alpha-police", 2025, "procurement", 20, 18)
    add_training(app, "alpha-police", 2025, "front_line", 300, 150)
    add_training(app, "alpha-police", 2025, "suppliers", 40, 40)
    html = page(client.get(f"{A}/training?year=2025-26"))
    assert html.select_one("#trained-kpi").get_text(strip=True) == "168 of 320 (52.5%)"
    totals = [td.get_text(strip=True) for td in html.select("#training-totals td")]
    assert totals[:2] == ["320", "168"]
    add_training(app, "alpha-police", 2025, "all_staff", 1000, 600)
    html = page(client.get(f"{A}/training?year=2025-26"))
    assert html.select_one("#trained-kpi").get_text(strip=True) == "600 of 1,000 (60.0%)"


def test_a_year_without_training_reads_no_data(app: Flask, client) -> None:
    response = client.get(f"{A}/training?year=2024-25")
    assert page(response).select_one("#trained-kpi").get_text(strip=True) == "No data"
    assert "No training is recorded for 2024/25." in main_text(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"staff_trained": "1,201"},
            "The number of people trained cannot be more than the number in scope",
        ),
        (
            {"staff_in_scope": "-1", "staff_trained": "0"},
            "The number of people in scope cannot be negative",
        ),
        (
            {"staff_trained": "9.5"},
            "Enter the number of people trained as a whole number, like 950",
        ),
        (
            {"staff_in_scope": "lots"},
            "Enter the number of people in scope as a whole number, like 1200",
        ),
        ({"staff_in_scope": ""}, "Enter the number of people in scope"),
        ({"course": "  "}, "Enter the name of the course"),
        ({"audience": "cats"}, "Select who the training was for"),
        (
            {"delivered_on": ["1", "4", "2026"]},
            "The date delivered must be in 2025/26: from 1 April 2025 to 31 March 2026",
        ),
        (
            {"delivered_on": ["31", "3", "2025"]},
            "The date delivered must be in 2025/26: from 1 April 2025 to 31 March 2026",
        ),
        (
            {"staff_in_scope": "²"},
            "Enter the number of people in scope as a whole number, like 1200",
        ),
        (
            {"staff_in_scope": "--5"},
            "Enter the number of people in scope as a whole number, like 1200",
        ),
        (
            {"delivered_on": ["31", "2", "2026"]},
            "Date delivered must be a real date, like 14 5 2025",
        ),
    ],
)
def test_bad_training_is_refused_and_nothing_saved(
    app: Flask, client, change: dict, message: str
) -> None:
    before = snapshot(app)
    response = client.post(f"{A}/training/new?year=2025-26", data={**GOOD, **change})
    assert response.status_code == 200
    assert message in error_messages(response)
    assert page(response).title.get_text().startswith("Error: ")
    assert snapshot(app) == before


def test_the_limits_themselves_are_accepted(app: Flask, client) -> None:
    boundary = {
        **GOOD,
        "staff_in_scope": "0",
        "staff_trained": "0",
        "delivered_on": ["31", "3", "2026"],
    }
    assert client.post(f"{A}/training/new?year=2025-26", data=boundary).status_code == 302
    # 0 of 0 reads "None in scope": there is data, unlike a year with no record at all.
    kpi = page(client.get(f"{A}/training?year=2025-26")).select_one("#trained-kpi")
    assert kpi.get_text(strip=True) == "None in scope"
    equal = {**GOOD, "staff_in_scope": "7", "staff_trained": "7", "delivered_on": ["", "", ""]}
    assert client.post(f"{A}/training/new?year=2025-26", data=equal).status_code == 302
    assert [r[2:] for r in training_rows(app, "alpha-police")] == [(0, 0), (7, 7)]


def test_editing_keeps_the_year_and_a_stale_form_is_refused(app: Flask, client) -> None:
    record = add_training(app, "alpha-police", 2025, "all_staff", 100, 10)
    url = f"{A}/training/{record}/edit"
    form = page(client.get(url))
    assert form.select_one("input[name=version]")["value"] == "1"
    assert form.select_one("input[name=audience][checked]")["value"] == "all_staff"
    response = client.post(
        url, data={**GOOD, "staff_in_scope": "100", "staff_trained": "90", "version": "1"}
    )
    assert response.status_code == 302
    assert training_rows(app, "alpha-police") == [(2025, GOOD["course"], 100, 90)]
    before = snapshot(app)
    stale = client.post(url, data={**GOOD, "staff_trained": "1", "version": "1"})
    assert error_messages(stale) == [
        "Someone else changed this training record while you were editing. "
        "Your changes were not saved: check the details below and try again."
    ]
    assert snapshot(app) == before


def test_removing_asks_first_then_removes(app: Flask, client) -> None:
    record = add_training(app, "alpha-police", 2025, "all_staff", 100, 10, course="Old course")
    url = f"{A}/training/{record}/delete"
    question = client.get(url)
    assert page(question).select_one("h1").get_text(strip=True) == (
        "Remove the training record “Old course”?"
    )
    assert training_rows(app, "alpha-police") != []
    response = client.post(url, data={"version": "1"}, follow_redirects=True)
    assert banner(response) == "The training record “Old course” has been removed"
    assert training_rows(app, "alpha-police") == []


def test_only_the_bodys_statement_role_changes_training(app: Flask, two_bodies: dict) -> None:
    mine = add_training(app, "alpha-police", 2025, "all_staff", 100, 10)
    theirs = add_training(app, "beta-opcc", 2025, "all_staff", 100, 10)
    before = snapshot(app)
    changes = [
        ("/training/new?year=2025-26", GOOD),
        ("/training/{id}/edit", {**GOOD, "version": "1"}),
        ("/training/{id}/delete", {"version": "1"}),
    ]
    for email in (
        "board@example.org",
        "viewer.alpha-police@example.org",
        "procurement.alpha-police@example.org",
    ):
        other = as_user(app, email)
        assert other.get(f"{A}/training?year=2025-26").status_code == 200
        for path, data in changes:
            url = A + path.format(id=mine)
            assert other.get(url).status_code == 403, (email, url)
            assert other.post(url, data=data).status_code == 403, (email, url)
    statement = as_user(app, STATEMENT)
    for path, data in changes[1:]:
        url = A + path.format(id=theirs)
        assert statement.get(url).status_code == 404, url
        assert statement.post(url, data=data).status_code == 404, url
    assert statement.get("/organisations/beta-opcc/training").status_code == 404
    assert snapshot(app) == before
