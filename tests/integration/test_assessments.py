"""Scoring a supplier online: start, save a draft, come back, submit; ratings and reasons."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.assessment_support import (
    best_answers,
    count,
    definition,
    tier_a_supplier,
    worst_answers,
)
from tests.integration.register_support import as_user, error_messages, main_text
from tisc.extensions import db
from tisc.models import AssessmentAnswer, AssessmentStatus, SupplierAssessment
from tisc.rules.questionnaire import score_answers

LEAD = "procurement.alpha-police@example.org"


def _start(client, supplier: int, year: str = "2024", form: str = "standard"):
    return client.post(
        f"/organisations/alpha-police/suppliers/{supplier}/assess",
        data={"financial_year": year, "questionnaire": form},
    )


def _assessment(app: Flask, assessment_id: int) -> SupplierAssessment:
    with app.app_context():
        found = db.session.get(SupplierAssessment, assessment_id)
        db.session.expunge(found)
        return found


def test_a_lead_saves_a_draft_comes_back_and_submits(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    client = as_user(app, LEAD)
    started = _start(client, supplier)
    assert started.status_code == 302
    answer_url = started.headers["Location"]
    assessment_id = int(answer_url.split("/")[-2])

    form = definition(app)
    answers = best_answers(form)
    first_half = dict(list(answers.items())[:10])
    saved = client.post(
        answer_url,
        data={**first_half, "evidence-policy": "Policy seen", "version": "1", "save": "y"},
    )
    assert saved.status_code == 302
    assert _assessment(app, assessment_id).status is AssessmentStatus.DRAFT

    # Coming back shows what was saved, section by section (one page each).
    pages = [page(client.get(f"{answer_url}?section={s.key}")) for s in form.sections]
    checked = [p.select("input[type=radio][checked]") for p in pages]
    assert sum(len(c) for c in checked) == 10
    assert pages[0].select_one("textarea[name=evidence-policy]").get_text() == "Policy seen"

    version = pages[0].select_one("input[name=version]")["value"]
    incomplete = client.post(answer_url, data={**first_half, "version": version, "finish": "y"})
    assert incomplete.status_code == 200
    assert error_messages(incomplete)[0].startswith("Answer “")
    assert _assessment(app, assessment_id).status is AssessmentStatus.DRAFT

    version = page(client.get(f"{answer_url}?section=policies")).select_one("input[name=version]")[
        "value"
    ]
    # Not every section is complete, so the task list offers no Submit button yet; a
    # submission with every answer still works in one request.
    done = client.post(answer_url, data={**answers, "version": version, "finish": "y"})
    assert done.status_code == 302
    finished = _assessment(app, assessment_id)
    assert finished.status is AssessmentStatus.COMPLETE
    assert finished.score == Decimal("100.0")

    shown = client.get(done.headers["Location"])
    text = main_text(shown)
    assert "100.0%" in text
    assert page(shown).select_one(".govuk-tag--green").get_text(strip=True) == "Green"
    assert "High-risk category: starts red" in text
    assert "2 steps better" in text


def test_weak_answers_show_recommendations_and_critical_answers_make_it_red(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    client = as_user(app, LEAD)
    answer_url = _start(client, supplier).headers["Location"]
    form = definition(app)
    answers = best_answers(form)
    # Workers pay recruitment fees: everything else best practice.
    fees = form.question("recruitment-fees")
    critical = next(o for o in fees.options if o.critical)
    answers["q-recruitment-fees"] = critical.key
    expected = score_answers(form, {k[2:]: v for k, v in answers.items()})
    done = client.post(answer_url, data={**answers, "version": "1", "finish": "y"})
    shown = page(client.get(done.headers["Location"]))
    text = " ".join(shown.get_text(" ").split())
    assert f"{expected.percent}%" in text
    assert expected.percent >= Decimal(80)  # would be green without the critical answer
    assert shown.select_one(".govuk-tag--red").get_text(strip=True) == "Red"
    assert critical.critical in text
    recommendations = shown.select("table")[0].select("tbody tr")
    assert len(recommendations) == 1
    assert critical.recommendation in recommendations[0].get_text(" ")


def test_an_answer_that_is_not_an_option_is_refused_and_nothing_is_saved(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    client = as_user(app, LEAD)
    answer_url = _start(client, supplier).headers["Location"]
    refused = client.post(
        answer_url,
        data={"q-policy": "yes-published", "q-tier-2": "made-up", "version": "1", "save": "y"},
    )
    assert refused.status_code == 200
    assert error_messages(refused) == [
        f"Choose one of the answers given for “{definition(app).question('tier-2').text}”"
    ]
    assert count(app, AssessmentAnswer) == 0


def test_a_stale_form_gets_a_conflict_message_and_changes_nothing(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    client = as_user(app, LEAD)
    answer_url = _start(client, supplier).headers["Location"]
    client.post(answer_url, data={"q-policy": "yes-published", "version": "1", "save": "y"})
    stale = client.post(answer_url, data={"q-policy": "no", "version": "1", "save": "y"})
    assert stale.status_code == 200
    assert "Someone else saved this assessment" in error_messages(stale)[0]
    with app.app_context():
        saved = db.session.scalars(select(AssessmentAnswer.option_key)).all()
    assert saved == ["yes-published"]


def test_one_assessment_per_supplier_and_year(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    client = as_user(app, LEAD)
    assert _start(client, supplier).status_code == 302
    again = _start(client, supplier)
    assert again.status_code == 200
    assert error_messages(again) == [
        "Sparkle Cleaning Ltd already has an assessment for 2024/25 (draft)"
    ]
    assert count(app, SupplierAssessment) == 1
    # Another year is a re-assessment, kept beside the first.
    assert _start(client, supplier, year="2025").status_code == 302
    assert count(app, SupplierAssessment) == 2


def test_scores_over_time_show_on_the_supplier_page(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    client = as_user(app, LEAD)
    form = definition(app, "short")
    for year, answers in (("2024", worst_answers(form)), ("2025", best_answers(form))):
        url = _start(client, supplier, year=year, form="short").headers["Location"]
        assert client.post(url, data={**answers, "version": "1", "finish": "y"}).status_code == 302
    shown = page(client.get(f"/organisations/alpha-police/suppliers/{supplier}"))
    table = next(t for t in shown.select("table") if "Assessments" in t.caption.get_text())
    rows = [
        [c.get_text(" ", strip=True) for c in tr.select("th, td")]
        for tr in table.select("tbody tr")
    ]
    assert [r[0] for r in rows] == ["2025/26", "2024/25"]
    assert rows[0][-2:] == ["100.0%", "Green"]
    assert rows[1][-2:] == ["0.0%", "Red"]


def test_other_bodies_and_readers_cannot_touch_an_assessment(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    answer_url = _start(lead, supplier).headers["Location"]
    assessment_id = int(answer_url.split("/")[-2])
    other = as_user(app, "procurement.beta-opcc@example.org")
    for url in (
        f"/organisations/alpha-police/assessments/{assessment_id}",
        f"/organisations/beta-opcc/assessments/{assessment_id}",
        f"/organisations/beta-opcc/assessments/{assessment_id}/answers",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(f"/organisations/beta-opcc/assessments/{assessment_id}/cancel").status_code
        == 404
    )
    viewer = as_user(app, "viewer.alpha-police@example.org")
    assert viewer.get(f"/organisations/alpha-police/assessments/{assessment_id}").status_code == 200
    assert viewer.post(answer_url, data={"q-policy": "no", "version": "1"}).status_code == 403
    assert (
        viewer.post(
            f"/organisations/alpha-police/assessments/{assessment_id}/cancel", data={"version": "1"}
        ).status_code
        == 403
    )
    assert count(app, AssessmentAnswer) == 0
    assert _assessment(app, assessment_id).status is AssessmentStatus.DRAFT
