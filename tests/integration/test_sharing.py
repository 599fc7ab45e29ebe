"""Answer once, share across the partnership: other bodies see and adopt an assessment."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.assessment_support import best_answers, count, definition, tier_a_supplier
from tests.integration.register_support import as_user, error_messages, main_text
from tisc.extensions import db
from tisc.models import AssessmentSource, AssessmentStatus, SupplierAssessment

ALPHA = "procurement.alpha-police@example.org"
BETA = "procurement.beta-opcc@example.org"


def _complete_in_alpha(app: Flask, supplier: int, status: str = "finish") -> int:
    lead = as_user(app, ALPHA)
    url = lead.post(
        f"/organisations/alpha-police/suppliers/{supplier}/assess",
        data={"financial_year": "2024", "questionnaire": "short"},
    ).headers["Location"]
    lead.post(url, data={**best_answers(definition(app, "short")), "version": "1", status: "y"})
    return int(url.split("/")[-2])


def test_a_partner_sees_and_adopts_an_assessment_of_the_same_business(
    app: Flask, two_bodies: dict
) -> None:
    alpha_supplier = tier_a_supplier(app)
    # Beta spells the name differently but has the same company number.
    beta_supplier = tier_a_supplier(app, "beta-opcc", "SPARKLE CLEANING LIMITED")
    shared_id = _complete_in_alpha(app, alpha_supplier)

    beta = as_user(app, BETA)
    supplier_page = page(beta.get(f"/organisations/beta-opcc/suppliers/{beta_supplier}"))
    links = [a["href"] for a in supplier_page.select("a") if "shared-assessments" in a["href"]]
    assert links == [
        f"/organisations/beta-opcc/suppliers/{beta_supplier}/shared-assessments/{shared_id}"
    ]
    shared = beta.get(links[0])
    assert shared.status_code == 200
    assert "Alpha Police" in main_text(shared) and "100.0%" in main_text(shared)

    adopted = beta.post(links[0] + "/adopt", data={"financial_year": "2024"})
    assert adopted.status_code == 302
    questions = len(definition(app, "short").questions)
    with app.app_context():
        mine = db.session.scalars(
            select(SupplierAssessment).where(SupplierAssessment.supplier_id == beta_supplier)
        ).one()
        assert mine.source is AssessmentSource.ADOPTED
        assert mine.status is AssessmentStatus.COMPLETE
        assert mine.adopted_from_id == shared_id
        assert mine.score == db.session.get(SupplierAssessment, shared_id).score
        assert len(mine.answers) == questions
    # Adopting twice for the same year is refused.
    again = beta.post(links[0] + "/adopt", data={"financial_year": "2024"})
    assert error_messages(again) == [
        "SPARKLE CLEANING LIMITED already has an assessment for 2024/25"
    ]
    assert count(app, SupplierAssessment) == 2


def test_drafts_and_other_partnerships_are_not_shared(app: Flask, two_bodies: dict) -> None:
    alpha_supplier = tier_a_supplier(app)
    draft_id = _complete_in_alpha(app, alpha_supplier, status="save")
    beta_supplier = tier_a_supplier(app, "beta-opcc", "Sparkle Cleaning Ltd")
    outside_supplier = tier_a_supplier(app, "gamma-police", "Sparkle Cleaning Ltd")
    beta = as_user(app, BETA)
    url = f"/organisations/beta-opcc/suppliers/{beta_supplier}/shared-assessments/{draft_id}"
    assert beta.get(url).status_code == 404
    assert beta.post(url + "/adopt", data={"financial_year": "2024"}).status_code == 404

    # Complete it: a body outside the partnership still cannot see it.
    lead = as_user(app, ALPHA)
    answer_url = f"/organisations/alpha-police/assessments/{draft_id}/answers"
    version = page(lead.get(answer_url)).select_one("input[name=version]")["value"]
    lead.post(
        answer_url,
        data={**best_answers(definition(app, "short")), "version": version, "finish": "y"},
    )
    assert beta.get(url).status_code == 200
    gamma = as_user(app, "procurement.gamma-police@example.org")
    outside = (
        f"/organisations/gamma-police/suppliers/{outside_supplier}/shared-assessments/{draft_id}"
    )
    assert gamma.get(outside).status_code == 404
    # A viewer in beta may read it but not adopt it.
    viewer = as_user(app, "viewer.beta-opcc@example.org")
    assert viewer.get(url).status_code == 200
    assert viewer.post(url + "/adopt", data={"financial_year": "2024"}).status_code == 403
    assert count(app, SupplierAssessment) == 1


def test_different_company_numbers_are_different_businesses(app: Flask, two_bodies: dict) -> None:
    alpha_supplier = tier_a_supplier(app)  # company number 01234567
    shared_id = _complete_in_alpha(app, alpha_supplier)
    from tests.integration.register_support import CLEANING_TEXT, Pay, import_payments, supplier_id

    import_payments(
        app,
        "beta-opcc",
        Pay("Sparkle Cleaning Ltd", "10/05/2024", "60000.00", CLEANING_TEXT, "99999999"),
        filename="beta.csv",
    )
    beta_supplier = supplier_id(app, "beta-opcc", "Sparkle Cleaning Ltd")
    beta = as_user(app, BETA)
    url = f"/organisations/beta-opcc/suppliers/{beta_supplier}/shared-assessments/{shared_id}"
    assert beta.get(url).status_code == 404
    shown = page(beta.get(f"/organisations/beta-opcc/suppliers/{beta_supplier}"))
    assert not [a for a in shown.select("a") if "shared-assessments" in a["href"]]
