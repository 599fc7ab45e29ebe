"""The authorisation matrix's route table: a line (R) for every route of the app, with the
access rule its view must declare and the form data a POST sends, data that saves something
when the rule lets it through; the security walks (security_support) address routes by it too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import Rule

from tests.conftest import PASSWORD
from tests.integration.matrix_world import DEBARMENT_CSV, SPEND_CSV, STRT, TEMPLATE, World
from tests.integration.register_support import HOTEL_TEXT


@dataclass(frozen=True)
class File:
    """A file a POST uploads (made afresh for each request)."""

    data: bytes
    name: str


Data = Mapping[str, Any] | Callable[[dict[str, str], World], Mapping[str, Any]]


@dataclass(frozen=True)
class R:
    """One route of the matrix.

    rule: the access rule its view must declare. post: the form data a POST sends; "{name}"
    is the target's value (ids, versions: matrix_world). query: added to the address.
    changes: an allowed POST saves something (True), nothing (False), either (None).
    ids: URL argument -> the world value to use instead of the argument's own. fixed: URL
    argument -> a value. mixed: the arguments the "mixed" target takes from the other body
    (default: all but the slugs). only: the roles it lets in, for a rule expected() does not
    know. to_sign_in: the route itself sends people to the sign-in page (signing out).
    """

    rule: str
    post: Data | None = None
    query: str = ""
    changes: bool | None = True
    ids: Mapping[str, str] = field(default_factory=dict)
    fixed: Mapping[str, str] = field(default_factory=dict)
    mixed: tuple[str, ...] | None = None
    only: frozenset[str] | None = None
    to_sign_in: bool = False


def route_key(rule: Rule, rules: list[Rule]) -> str:
    """The route's key in ROUTES: the endpoint, and the rule's last part when the endpoint
    has several rules."""
    if sum(1 for other in rules if other.endpoint == rule.endpoint) == 1:
        return rule.endpoint
    return f"{rule.endpoint}[{rule.rule.rsplit('/', 1)[1]}]"


# --- the routes --------------------------------------------------------------------------

PUBLIC, SIGNED_IN, ADMIN, LINK = "public", "signed_in", "admin", "invitation_link"
AUDIT = "audit_reader"
INCIDENTS = "incidents:manage_incidents"
READ = "organisation:read_organisation"
REGISTER = "organisation:manage_register"
STATEMENT = "organisation:manage_statement"
P_READ = "partnership:read_partnership"
P_JOINT = "partnership:edit_joint"
P_CATEGORIES = "partnership:manage_categories"
P_QUESTIONNAIRE = "partnership:manage_questionnaire"
NEW_PW = "violet tractor umbrella 93"

# Form data that saves something when the rule lets it through ("{name}": the target's value).
# A destructive action acts only when its confirmation page sends this (GET: that page).
CONFIRMED = {"confirmed": "yes"}
KEEP = {"finding_key": "0" * 32, "keep-00000000-reason": "The figure is from the annual report"}
PASSWORDS = {"current_password": PASSWORD, "new_password": NEW_PW, "confirm_password": NEW_PW}
SIGN_IN_FORM = {"email": "viewer.alpha-police@example.org", "password": PASSWORD}
NEW_ORG = {"slug": "delta-police", "name": "Delta Police", "kind": "force", "partnership": ""}
ORG = {"name": "Renamed Body", "kind": "force", "version": "{org_v}"}
PARTNERSHIP = {"name": "Renamed", "members": ["{org_slug}"], "version": "{partnership_v}"}
NEW_USER = {
    "email": "new.person@example.org",
    "name": "New Person",
    "role": "viewer",
    "scope": "organisation:{org_slug}",
}
USER = {"name": "Renamed Person", "active": "y", "version": "{user_v}"}
ROLE = {"role-role": "statement", "role-scope": "organisation:{org_slug}"}
SUPPLIER = {"name": "Renamed Ltd", "category_id": "", "version": "{supplier_v}"}
CONTRACT = {
    "title": "Cleaning of stations",
    "start_date": ["1", "4", "2024"],
    "end_date": ["31", "3", "2025"],
    "annual_value": "99999.99",
    "category_id": "",
    "version": "{contract_v}",
}
PROCUREMENT = {
    "title": "Cleaning of stations",
    "regime": "pa2023",
    "cpv_codes": "90911200-8",
    "category_id": "",
    "contract_id": "",
}
PPN009 = {
    **{c: "high" for c in ("industry", "workforce", "location", "context", "commodity")},
    "business_model": "high",
    "overall": "high",
    "reasons": "Agency labour",
    "mitigations": ["clauses", "kpis"],
}
KPI = {"description": "Audits done", "target": "4 a year", "measure": "Audit reports"}
RATING = {"financial_year": "2024", "rating": "good"}
COLUMNS = {
    "field_supplier_name": "Supplier Name",
    "field_amount": "Amount",
    "field_payment_date": "Payment Date",
    "submit": "yes",
}
MAPPING = {"category_text": HOTEL_TEXT, "category_id": "{category_id}"}
START = {"financial_year": "{this_year}", "questionnaire": "standard"}
ADJUST = {"option": "{other_option}", "reason": "Checked", "version": "{submitted_v}"}
INVITE = {**START, "days": "30"}
RECORD = {"guidance_sent_on": ["1", "7", "2024"], "guidance_method": "email", "version": "{dd_v}"}
SUB = {"name": "Dye Works", "tier": "2", "country": "India", "supplies": "Dyes"}
SUB = {**SUB, "version": "{sub_supplier_v}"}
REVIEW = {"reviewed_on": ["1", "9", "2024"], "modern_slavery_discussed": "no"}
REVIEW = {**REVIEW, "version": "{review_v}"}
UPDATE = {"note": "Done", "status": "done", "rag": "green", "version": "{item_v}"}
TRAINING = {"audience": "all_staff", "course": "Refresher", "staff_in_scope": "10"}
TRAINING = {**TRAINING, "staff_trained": "9", "version": "{training_v}"}
STARTING = {"start_from": "default"}
SIGNATORIES = {"signatory_name": "Jo Bloggs", "signatory_title": "Chief Officer"}
SIGNATORIES = {**SIGNATORIES, "version": "{body_v}"}
ON = ["{yesterday_day}", "{yesterday_month}", "{yesterday_year}"]
APPROVAL = {"approved_on": ON, "decision_reference": "DR-1", "version": "{approving_body_v}"}
PUBLICATION = {"published_url": "https://example.org/s", "published_on": ON}
PUBLICATION = {**PUBLICATION, "version": "{approved_body_v}"}
REGISTRY = {"submitted_on": ON, "version": "{approved_body_v}"}
RISK = {"description": "Laundry agencies", "version": "{risk_v}"}
NONE_OF_THESE = ["none"]
ANSWERS = {
    "sectors": ["Public sector"],
    "policies": ["Prohibits child labour"],
    "training": ["Procurement staff"],
    "engagement": NONE_OF_THESE,
    "audits": NONE_OF_THESE,
    "grievance": NONE_OF_THESE,
    "ilo_indicators": NONE_OF_THESE,
    "version": "{body_v}",
}
JOINT_RISK = {"description": "Laundry agencies", "version": "{joint_risk_v}"}
CATEGORY = {"name": "Renamed category", "risk": "high", "version": "{category_v}"}
THRESHOLD = {"year": "2024-25", "amount": "60000.00"}
NAME_RULES = {"kind_slug": "name-rules"}
# New name rules: one rule (version 1, the shipped file, is in force in the world).
KENNELS = "words,category,confidence\nkennels,Cleaning services and materials,high\n"
COMMITMENT = {"title": "Renamed", "kpi_key": "", "active": "y", "version": "{commitment_v}"}
SENDING = {"respondent_name": "Sam", "respondent_role": "Director", "acknowledged": "y"}
SENDING = {**SENDING, "version": "{invitation_assessment_v}"}
SHARED = {"supplier_id": "shared_supplier_id", "assessment_id": "partner_assessment_id"}
SUBMITTED = {"assessment_id": "submitted_assessment_id"}
# A statement sent for approval and approved by its bodies; one marked approved and published.
APPROVING = {"statement_id": "approving_statement_id"}
APPROVED = {"statement_id": "approved_statement_id"}
STATE = {"version": "{statement_v}"}
JOINT_STATE = {"version": "{joint_v}"}
NEXT_YEAR = "year={next_statement_year}"
DECISION = {
    "ground": "Listed on the central debarment list",
    "decision": "under_consideration",
    "decided_on": ON,
    "version": "{decision_v}",
}
INCIDENT = {
    "found_on": ON,
    "supplier_id": "{supplier_id}",
    "tier": "2",
    "indicators": ["wages", "debt"],
    "source": "worker_voice",
    "referrals": ["nrm"],
    "remediation_types": ["payment"],
    "status": "open",
    "version": "{incident_v}",
}
PARTY = {"kind": "subcontractor", "name": "Relied On Ltd", "company_number": "7654321"}


def _answers(key: str, submit: str) -> Callable[[dict[str, str], World], dict[str, Any]]:
    return lambda v, w: {**w.answers, submit: "yes", "version": v[key]}


def _upload(field: str, data: bytes, filename: str, **more: str) -> Callable[..., dict[str, Any]]:
    return lambda v, w: {**more, field: File(data, filename)}


def _questionnaire(v: dict[str, str], w: World) -> dict[str, Any]:
    return {"file": File(w.next_questionnaire.encode(), "standard.toml")}


ROUTES: dict[str, R] = {
    "main.home": R(PUBLIC),
    "main.accessibility": R(PUBLIC),
    "main.privacy": R(PUBLIC),
    "static": R(PUBLIC),
    # Signing in saves the time (anonymous); someone signed in is sent home.
    "auth.sign_in": R(PUBLIC, post=SIGN_IN_FORM, changes=None),
    # Signing out moves the session version on (anonymous: nothing to change).
    "auth.sign_out": R(PUBLIC, post={}, changes=None, to_sign_in=True),
    "auth.change_password": R(SIGNED_IN, post=PASSWORDS),
    # A one-time link: the empty form saves nothing, so the link keeps working for every role.
    "auth.create_password": R(PUBLIC, post={}, changes=False, ids={"token": "password_token"}),
    "main.ratings": R(SIGNED_IN),
    "tasks.index": R(SIGNED_IN),
    "admin.index": R(ADMIN),
    "admin.organisations": R(ADMIN),
    "admin.new_organisation": R(ADMIN, post=NEW_ORG),
    "admin.edit_organisation": R(ADMIN, post=ORG),
    "admin.partnerships": R(ADMIN),
    "admin.new_partnership": R(ADMIN, post={"slug": "south", "name": "South"}),
    "admin.edit_partnership": R(ADMIN, post=PARTNERSHIP),
    "admin.users": R(ADMIN),
    "admin.new_user": R(ADMIN, post=NEW_USER),
    "admin.edit_user": R(ADMIN, post=USER),
    "admin.password_link": R(ADMIN, post={}),
    "admin.add_membership": R(ADMIN, post=ROLE),
    "admin.remove_membership": R(ADMIN, post=CONFIRMED, mixed=("membership_id",)),
    "exclusions.debarment_list_page": R(
        ADMIN, post=_upload("file", DEBARMENT_CSV, "debarment.csv")
    ),
    "statement_templates.index": R(ADMIN),
    "statement_templates.upload": R(ADMIN, post=_upload("file", TEMPLATE, "t.docx", name="T")),
    "statement_templates.download": R(ADMIN),
    "statement_templates.deactivate": R(ADMIN, post=CONFIRMED),
    "statement_templates.try_template": R(ADMIN, post={}, changes=False),  # a sample to download
    "organisations.overview": R(READ),
    "suppliers.register_list": R(READ),
    "suppliers.export": R(READ),
    "suppliers.duplicates": R(READ),
    "suppliers.detail": R(READ),
    "suppliers.new": R(REGISTER, post={"name": "Brand New Ltd", "category_id": ""}),
    "suppliers.edit": R(REGISTER, post=SUPPLIER),
    "suppliers.archive": R(REGISTER, post={"archived": "yes", **CONFIRMED}),
    "suppliers.reviewed": R(REGISTER, post={}),
    "supplier_bulk.bulk_action": R(
        REGISTER, post={"action": "reviewed", "supplier": "{supplier_id}", **CONFIRMED}
    ),
    "suppliers.merge": R(
        REGISTER,
        query="keep={supplier_id}&merge={small_supplier_id}",
        post={"keep": "{supplier_id}", "merge": "{small_supplier_id}"},
    ),
    "suppliers.new_contract": R(REGISTER, post=CONTRACT),
    "suppliers.edit_contract": R(REGISTER, post=CONTRACT),
    "procurements.index": R(READ),
    "procurements.new": R(REGISTER, post=PROCUREMENT),
    "procurements.edit": R(REGISTER, post={**PROCUREMENT, "version": "{procurement_v}"}),
    "procurements.detail": R(READ),
    "procurements.assessment": R(READ),
    "procurements.edit_assessment": R(REGISTER, post={**PPN009, "version": "{ppn009_v}"}),
    "contracts.detail": R(READ),
    "contracts.new_kpi": R(REGISTER, post=KPI),
    "contracts.remove_kpi": R(REGISTER, post=CONFIRMED),
    "contracts.rate": R(REGISTER, post=RATING),
    "exclusions.new_decision": R(REGISTER, post=DECISION),
    "exclusions.edit_decision": R(REGISTER, post=DECISION),
    "exclusions.new_party": R(REGISTER, post=PARTY),
    "exclusions.remove_party": R(REGISTER, post={"version": "{party_v}"}),
    "incidents.index": R(INCIDENTS),
    "incidents.new": R(INCIDENTS, post=INCIDENT),
    "incidents.edit": R(INCIDENTS, post=INCIDENT),
    "incidents.detail": R(INCIDENTS),
    "imports.history": R(READ),
    "imports.detail": R(READ),
    "imports.problems": R(READ),
    "imports.undo": R(REGISTER, post={"confirmed": "yes"}),
    "imports.upload": R(REGISTER, post=_upload("file", SPEND_CSV, "more.csv")),
    "imports.preview": R(REGISTER, post=COLUMNS),
    "imports.upload_problems": R(REGISTER),
    "imports.job": R(REGISTER),
    "imports.job_status": R(REGISTER),
    "imports.retry": R(REGISTER, post={}, changes=False),
    "imports.personal_payees": R(REGISTER, post={"name": "A Private Person"}),
    "imports.remove_personal_payee": R(REGISTER, post={"confirmed": "yes"}),
    "categories.mappings": R(READ),
    "categories.map_text": R(REGISTER, post=MAPPING),
    "categories.remove_mapping": R(REGISTER, post=CONFIRMED),
    "assessments.index": R(READ),
    "assessments.detail": R(READ),
    "assessments.start": R(REGISTER, post=START),
    "assessments.answer": R(REGISTER, post=_answers("assessment_v", "save")),
    "assessments.adjust": R(REGISTER, ids=SUBMITTED, post=ADJUST),
    "assessments.accept": R(REGISTER, ids=SUBMITTED, post={"version": "{submitted_v}"}),
    "assessments.cancel": R(REGISTER, post={"version": "{assessment_v}", **CONFIRMED}),
    "assessments.shared": R(READ, ids=SHARED),
    "assessments.adopt": R(REGISTER, ids=SHARED, post={"financial_year": "{this_year}"}),
    "assessment_strt.upload": R(
        REGISTER, post=_upload("file", STRT, "strt.xlsx", financial_year="{this_year}")
    ),
    "assessment_strt.preview": R(REGISTER, ids={"file_id": "strt_file_id"}, post={}),
    "assessment_strt.download_file": R(READ, ids={"file_id": "strt_evidence_id"}),
    "invitations.outbox": R(READ),
    "invitations.invite": R(REGISTER, post=INVITE),
    "invitations.mark_sent": R(REGISTER, post={"version": "{invitation_v}"}),
    "invitations.new_link": R(REGISTER, post={"version": "{invitation_v}"}),
    "due_diligence.overview": R(READ),
    "due_diligence.export": R(READ),
    "due_diligence.supplier_year": R(READ),
    "due_diligence.edit_record": R(REGISTER, post=RECORD),
    "due_diligence.new_sub_supplier": R(REGISTER, post=SUB),
    "due_diligence.edit_sub_supplier": R(REGISTER, post=SUB),
    "due_diligence.remove_sub_supplier": R(REGISTER, post={"version": "{sub_supplier_v}"}),
    "due_diligence.new_review": R(REGISTER, post=REVIEW),
    "due_diligence.edit_review": R(REGISTER, post=REVIEW),
    "due_diligence.remove_review": R(REGISTER, post={"version": "{review_v}"}),
    "plans.overview": R(READ),
    "plans.item": R(READ),
    "plans.start": R(STATEMENT, query="year={next_year}", post={}),
    "plans.new_item": R(STATEMENT, post={"title": "Our own action"}),
    "plans.edit_item": R(STATEMENT, post={"title": "Renamed action", "version": "{item_v}"}),
    "plans.add_update": R(STATEMENT, post=UPDATE),
    "plans.training_list": R(READ),
    "plans.new_training": R(STATEMENT, post=TRAINING),
    "plans.edit_training": R(STATEMENT, post=TRAINING),
    "plans.delete_training": R(STATEMENT, post={"version": "{training_v}"}),
    "statements.body_statement": R(READ),
    "statements.start_single": R(STATEMENT, query=NEXT_YEAR, post=STARTING),
    "statements.edit_section": R(STATEMENT, post={"text": "New words", "version": "{section_v}"}),
    # The world's sections agree with their figures: there is nothing to keep, so an allowed
    # POST shows the section page again with the reason (test_statement_figures keeps words).
    "statements.keep_words": R(STATEMENT, post=KEEP, changes=False),
    "statements.signatories": R(STATEMENT, post=SIGNATORIES),
    "statements.approval": R(STATEMENT, ids=APPROVING, post=APPROVAL),
    "statements.publication": R(STATEMENT, ids=APPROVED, post=PUBLICATION),
    "statements.registry": R(STATEMENT, ids=APPROVED, post=REGISTRY),
    "statements.registry_answers": R(STATEMENT, post=ANSWERS),
    "statements.new_single_risk": R(STATEMENT, post={"description": "Laundry agencies"}),
    "statements.edit_single_risk": R(STATEMENT, post=RISK),
    "statements.remove_single_risk": R(STATEMENT, post={"version": "{risk_v}"}),
    "statements.change_single_state[send-for-approval]": R(STATEMENT, post=STATE),
    "statements.change_single_state[mark-approved]": R(
        STATEMENT, ids=APPROVING, post={"version": "{approving_v}"}
    ),
    # A single statement is published as its one body records where: this can only say so.
    "statements.change_single_state[mark-published]": R(
        STATEMENT, ids=APPROVED, post={"version": "{approved_v}"}, changes=False
    ),
    "statement_documents.single_documents": R(READ),
    "statement_documents.single_generate": R(STATEMENT, post={"file_format": "docx"}),
    "statement_documents.single_download": R(READ),
    "statement_documents.single_registry": R(READ),
    "organisations.partnership": R(P_READ),
    "organisations.shared_suppliers": R(P_READ),
    # Addressed by a body's record of the business every body buys from.
    "organisations.shared_supplier": R(P_READ, ids={"supplier_id": "shared_supplier_id"}),
    "organisations.export_partnership": R(P_READ),
    "due_diligence.export_partnership": R(P_READ),
    "board.dashboard": R(P_READ),
    "board.report": R(P_READ, fixed={"file_format": "xlsx"}),
    "board.keep": R(P_JOINT, post={}),
    "categories.index": R(P_CATEGORIES),
    "categories.edit": R(P_CATEGORIES, post=CATEGORY),
    "categories.set_threshold": R(P_CATEGORIES, post=THRESHOLD),
    "category_rules.index": R(P_CATEGORIES),
    "category_rules.rules": R(
        P_CATEGORIES, fixed=NAME_RULES, post={"text": KENNELS, "version": "1"}
    ),
    "category_rules.download_version": R(P_CATEGORIES, fixed={**NAME_RULES, "number": "1"}),
    # Version 1 (the shipped file) is the one in force in the world: putting it back in force
    # is refused, so an allowed POST saves nothing (test_category_rule_sets restores one).
    "category_rules.restore": R(
        P_CATEGORIES, fixed={**NAME_RULES, "number": "1"}, post=CONFIRMED, changes=False
    ),
    "commitments.index": R(P_READ),
    "commitments.edit": R(P_JOINT, post=COMMITMENT),
    "questionnaires.index": R(P_QUESTIONNAIRE),
    "questionnaires.preview": R(P_QUESTIONNAIRE),
    "questionnaires.download": R(P_QUESTIONNAIRE),
    "questionnaires.publish": R(P_QUESTIONNAIRE, post=_questionnaire),
    "statements.partnership_statements": R(P_READ),
    "statements.start_joint": R(P_JOINT, query=NEXT_YEAR, post=STARTING),
    "statements.joint_statement": R(P_READ),
    "statements.edit_joint_section": R(
        P_JOINT, post={"text": "New", "version": "{joint_section_v}"}
    ),
    "statements.keep_joint_words": R(P_JOINT, post=KEEP, changes=False),
    "statements.new_joint_risk": R(P_JOINT, post={"description": "Laundry agencies"}),
    "statements.edit_joint_risk": R(P_JOINT, post=JOINT_RISK),
    "statements.remove_joint_risk": R(P_JOINT, post={"version": "{joint_risk_v}"}),
    "statements.change_joint_state[send-for-approval]": R(P_JOINT, post=JOINT_STATE),
    "statements.change_joint_state[mark-approved]": R(
        P_JOINT, ids=APPROVING, post={"version": "{joint_approving_v}"}
    ),
    "statements.change_joint_state[mark-published]": R(
        P_JOINT, ids=APPROVED, post={"version": "{joint_approved_v}"}
    ),
    "statement_documents.joint_documents": R(P_READ),
    "statement_documents.joint_generate": R(P_JOINT, post={"file_format": "docx"}),
    "statement_documents.joint_download": R(P_READ),
    "statement_documents.joint_registry": R(P_READ),
    "audit.events": R(AUDIT),
    "audit.event": R(AUDIT),
    "respond.answer": R(LINK, post=_answers("invitation_assessment_v", "save")),
    "respond.check": R(LINK, post=SENDING),
}
