"""Your tasks and the daily reminders: each person sees only their own bodies' tasks, and
send-reminders sends each reminder once per period through the mail backend."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import page
from tests.integration.assessment_support import invite, tier_a_supplier
from tests.integration.plan_support import add_item, start
from tests.integration.register_support import as_user
from tests.integration.statement_support import create
from tisc.database import db
from tisc.models import (
    AssessmentStatus,
    Contract,
    ContractReview,
    ExclusionDecision,
    Invitation,
    SentReminder,
    Statement,
    Supplier,
    SupplierAssessment,
)
from tisc.rules.debarment import Decision
from tisc.rules.statement_lifecycle import StatementState

# Ten days before the 2025/26 statements are due (30 September 2026).
TODAY = date(2026, 9, 20)
KINDS = {
    "action_overdue",
    "invitation_unanswered",
    "assessment_stale",
    "exclusion_notice",
    "statement_deadline",
}


class RecordingMailer:
    """A mailer plugged in by MAIL_BACKEND="module:factory", keeping what it sends."""

    name = "recording"
    sent: list[tuple[str, str, str]] = []

    def send(self, *, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


def recording_mailer() -> RecordingMailer:
    return RecordingMailer()


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=12), UTC)


def build_tasks(app: Flask) -> dict[str, Any]:
    """One task of each kind for alpha-police, and an overdue action for beta-opcc."""
    app.config["TODAY"] = TODAY.isoformat()
    year = 2026
    start(app, "alpha-police", year)
    start(app, "beta-opcc", year)
    alpha_item = add_item(
        app, "alpha-police", year, "Train buyers", due_date=TODAY - timedelta(days=10)
    )
    beta_item = add_item(app, "beta-opcc", year, "Beta's own action", due_date=TODAY)
    supplier = tier_a_supplier(app)
    invite(app, supplier)
    create(app, 2025, org="alpha-police")
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation.sent_at = _at(TODAY - timedelta(days=20))
        old = invitation.assessment
        db.session.add(
            SupplierAssessment(
                organisation_id=old.organisation_id,
                supplier_id=supplier,
                financial_year=2024,
                questionnaire_id=old.questionnaire_id,
                status=AssessmentStatus.COMPLETE,
                source=old.source,
                completed_at=_at(date(2025, 8, 1)),
            )
        )
        db.session.add(
            ExclusionDecision(
                organisation_id=old.organisation_id,
                supplier_id=supplier,
                ground="Modern slavery offence",
                decision=Decision.EXCLUDED,
                decided_on=TODAY - timedelta(days=5),
            )
        )
        db.session.commit()
    return {"alpha_item": alpha_item, "beta_item": beta_item, "supplier": supplier}


@pytest.fixture
def world(app: Flask, two_bodies: dict) -> dict[str, Any]:
    return build_tasks(app)


def kinds_on_soup(soup: Any, table: str) -> list[str]:
    return [row["data-kind"] for row in soup.select(f"#{table} tbody tr")]


def kinds_on(response: Any, table: str) -> list[str]:
    return kinds_on_soup(page(response), table)


def test_a_procurement_lead_sees_their_bodys_supplier_tasks_overdue_first(
    app: Flask, world: dict
) -> None:
    response = as_user(app, "procurement.alpha-police@example.org").get("/tasks")
    assert response.status_code == 200
    # Each by the day it fell due: the assessment on 1 August, the invitation on 14 September.
    assert kinds_on(response, "overdue") == ["assessment_stale", "invitation_unanswered"]
    assert kinds_on(response, "due-soon") == ["exclusion_notice"]
    links = [a["href"] for a in page(response).select("#overdue tbody a")]
    assert links == [
        f"/organisations/alpha-police/suppliers/{world['supplier']}",
        "/organisations/alpha-police/invitations",
    ]


def test_a_statement_owner_sees_their_action_plan_and_statement_deadline(
    app: Flask, world: dict
) -> None:
    response = as_user(app, "statement.alpha-police@example.org").get("/tasks")
    assert kinds_on(response, "overdue") == ["action_overdue"]
    assert kinds_on(response, "due-soon") == ["statement_deadline"]
    row = page(response).select_one("#overdue tbody tr")
    assert row.select_one("a")["href"] == (
        f"/organisations/alpha-police/action-plan/items/{world['alpha_item']}"
    )
    assert "Overdue by 10 days" in row.get_text()
    # Beta's action is beta's: never on alpha's page.
    assert "Beta's own action" not in page(response).get_text()


def test_another_bodys_tasks_are_never_shown(app: Flask, world: dict) -> None:
    response = as_user(app, "statement.beta-opcc@example.org").get("/tasks")
    texts = [row.get_text(" ", strip=True) for row in page(response).select("tbody tr")]
    assert len(texts) == 1 and "Beta's own action" in texts[0] and "Due today" in texts[0]
    outside = as_user(app, "procurement.gamma-police@example.org").get("/tasks")
    assert page(outside).select("tbody tr") == []
    assert page(outside).select_one("#no-tasks") is not None


@pytest.mark.parametrize(
    "email", ["viewer.alpha-police@example.org", "coordinator@example.org", "admin@example.org"]
)
def test_roles_with_no_tasks_of_their_own_see_none(app: Flask, world: dict, email: str) -> None:
    response = as_user(app, email).get("/tasks")
    assert response.status_code == 200
    assert page(response).select("tbody tr") == []


def test_the_navigation_and_home_link_to_your_tasks(app: Flask, world: dict) -> None:
    home = page(as_user(app, "viewer.alpha-police@example.org").get("/"))
    assert home.select_one("#your-tasks-link")["href"] == "/tasks"
    assert "/tasks" in [a["href"] for a in home.select("nav a")]


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["send-reminders", "--date", TODAY.isoformat(), *args])


def sent_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SentReminder))


def test_a_dry_run_lists_every_kind_and_records_nothing(app: Flask, world: dict) -> None:
    result = run(app, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert set(found["by_kind"]) == KINDS
    assert found == {"sent": 6, "by_kind": found["by_kind"]}
    assert found["by_kind"]["action_overdue"] == 2
    assert sent_count(app) == 0


def test_without_email_a_real_run_is_refused(app: Flask, world: dict) -> None:
    result = run(app, "--json")
    assert result.exit_code == 1
    assert "Email is off" in result.output
    assert sent_count(app) == 0


def test_a_run_sends_one_email_a_person_and_a_second_run_sends_nothing(
    app: Flask, world: dict
) -> None:
    app.config["MAIL_BACKEND"] = f"{__name__}:recording_mailer"
    RecordingMailer.sent.clear()
    first = run(app, "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["sent"] == 6
    to = sorted(to for to, _, _ in RecordingMailer.sent)
    assert to == [
        "procurement.alpha-police@example.org",
        "statement.alpha-police@example.org",
        "statement.beta-opcc@example.org",
    ]
    body = next(b for t, _, b in RecordingMailer.sent if t.startswith("procurement.alpha"))
    assert "http://127.0.0.1:5000/organisations/alpha-police/invitations" in body
    assert sent_count(app) == 6

    second = run(app, "--json")
    assert json.loads(second.output) == {"sent": 0, "by_kind": {}}
    assert len(RecordingMailer.sent) == 3 and sent_count(app) == 6


def test_a_week_later_only_the_reminders_of_a_new_period_are_due(app: Flask, world: dict) -> None:
    app.config["MAIL_BACKEND"] = f"{__name__}:recording_mailer"
    assert run(app, "--json").exit_code == 0
    later = (TODAY + timedelta(days=7)).isoformat()
    result = app.test_cli_runner().invoke(
        args=["send-reminders", "--date", later, "--dry-run", "--json"]
    )
    by_kind = json.loads(result.output)["by_kind"]
    # Alpha's action is in its third week late, beta's now overdue, and the statement has 3
    # days left (its 7-day reminder); the invitation was reminded once, the stale assessment
    # already this month, the exclusion while it is due.
    assert by_kind == {"action_overdue": 2, "statement_deadline": 1}


def test_contract_reviews_and_approvals_awaited_are_tasks_too(app: Flask, world: dict) -> None:
    with app.app_context():
        supplier = db.session.get(Supplier, world["supplier"])
        values = {
            "organisation_id": supplier.organisation_id,
            "supplier_id": supplier.id,
            "annual_value": Decimal("60000.00"),
            "end_date": date(2028, 3, 31),
        }
        never = Contract(title="Cleaning", start_date=date(2025, 6, 1), **values)
        reviewed = Contract(title="Windows", start_date=date(2025, 6, 1), **values)
        db.session.add_all([never, reviewed])
        db.session.flush()
        db.session.add(
            ContractReview(
                organisation_id=supplier.organisation_id,
                supplier_id=supplier.id,
                contract_id=reviewed.id,
                reviewed_on=date(2026, 1, 10),
                financial_year=2025,
                modern_slavery_discussed=True,
            )
        )
        statement = db.session.scalars(select(Statement)).one()
        statement.state = StatementState.AWAITING_APPROVAL
        db.session.commit()
        never_id = never.id
    lead = page(as_user(app, "procurement.alpha-police@example.org").get("/tasks"))
    reviews = [r for r in lead.select("#overdue tbody tr") if r["data-kind"] == "contract_review"]
    assert [r.select_one("a")["href"] for r in reviews] == [
        f"/organisations/alpha-police/contracts/{never_id}"
    ]
    assert "Overdue by 111 days" in reviews[0].get_text()
    owner = page(as_user(app, "statement.alpha-police@example.org").get("/tasks"))
    assert kinds_on_soup(owner, "due-soon") == ["statement_approval", "statement_deadline"]
    result = run(app, "--dry-run", "--json")
    by_kind = json.loads(result.output)["by_kind"]
    assert (by_kind["contract_review"], by_kind["statement_approval"]) == (1, 1)
