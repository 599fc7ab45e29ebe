"""Importing a supplier's completed STRT: upload, preview, a draft assessment, the file kept."""

from __future__ import annotations

import hashlib
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import page
from tests.integration.assessment_support import count, definition, invite, tier_a_supplier
from tests.integration.register_support import as_user, banner, error_messages, main_text
from tests.integration.upload_support import _workbook_parts, workbook_with_macros
from tests.unit.strt_builders import (
    BLANK,
    CONFLICT,
    GRIEVANCE,
    strt_workbook,
    unrelated_workbook,
)
from tisc.extensions import db
from tisc.models import (
    AssessmentSource,
    AssessmentStatus,
    AuditEvent,
    StrtFile,
    SupplierAssessment,
)

LEAD = "procurement.alpha-police@example.org"
MAPPED = {
    "policy": "yes-internal",
    "supplier-code": "yes-some-contracts",
    "risk-assessment": "no",
    "recruitment-fees": "no-not-checked",
    "training-staff": "some-staff",
}


def _url(supplier: int, org: str = "alpha-police") -> str:
    return f"/organisations/{org}/suppliers/{supplier}/strt"


def _upload(client: FlaskClient, supplier: int, data: bytes, name: str = "strt.xlsx"):
    return client.post(
        _url(supplier),
        data={"file": (io.BytesIO(data), name), "financial_year": "2024"},
        content_type="multipart/form-data",
    )


def _assessments(app: Flask) -> list[SupplierAssessment]:
    with app.app_context():
        found = list(db.session.scalars(select(SupplierAssessment)))
        for a in found:
            _ = a.answer_map
            db.session.expunge(a)
        return found


def test_a_lead_imports_a_template_into_a_new_draft(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    data = strt_workbook()
    uploaded = _upload(lead, supplier, data)
    assert uploaded.status_code == 302, error_messages(uploaded)
    preview_url = uploaded.headers["Location"]
    assert count(app, SupplierAssessment) == 0  # nothing until confirmed

    shown = page(lead.get(preview_url))
    mapped = shown.select("table[data-mapped] tbody tr")
    assert len(mapped) == len(MAPPED)
    policy = definition(app).question("policy")
    first = [c.get_text(" ", strip=True) for c in mapped[0].select("th, td")]
    assert first[1:] == [
        "Yes",
        policy.buyer_text or policy.text,
        policy.option("yes-internal").label,
    ]
    unmapped = shown.select("table[data-unmapped] tbody tr")
    why = {r.select_one("th").get_text(" ", strip=True).split(" Questions")[0]: r for r in unmapped}
    assert set(why) == {CONFLICT, GRIEVANCE, BLANK}
    assert "No question of the questionnaire asks this" in why[CONFLICT].get_text()
    assert "no equivalent" in why[GRIEVANCE].get_text()
    assert "Not answered in the file" in why[BLANK].get_text()

    confirmed = lead.post(preview_url, data={})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith("/answers")
    assert "now has 5 answers" in banner(lead.get(confirmed.headers["Location"]))
    (assessment,) = _assessments(app)
    assert assessment.status is AssessmentStatus.DRAFT  # never completed by the import
    assert assessment.source is AssessmentSource.BUYER
    assert assessment.financial_year == 2024
    assert assessment.answer_map == MAPPED
    with app.app_context():
        kept = db.session.scalars(select(StrtFile)).one()
        assert kept.assessment_id == assessment.id
        assert kept.sha256 == hashlib.sha256(data).hexdigest()
        evidence = {
            a.question_key: a.evidence
            for a in db.session.get(SupplierAssessment, assessment.id).answers
        }
        audited = db.session.scalars(
            select(AuditEvent.record_type).where(AuditEvent.record_type == "strt_files")
        ).all()
    assert evidence["policy"].startswith("From STRT strt.xlsx, ")
    assert "“Yes”" in evidence["policy"] and "Questions 1" in evidence["policy"]
    assert audited  # the upload and the import are in the audit trail

    detail = lead.get(f"/organisations/alpha-police/assessments/{assessment.id}")
    marked = page(detail).select_one("[data-strt-file]")
    assert " ".join(marked.get_text().split()).startswith("From STRT strt.xlsx, ")
    got = lead.get(marked.select_one("a")["href"])
    assert got.status_code == 200 and got.data == data

    # Confirming again adds nothing: the page goes to the assessment.
    again = lead.post(preview_url, data={})
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/assessments/{assessment.id}")
    assert len(_assessments(app)) == 1


def test_a_draft_keeps_its_own_answers_and_gets_the_rest(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    started = lead.post(
        f"/organisations/alpha-police/suppliers/{supplier}/assess",
        data={"financial_year": "2024", "questionnaire": "standard"},
    )
    answer_url = started.headers["Location"]
    saved = lead.post(answer_url, data={"q-policy": "yes-published", "version": "1", "save": "y"})
    assert saved.status_code == 302
    preview_url = _upload(lead, supplier, strt_workbook()).headers["Location"]
    shown = page(lead.get(preview_url))
    assert "Already answered in the draft" in shown.select_one("table[data-unmapped]").get_text()
    assert len(shown.select("table[data-mapped] tbody tr")) == len(MAPPED) - 1
    assert lead.post(preview_url, data={}).status_code == 302
    (assessment,) = _assessments(app)
    assert assessment.answer_map == {**MAPPED, "policy": "yes-published"}


def _bomb() -> bytes:
    def write(entry) -> None:
        entry.write(b" " * (20 * 1024 * 1024))

    return _workbook_parts(write, level=9)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Question,Answer\nDo you have a policy on slavery?,Yes\n", "is not an Excel .xlsx file"),
        (_bomb(), "expands to far more data"),
        (workbook_with_macros(), "contains macros"),
        (unrelated_workbook(), "does not look like a completed Slavery and Trafficking"),
    ],
    ids=["not-a-zip", "zip-bomb", "macros", "no-strt-questions"],
)
def test_a_file_that_is_not_a_usable_template_is_refused_and_nothing_is_kept(
    app: Flask, two_bodies: dict, data: bytes, message: str
) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    refused = _upload(lead, supplier, data)
    assert refused.status_code == 200
    assert any(message in m for m in error_messages(refused)), error_messages(refused)
    assert count(app, StrtFile) == 0
    assert count(app, SupplierAssessment) == 0


def test_an_assessment_past_its_draft_is_not_filled(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    invite(app, supplier)  # with the supplier for 2024/25
    lead = as_user(app, LEAD)
    refused = _upload(lead, supplier, strt_workbook())
    assert refused.status_code == 200
    assert "with the supplier" in error_messages(refused)[0]
    assert count(app, StrtFile) == 0
    (assessment,) = _assessments(app)
    assert assessment.answer_map == {}


def test_a_preview_whose_year_moved_on_says_so_and_changes_nothing(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    preview_url = _upload(lead, supplier, strt_workbook()).headers["Location"]
    invite(app, supplier)
    shown = lead.get(preview_url, follow_redirects=True)
    assert "with the supplier" in banner(shown)
    refused = lead.post(preview_url, data={}, follow_redirects=True)
    assert "with the supplier" in banner(refused)
    (assessment,) = _assessments(app)
    assert assessment.answer_map == {}


def test_other_bodies_and_readers_cannot_reach_a_template(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    preview_url = _upload(lead, supplier, strt_workbook()).headers["Location"]
    other = as_user(app, "procurement.beta-opcc@example.org")
    beta_preview = preview_url.replace("alpha-police", "beta-opcc")
    for url in (_url(supplier), _url(supplier, "beta-opcc"), preview_url, beta_preview):
        assert other.get(url).status_code == 404, url
    assert other.post(beta_preview, data={}).status_code == 404
    viewer = as_user(app, "viewer.alpha-police@example.org")
    assert viewer.get(_url(supplier)).status_code == 403
    assert viewer.post(preview_url, data={}).status_code == 403
    assert count(app, SupplierAssessment) == 0
    assert lead.post(preview_url, data={}).status_code == 302
    (assessment,) = _assessments(app)
    with app.app_context():
        file_id = db.session.scalars(select(StrtFile.id)).one()
    download = f"/organisations/alpha-police/assessments/{assessment.id}/strt/{file_id}"
    assert viewer.get(download).status_code == 200
    assert other.get(download).status_code == 404
    assert other.get(download.replace("alpha-police", "beta-opcc")).status_code == 404


def test_the_supplier_page_offers_the_import(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    shown = lead.get(f"/organisations/alpha-police/suppliers/{supplier}")
    assert "Import a completed STRT" in main_text(shown)
    form = page(lead.get(_url(supplier)))
    assert form.select_one("h1").get_text(strip=True) == "Import a completed STRT"
    assert form.select_one("input[type=file]")["accept"] == ".xlsx"
