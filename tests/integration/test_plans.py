"""Action plans: starting a year from the commitments, carry-over, the progress timeline,
conflicts, validation, overdue items and KPIs on the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.due_diligence_support import build_year
from tests.integration.plan_support import (
    ACTIVE_COMMITMENTS,
    READ_ENDPOINTS,
    STALE,
    STATEMENT,
    A,
    add_item,
    add_training,
    item,
    item_rows,
    items,
    kpi_table,
    plan_routes,
    send,
    snapshot,
    start,
    this_year,
    timeline,
    update,
    version_on_page,
)
from tests.integration.register_support import as_user, banner, error_messages, main_text
from tisc.extensions import db
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations
from tisc.services.plans import action_plans as plans

DEFAULT_ACTIONS = [
    "Add a modern slavery risk question",
    "Map the supply chains of tier A suppliers",
    "Ask every tier A supplier",
    "Add modern slavery to the agenda",
    "Deliver modern slavery awareness training",
    "Send the partnership's modern slavery guidance",
    "Assess every tier A and B supplier",
]


def test_starting_a_plan_makes_one_not_started_item_per_commitment(
    app: Flask, two_bodies: dict
) -> None:
    client = as_user(app, STATEMENT)
    before = client.get(f"{A}/action-plan?year=2025-26")
    assert before.status_code == 200
    assert page(before).select_one("#start-plan").get_text(strip=True) == "Start the 2025/26 plan"
    assert "There is no 2024/25 plan, so nothing will be carried over." in main_text(before)

    response = client.post(f"{A}/action-plan/start?year=2025-26", follow_redirects=True)
    assert banner(response) == "The 2025/26 plan has been started with 7 actions"
    found = items(app, "alpha-police", 2025)
    assert len(found) == ACTIVE_COMMITMENTS
    assert all(t.title.startswith(p) for t, p in zip(found, DEFAULT_ACTIONS, strict=True))
    assert {(i.status, i.rag, i.rag_reason) for i in found} == {
        ("not_started", "amber", "Not started yet")
    }
    assert {i.due_date for i in found} == {date(2026, 3, 31)}
    assert all(i.commitment_key and i.carried_over_from_id is None for i in found)
    # The page groups them under the commitments, then the body's own actions.
    headings = [h.get_text(strip=True) for h in page(response).select("section h2")]
    assert len(headings) == ACTIVE_COMMITMENTS + 1 and headings[-1] == "Our own actions"
    assert page(response).select_one("#start-plan") is None
    # Another body's plan is its own business.
    assert items(app, "beta-opcc", 2025) == []


def test_a_second_plan_for_the_same_year_is_refused(app: Flask, two_bodies: dict) -> None:
    start(app, "alpha-police", 2025)
    before = snapshot(app)
    client = as_user(app, STATEMENT)
    response = client.post(f"{A}/action-plan/start?year=2025-26", follow_redirects=True)
    assert "Alpha Police already has a plan for 2025/26" in banner(response)
    assert snapshot(app) == before


def test_carry_over_copies_open_items_marked_and_leaves_done_ones(
    app: Flask, two_bodies: dict
) -> None:
    start(app, "alpha-police", 2024)
    old = items(app, "alpha-police", 2024)
    update(app, old[0].id, "done")  # risk-at-start: done, so a fresh item next year
    update(app, old[1].id, "blocked", "red", "Supplier will not share")  # carried
    own_open = add_item(app, "alpha-police", 2024, "Train the buyers", owner="Head of Procurement")
    own_done = add_item(app, "alpha-police", 2024, "Publish the policy")
    update(app, own_done, "done")
    for other in old[2:]:
        update(app, other.id, "done")

    client = as_user(app, STATEMENT)
    before = client.get(f"{A}/action-plan?year=2025-26")
    assert "2 open actions from the 2024/25 plan will be carried over." in main_text(before)
    client.post(f"{A}/action-plan/start?year=2025-26")

    new = items(app, "alpha-police", 2025)
    by_key = {i.commitment_key: i for i in new if i.commitment_key}
    assert len(by_key) == ACTIVE_COMMITMENTS
    carried = by_key["beyond-tier-1"]
    assert carried.carried_over_from_id == old[1].id
    assert (carried.title, carried.status, carried.rag) == (old[1].title, "blocked", "red")
    assert carried.rag_reason == "Supplier will not share"
    assert by_key["risk-at-start"].carried_over_from_id is None
    assert by_key["risk-at-start"].status == "not_started"
    own = [i for i in new if i.commitment_key is None]
    assert [(i.title, i.carried_over_from_id) for i in own] == [("Train the buyers", own_open)]
    # Carried items keep their timeline on last year's item; the new one starts empty.
    assert timeline(app, carried.id) == []

    shown = item_rows(client.get(f"{A}/action-plan?year=2025-26"))
    assert "Carried over from 2024/25" in shown["Train the buyers"]["Action"]
    assert "Carried over" not in shown[by_key["risk-at-start"].title]["Action"]
    detail = page(client.get(f"{A}/action-plan/items/{carried.id}"))
    link = detail.select_one("#carried-over-from")
    assert link["href"].endswith(f"/action-plan/items/{old[1].id}")


def test_a_plan_with_every_item_done_last_year_carries_nothing(
    app: Flask, two_bodies: dict
) -> None:
    start(app, "alpha-police", 2024)
    for old in items(app, "alpha-police", 2024):
        update(app, old.id, "done")
    client = as_user(app, STATEMENT)
    text = main_text(client.get(f"{A}/action-plan?year=2025-26"))
    assert "Every action of the 2024/25 plan is done, so nothing will be carried over." in text
    start(app, "alpha-police", 2025)
    assert all(i.carried_over_from_id is None for i in items(app, "alpha-police", 2025))


def test_progress_updates_form_a_timeline_newest_first(app: Flask, two_bodies: dict) -> None:
    start(app, "alpha-police", this_year())
    target = items(app, "alpha-police", this_year())[0]
    client = as_user(app, STATEMENT)
    url = f"{A}/action-plan/items/{target.id}"
    first = {"note": "Form drafted", "status": "in_progress", "rag": "green", "rag_reason": ""}
    response = client.post(
        f"{url}/updates", data={**first, "version": version_on_page(client.get(url))}
    )
    assert response.status_code == 302
    second = {"note": "Legal objected", "status": "blocked", "rag": "red", "rag_reason": "Legal"}
    response = client.post(
        f"{url}/updates",
        data={**second, "version": version_on_page(client.get(url))},
        follow_redirects=True,
    )
    assert banner(response) == "Your progress update has been added"
    assert timeline(app, target.id) == [
        ("Form drafted", "in_progress", "green", "not_started", "amber"),
        ("Legal objected", "blocked", "red", "in_progress", "green"),
    ]
    entries = page(response).select("#timeline li")
    assert [e.select_one(".app-preserve-lines").get_text(strip=True) for e in entries] == [
        "Legal objected",
        "Form drafted",
    ]
    assert entries[0].select_one(".app-changes").get_text(strip=True) == (
        "Status: In progress to Blocked. RAG: Green to Red"
    )
    assert "Test Person" in entries[0].get_text()
    found = item(app, target.id)
    assert (found.status, found.rag, found.rag_reason) == ("blocked", "red", "Legal")


def test_no_route_edits_or_deletes_an_update(app: Flask) -> None:
    touching = [
        (rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"}), rule.endpoint)
        for rule in app.url_map.iter_rules()
        if "update" in rule.rule or "update" in rule.endpoint
    ]
    assert touching == [
        (
            "/organisations/<org_slug>/action-plan/items/<int:item_id>/updates",
            ["POST"],
            "plans.add_update",
        )
    ]


def test_the_details_form_cannot_change_status_or_rag(app: Flask, two_bodies: dict) -> None:
    start(app, "alpha-police", this_year())
    target = items(app, "alpha-police", this_year())[0]
    client = as_user(app, STATEMENT)
    response = client.post(
        f"{A}/action-plan/items/{target.id}/edit",
        data={
            "title": "Risk question on every form",
            "owner": "Procurement lead",
            "version": str(target.version),
            "status": "done",
            "rag": "green",
            "evidence_links": "https://example.org/form.pdf\n\nhttps://example.org/minutes",
        },
    )
    assert response.status_code == 302
    found = item(app, target.id)
    assert (found.title, found.status, found.rag) == (
        "Risk question on every form",
        "not_started",
        "amber",
    )
    detail = page(as_user(app, STATEMENT).get(f"{A}/action-plan/items/{target.id}"))
    assert [a["href"] for a in detail.select("#details a[rel]")] == [
        "https://example.org/form.pdf",
        "https://example.org/minutes",
    ]


def test_a_stale_update_gets_a_conflict_message_and_saves_nothing(
    app: Flask, two_bodies: dict
) -> None:
    start(app, "alpha-police", this_year())
    target = items(app, "alpha-police", this_year())[0]
    client = as_user(app, STATEMENT)
    url = f"{A}/action-plan/items/{target.id}"
    loaded = version_on_page(client.get(url))
    update(app, target.id, "in_progress")  # someone else, meanwhile
    before = snapshot(app)
    data = {"note": "Mine", "status": "done", "rag": "green", "version": loaded}
    response = client.post(f"{url}/updates", data=data)
    assert response.status_code == 200
    assert error_messages(response) == [STALE]
    assert page(response).title.get_text().startswith("Error: ")
    assert snapshot(app) == before
    # The page now shows the other update and carries the current version: sending again works.
    assert "Now in_progress" in main_text(response)
    retry = client.post(f"{url}/updates", data={**data, "version": version_on_page(response)})
    assert retry.status_code == 302
    assert [t[0] for t in timeline(app, target.id)] == ["Now in_progress", "Mine"]


def test_a_stale_edit_of_the_details_is_refused(app: Flask, two_bodies: dict) -> None:
    start(app, "alpha-police", this_year())
    target = items(app, "alpha-police", this_year())[0]
    update(app, target.id, "in_progress")
    before = snapshot(app)
    client = as_user(app, STATEMENT)
    response = client.post(
        f"{A}/action-plan/items/{target.id}/edit",
        data={"title": "Overwrite", "version": str(target.version)},
    )
    assert error_messages(response) == [STALE]
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": ""}, "Enter what has happened"),
        ({"rag": "red", "rag_reason": ""}, "Enter why the item is red"),
        ({"rag": "amber", "rag_reason": "  "}, "Enter why the item is amber"),
        ({"status": "finished"}, "Select the status"),
    ],
)
def test_bad_updates_are_refused_with_a_clear_message(
    app: Flask, two_bodies: dict, data: dict, message: str
) -> None:
    start(app, "alpha-police", this_year())
    target = items(app, "alpha-police", this_year())[0]
    before = snapshot(app)
    client = as_user(app, STATEMENT)
    good = {"note": "Done it", "status": "in_progress", "rag": "green", "version": "1"}
    response = client.post(f"{A}/action-plan/items/{target.id}/updates", data={**good, **data})
    assert response.status_code == 200
    assert error_messages(response) == [message]
    assert snapshot(app) == before


def test_own_actions_need_a_due_date_inside_the_plan_year(app: Flask, two_bodies: dict) -> None:
    start(app, "alpha-police", 2025)
    before = snapshot(app)
    client = as_user(app, STATEMENT)
    url = f"{A}/action-plan/items/new?year=2025-26"
    form = {"title": "Audit the car wash contract", "due_date": ["31", "3", "2025"]}
    response = client.post(url, data=form)
    assert error_messages(response) == [
        "The due date must be on or after 1 April 2025, the start of the 2025/26 plan"
    ]
    assert snapshot(app) == before
    bad_link = client.post(
        url, data={**form, "due_date": ["1", "4", "2025"], "evidence_links": "www.x.org"}
    )
    assert error_messages(bad_link)[0].startswith("Enter each link on its own line")
    assert client.post(url, data={**form, "title": ""}).status_code == 200
    assert snapshot(app) == before
    response = client.post(url, data={**form, "due_date": ["1", "4", "2025"]})
    assert response.status_code == 302
    own = [i for i in items(app, "alpha-police", 2025) if i.commitment_key is None]
    assert [(i.title, i.due_date, i.status, i.rag) for i in own] == [
        ("Audit the car wash contract", date(2025, 4, 1), "not_started", "amber")
    ]


def test_a_year_without_a_plan_has_nowhere_to_add_an_action(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, STATEMENT)
    assert client.get(f"{A}/action-plan/items/new?year=2025-26").status_code == 404
    assert client.get(f"{A}/action-plan?year=1999-00").status_code == 404
    assert client.get(f"{A}/action-plan?year=nonsense").status_code == 404


def test_overdue_items_are_tagged_and_listed_as_needing_an_update(
    app: Flask, two_bodies: dict
) -> None:
    # Last year's plan: its first day is always in the past, whatever today is.
    year = this_year() - 1
    start(app, "alpha-police", year)
    late = add_item(app, "alpha-police", year, "Late action", due_date=date(year, 4, 1))
    soon = add_item(
        app, "alpha-police", year, "Later action", due_date=date.today() + timedelta(days=1)
    )
    client = as_user(app, STATEMENT)
    response = client.get(f"{A}/action-plan?year={FinancialYear(year).slug}")
    shown = item_rows(response)
    assert "Overdue" in shown["Late action"]["Due"]
    assert "Overdue" not in shown["Later action"]["Due"]
    panel = page(response).select_one("#needs-updating")
    listed = {a.get_text(strip=True) for a in panel.select("li a")}
    assert "Late action" in listed and "Later action" not in listed
    # The board and viewers read the plan but get no to-do panel.
    for email in ("board@example.org", "viewer.alpha-police@example.org"):
        other = as_user(app, email).get(f"{A}/action-plan?year={FinancialYear(year).slug}")
        assert other.status_code == 200 and page(other).select_one("#needs-updating") is None
        assert "Overdue" in item_rows(other)["Late action"]["Due"]
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        found = plans.items_needing_update(org=org, financial_year=year, today=date.today())
        ids = {entry.item.id for entry in found}
    assert late in ids and soon not in ids


def test_needing_update_follows_the_windows_after_an_update(app: Flask, two_bodies: dict) -> None:
    year = this_year()
    start(app, "alpha-police", year)
    far = date(year + 2, 3, 31)  # not overdue on any day this test looks at
    amber = add_item(app, "alpha-police", year, "Amber action", due_date=far)
    green = add_item(app, "alpha-police", year, "Green action", due_date=far)
    update(app, amber, "in_progress", "amber", "Slow replies")
    update(app, green, "in_progress", "green")

    def needing(days: int) -> dict[int, list[str]]:
        with app.app_context():
            org = organisations.get_organisation(slug="alpha-police")
            today = date.today() + timedelta(days=days)
            found = plans.items_needing_update(org=org, financial_year=year, today=today)
            return {e.item.id: e.reasons for e in found if e.item.id in (amber, green)}

    assert needing(0) == {}
    assert needing(30) == {}
    assert needing(31) == {amber: ["Amber, with no progress update in the last 30 days"]}
    assert needing(91) == {
        amber: ["Amber, with no progress update in the last 30 days"],
        green: ["No progress update in the last 90 days"],
    }
    # A new update starts the window again.
    update(app, amber, "in_progress", "amber", "Still slow")
    assert needing(30) == {}


def test_the_page_shows_kpis_computed_from_the_data(app: Flask, two_bodies: dict) -> None:
    build_year(app)  # alpha-police 2024/25: see due_diligence_support
    add_training(app, "alpha-police", 2024, "all_staff", 600, 450)
    add_training(app, "alpha-police", 2024, "procurement", 20, 20)  # part of all staff
    add_training(app, "alpha-police", 2023, "all_staff", 600, 300)
    client = as_user(app, "board@example.org")
    shown = kpi_table(client.get(f"{A}/action-plan?year=2024-25"))
    assert shown == {
        "suppliers_over_threshold": ("6", "No data", "—"),
        "high_risk_over_threshold": ("4", "No data", "—"),
        "assessed": ("2 of 6 (33.3%)", "No data", "—"),
        "mapped": ("1 of 4 (25.0%)", "No data", "—"),
        "plans": ("1 of 4 (25.0%)", "No data", "—"),
        "guidance": ("3 of 6 (50.0%)", "No data", "—"),
        "reviews": ("2 of 3 (66.7%)", "No data", "—"),
        "trained": ("450 of 600 (75.0%)", "300 of 600 (50.0%)", "Up 25.0 points"),
    }
    # A body that has not started reads "No data" everywhere, never zero.
    gamma = as_user(app, "statement.gamma-police@example.org")
    empty = kpi_table(gamma.get("/organisations/gamma-police/action-plan?year=2024-25"))
    assert set(empty.values()) == {("No data", "No data", "—")}


# --- roles and tenancy on every route --------------------------------------------------------


@pytest.fixture
def world(app: Flask, two_bodies: dict) -> dict[str, tuple[int, int]]:
    """This year's plan and a training record for alpha and beta: (item id, record id)."""
    found = {}
    for slug in ("alpha-police", "beta-opcc"):
        start(app, slug, this_year())
        record = add_training(app, slug, this_year(), "all_staff", 100, 50)
        found[slug] = (items(app, slug, this_year())[0].id, record)
    return found


def test_every_plan_route_has_one_access_rule_and_changes_need_the_statement_role(
    app: Flask,
) -> None:
    rules = {
        rule.endpoint: app.view_functions[rule.endpoint].access_rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("plans.")
    }
    assert len(rules) == 10
    for endpoint, rule in rules.items():
        expected = "read_organisation" if endpoint in READ_ENDPOINTS else "manage_statement"
        assert rule == f"organisation:{expected}", endpoint


@pytest.mark.parametrize(
    "email",
    [
        "board@example.org",
        "coordinator@example.org",
        "viewer.alpha-police@example.org",
        "procurement.alpha-police@example.org",
    ],
)
def test_read_only_roles_read_every_page_and_change_nothing(
    app: Flask, world: dict, email: str
) -> None:
    client = as_user(app, email)
    before = snapshot(app)
    for endpoint, method, url, data in plan_routes(app, "alpha-police", *world["alpha-police"]):
        response = send(client, method, url, data)
        expected = 200 if endpoint in READ_ENDPOINTS else 403
        assert response.status_code == expected, (email, method, url)
        if endpoint == "plans.item":
            assert page(response).select_one("#update-form, #edit-item") is None
    assert snapshot(app) == before


def test_another_bodys_plan_items_and_training_answer_404(app: Flask, world: dict) -> None:
    client = as_user(app, STATEMENT)
    before = snapshot(app)
    beta_item, beta_record = world["beta-opcc"]
    # Beta's ids under alpha's address: every route that names an id.
    for endpoint, method, url, data in plan_routes(app, "alpha-police", beta_item, beta_record):
        if "_id>" in next(r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint):
            assert send(client, method, url, data).status_code == 404, (method, url)
    # Beta's own address: every route, read or change.
    for _, method, url, data in plan_routes(app, "beta-opcc", beta_item, beta_record):
        assert send(client, method, url, data).status_code == 404, (method, url)
    assert snapshot(app) == before


def test_a_carried_over_item_keeps_its_late_due_date_when_other_details_change(
    app: Flask, two_bodies: dict
) -> None:
    last = this_year() - 1
    start(app, "alpha-police", last - 1)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        plan = plans.get_plan(org=org, financial_year=last - 1)
        first = plan.items[0]
        first.due_date = date(last - 1, 6, 30)
        db.session.commit()
    start(app, "alpha-police", last)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        carried = next(
            i for i in plans.get_plan(org=org, financial_year=last).items if i.carried_over_from_id
        )
        item_id, due, version, title = (
            carried.id,
            carried.due_date,
            carried.version_id,
            carried.title,
        )
    assert due == date(last - 1, 6, 30)  # before this plan's year: late, and shown as late
    client = as_user(app, STATEMENT)
    url = f"{A}/action-plan/items/{item_id}/edit"
    form = page(client.get(url))
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("main form input")
        if field.get("name") and field.get("type") != "submit"
    }
    data.update({"title": title, "owner": "Head of Procurement", "version": str(version)})
    data["due_date"] = [str(due.day), str(due.month), str(due.year)]
    saved = client.post(url, data=data)
    assert saved.status_code == 302, main_text(saved)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        item = plans.get_item(org=org, item_id=item_id)
        assert (item.owner, item.due_date) == ("Head of Procurement", due)
    # A new date before the year start is still refused.
    version = str(version + 1)
    refused = client.post(
        url, data={**data, "version": version, "due_date": ["1", "7", str(last - 1)]}
    )
    assert refused.status_code == 200
    assert error_messages(refused)[0].startswith("The due date must be on or after 1 April")
