"""A small world in which every URL argument of every route names a real record, for tests that
walk app.url_map (CSRF on every POST), and a fingerprint of every table.

The world is north-east (two_bodies) with alpha-police's records for 2024/25: three suppliers
from an import (one tier A, one to merge, one invited), a contract, due diligence, a
sub-supplier, a contract review, a draft assessment, a supplier invitation (and its token), a
finance-category mapping, a pending upload, a personal payee, this year's action plan and a
training record, the joint statement with a risk and a generated document, alpha-police's own
statement for 2023/24 with a risk and a document, and an uploaded statement template.
beta-opcc has a complete assessment of the same business for "adopt".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule

from tests.conftest import sign_in
from tests.fixtures.templates.builders import docx_bytes
from tests.integration.due_diligence_support import make_assessment
from tests.integration.plan_support import add_training, start, this_year
from tests.integration.register_support import (
    CLEANING_TEXT,
    UNKNOWN_TEXT,
    Pay,
    category_id,
    import_payments,
    supplier_id,
)
from tests.integration.statement_support import add_risk, create, section, submit
from tisc.extensions import db
from tisc.models import Commitment, Membership, PlanItem, Questionnaire, Supplier, User
from tisc.rules.years import FinancialYear
from tisc.services import categories as category_service
from tisc.services import (
    contracts,
    invitations,
    organisations,
    payees,
    statement_documents,
    statement_templates,
    statements,
    uploads,
)
from tisc.services import due_diligence_records as records
from tisc.services import users as user_service

YEAR = 2024
TIER_A = "World Clean Ltd"
TO_MERGE = "World Hygiene Ltd"
INVITED = "World Uniforms Ltd"
BETA_SAME = "World Clean Ltd"
COMPANY = "07654321"

# Who may use each kind of route, by its access rule (tisc.security), signed in as.
ADMIN = "admin@example.org"
COORDINATOR = "coordinator@example.org"
PROCUREMENT = "procurement.alpha-police@example.org"
STATEMENT = "statement.alpha-police@example.org"
TARGET_USER = "viewer.alpha-police@example.org"  # the person admin routes act on


def build_world(app: Flask, *, submit_statement: bool = True) -> dict[str, Any]:
    """The records in the module docstring (needs two_bodies); URL argument -> value, plus
    "overrides": endpoint -> arguments that differ for that endpoint. The joint statement is
    sent for approval unless submit_statement is False (then it is a draft)."""
    summary = import_payments(
        app,
        "alpha-police",
        Pay(TIER_A, "2024-05-01", "60000.00", CLEANING_TEXT, COMPANY),
        Pay(TO_MERGE, "2024-06-01", "10.00", CLEANING_TEXT),
        Pay(INVITED, "2024-06-01", "900.00", UNKNOWN_TEXT),
        filename="world.csv",
    )
    import_payments(app, "beta-opcc", Pay(BETA_SAME, "2024-05-01", "10.00", "", COMPANY))
    shared = make_assessment(app, "beta-opcc", BETA_SAME, complete=True)
    supplier, invited, supplier_id_of_merge = (
        supplier_id(app, "alpha-police", n) for n in (TIER_A, INVITED, TO_MERGE)
    )
    waste = category_id(app, "Waste and recycling")
    plan_year = this_year()
    start(app, "alpha-police", plan_year)
    record_id = add_training(app, "alpha-police", plan_year, "all_staff", 10, 5)
    statement_id = create(app, YEAR)
    if submit_statement:
        submit(app, statement_id)
    risk_id = add_risk(app, statement_id)
    body_section = section(app, statement_id, "body", "alpha-police").id
    single = {"statement_id": create(app, YEAR - 1, org="alpha-police")}
    single["risk_id"] = add_risk(app, single["statement_id"])
    with app.app_context():
        own = statements.get_statement(
            statement_id=single["statement_id"],
            org=organisations.get_organisation(slug="alpha-police"),
        )
        single["document_id"] = statement_documents.generate_statement_document(
            statement=own, user=None
        ).id
        db.session.commit()
    joint_section = section(app, statement_id, "introduction").id
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        partnership = organisations.get_partnership(slug="north-east")
        procurement = user_service.find_user(email=PROCUREMENT)
        found = db.session.get(Supplier, supplier)
        contract = contracts.add_contract(
            org=org,
            supplier=found,
            user=None,
            title="Cleaning of police stations",
            reference="C-1",
            start_date=date(2024, 4, 1),
            end_date=date(2026, 3, 31),
            annual_value=Decimal("60000.00"),
        )
        sub = records.add_sub_supplier(
            org=org,
            supplier=found,
            financial_year=YEAR,
            user=None,
            name="Cloth Mill Ltd",
            tier=2,
            country="Bangladesh",
            supplies="Cloths",
        )
        review = records.add_contract_review(
            org=org,
            supplier=found,
            user=None,
            reviewed_on=date(2024, 8, 1),
            contract_id=None,
            modern_slavery_discussed=True,
            notes="Quarterly review",
        )
        from tisc.services import assessments

        draft = assessments.start_assessment(
            org=org, supplier=found, financial_year=YEAR, questionnaire_key="standard", user=None
        )
        invitation, token = invitations.create_invitation(
            org=org,
            supplier=db.session.get(Supplier, invited),
            financial_year=YEAR,
            questionnaire_key="standard",
            user=None,
        )
        category_service.map_category_text(
            org=org, user=None, category_text=UNKNOWN_TEXT, category_id=waste
        )
        mapping = category_service.list_mappings(org=org)[0]
        upload = uploads.store_upload(
            org=org,
            user=procurement,
            filename="payments.csv",
            data=b"Supplier Name,Payment Date,Amount\nAcme Ltd,01/05/2024,10.00\n",
        )
        payee = payees.add_personal_payee(org=org, name="J Smith")
        statement = statements.get_statement(statement_id=statement_id, partnership=partnership)
        document = statement_documents.generate_statement_document(statement=statement, user=None)
        template = statement_templates.upload_template(
            name="Plain", file_name="plain.docx", data=docx_bytes("{{ title }}"), user=None
        )
        target = user_service.find_user(email=TARGET_USER)
        item = db.session.scalar(
            select(PlanItem.id).where(PlanItem.organisation_id == org.id).order_by(PlanItem.id)
        )
        questionnaire = db.session.scalar(
            select(Questionnaire)
            .where(Questionnaire.partnership_id == partnership.id)
            .order_by(Questionnaire.id)
        )
        commitment = db.session.scalar(
            select(Commitment.id).where(Commitment.partnership_id == partnership.id)
        )
        db.session.commit()
        world = {
            "org_slug": "alpha-police",
            "partnership_slug": "north-east",
            "supplier_id": supplier,
            "other_supplier_id": supplier_id_of_merge,
            "contract_id": contract.id,
            "year_slug": FinancialYear(YEAR).slug,
            "sub_supplier_id": sub.id,
            "review_id": review.id,
            "assessment_id": draft.id,
            "question_key": questionnaire.definition.questions[0].key,
            "invitation_id": invitation.id,
            "token": token,
            "mapping_id": mapping.id,
            "import_id": summary.import_id,
            "upload_id": upload.id,
            "payee_id": payee.id,
            "item_id": item,
            "record_id": record_id,
            "statement_id": statement_id,
            "section_id": body_section,
            "risk_id": risk_id,
            "document_id": document.id,
            "template_id": template.id,
            "user_id": target.id,
            "membership_id": db.session.scalar(
                select(Membership.id).where(Membership.user_id == target.id)
            ),
            "category_id": waste,
            "commitment_id": commitment,
            "questionnaire_id": questionnaire.id,
            "event_id": _first_audit_event(),
            "file_format": "csv",
            "filename": "app.css",
        }
    world["overrides"] = {
        **{
            endpoint: single
            for endpoint in (
                "statements.change_single_state",
                "statements.new_single_risk",
                "statements.edit_single_risk",
                "statements.remove_single_risk",
                "statement_documents.single_generate",
                "statement_documents.single_documents",
                "statement_documents.single_download",
                "statement_documents.single_registry",
            )
        },
        "assessments.adopt": {"assessment_id": shared},
        "assessments.shared": {"assessment_id": shared},
        "statements.edit_joint_section": {"section_id": joint_section},
        "suppliers.export": {"file_format": "xlsx"},
        "board.report": {"file_format": "docx"},
    }
    return world


def _first_audit_event() -> int | None:
    """The oldest event of the audit trail (the world's own making writes some)."""
    events = db.metadata.tables.get("audit_events")
    return None if events is None else db.session.scalar(select(func.min(events.c.id)))


# Query strings some routes need to act (the year to start, the year to show).
QUERIES = {
    "plans.start": f"year={FinancialYear(this_year() + 1).slug}",
    "statements.start_joint": "year=2026-27",
    "statements.start_single": "year=2026-27",
}
_ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def url_for_rule(rule: Rule, world: dict[str, Any]) -> str:
    """The rule's URL with the world's value for each argument (KeyError names one it lacks)."""
    values = {**world, **world["overrides"].get(rule.endpoint, {})}
    url = _ARGUMENT.sub(lambda m: str(values[m.group(1)]), rule.rule)
    query = QUERIES.get(rule.endpoint)
    return f"{url}?{query}" if query else url


def who_may_use(rule: Rule, access_rule: str) -> str:
    """Whom the access rule lets through: an email to sign in as, "anonymous" (a visitor, or
    someone signing in) or "supplier" (the holder of the invitation link)."""
    reading_public = access_rule == "public" and "POST" not in rule.methods
    if rule.endpoint in ("auth.sign_in", "static") or reading_public:
        return "anonymous"
    if access_rule in ("public", "signed_in"):
        return PROCUREMENT
    if access_rule == "invitation_link":
        return "supplier"
    people = {
        "admin": ADMIN,
        "audit_reader": ADMIN,
        "organisation:read_organisation": PROCUREMENT,
        "organisation:manage_register": PROCUREMENT,
        "organisation:manage_statement": STATEMENT,
        "partnership:read_partnership": COORDINATOR,
        "partnership:edit_joint": COORDINATOR,
        "partnership:manage_categories": COORDINATOR,
        "partnership:manage_questionnaire": COORDINATOR,
    }
    if access_rule not in people:
        raise KeyError(f"{rule.rule}: add who may use the rule {access_rule!r} here")
    return people[access_rule]


def fingerprint(app: Flask) -> dict[str, list[str]]:
    """Every row of every table (SQLAlchemy Core over db.metadata), sorted."""
    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
            for table in db.metadata.sorted_tables
        }


def changed_tables(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def client_for(app: Flask, who: str, world: dict[str, Any]) -> Any:
    """A client for whom who_may_use names, on an app with CSRF off (the test default)."""
    client = app.test_client()
    if who == "supplier":
        assert client.get(f"/respond/{world['token']}").status_code == 200
    elif who != "anonymous":
        assert sign_in(client, who).status_code == 302, who
    return client
