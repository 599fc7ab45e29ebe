"""Helpers for the action plan, training and commitment tests: plans and updates through the
real services, reading plan pages back, and snapshots that show a refused request saved nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration import table_snapshot
from tisc.extensions import db
from tisc.models import ActionPlan, Commitment, PlanItem, ProgressUpdate, TrainingRecord
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations
from tisc.services.plans import action_plans as plans
from tisc.services.plans import training

A = "/organisations/alpha-police"
B = "/organisations/beta-opcc"
STATEMENT = "statement.alpha-police@example.org"
# Tables a plan, training or commitment action may write to.
TABLES = ("action_plans", "plan_items", "progress_updates", "training_records", "commitments")
ACTIVE_COMMITMENTS = 7  # statements/commitments.toml
STALE = (
    "Someone else changed this item while you were editing. "
    "Your changes were not saved: check the item below and try again."
)


def this_year() -> int:
    """The financial year today is in (tests that need "not overdue" build plans for it)."""
    return FinancialYear.containing(date.today()).start_year


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of the plan tables."""
    return table_snapshot.snapshot(app, TABLES)


def start(app: Flask, slug: str, year: int) -> int:
    """Start the body's plan for the year through the service; its id."""
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        plan = plans.start_plan(org=org, financial_year=year, user=None)
        db.session.commit()
        return plan.id


@dataclass(frozen=True)
class ItemRow:
    id: int
    title: str
    status: str
    rag: str
    rag_reason: str | None
    commitment_key: str | None
    carried_over_from_id: int | None
    due_date: date | None
    version: int


def items(app: Flask, slug: str, year: int) -> list[ItemRow]:
    """The plan's items in order, as plain values."""
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        found = db.session.execute(
            select(PlanItem, Commitment.key)
            .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
            .outerjoin(Commitment, Commitment.id == PlanItem.commitment_id)
            .where(ActionPlan.organisation_id == org.id, ActionPlan.financial_year == year)
            .order_by(PlanItem.position, PlanItem.id)
        )
        return [
            ItemRow(
                i.id,
                i.title,
                i.status.value,
                i.rag.value,
                i.rag_reason,
                key,
                i.carried_over_from_id,
                i.due_date,
                i.version_id,
            )
            for i, key in found
        ]


def item(app: Flask, item_id: int) -> ItemRow:
    with app.app_context():
        found = db.session.get(PlanItem, item_id)
        slug, year = found.plan.organisation.slug, found.plan.financial_year
    return next(i for i in items(app, slug, year) if i.id == item_id)


def add_item(app: Flask, slug: str, year: int, title: str, **values: Any) -> int:
    """One of the body's own actions; its id."""
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        plan = plans.get_plan(org=org, financial_year=year)
        found = plans.add_item(org=org, plan=plan, user=None, title=title, **values)
        db.session.commit()
        return found.id


def update(app: Flask, item_id: int, status: str, rag: str = "green", reason: str = "") -> None:
    """A progress update through the service (at the item's current version)."""
    with app.app_context():
        found = db.session.get(PlanItem, item_id)
        org = found.plan.organisation
        plans.add_update(
            org=org,
            item=found,
            user=None,
            expected_version=found.version_id,
            note=f"Now {status}",
            status=status,
            rag=rag,
            rag_reason=reason,
        )
        db.session.commit()


def timeline(app: Flask, item_id: int) -> list[tuple[str, str, str, str | None, str | None]]:
    """(note, status, rag, previous status, previous rag) of each update, oldest first."""
    with app.app_context():
        found = db.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.item_id == item_id)
            .order_by(ProgressUpdate.id)
        )
        return [
            (
                u.note,
                u.status.value,
                u.rag.value,
                u.previous_status.value if u.previous_status else None,
                u.previous_rag.value if u.previous_rag else None,
            )
            for u in found
        ]


def add_training(
    app: Flask,
    slug: str,
    year: int,
    audience: str,
    in_scope: int,
    trained: int,
    course: str = "Modern slavery awareness",
) -> int:
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        record = training.add_training(
            org=org,
            financial_year=year,
            user=None,
            audience=audience,
            course=course,
            delivered_on=None,
            staff_in_scope=in_scope,
            staff_trained=trained,
        )
        db.session.commit()
        return record.id


def training_rows(app: Flask, slug: str) -> list[tuple[int, str, int, int]]:
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        found = db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.organisation_id == org.id)
            .order_by(TrainingRecord.id)
        )
        return [(r.financial_year, r.course, r.staff_in_scope, r.staff_trained) for r in found]


def kpi_table(response: Any) -> dict[str, tuple[str, str, str]]:
    """KPI key -> (this year, last year, change) from the plan page."""
    return {
        row["data-kpi"]: tuple(td.get_text(" ", strip=True) for td in row.select("td"))
        for row in page(response).select("#kpis tbody tr")
    }


def item_rows(response: Any) -> dict[str, dict[str, str]]:
    """Action title -> its cells (by column header), from the plan page."""
    result = {}
    for table in page(response).select("table.app-plan-items"):
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            cells = [tr.select_one("th"), *tr.select("td")]
            texts = [" ".join(c.get_text(" ").split()) for c in cells]
            title = tr.select_one("th a").get_text(strip=True)
            result[title] = dict(zip(headers, texts, strict=True))
    return result


def version_on_page(response: Any) -> str:
    """The version the item page's update form carries."""
    return page(response).select_one("#update-form input[name=version]")["value"]


# Form data that a route would save if it let the request through.
POSTS = {
    "plans.start": {},
    "plans.add_update": {"note": "Sneaky", "status": "done", "rag": "green", "version": "1"},
    "plans.new_item": {"title": "Sneaky", "version": ""},
    "plans.edit_item": {"title": "Sneaky", "version": "1"},
    "plans.new_training": {
        "audience": "all_staff",
        "course": "Sneaky",
        "staff_in_scope": "10",
        "staff_trained": "5",
    },
    "plans.edit_training": {
        "audience": "all_staff",
        "course": "Sneaky",
        "staff_in_scope": "10",
        "staff_trained": "5",
        "version": "1",
    },
    "plans.delete_training": {"version": "1"},
}
READ_ENDPOINTS = {"plans.overview", "plans.item", "plans.training_list"}


def plan_routes(app: Flask, org_slug: str, item_id: int, record_id: int) -> list[tuple]:
    """(endpoint, method, url, data) for every method of every plans.* route."""
    year = FinancialYear(this_year())
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("plans."):
            continue
        url = (
            rule.rule.replace("<org_slug>", org_slug)
            .replace("<int:item_id>", str(item_id))
            .replace("<int:record_id>", str(record_id))
        )
        # Starting asks for a year without a plan, so a missing check would create one.
        asked = FinancialYear(year.start_year + 1) if rule.endpoint == "plans.start" else year
        url += f"?year={asked.slug}"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url, POSTS.get(rule.endpoint)))
    return found


def send(client: Any, method: str, url: str, data: dict | None) -> Any:
    return client.get(url) if method == "GET" else client.post(url, data=data or {})
