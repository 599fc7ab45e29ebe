"""Anyone holding a supplier's link can post to it: a huge form is refused before it is read,
rows past the limit are never built, and a link that posts too often is held back a while."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.wrappers import Request as FlaskRequest
from sqlalchemy import select

from tests.conftest import page
from tests.integration.assessment_support import (
    best_answers,
    count,
    definition,
    hidden,
    invite,
    tier_a_supplier,
)
from tests.integration.register_support import main_text
from tisc.extensions import db
from tisc.models import AssessmentAnswer, Invitation, SubSupplier
from tisc.services.assessments import invitations
from tisc.views.respond import MAX_FORM_BYTES


def _rows(how_many: int) -> dict[str, str]:
    rows: dict[str, str] = {}
    for index in range(how_many):
        rows |= {
            f"subs-{index}-name": f"Sub-supplier number {index:05d} Limited",
            f"subs-{index}-tier": "2",
            f"subs-{index}-country": "United Kingdom",
            f"subs-{index}-supplies": "Cleaning products",
        }
    return rows


def _saved(app: Flask) -> tuple[int, int, datetime | None]:
    with app.app_context():
        last_saved = db.session.scalars(select(Invitation.last_saved_at)).one()
    return count(app, AssessmentAnswer), count(app, SubSupplier), last_saved


def test_a_post_with_8000_sub_supplier_rows_is_refused_at_once(
    app: Flask, two_bodies: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    link, _ = invite(app, tier_a_supplier(app))
    supplier = app.test_client()
    data = {
        **best_answers(definition(app)),
        **hidden(supplier, link),
        **_rows(8000),
        "save": "y",
    }
    body = urlencode(data)
    assert len(body) > 600_000  # the attack from the issue: about 640 KB
    before = _saved(app)

    # Building 8,000 rows took 30 s before. Now the body is refused by its length alone:
    # the form is never read (how long that takes is measured by `make bench`, not here).
    def never(_request: object) -> None:
        raise AssertionError("the form of a refused body was read")

    monkeypatch.setattr(FlaskRequest, "_load_form_data", never)
    response = supplier.post(link, data=body, content_type="application/x-www-form-urlencoded")
    monkeypatch.undo()
    assert response.status_code == 413
    shown = page(response)
    assert shown.select_one("h1").get_text(strip=True) == "Your answers are too long to save"
    assert "nothing was saved" in main_text(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert _saved(app) == before
    # The link still works for the supplier.
    assert supplier.get(link).status_code == 200


def test_rows_past_fifty_are_never_built(app: Flask, two_bodies: dict) -> None:
    link, _ = invite(app, tier_a_supplier(app))
    supplier = app.test_client()
    data = {**best_answers(definition(app)), **hidden(supplier, link), **_rows(400)}
    body = urlencode({**data, "save": "y"})
    assert len(body) < MAX_FORM_BYTES  # under the body limit: the form reads it
    response = supplier.post(link, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert count(app, SubSupplier) == invitations.MAX_SUB_SUPPLIERS
    # Coming back shows the 50 rows and no blank ones past the limit.
    back = page(supplier.get(link))
    assert len(back.select("input[name$=-name]")) == invitations.MAX_SUB_SUPPLIERS


class Clock:
    """A fake clock for the link's POST counter."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_a_link_that_posts_too_often_is_held_back_until_the_window_passes(
    app: Flask, two_bodies: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    link, _ = invite(app, tier_a_supplier(app))
    clock = Clock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    # Link expiry is read from the same clock: the invitation lasts 30 days from the real
    # day it was made, so start the fake clock just after it was made.
    with app.app_context():
        made = db.session.scalars(select(Invitation.expires_at)).one()
    clock.now = made.replace(tzinfo=UTC) - timedelta(days=29)
    monkeypatch.setattr(invitations, "_now", clock)
    limit = invitations.POSTS_PER_WINDOW
    supplier = app.test_client()
    answers = best_answers(definition(app))
    first = dict(list(answers.items())[:1])
    for _ in range(limit):
        saved = supplier.post(link, data={**first, **hidden(supplier, link), "save": "y"})
        assert saved.status_code == 302
        clock.now += timedelta(seconds=2)
    before = _saved(app)
    more = dict(list(answers.items())[:3])
    refused = supplier.post(link, data={**more, **hidden(supplier, link), "save": "y"})
    assert refused.status_code == 429
    assert "sent too many times" in main_text(refused)
    assert _saved(app) == before
    # The check page's form counts too: it is the same link.
    assert supplier.post(link + "/check", data={"respondent_name": "Sam"}).status_code == 429
    # Reading the questions is never held back.
    assert supplier.get(link).status_code == 200

    clock.now += timedelta(seconds=invitations.POST_WINDOW_SECONDS)
    again = supplier.post(link, data={**more, **hidden(supplier, link), "save": "y"})
    assert again.status_code == 302
    assert count(app, AssessmentAnswer) == 3
