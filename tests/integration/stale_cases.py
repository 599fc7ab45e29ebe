"""The cases of test_stale_forms.py: every route that edits an existing record, who edits,
where the form is, which record it is (by its value in the world, matrix_world) and what each
of two people sends."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from tisc.extensions import db
from tisc.models import (
    Category,
    Commitment,
    ConnectedParty,
    Contract,
    ContractReview,
    DueDiligence,
    ExclusionDecision,
    Incident,
    Invitation,
    Organisation,
    Partnership,
    PlanItem,
    Ppn009Assessment,
    Procurement,
    Statement,
    StatementRisk,
    StatementSection,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    TrainingRecord,
    User,
)
from tisc.services.accounts import organisations
from tisc.services.statements import records as statements

CONFLICT = re.compile(r"Someone else (changed|saved) this")
ORG = "/organisations/{org_slug}"
P = "/partnerships/{partnership_slug}"
DD = ORG + "/suppliers/{supplier_id}/due-diligence/{year_slug}"
Record = Callable[[dict[str, str]], tuple[type, int]]
# Every registry question answered "none of these" (the form's sectors start as Public sector).
ANSWERED = {
    key: ["none"]
    for key in ("policies", "training", "engagement", "audits", "grievance", "ilo_indicators")
}


def by(model: type, key: str) -> Record:
    """The record a world value names."""
    return lambda values: (model, int(values[key]))


def invitation_assessment(values: dict[str, str]) -> tuple[type, int]:
    invitation = db.session.get(Invitation, int(values["invitation_id"]))
    return SupplierAssessment, invitation.assessment_id


def body_of(key: str) -> Record:
    """alpha-police's sign-off record in the statement a world value names."""

    def find(values: dict[str, str]) -> tuple[type, int]:
        statement = db.session.get(Statement, int(values[key]))
        org = organisations.get_organisation(slug=values["org_slug"])
        found = statements.get_body(statement=statement, org=org)
        return type(found), found.id

    return find


def guidance_record(values: dict[str, str]) -> tuple[type, int]:
    found = db.session.scalar(
        select(DueDiligence.id).where(
            DueDiligence.supplier_id == int(values["supplier_id"]),
            DueDiligence.financial_year == int(values["year_slug"][:4]),
        )
    )
    return DueDiligence, found


@dataclass(frozen=True)
class Case:
    """One edit route: who edits, where the form is, which record, and what each person sends.

    `form` is the page holding the form (None: the route takes the version alone). With a
    `first` change the first person saves through the form; without, the record's version is
    moved on as another save would.
    """

    role: str
    url: str
    record: Record
    form: str | None = None
    first: dict[str, Any] | None = None
    second: dict[str, Any] = field(default_factory=dict)
    button: str = "submit"
    # What a fresh request is refused with before it writes anything, when it is (so there
    # is no write for another save to race).
    refused: str | None = None


CASES: dict[str, Case] = {
    # The register and due diligence (procurement).
    "suppliers.edit": Case(
        "procurement",
        ORG + "/suppliers/{supplier_id}/edit",
        by(Supplier, "supplier_id"),
        form="same",
        first={"notes": "First person's notes"},
        second={"notes": "Second person's notes"},
    ),
    "suppliers.edit_contract": Case(
        "procurement",
        ORG + "/suppliers/{supplier_id}/contracts/{contract_id}",
        by(Contract, "contract_id"),
        form="same",
        first={"reference": "FIRST-1"},
        second={"reference": "SECOND-2"},
    ),
    "procurements.edit": Case(
        "procurement",
        ORG + "/procurements/{procurement_id}/edit",
        by(Procurement, "procurement_id"),
        form="same",
        first={"reference": "FIRST-1"},
        second={"reference": "SECOND-2"},
    ),
    "procurements.edit_assessment": Case(
        "procurement",
        ORG + "/procurements/{procurement_id}/ppn009/edit",
        by(Ppn009Assessment, "ppn009_id"),
        form="same",
        first={"reasons": "First person's reasons"},
        second={"reasons": "Second person's reasons"},
    ),
    "exclusions.edit_decision": Case(
        "procurement",
        ORG + "/suppliers/{supplier_id}/exclusion-decisions/{decision_id}",
        by(ExclusionDecision, "decision_id"),
        form="same",
        first={"evidence": "First person's evidence"},
        second={"evidence": "Second person's evidence"},
    ),
    "incidents.edit": Case(
        "statement",
        ORG + "/incidents/{incident_id}/edit",
        by(Incident, "incident_id"),
        form="same",
        first={"summary": "First person's outline"},
        second={"summary": "Second person's outline"},
    ),
    "exclusions.remove_party": Case(
        "procurement",
        ORG + "/suppliers/{supplier_id}/connected/{party_id}/remove",
        by(ConnectedParty, "party_id"),
        form="same",
    ),
    "due_diligence.edit_record": Case(
        "procurement",
        DD + "/guidance-and-plan",
        guidance_record,
        form="same",
        first={"plan_note": "First person's note"},
        second={"plan_note": "Second person's note"},
    ),
    "due_diligence.edit_sub_supplier": Case(
        "procurement",
        DD + "/sub-suppliers/{sub_supplier_id}",
        by(SubSupplier, "sub_supplier_id"),
        form="same",
        first={"supplies": "Towels"},
        second={"supplies": "Mops"},
    ),
    "due_diligence.remove_sub_supplier": Case(
        "procurement",
        DD + "/sub-suppliers/{sub_supplier_id}/remove",
        by(SubSupplier, "sub_supplier_id"),
    ),
    "due_diligence.edit_review": Case(
        "procurement",
        DD + "/contract-reviews/{review_id}",
        by(ContractReview, "review_id"),
        form="same",
        first={"notes": "First person's notes"},
        second={"notes": "Second person's notes"},
    ),
    "due_diligence.remove_review": Case(
        "procurement", DD + "/contract-reviews/{review_id}/remove", by(ContractReview, "review_id")
    ),
    "assessments.answer": Case(
        "procurement",
        ORG + "/assessments/{assessment_id}/answers?section=policies",
        by(SupplierAssessment, "assessment_id"),
        form="same",
        first={"evidence-policy": "First person's evidence"},
        second={"evidence-policy": "Second person's evidence"},
        button="save",
    ),
    "assessments.adjust": Case(
        "procurement",
        ORG + "/assessments/{submitted_assessment_id}/answers/{question_key}/change",
        by(SupplierAssessment, "submitted_assessment_id"),
        form="same",
        second={"option": "{other_option}", "reason": "Checked their policy"},
    ),
    "assessments.accept": Case(
        "procurement",
        ORG + "/assessments/{submitted_assessment_id}/accept",
        by(SupplierAssessment, "submitted_assessment_id"),
    ),
    # The version is sent by the confirmation page (the GET of the same address).
    "assessments.cancel": Case(
        "procurement",
        ORG + "/assessments/{submitted_assessment_id}/cancel",
        by(SupplierAssessment, "submitted_assessment_id"),
        form="same",
    ),
    "invitations.mark_sent": Case(
        "procurement", ORG + "/invitations/{invitation_id}/sent", by(Invitation, "invitation_id")
    ),
    "invitations.new_link": Case(
        "procurement",
        ORG + "/invitations/{invitation_id}/new-link",
        by(Invitation, "invitation_id"),
    ),
    # The supplier, by its link.
    "respond.answer": Case(
        "supplier",
        "/respond/{token}",
        invitation_assessment,
        form="same",
        first={"evidence-policy": "First draft"},
        second={"evidence-policy": "Second draft"},
        button="save",
    ),
    "respond.check": Case(
        "supplier",
        "/respond/{token}/check",
        invitation_assessment,
        form="same",
        second={"respondent_name": "Sam", "respondent_role": "Director", "acknowledged": "y"},
    ),
    # Plans and training (statement).
    "plans.edit_item": Case(
        "statement",
        ORG + "/action-plan/items/{item_id}/edit",
        by(PlanItem, "item_id"),
        form="same",
        first={"owner": "First Owner"},
        second={"owner": "Second Owner"},
    ),
    "plans.add_update": Case(
        "statement",
        ORG + "/action-plan/items/{item_id}/updates",
        by(PlanItem, "item_id"),
        form=ORG + "/action-plan/items/{item_id}",
        first={"note": "First update", "status": "in_progress", "rag": "green"},
        second={"note": "Second update", "status": "done", "rag": "green"},
    ),
    "plans.edit_training": Case(
        "statement",
        ORG + "/training/{record_id}/edit",
        by(TrainingRecord, "record_id"),
        form="same",
        first={"course": "First course"},
        second={"course": "Second course"},
    ),
    "plans.delete_training": Case(
        "statement", ORG + "/training/{record_id}/delete", by(TrainingRecord, "record_id")
    ),
    # The partnership (coordinator).
    "categories.edit": Case(
        "coordinator",
        P + "/categories/{category_id}",
        by(Category, "category_id"),
        form="same",
        first={"cpv_codes": "90910000", "reason": "First"},
        second={"cpv_codes": "90911000", "reason": "Second"},
    ),
    "commitments.edit": Case(
        "coordinator",
        P + "/commitments/{commitment_id}/edit",
        by(Commitment, "commitment_id"),
        form="same",
        first={"description": "First description"},
        second={"description": "Second description"},
    ),
    "statements.edit_joint_section": Case(
        "coordinator",
        P + "/statements/{joint_statement_id}/sections/{joint_section_id}",
        by(StatementSection, "joint_section_id"),
        form="same",
        first={"text": "First person's text"},
        second={"text": "Second person's text"},
    ),
    "statements.edit_joint_risk": Case(
        "coordinator",
        P + "/statements/{joint_statement_id}/risks/{joint_risk_id}",
        by(StatementRisk, "joint_risk_id"),
        form="same",
        first={"mitigation": "First mitigation"},
        second={"mitigation": "Second mitigation"},
    ),
    "statements.remove_joint_risk": Case(
        "coordinator",
        P + "/statements/{joint_statement_id}/risks/{joint_risk_id}/remove",
        by(StatementRisk, "joint_risk_id"),
    ),
    "statements.change_joint_state[send-for-approval]": Case(
        "coordinator",
        P + "/statements/{joint_statement_id}/send-for-approval",
        by(Statement, "joint_statement_id"),
    ),
    "statements.change_joint_state[mark-approved]": Case(
        "coordinator",
        P + "/statements/{joint_approving_statement_id}/mark-approved",
        by(Statement, "joint_approving_statement_id"),
    ),
    "statements.change_joint_state[mark-published]": Case(
        "coordinator",
        P + "/statements/{joint_approved_statement_id}/mark-published",
        by(Statement, "joint_approved_statement_id"),
    ),
    # A body's own statement and its sign-off (statement).
    "statements.edit_section": Case(
        "statement",
        ORG + "/statements/{statement_id}/sections/{section_id}",
        by(StatementSection, "section_id"),
        form="same",
        first={"text": "First person's text"},
        second={"text": "Second person's text"},
    ),
    "statements.edit_single_risk": Case(
        "statement",
        ORG + "/statements/{statement_id}/risks/{risk_id}",
        by(StatementRisk, "risk_id"),
        form="same",
        first={"mitigation": "First mitigation"},
        second={"mitigation": "Second mitigation"},
    ),
    "statements.remove_single_risk": Case(
        "statement",
        ORG + "/statements/{statement_id}/risks/{risk_id}/remove",
        by(StatementRisk, "risk_id"),
    ),
    "statements.change_single_state[send-for-approval]": Case(
        "statement",
        ORG + "/statements/{statement_id}/send-for-approval",
        by(Statement, "statement_id"),
    ),
    "statements.change_single_state[mark-approved]": Case(
        "statement",
        ORG + "/statements/{approving_statement_id}/mark-approved",
        by(Statement, "approving_statement_id"),
    ),
    "statements.change_single_state[mark-published]": Case(
        "statement",
        ORG + "/statements/{approved_statement_id}/mark-published",
        by(Statement, "approved_statement_id"),
        # Its one body recorded the publication, which published the statement.
        refused="The statement is already published",
    ),
    "statements.signatories": Case(
        "statement",
        ORG + "/statements/{statement_id}/signatories",
        body_of("statement_id"),
        form="same",
        first={"signatory_name": "First Signer", "signatory_title": "Chief Constable"},
        second={"signatory_name": "Second Signer", "signatory_title": "Chief Constable"},
    ),
    "statements.approval": Case(
        "statement",
        ORG + "/statements/{approving_statement_id}/approval",
        body_of("approving_statement_id"),
        form="same",
        second={"decision_reference": "DR-STALE"},
    ),
    "statements.publication": Case(
        "statement",
        ORG + "/statements/{approved_statement_id}/publication",
        body_of("approved_statement_id"),
        form="same",
        second={"published_url": "https://example.org/stale"},
    ),
    "statements.registry": Case(
        "statement",
        ORG + "/statements/{approved_statement_id}/registry-submission",
        body_of("approved_statement_id"),
        form="same",
        second={"submitted_on": ["{yesterday_day}", "{yesterday_month}", "{yesterday_year}"]},
    ),
    "statements.registry_answers": Case(
        "statement",
        ORG + "/statements/{statement_id}/registry-answers",
        body_of("statement_id"),
        form="same",
        first={**ANSWERED, "policies": ["Prohibits child labour"]},
        second={**ANSWERED, "policies": ["Prohibits discrimination"]},
    ),
    # Administration (admin).
    "admin.edit_organisation": Case(
        "admin",
        "/admin/organisations/{org_slug}/edit",
        lambda values: (Organisation, organisations.get_organisation(slug=values["org_slug"]).id),
        form="same",
        first={"region": "North East"},
        second={"region": "Yorkshire"},
    ),
    "admin.edit_partnership": Case(
        "admin",
        "/admin/partnerships/{partnership_slug}/edit",
        lambda values: (
            Partnership,
            organisations.get_partnership(slug=values["partnership_slug"]).id,
        ),
        form="same",
        first={"description": "First description"},
        second={"description": "Second description"},
    ),
    "admin.edit_user": Case(
        "admin",
        "/admin/users/{user_id}",
        by(User, "user_id"),
        form="same",
        first={"name": "First Name"},
        second={"name": "Second Name"},
    ),
}
