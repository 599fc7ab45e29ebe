"""A body's year with known tiers and due diligence, for the due-diligence tests.

alpha-police in 2024/25 (threshold £50,000.00; spend strictly greater is over it):

| supplier       | category        | spend     | tier | recorded                                 |
|----------------|-----------------|-----------|------|------------------------------------------|
| Clean A1 Ltd   | cleaning (High) | 50,000.01 | A    | everything: nothing missing              |
| Clean A2 Ltd   | cleaning (High) | 60,000.00 | A    | draft assessment, sub-supplier from it,  |
|                |                 |           |      | plan requested, review not discussing MS |
| Clean A3 Ltd   | cleaning (High) | 75,000.00 | A    | nothing                                  |
| Clean B Ltd    | cleaning (High) | 50,000.00 | B    | complete assessment, guidance (not over) |
| Hotel B Ltd    | hotel (Medium)  | 50,000.01 | B    | guidance                                 |
| Hotel D Ltd    | hotel (Medium)  | 100.00    | D    |                                          |
| Software C Ltd | software (Low)  | 80,000.00 | C    | guidance, a review discussing MS         |
| Software D Ltd | software (Low)  | 10.00     | D    | guidance (not over)                      |
| Kennels A Ltd  | none            | 51,000.00 | A    | nothing: needs a category, so tier A     |

beta-opcc has a tier A supplier with everything recorded, which must never count for alpha.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import select

from tests.integration import table_snapshot
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
    SOFTWARE_TEXT,
    UNKNOWN_TEXT,
    Pay,
    import_payments,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import (
    AssessmentSource,
    AssessmentStatus,
    Questionnaire,
    SubSupplier,
    Supplier,
    SupplierAssessment,
)
from tisc.services.accounts import organisations
from tisc.services.due_diligence import overview as dd

YEAR = 2024
SLUG = "2024-25"
A = "/organisations/alpha-police"
# Tables a due-diligence action may write to.
TABLES = ("due_diligence", "sub_suppliers", "contract_reviews", "supplier_events", "assessments")

SPEND = (
    ("Clean A1 Ltd", "50000.01", CLEANING_TEXT),
    ("Clean A2 Ltd", "60000.00", CLEANING_TEXT),
    ("Clean A3 Ltd", "75000.00", CLEANING_TEXT),
    ("Clean B Ltd", "50000.00", CLEANING_TEXT),
    ("Hotel B Ltd", "50000.01", HOTEL_TEXT),
    ("Hotel D Ltd", "100.00", HOTEL_TEXT),
    ("Software C Ltd", "80000.00", SOFTWARE_TEXT),
    ("Software D Ltd", "10.00", SOFTWARE_TEXT),
    ("Kennels A Ltd", "51000.00", UNKNOWN_TEXT),
)

EXPECTED = {
    "suppliers_over_threshold": 6,
    "high_risk_over_threshold": 4,  # with Kennels A Ltd, which needs a category
    "needing_assessment": 6,
    "assessed": 2,
    "mapped_beyond_tier1": 1,
    "plans_requested": 2,
    "plans_received": 1,
    "guidance_sent": 3,
    "contract_reviews": 3,
    "contract_reviews_discussed": 2,
}


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of the due-diligence tables, to show a refused request changed nothing."""
    return table_snapshot.snapshot(app, TABLES)


def make_assessment(
    app: Flask, org_slug: str, name: str, *, complete: bool, score_tenths: int = 850
) -> int:
    """A buyer's assessment of the supplier in 2024/25, complete (scored) or a draft."""
    sid = supplier_id(app, org_slug, name)  # before our own context: SQLite locks nest badly
    with app.app_context():
        org = organisations.get_organisation(slug=org_slug)
        supplier = db.session.get(Supplier, sid)
        questionnaire = db.session.scalar(
            select(Questionnaire)
            .where(Questionnaire.partnership_id == org.partnerships[0].id)
            .order_by(Questionnaire.id)
        )
        assessment = SupplierAssessment(
            organisation_id=org.id,
            supplier_id=supplier.id,
            financial_year=YEAR,
            questionnaire_id=questionnaire.id,
            status=AssessmentStatus.COMPLETE if complete else AssessmentStatus.DRAFT,
            source=AssessmentSource.BUYER,
            score_tenths=score_tenths if complete else None,
            completed_at=datetime(2024, 9, 1, 12, tzinfo=UTC) if complete else None,
        )
        db.session.add(assessment)
        db.session.commit()
        return assessment.id


def _record(app: Flask, org_slug: str, name: str, **values: object) -> None:
    sid = supplier_id(app, org_slug, name)  # before our own context: SQLite locks nest badly
    with app.app_context():
        org = organisations.get_organisation(slug=org_slug)
        supplier = db.session.get(Supplier, sid)
        defaults = {
            "guidance_sent_on": None,
            "guidance_method": None,
            "plan_requested_on": None,
            "plan_received_on": None,
        }
        dd.update_due_diligence(
            org=org,
            supplier=supplier,
            financial_year=YEAR,
            user=None,
            expected_version=0,
            **{**defaults, **values},
        )
        db.session.commit()


def _sub(app: Flask, org_slug: str, name: str, sub: str, assessment_id: int | None = None) -> None:
    sid = supplier_id(app, org_slug, name)  # before our own context: SQLite locks nest badly
    with app.app_context():
        org = organisations.get_organisation(slug=org_slug)
        supplier = db.session.get(Supplier, sid)
        if assessment_id is None:
            dd.add_sub_supplier(
                org=org,
                supplier=supplier,
                financial_year=YEAR,
                user=None,
                name=sub,
                tier=2,
                country="Bangladesh",
                supplies="Cloths",
            )
        else:  # as a supplier's self-assessment would add it
            db.session.add(
                SubSupplier(
                    organisation_id=org.id,
                    supplier_id=supplier.id,
                    financial_year=YEAR,
                    assessment_id=assessment_id,
                    name=sub,
                    tier=3,
                    country="China",
                    supplies="Chemicals",
                )
            )
        db.session.commit()


def add_sub(app: Flask, org_slug: str, name: str, sub: str, country: str, supplies: str) -> None:
    """A Tier 2 sub-supplier entered by hand for the year."""
    sid = supplier_id(app, org_slug, name)  # before our own context: SQLite locks nest badly
    with app.app_context():
        org = organisations.get_organisation(slug=org_slug)
        dd.add_sub_supplier(
            org=org,
            supplier=db.session.get(Supplier, sid),
            financial_year=YEAR,
            user=None,
            name=sub,
            tier=2,
            country=country,
            supplies=supplies,
        )
        db.session.commit()


def _review(app: Flask, org_slug: str, name: str, day: date, discussed: bool) -> None:
    sid = supplier_id(app, org_slug, name)  # before our own context: SQLite locks nest badly
    with app.app_context():
        org = organisations.get_organisation(slug=org_slug)
        supplier = db.session.get(Supplier, sid)
        dd.add_contract_review(
            org=org,
            supplier=supplier,
            user=None,
            reviewed_on=day,
            contract_id=None,
            modern_slavery_discussed=discussed,
            notes="Quarterly review",
        )
        db.session.commit()


def build_year(app: Flask) -> None:
    """The fixture in the module docstring (needs the two_bodies fixture first)."""
    import_payments(app, "alpha-police", *(Pay(n, "2024-05-01", a, c) for n, a, c in SPEND))
    import_payments(
        app, "beta-opcc", Pay("Beta Clean Ltd", "2024-05-01", "90000.00", CLEANING_TEXT)
    )
    sent = {"guidance_sent_on": date(2024, 6, 1), "guidance_method": "email"}
    make_assessment(app, "alpha-police", "Clean A1 Ltd", complete=True)
    _sub(app, "alpha-police", "Clean A1 Ltd", "Cloth Mill Ltd")
    _record(
        app,
        "alpha-police",
        "Clean A1 Ltd",
        plan_requested_on=date(2024, 6, 1),
        plan_received_on=date(2024, 7, 1),
        **sent,
    )
    _review(app, "alpha-police", "Clean A1 Ltd", date(2024, 8, 1), True)
    _review(app, "alpha-police", "Clean A1 Ltd", date(2024, 3, 1), True)  # 2023/24
    draft = make_assessment(app, "alpha-police", "Clean A2 Ltd", complete=False)
    _sub(app, "alpha-police", "Clean A2 Ltd", "Draft Chemicals Ltd", assessment_id=draft)
    _record(app, "alpha-police", "Clean A2 Ltd", plan_requested_on=date(2024, 6, 1))
    _review(app, "alpha-police", "Clean A2 Ltd", date(2024, 9, 1), False)
    make_assessment(app, "alpha-police", "Clean B Ltd", complete=True, score_tenths=300)
    for name in ("Clean B Ltd", "Hotel B Ltd", "Software C Ltd", "Software D Ltd"):
        _record(app, "alpha-police", name, **sent)
    _review(app, "alpha-police", "Software C Ltd", date(2025, 1, 10), True)
    # Another body: all of this is beta's and must not count for alpha.
    make_assessment(app, "beta-opcc", "Beta Clean Ltd", complete=True)
    _sub(app, "beta-opcc", "Beta Clean Ltd", "Beta Mill Ltd")
    _record(
        app,
        "beta-opcc",
        "Beta Clean Ltd",
        plan_requested_on=date(2024, 6, 1),
        plan_received_on=date(2024, 7, 1),
        **sent,
    )
    _review(app, "beta-opcc", "Beta Clean Ltd", date(2024, 8, 1), True)
