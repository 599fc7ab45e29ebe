"""The supplier's Check your answers: every answer in a summary list with a Change link back
to its question, and the acknowledgement asked only when there are recommendations."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.assessment_support import (
    best_answers,
    definition,
    hidden,
    invite,
    tier_a_supplier,
)
from tests.integration.register_support import error_messages
from tisc.extensions import db
from tisc.models import AssessmentStatus, SupplierAssessment


def _rows(soup) -> dict[str, tuple[str, str]]:
    """Each summary list row: key -> (value text, Change link)."""
    rows = {}
    for row in soup.select("main .govuk-summary-list__row"):
        key = row.select_one(".govuk-summary-list__key").get_text(" ", strip=True)
        value = row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)
        action = row.select_one(".govuk-summary-list__actions a")
        rows[key] = (value, action["href"] if action else "")
    return rows


def test_check_your_answers_lists_every_answer_with_a_change_link(
    app: Flask, two_bodies: dict
) -> None:
    link, _ = invite(app, tier_a_supplier(app))
    supplier = app.test_client()
    form = definition(app)
    answers = best_answers(form)
    weak = form.question("recruitment-fees")
    weak_option = next(o for o in weak.options if o.score is not None and o.score < 4)
    answers["q-recruitment-fees"] = weak_option.key
    saved = supplier.post(
        link,
        data={
            **answers,
            **hidden(supplier, link),
            "evidence-policy": "Approved by the board in May",
            "subs-0-name": "Bright Chemicals",
            "subs-0-tier": "2",
            "subs-0-country": "Poland",
            "subs-0-supplies": "Cleaning fluids",
            "finish": "y",
        },
    )
    assert saved.status_code == 302
    soup = page(supplier.get(link + "/check"))
    assert soup.select_one("h1").get_text(strip=True) == "Check your answers before sending them"
    rows = _rows(soup)
    for question in form.questions:
        option = question.option(answers[f"q-{question.key}"])
        value, change = rows[question.text]
        assert value.startswith(option.label), question.key
        assert change == f"{link}#q-{question.key}"
    assert "Approved by the board in May" in rows[form.question("policy").text][0]
    assert rows["Bright Chemicals"] == ("Tier 2, Poland: Cleaning fluids", f"{link}#subs-0-name")
    # The answer a Change link leads to is on the page, ready to change.
    back = page(supplier.get(link))
    assert back.find(id="q-policy") is not None and back.find(id="subs-0-name") is not None
    # A weak answer: its recommendation, and the box to acknowledge it.
    assert weak_option.recommendation in soup.get_text()
    assert soup.select_one("input[name=acknowledged]") is not None


def test_with_no_recommendations_there_is_nothing_to_acknowledge(
    app: Flask, two_bodies: dict
) -> None:
    link, _ = invite(app, tier_a_supplier(app))
    supplier = app.test_client()
    answers = best_answers(definition(app))
    supplier.post(link, data={**answers, **hidden(supplier, link), "finish": "y"})
    check = page(supplier.get(link + "/check"))
    assert "there are no recommendations" in check.get_text()
    assert check.select_one("input[name=acknowledged]") is None
    sent = supplier.post(
        link + "/check", data={"respondent_name": "Sam Jones", **hidden(supplier, link + "/check")}
    )
    assert sent.status_code == 200, error_messages(sent)
    assert page(sent).select_one("h1").get_text(strip=True) == "Your answers have been sent"
    with app.app_context():
        assessment = db.session.scalars(select(SupplierAssessment)).one()
        assert assessment.status is AssessmentStatus.AWAITING_REVIEW
        assert assessment.acknowledged_at is None  # there was nothing to acknowledge
