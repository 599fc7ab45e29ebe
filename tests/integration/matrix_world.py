"""The security tests' world: the authorisation matrix runs in it, and so do the walks of every
route (CSRF, security headers, stored script) and the stale forms.

north-east (alpha-police, beta-opcc) and elsewhere (gamma-police), with the users of
conftest.build_two_bodies and a spare user in each body for the admin pages. In each body one
record of every kind a route takes an id for: suppliers from an import (a tier A one, one to
merge, one invited, one with a self-assessment awaiting review, one every body buys from), a
contract (with a KPI, and the procurement that awarded it with its PPN 009 assessment), a
pending upload, a personal payee, a finance-category mapping, a buyer's draft
assessment, a supplier's invitation (its token; answers saved, not sent), a complete
assessment of the shared business, due diligence with a sub-supplier and a contract review,
this year's action plan and a training record, and the body's single statements in three
states (world_statements). In each partnership: categories, commitments, questionnaires, and
joint statements in the same three states. One uploaded statement template. Every record is
made through the services, as people would make them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Factory, build_two_bodies, sign_in
from tests.fixtures.templates.builders import docx_bytes
from tests.integration.assessment_support import best_answers, definition
from tests.integration.due_diligence_support import make_assessment
from tests.integration.plan_support import this_year
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
    SOFTWARE_TEXT,
    UNKNOWN_TEXT,
    Pay,
    import_payments,
    supplier_id,
)
from tests.integration.world_statements import (
    STATEMENT_YEAR,
    body_plans_and_statements,
    partnership_set_up,
)
from tests.unit.strt_builders import strt_workbook
from tisc import jobs
from tisc.extensions import db
from tisc.models import (
    AuditEvent,
    Category,
    Commitment,
    ConnectedParty,
    Contract,
    ContractReview,
    DueDiligence,
    ExclusionDecision,
    Incident,
    Invitation,
    PlanItem,
    Ppn009Assessment,
    Procurement,
    Questionnaire,
    Role,
    Statement,
    StatementRisk,
    StatementSection,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    TrainingRecord,
    User,
)
from tisc.rules.ppn009 import Characteristic, Mitigation
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations, password_links, users
from tisc.services.assessments import invitations, strt
from tisc.services.assessments import records as assessments
from tisc.services.assessments.records import AnswerInput
from tisc.services.due_diligence import records
from tisc.services.exclusions import decisions as exclusion_decisions
from tisc.services.exclusions import parties as connected_parties
from tisc.services.imports import jobs as import_jobs
from tisc.services.imports import uploads
from tisc.services.incidents import records as incident_records
from tisc.services.procurements import contract_management, ppn009, procurements
from tisc.services.register import categories, contracts, payees
from tisc.services.statements import records as statements
from tisc.services.statements import templates as statement_templates

YEAR = 2024  # the spend, assessments and due diligence
# Body key -> (slug, the word its records' names start with).
BODIES = {
    "alpha": ("alpha-police", "Alpha"),
    "beta": ("beta-opcc", "Beta"),
    "gamma": ("gamma-police", "Gamma"),
}
SHARED = "Shared Mills Ltd"  # one business every body buys from (same company number)
# Roles signed in for the matrix; procurement, statement and viewer are alpha-police's.
EMAILS = {
    "admin": "admin@example.org",
    "coordinator": "coordinator@example.org",
    "board": "board@example.org",
    "procurement": "procurement.alpha-police@example.org",
    "statement": "statement.alpha-police@example.org",
    "viewer": "viewer.alpha-police@example.org",
}
SPEND_CSV = b"Supplier Name,Payment Date,Amount\nNew Payee Ltd,01/05/2024,10.00\n"
TEMPLATE = docx_bytes("{{ title }} for {{ year }}")
STRT = strt_workbook()
DEBARMENT_CSV = (
    b"Supplier name,Company number,Ground,Mandatory,Start date\n"
    b"Listed Example Ltd,09999999,Modern slavery offence,Mandatory,01/03/2025\n"
)


@dataclass
class World:
    """URL values by body key ("alpha", "beta", "gamma"), values every body shares, the
    session cookie of each signed-in role, and the names that must never leak."""

    bodies: dict[str, dict[str, str]]
    common: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    next_questionnaire: str = ""  # the partnership's standard form as its next version

    def values(self, body: str) -> dict[str, str]:
        return {**self.common, **self.bodies[body]}

    def secrets(self, body: str) -> tuple[str, ...]:
        """Names only that body's pages show: its own name and its suppliers'."""
        slug, word = BODIES[body]
        return (slug.replace("-", " ").title(), f"{word} Cleaning Ltd", f"{word} Invited Ltd")


def _spend(app: Flask, slug: str, word: str) -> dict[str, str]:
    summary = import_payments(
        app,
        slug,
        Pay(f"{word} Cleaning Ltd", "10/05/2024", "60000.00", CLEANING_TEXT),
        Pay(f"{word} Kennels Ltd", "11/05/2024", "100.00", UNKNOWN_TEXT),
        Pay(f"{word} Invited Ltd", "12/05/2024", "900.00", HOTEL_TEXT),
        Pay(f"{word} Reviewed Ltd", "13/05/2024", "800.00", HOTEL_TEXT),
        Pay(SHARED, "14/05/2024", "700.00", SOFTWARE_TEXT, "11111111"),
        filename=f"{slug}.csv",
    )
    names = {
        "supplier_id": "Cleaning",
        "small_supplier_id": "Kennels",
        "invited_supplier_id": "Invited",
        "reviewed_supplier_id": "Reviewed",
    }
    ids = {key: str(supplier_id(app, slug, f"{word} {name} Ltd")) for key, name in names.items()}
    ids["shared_supplier_id"] = str(supplier_id(app, slug, SHARED))
    ids["import_id"] = str(summary.import_id)
    ids["own_complete_assessment_id"] = str(make_assessment(app, slug, SHARED, complete=True))
    return ids


def _answers(form: dict[str, str]) -> dict[str, AnswerInput]:
    return {key.removeprefix("q-"): AnswerInput(option) for key, option in form.items()}


def _records(app: Flask, slug: str, word: str, ids: dict[str, str], answers: dict) -> None:
    """The body's records made through the services; their ids go into `ids`."""
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        partnership = org.partnerships[0]
        supplier = db.session.get(Supplier, int(ids["supplier_id"]))
        procurement = users.find_user(email=f"procurement.{slug}@example.org")
        contract = contracts.add_contract(
            org=org,
            supplier=supplier,
            user=None,
            title="Cleaning of police stations",
            reference=None,
            start_date=date(2024, 4, 1),
            end_date=date(2026, 3, 31),
            annual_value=Decimal("60000.00"),
        )
        upload = uploads.store_upload(
            org=org, user=procurement, filename="payments.csv", data=SPEND_CSV
        )
        check = import_jobs.start_check(org=org, user=procurement, upload=upload)
        payee = payees.add_personal_payee(org=org, name=f"{word} Private Person")
        category = categories.list_categories(partnership=partnership)[0]
        categories.map_category_text(
            org=org, user=None, category_text=UNKNOWN_TEXT, category_id=category.id
        )
        draft = assessments.start_assessment(
            org=org, supplier=supplier, financial_year=YEAR, questionnaire_key="standard", user=None
        )
        # A completed STRT kept with the draft (as an import keeps it, but leaving the draft's
        # answers to the other routes' cases), and a newer one waiting for its preview.
        evidence = strt.upload_strt(
            org=org, supplier=supplier, financial_year=YEAR, filename="t.xlsx", data=STRT, user=None
        )
        evidence.assessment_id, evidence.imported_at = draft.id, draft.created_at
        waiting = strt.upload_strt(
            org=org, supplier=supplier, financial_year=YEAR, filename="s.xlsx", data=STRT, user=None
        )
        invited = []
        for key in ("invited_supplier_id", "reviewed_supplier_id"):
            invitation, token = invitations.create_invitation(
                org=org,
                supplier=db.session.get(Supplier, int(ids[key])),
                financial_year=YEAR,
                questionnaire_key="standard",
                user=None,
                contact_name="Sam Supplier",
                contact_email="sam@example.org",
            )
            invitations.save_supplier_answers(
                invitation=invitation, answers=answers, sub_suppliers=[], expected_version=None
            )
            invited.append((invitation, token))
        (invitation, token), (sent, _) = invited
        invitations.submit_supplier_answers(
            invitation=sent,
            respondent_name="Sam Supplier",
            respondent_role="Director",
            acknowledged=True,
            expected_version=None,
        )
        records.update_due_diligence(
            org=org,
            supplier=supplier,
            financial_year=YEAR,
            user=None,
            expected_version=0,
            guidance_sent_on=date(2024, 6, 1),
            guidance_method="email",
            plan_requested_on=None,
            plan_received_on=None,
        )
        sub = records.add_sub_supplier(
            org=org,
            supplier=supplier,
            financial_year=YEAR,
            user=None,
            name=f"{word} Cloth Mill",
            tier=2,
            country="Bangladesh",
            supplies="Cloths",
        )
        review = records.add_contract_review(
            org=org,
            supplier=supplier,
            user=None,
            reviewed_on=date(2024, 8, 1),
            contract_id=None,
            modern_slavery_discussed=True,
        )
        procured = procurements.add_procurement(
            org=org,
            user=None,
            details=procurements.ProcurementDetails(
                title="Cleaning of police stations",
                regime="pa2023",
                cpv_codes="90911200-8",
                tender_notice_on=date(2025, 3, 3),
                contract_id=contract.id,
            ),
        )
        assessed = ppn009.record_assessment(
            procurement=procured,
            user=None,
            today=date(2025, 3, 1),
            expected_version=None,
            given=ppn009.AssessmentInput(
                levels=dict.fromkeys(Characteristic, "medium"),
                notes={},
                overall="medium",
                reasons="Agency cleaners",
                mitigations=[Mitigation.CLAUSES],
            ),
        )
        kpi = contract_management.add_kpi(
            org=org,
            contract=contract,
            user=None,
            description="Staff paid the Real Living Wage",
            target="100%",
            measure="Payroll audit",
        )
        decision = exclusion_decisions.add_decision(
            org=org,
            supplier=supplier,
            user=None,
            ground="Listed on the central debarment list",
            decision="excluded",
            decided_on=date.today() - timedelta(days=3),
        )
        incident = incident_records.add_incident(
            org=org,
            user=None,
            details=incident_records.IncidentDetails(
                found_on=date(2025, 3, 1),
                supplier_id=supplier.id,
                tier="1",
                indicators=["wages"],
                source="audit",
                referrals=["none"],
                remediation_types=[],
                status="open",
            ),
            today=date(2025, 3, 1),
        )
        party = connected_parties.add_party(
            org=org, supplier=supplier, user=None, kind="connected_person", name=f"{word} Owner"
        )
        spare = users.create_user(
            email=f"spare.{slug}@example.org",
            name=f"{word} Spare",
            password=PASSWORD,
            role=Role.VIEWER,
            organisation=org,
        )
        _, password_token = password_links.issue_password_link(user=spare)
        db.session.commit()
        jobs.run(check.id)  # what the preview page shows
        ids.update(
            password_token=password_token,
            contract_id=str(contract.id),
            upload_id=str(upload.id),
            job_id=str(check.id),
            payee_id=str(payee.id),
            mapping_id=str(categories.list_mappings(org=org)[0].id),
            assessment_id=str(draft.id),
            strt_file_id=str(waiting.id),
            strt_evidence_id=str(evidence.id),
            invitation_id=str(invitation.id),
            token=token,
            submitted_assessment_id=str(sent.assessment_id),
            sub_supplier_id=str(sub.id),
            review_id=str(review.id),
            procurement_id=str(procured.id),
            ppn009_id=str(assessed.id),
            kpi_id=str(kpi.id),
            decision_id=str(decision.id),
            party_id=str(party.id),
            incident_id=str(incident.id),
            user_id=str(spare.id),
            membership_id=str(spare.memberships[0].id),
        )


# Version of each record a form sends back ("{supplier_v}" in the matrix's form data): the
# model and the URL value that names the record.
VERSIONED = {
    "supplier_v": (Supplier, "supplier_id"),
    "contract_v": (Contract, "contract_id"),
    "assessment_v": (SupplierAssessment, "assessment_id"),
    "submitted_v": (SupplierAssessment, "submitted_assessment_id"),
    "invitation_v": (Invitation, "invitation_id"),
    "sub_supplier_v": (SubSupplier, "sub_supplier_id"),
    "review_v": (ContractReview, "review_id"),
    "procurement_v": (Procurement, "procurement_id"),
    "ppn009_v": (Ppn009Assessment, "ppn009_id"),
    "decision_v": (ExclusionDecision, "decision_id"),
    "party_v": (ConnectedParty, "party_id"),
    "incident_v": (Incident, "incident_id"),
    "item_v": (PlanItem, "item_id"),
    "training_v": (TrainingRecord, "record_id"),
    "statement_v": (Statement, "statement_id"),
    "section_v": (StatementSection, "section_id"),
    "risk_v": (StatementRisk, "risk_id"),
    "joint_v": (Statement, "joint_statement_id"),
    "approving_v": (Statement, "approving_statement_id"),
    "approved_v": (Statement, "approved_statement_id"),
    "joint_approving_v": (Statement, "joint_approving_statement_id"),
    "joint_approved_v": (Statement, "joint_approved_statement_id"),
    "joint_section_v": (StatementSection, "joint_section_id"),
    "joint_risk_v": (StatementRisk, "joint_risk_id"),
    "category_v": (Category, "category_id"),
    "commitment_v": (Commitment, "commitment_id"),
    "user_v": (User, "user_id"),
}


def _versions(app: Flask, values: dict[str, str]) -> dict[str, str]:
    with app.app_context():
        found = {
            key: str(db.session.get(model, int(values[name])).version_id)
            for key, (model, name) in VERSIONED.items()
        }
        org = organisations.get_organisation(slug=values["org_slug"])
        invitation = db.session.get(Invitation, int(values["invitation_id"]))
        # The body's sign-off record in each of its own statements.
        bodies = {
            f"{prefix}body_v": str(
                statements.get_body(
                    statement=db.session.get(Statement, int(values[f"{prefix}statement_id"])),
                    org=org,
                ).version_id
            )
            for prefix in ("", "approving_", "approved_")
        }
        record = db.session.scalar(
            select(DueDiligence).where(
                DueDiligence.supplier_id == int(values["supplier_id"]),
                DueDiligence.financial_year == YEAR,
            )
        )
        return {
            **found,
            "invitation_assessment_v": str(invitation.assessment.version_id),
            **bodies,
            "dd_v": str(record.version_id),
            "org_v": str(org.version_id),
            "partnership_v": str(org.partnerships[0].version_id),
        }


def build_world(app: Flask, *, statement_year: int = STATEMENT_YEAR) -> World:
    """The world in the module docstring, committed, with each role signed in. The statements
    in the making are of `statement_year` (their figures are of that year's spend)."""
    yesterday = date.today() - timedelta(days=1)
    build_two_bodies(Factory(app))
    answers = best_answers(definition(app))
    partnerships = {
        slug: partnership_set_up(app, slug, statement_year) for slug in ("north-east", "elsewhere")
    }
    bodies: dict[str, dict[str, str]] = {}
    for key, (slug, word) in BODIES.items():
        ids = {"org_slug": slug, **_spend(app, slug, word)}
        _records(app, slug, word, ids, _answers(answers))
        body_plans_and_statements(app, slug, ids, statement_year)
        ids.update(partnerships["elsewhere" if key == "gamma" else "north-east"])
        bodies[key] = ids
    # A partner's complete assessment of the shared business (gamma has no partner: its own).
    bodies["alpha"]["partner_assessment_id"] = bodies["beta"]["own_complete_assessment_id"]
    bodies["beta"]["partner_assessment_id"] = bodies["alpha"]["own_complete_assessment_id"]
    bodies["gamma"]["partner_assessment_id"] = bodies["gamma"]["own_complete_assessment_id"]
    for ids in bodies.values():
        ids.update(_versions(app, ids))
    with app.app_context():
        template = statement_templates.upload_template(
            name="Plain", file_name="plain.docx", data=TEMPLATE, user=None
        )
        questionnaire = db.session.get(Questionnaire, int(bodies["alpha"]["questionnaire_id"]))
        # The same form as the next version, for publishing.
        source = re.sub(
            r"(?m)^version = \d+",
            f"version = {questionnaire.version + 1}",
            questionnaire.source,
        )
        question = questionnaire.definition.questions[0]
        # An answer other than the one the supplier gave, for the reviewer to change it to.
        other_option = next(
            o.key for o in question.options if o.key != answers[f"q-{question.key}"]
        )
        db.session.commit()
        template_id = str(template.id)
        for ids in bodies.values():  # the body's newest audit event, for the trail's pages
            org = organisations.get_organisation(slug=ids["org_slug"])
            newest = select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == org.id)
            ids["event_id"] = str(db.session.scalar(newest))
    world = World(
        bodies=bodies,
        common={
            "template_id": template_id,
            "question_key": question.key,
            "other_option": other_option,
            "year_slug": FinancialYear(YEAR).slug,
            "file_format": "csv",
            "filename": "app.css",
            "this_year": str(this_year()),
            "next_year": FinancialYear(this_year() + 1).slug,
            "statement_year": FinancialYear(statement_year).slug,
            "next_statement_year": FinancialYear(statement_year + 1).slug,
            # Yesterday, as a date form takes it: approvals and publications are in the past.
            **{
                f"yesterday_{part}": str(getattr(yesterday, part))
                for part in ("day", "month", "year")
            },
        },
        answers=answers,
        next_questionnaire=source,
    )
    for role, email in EMAILS.items():
        client = app.test_client()
        assert sign_in(client, email).status_code == 302, role
        world.cookies[role] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return world
