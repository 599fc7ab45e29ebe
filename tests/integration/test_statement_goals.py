"""The statement's basis in law (the partnership's choice), the KPIs' targets (set on the joint
commitments), next year's goals from the action plans, and shares typed by hand checked
against the figures."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.plan_support import ACTIVE_COMMITMENTS, start
from tests.integration.plan_support import snapshot as plan_snapshot
from tests.integration.register_support import as_user, banner, error_messages
from tests.integration.statement_doc_support import newest, table_headed, tables
from tests.integration.statement_support import (
    COORDINATOR,
    create,
    joint_url,
    section,
    set_text,
)
from tisc.extensions import db
from tisc.models import ActionPlan, Commitment, Partnership, PlanItem, Statement
from tisc.rules.statement_wording import StatementBasis
from tisc.services.accounts import organisations
from tisc.services.plans import training
from tisc.services.statements.figures import covered_organisations, statement_figures
from tisc.services.statements.goals import goals_context, kpi_targets

EDIT = "/admin/partnerships/north-east/edit"
COMMITMENTS = "/partnerships/north-east/commitments"


def _partnership_form(client) -> dict:
    form = page(client.get(EDIT))
    return {
        "name": form.select_one("input[name=name]")["value"],
        "members": [i["value"] for i in form.select("input[name=members][checked]")],
        "version": form.select_one("input[name=version]")["value"],
        "statement_basis": form.select_one("input[name=statement_basis][checked]")["value"],
    }


def _basis(app: Flask) -> StatementBasis:
    with app.app_context():
        return organisations.get_partnership(slug="north-east").statement_basis


def _findings(app: Flask, statement_id: int) -> list[str]:
    shown = page(as_user(app, COORDINATOR).get(joint_url(statement_id)))
    return [li.get_text(" ", strip=True) for li in shown.select(".app-figure-findings li")]


# --- the basis --------------------------------------------------------------------------------


def test_statements_are_voluntary_until_the_partnership_says_otherwise(
    app: Flask, bodies: dict
) -> None:
    client = as_user(app, "admin@example.org")
    form = _partnership_form(client)
    assert form["statement_basis"] == "voluntary"
    voluntary = section(app, create(app, 2024), "introduction").text
    assert "It is a voluntary statement, made in accordance with section 54(1)" in voluntary

    saved = client.post(EDIT, data={**form, "statement_basis": "required"})
    assert saved.status_code == 302
    assert _basis(app) is StatementBasis.REQUIRED
    required = section(app, create(app, 2025, from_last_year=False), "introduction").text
    assert "It is made under section 54(1) of the Modern Slavery Act 2015" in required
    assert "voluntary" not in required


def test_a_basis_that_is_not_offered_is_refused_and_nothing_changes(
    app: Flask, bodies: dict
) -> None:
    client = as_user(app, "admin@example.org")
    form = _partnership_form(client)
    refused = client.post(EDIT, data={**form, "name": "Renamed", "statement_basis": "sort-of"})
    assert refused.status_code == 200
    assert error_messages(refused) == [
        "Choose whether the statements are voluntary or required by section 54"
    ]
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        assert partnership.name != "Renamed"
        assert partnership.statement_basis is StatementBasis.VOLUNTARY


def test_words_that_contradict_the_basis_are_a_finding(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)  # its introduction calls it voluntary
    assert not [f for f in _findings(app, statement_id) if "section 54" in f]
    client = as_user(app, "admin@example.org")
    assert client.post(EDIT, data={**_partnership_form(client), "statement_basis": "required"})
    (found,) = [f for f in _findings(app, statement_id) if "voluntary" in f]
    assert "but the partnership publishes a statement required by section 54" in found


# --- shares typed by hand -----------------------------------------------------------------


def test_a_share_of_staff_trained_typed_by_hand_is_checked(app: Flask, bodies: dict) -> None:
    with app.app_context():
        for slug, (in_scope, trained) in {
            "alpha-police": (800, 600),
            "beta-opcc": (200, 100),
        }.items():
            training.add_training(
                org=organisations.get_organisation(slug=slug),
                financial_year=2024,
                user=None,
                audience="all_staff",
                course="Awareness",
                delivered_on=None,
                staff_in_scope=in_scope,
                staff_trained=trained,
            )
        db.session.commit()
    statement_id = create(app, 2024)
    # 700 of 1,000: 70%.
    set_text(app, statement_id, "training", "In 2024/25, 70% of our staff were trained.")
    assert _findings(app, statement_id) == []
    set_text(app, statement_id, "training", "In 2024/25, 75% of our staff were trained.")
    (found,) = _findings(app, statement_id)
    assert "‘75%’ differs from share of staff in scope who were trained, 70.0%" in found
    # Alpha's own paragraph is checked against Alpha's figures: 600 of 800 is 75%.
    set_text(app, statement_id, "training", "Staff complete the course.")
    set_text(
        app, statement_id, "body", "75% of our officers and staff were trained.", "alpha-police"
    )
    assert _findings(app, statement_id) == []


# --- targets --------------------------------------------------------------------------------


def _commitment(app: Flask, key: str) -> Commitment:
    with app.app_context():
        found = db.session.scalar(
            select(Commitment)
            .join(Partnership, Partnership.id == Commitment.partnership_id)
            .where(Commitment.key == key, Partnership.slug == "north-east")
        )
        db.session.expunge(found)
        return found


def _edit_form(found: Commitment, **changes: str) -> dict:
    data = {
        "title": found.title,
        "kpi_key": found.kpi_key or "",
        "active": "y",
        "version": str(found.version_id),
        **changes,
    }
    # A browser sends the select even when "None" is chosen, as "".
    return {k: v for k, v in data.items() if v != "" or k == "kpi_key"}


def test_a_coordinator_sets_a_kpi_target_that_pages_and_documents_show(
    app: Flask, bodies: dict
) -> None:
    awareness = _commitment(app, "awareness")
    client = as_user(app, COORDINATOR)
    url = f"{COMMITMENTS}/{awareness.id}/edit"
    saved = client.post(url, data=_edit_form(awareness, target="92.5"), follow_redirects=True)
    assert banner(saved).startswith("The commitment has been saved")
    assert _commitment(app, "awareness").target_percent == Decimal("92.5")
    row = next(
        r
        for r in page(client.get(COMMITMENTS)).select("#commitments tbody tr")
        if r.select_one("th").get_text().startswith("Every employee")
    )
    assert [c.get_text(strip=True) for c in row.select("td")][2] == "92.5%"
    form = page(client.get(url))
    assert form.select_one("input[name=target]")["value"] == "92.5"
    with app.app_context():
        assert kpi_targets(partnership=organisations.get_partnership(slug="north-east")) == {
            "trained": Decimal("92.5")
        }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "101"}, "Enter the target as a percentage from 0 to 100, like 90 or 92.5"),
        ({"target": "ninety"}, "Enter the target as a percentage from 0 to 100, like 90 or 92.5"),
        (
            {"target": "90", "kpi_key": ""},
            "Choose the KPI that measures the commitment, or leave the target empty",
        ),
    ],
)
def test_a_target_that_is_not_a_share_of_a_kpi_is_refused_and_nothing_changes(
    app: Flask, bodies: dict, changes: dict, message: str
) -> None:
    awareness = _commitment(app, "awareness")
    before = plan_snapshot(app)
    refused = as_user(app, COORDINATOR).post(
        f"{COMMITMENTS}/{awareness.id}/edit", data=_edit_form(awareness, **changes)
    )
    assert refused.status_code == 200
    assert error_messages(refused) == [message]
    assert plan_snapshot(app) == before


# --- next year's goals ----------------------------------------------------------------------


def _goals(app: Flask, statement_id: int) -> dict:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        covered = covered_organisations(statement)
        return goals_context(
            partnership=organisations.get_partnership(slug="north-east"),
            organisations=covered,
            figures=statement_figures(statement=statement),
            joint=statement.is_joint,
        )


def _items(app: Flask, slug: str, year: int) -> list[PlanItem]:
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        found = db.session.scalars(
            select(PlanItem)
            .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
            .where(ActionPlan.organisation_id == org.id, ActionPlan.financial_year == year)
        ).all()
        for item in found:
            db.session.expunge(item)
        return list(found)


def test_goals_count_next_years_plans_when_the_bodies_have_started_them(
    app: Flask, bodies: dict
) -> None:
    start(app, "alpha-police", 2024)
    start(app, "alpha-police", 2025)  # carries over every action of 2024/25 not done
    statement_id = create(app, 2024)
    goals = _goals(app, statement_id)
    items = _items(app, "alpha-police", 2025)
    joint = [i for i in items if i.commitment_id is not None]
    continuing = sum(1 for i in joint if i.carried_over_from_id is not None)
    assert continuing == len(joint) > 0  # nothing was done, so all of them continue
    assert goals["year"] == "2025/26"
    assert goals["sentence"] == (
        f"1 of the 2 bodies has an action plan for 2025/26, with {len(joint)} actions against "
        f"the joint commitments ({continuing} continuing work not finished in 2024/25)."
    )
    assert len(goals["rows"]) == ACTIVE_COMMITMENTS
    assert {row["actions"] for row in goals["rows"]} == {"In 1 of 2 plans"}
    assert not goals["has_targets"]
    assert {row["target"] for row in goals["rows"] if row["measure"] != "No KPI"} == {"Not set"}


def test_without_next_years_plans_the_goals_are_the_actions_left_open(
    app: Flask, bodies: dict
) -> None:
    start(app, "alpha-police", 2024)
    start(app, "beta-opcc", 2024)
    statement_id = create(app, 2024)
    open_items = len(_items(app, "alpha-police", 2024)) + len(_items(app, "beta-opcc", 2024))
    goals = _goals(app, statement_id)
    assert goals["sentence"] == (
        f"No body has started an action plan for 2025/26 yet. {open_items} actions of 2024/25 "
        "are not yet done, and will carry over into next year's plans."
    )
    assert {row["actions"] for row in goals["rows"]} == {"To carry over in 2 of 2 plans"}


def test_a_bodys_own_goals_name_its_actions(app: Flask, bodies: dict) -> None:
    start(app, "alpha-police", 2025)
    statement_id = create(app, 2024, org="alpha-police")
    goals = _goals(app, statement_id)
    items = _items(app, "alpha-police", 2025)
    assert all(i.commitment_id is not None for i in items)  # a new plan: one per commitment
    assert goals["sentence"] == (
        f"Our action plan for 2025/26 has {len(items)} actions against the joint commitments."
    )
    titled = {row["actions"].split(" (by ")[0] for row in goals["rows"]}
    assert titled <= {i.title for i in items}


# --- in the document ------------------------------------------------------------------------


def _set_target(app: Flask, key: str, target: Decimal) -> None:
    with app.app_context():
        db.session.scalar(
            select(Commitment)
            .join(Partnership, Partnership.id == Commitment.partnership_id)
            .where(Commitment.key == key, Partnership.slug == "north-east")
        ).target_percent = target
        db.session.commit()


def test_the_document_shows_targets_only_once_one_is_set(app: Flask, statement: int) -> None:
    document = docx.Document(io.BytesIO(newest(app, statement)))
    glance = tables(document)[0]
    assert glance[0][-1] != "Target"
    (chart,) = document.inline_shapes
    assert "target" not in chart._inline.docPr.get("descr")
    goals = table_headed(document, "Commitment", "Measure")
    with app.app_context():
        active = db.session.scalars(
            select(Commitment.title)
            .join(Partnership, Partnership.id == Commitment.partnership_id)
            .where(Commitment.active, Partnership.slug == "north-east")
            .order_by(Commitment.position)
        ).all()
    assert [row[0] for row in goals[1:]] == list(active)  # one row for each in use

    _set_target(app, "awareness", Decimal("90"))
    document = docx.Document(io.BytesIO(newest(app, statement)))
    glance = tables(document)[0]
    assert glance[0][-1] == "Target"
    targets = {row[0]: row[-1] for row in glance[1:]}
    assert targets["Staff in scope who were trained"] == "90%"
    assert targets["Tier A and B suppliers assessed"] == "Not set"
    assert targets["Non-pay spend"] == ""
    (chart,) = document.inline_shapes
    assert "Staff in scope who were trained: 2024/25 " in chart._inline.docPr.get("descr")
    assert ", target 90%" in chart._inline.docPr.get("descr")
    awareness = next(r for r in table_headed(document, "Commitment") if r[0].startswith("Every"))
    assert awareness[1:4] == ["Staff in scope who were trained", targets_share(glance), "90%"]


def targets_share(glance: list[list[str]]) -> str:
    """This year's share of staff trained, as the glance prints it."""
    return next(row[1] for row in glance if row[0] == "Staff in scope who were trained")
