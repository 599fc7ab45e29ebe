"""The plans and statements of the security tests' world (matrix_world.build_world).

Each body: this year's action plan and a training record, and its single statements: the
statement year's draft (a risk, a generated document), the year before's approved by the body
and awaiting its mark of approval, and the year before that's approved and published. Each
partnership: its joint statements in the same three states. The statement year is the one
being written now (tisc.views.statements.pages) unless the world is built for another.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from tests.integration.plan_support import add_training, start, this_year
from tests.integration.statement_support import add_risk, create
from tisc.extensions import db
from tisc.models import ActionPlan, Commitment, PlanItem, Questionnaire, Statement
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations
from tisc.services.register import categories
from tisc.services.statements import documents as statement_documents
from tisc.services.statements import records as statements
from tisc.services.statements import signoff

# The statements' year: the one being written now (tisc.views.statements.pages).
STATEMENT_YEAR = FinancialYear.containing(date.today()).start_year - 1


def signed_off_statement(app: Flask, owner: dict[str, str], year: int, *, marked: bool) -> str:
    """A statement of the year sent for approval and approved by every body it covers;
    marked approved (and published by its first body) when `marked`. Its id."""
    yesterday = date.today() - timedelta(days=1)
    with app.app_context():
        scope = (
            {"org": organisations.get_organisation(slug=owner["org"])}
            if "org" in owner
            else {"partnership": organisations.get_partnership(slug=owner["partnership"])}
        )
        statement = statements.create_statement(
            financial_year=year, user=None, from_last_year=False, **scope
        )
        signoff.submit_for_approval(
            statement=statement, user=None, expected_version=statement.version_id
        )
        for body in statement.bodies:
            signoff.record_signatories(
                statement_body=body,
                user=None,
                expected_version=body.version_id,
                signatory_name="Alex Signer",
                signatory_title="Chief Officer",
            )
            signoff.record_approval(
                statement_body=body,
                user=None,
                expected_version=body.version_id,
                approved_on=yesterday,
                decision_reference="DR-0",
            )
        if marked:
            signoff.mark_approved(
                statement=statement, user=None, expected_version=statement.version_id
            )
            first = statement.bodies[0]
            signoff.record_publication(
                statement_body=first,
                user=None,
                expected_version=first.version_id,
                url="https://example.org/statement",
                published_on=yesterday,
            )
        db.session.commit()
        return str(statement.id)


def body_plans_and_statements(
    app: Flask, slug: str, ids: dict[str, str], statement_year: int
) -> None:
    """The body's plan, training and single statements; their ids go into `ids`."""
    start(app, slug, this_year())
    ids["record_id"] = str(add_training(app, slug, this_year(), "all_staff", 10, 5))
    # Last year's: awaiting its own mark of approval; the year before: approved, published.
    owner = {"org": slug}
    ids["approving_statement_id"] = signed_off_statement(
        app, owner, statement_year - 1, marked=False
    )
    ids["approved_statement_id"] = signed_off_statement(app, owner, statement_year - 2, marked=True)
    statement = create(app, statement_year, org=slug, from_last_year=False)
    ids["statement_id"] = str(statement)
    ids["risk_id"] = str(add_risk(app, statement, "Agency cleaners"))
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        found = db.session.get(Statement, statement)
        ids["section_id"] = str(found.sections[0].id)
        ids["document_id"] = str(
            statement_documents.generate_statement_document(statement=found, user=None).id
        )
        ids["item_id"] = str(
            db.session.scalar(
                select(PlanItem.id)
                .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
                .where(ActionPlan.organisation_id == org.id)
                .order_by(PlanItem.id)
            )
        )
        db.session.commit()


def partnership_set_up(app: Flask, slug: str, statement_year: int) -> dict[str, str]:
    """A partnership's set-up and its joint statements (joint_* values: a partnership's route
    takes the same argument names as a body's)."""
    with app.app_context():
        partnership = organisations.get_partnership(slug=slug)
        statement = statements.create_statement(
            financial_year=statement_year, user=None, partnership=partnership, from_last_year=False
        ).id
        db.session.commit()
    risk = add_risk(app, statement, "Uniform factories")
    owner = {"partnership": slug}
    approving = signed_off_statement(app, owner, statement_year - 1, marked=False)
    approved = signed_off_statement(app, owner, statement_year - 2, marked=True)
    with app.app_context():
        partnership = organisations.get_partnership(slug=slug)
        found = db.session.get(Statement, statement)
        document = statement_documents.generate_statement_document(statement=found, user=None)
        first = select(Commitment.id).where(Commitment.partnership_id == partnership.id)
        forms = select(Questionnaire.id).where(Questionnaire.partnership_id == partnership.id)
        values = {
            "partnership_slug": slug,
            "joint_approving_statement_id": approving,
            "joint_approved_statement_id": approved,
            "joint_statement_id": str(statement),
            "joint_section_id": str(next(s.id for s in found.sections if not s.organisation_id)),
            "joint_risk_id": str(risk),
            "joint_document_id": str(document.id),
            "category_id": str(categories.list_categories(partnership=partnership)[0].id),
            "commitment_id": str(db.session.scalar(first.order_by(Commitment.position))),
            "questionnaire_id": str(db.session.scalar(forms.order_by(Questionnaire.id))),
        }
        db.session.commit()
        return values
