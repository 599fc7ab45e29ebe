"""The partnership's joint commitments: everyone in the partnership reads them, coordinators
edit them, new plans follow the edits, and stale or bad edits save nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.plan_support import ACTIVE_COMMITMENTS, items, snapshot, start
from tests.integration.register_support import as_user, banner, error_messages
from tisc.extensions import db
from tisc.models import Commitment, Partnership

URL = "/partnerships/north-east/commitments"
COORDINATOR = "coordinator@example.org"


def commitment(app: Flask, key: str, partnership: str = "north-east") -> Commitment:
    with app.app_context():
        found = db.session.scalar(
            select(Commitment)
            .join(Partnership, Partnership.id == Commitment.partnership_id)
            .where(Commitment.key == key, Partnership.slug == partnership)
        )
        db.session.expunge(found)
        return found


@pytest.fixture
def guidance(app: Flask, two_bodies: dict) -> Commitment:
    """north-east's guidance commitment."""
    return commitment(app, "guidance")


def form(found: Commitment, **changes: object) -> dict:
    data = {
        "title": found.title,
        "description": found.description or "",
        "default_action": found.default_action or "",
        "kpi_key": found.kpi_key or "",
        "active": "y" if found.active else "",
        "version": str(found.version_id),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_partnership_reads_its_commitments_in_order(app: Flask, guidance) -> None:
    for email in (COORDINATOR, "board@example.org"):
        response = as_user(app, email).get(URL)
        assert response.status_code == 200
        rows = page(response).select("#commitments tbody tr")
        assert len(rows) == ACTIVE_COMMITMENTS
        assert (
            rows[0]
            .select_one("th")
            .get_text(" ", strip=True)
            .startswith("Modern slavery risks are identified")
        )
        has_change = bool(page(response).select("#commitments a[href$='/edit']"))
        assert has_change is (email == COORDINATOR)


def test_a_coordinator_edits_a_commitment_and_new_plans_follow(app: Flask, guidance) -> None:
    client = as_user(app, COORDINATOR)
    url = f"{URL}/{guidance.id}/edit"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data=form(
            guidance, default_action="Send the guidance pack to every supplier", kpi_key="reviews"
        ),
        follow_redirects=True,
    )
    assert banner(response).startswith("The commitment has been saved")
    with app.app_context():
        saved = db.session.get(Commitment, guidance.id)
        assert (saved.default_action, saved.kpi_key) == (
            "Send the guidance pack to every supplier",
            "reviews",
        )
    start(app, "alpha-police", 2025)
    titles = [i.title for i in items(app, "alpha-police", 2025) if i.commitment_key == "guidance"]
    assert titles == ["Send the guidance pack to every supplier"]


def test_an_inactive_commitment_is_left_out_of_new_plans(app: Flask, guidance) -> None:
    client = as_user(app, COORDINATOR)
    start(app, "alpha-police", 2024)  # before: every commitment
    response = client.post(f"{URL}/{guidance.id}/edit", data=form(guidance, active=""))
    assert response.status_code == 302
    start(app, "beta-opcc", 2025)
    keys = [i.commitment_key for i in items(app, "beta-opcc", 2025)]
    assert len(keys) == ACTIVE_COMMITMENTS - 1 and "guidance" not in keys
    # Plans already started keep their item.
    assert "guidance" in [i.commitment_key for i in items(app, "alpha-police", 2024)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "Enter the commitment"),
        ({"title": "x" * 301}, "The commitment must be 300 characters or fewer"),
        ({"kpi_key": "happiness"}, "Choose a KPI from the list"),
        (
            {"version": "0"},
            "Someone else changed this commitment while you were editing it: look again",
        ),
    ],
)
def test_bad_or_stale_edits_save_nothing(app: Flask, guidance, changes: dict, message: str) -> None:
    before = snapshot(app)
    response = as_user(app, COORDINATOR).post(
        f"{URL}/{guidance.id}/edit", data=form(guidance, **changes)
    )
    assert response.status_code == 200
    assert error_messages(response) == [message]
    assert snapshot(app) == before


def test_only_coordinators_edit_and_other_partnerships_are_hidden(app: Flask, guidance) -> None:
    before = snapshot(app)
    url = f"{URL}/{guidance.id}/edit"
    board = as_user(app, "board@example.org")
    assert board.get(url).status_code == 403
    assert board.post(url, data=form(guidance, title="Board was here")).status_code == 403
    # Body users have no partnership role: they meet the commitments in their plan.
    statement = as_user(app, "statement.alpha-police@example.org")
    assert statement.get(URL).status_code == 404
    assert statement.post(url, data=form(guidance, title="Mine now")).status_code == 404
    # Another partnership's commitment under this partnership's address.
    other = commitment(app, "guidance", "elsewhere")
    assert other.id != guidance.id
    coordinator = as_user(app, COORDINATOR)
    assert coordinator.get(f"{URL}/{other.id}/edit").status_code == 404
    assert coordinator.post(f"{URL}/{other.id}/edit", data=form(other)).status_code == 404
    assert coordinator.get("/partnerships/elsewhere/commitments").status_code == 404
    assert snapshot(app) == before


def test_an_edit_that_races_another_gets_the_conflict_message(app: Flask, two_bodies: dict) -> None:
    from tisc.models import Commitment
    from tisc.services.errors import ConflictError
    from tisc.services.plans import commitments

    with app.app_context():
        commitment = db.session.scalars(select(Commitment).order_by(Commitment.id)).first()
        version, title = commitment.version_id, commitment.title
        # Another coordinator's save lands between this one's check and its write: the row's
        # version moves on while this session still holds the old one.
        db.session.execute(
            Commitment.__table__.update()
            .where(Commitment.__table__.c.id == commitment.id)
            .values(version_id=version + 1)
        )
        try:
            commitments.update_commitment(
                commitment=commitment,
                expected_version=version,
                title="Changed",
                description=None,
                default_action=None,
                kpi_key=None,
                active=True,
            )
        except ConflictError as error:
            assert "Someone else changed this commitment" in error.message
        else:
            raise AssertionError("the racing edit was not refused")
        db.session.rollback()
        assert db.session.get(Commitment, commitment.id).title == title
