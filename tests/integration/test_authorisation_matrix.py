"""The authorisation matrix: every route in app.url_map x every role (admin, coordinator,
board, procurement, statement, viewer, anonymous, supplier with a link) x own body / a body
in the same partnership / a body outside it x each method the route allows.

ROUTES has a line for every route: the access rule its view must declare, and the form data a
POST sends, data that saves something when the rule lets it through (checked), so that a
refusal proves the check and not a bad form. The expected outcome comes from the rule, the
role and the target (expected(), written from DESIGN.md "Roles and tenancy", not read from
tisc.security):
- allowed: 200, a redirect other than to sign in, or 400 (a POST's form); a GET saves nothing
  (but GET_WRITES, each with its reason); an allowed POST saves something (unless changes=);
- refused: exactly 403, 404 or a redirect to /sign-in, and not one row of any table changed;
- never a 500, never a name of a body where it must not be seen: gamma-police's to anyone but
  administrators (and on its own link), the addressed body's in a 404, another body's on a
  link's pages.
Targets (matrix_support.ADDRESSED): alpha-police's address and records; beta-opcc's, in the
same partnership; gamma-police's, in another; "mixed", the own address with another body's
record ids (404 to anyone who may use the address); a link that does not exist.

A new route fails test_every_route_is_in_the_matrix_with_the_rule_it_declares: add its line.
A rule expected() does not describe takes `only=` (the roles it lets in).
Every request is rolled back (matrix_support): the whole matrix runs on one world, in any
order. TISC_MATRIX_FULL_READS=1 reads every table after every request, not only after writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from werkzeug.routing import Rule

from tests.conftest import PASSWORD, make_app
from tests.integration.matrix_support import (
    ADDRESSED,
    File,
    Matrix,
    R,
    matrix_on,
    other_body,
    request_for,
    targets,
)
from tests.integration.matrix_world import SPEND_CSV, TEMPLATE, World
from tests.integration.register_support import HOTEL_TEXT
from tisc.security import access_rule_of

PUBLIC, SIGNED_IN, ADMIN, LINK = "public", "signed_in", "admin", "invitation_link"
AUDIT = "audit_reader"
READ = "organisation:read_organisation"
REGISTER = "organisation:manage_register"
STATEMENT = "organisation:manage_statement"
P_READ = "partnership:read_partnership"
P_JOINT = "partnership:edit_joint"
P_CATEGORIES = "partnership:manage_categories"
P_QUESTIONNAIRE = "partnership:manage_questionnaire"
NEW_PW = "violet tractor umbrella 93"

# Form data that saves something when the rule lets it through ("{name}": the target's value).
PASSWORDS = {"current_password": PASSWORD, "new_password": NEW_PW, "confirm_password": NEW_PW}
SIGN_IN_FORM = {"email": "viewer.alpha-police@example.org", "password": PASSWORD}
NEW_ORG = {"slug": "delta-police", "name": "Delta Police", "kind": "force", "partnership": ""}
ORG = {"name": "Renamed Body", "kind": "force", "version": "{org_v}"}
PARTNERSHIP = {"name": "Renamed", "members": ["{org_slug}"], "version": "{partnership_v}"}
NEW_USER = {
    "email": "new.person@example.org",
    "name": "New Person",
    "password": NEW_PW,
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
JOINT_RISK = {"description": "Laundry agencies", "version": "{joint_risk_v}"}
CATEGORY = {"name": "Renamed category", "risk": "high", "version": "{category_v}"}
THRESHOLD = {"year": "2024-25", "amount": "60000.00"}
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
    "auth.sign_out": R(PUBLIC, post={}, changes=False, to_sign_in=True),
    "auth.change_password": R(SIGNED_IN, post=PASSWORDS),
    "main.ratings": R(SIGNED_IN),
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
    "admin.set_password": R(ADMIN, post={"password-password": NEW_PW}),
    "admin.add_membership": R(ADMIN, post=ROLE),
    "admin.remove_membership": R(ADMIN, post={}, mixed=("membership_id",)),
    "statement_templates.index": R(ADMIN),
    "statement_templates.upload": R(ADMIN, post=_upload("file", TEMPLATE, "t.docx", name="T")),
    "statement_templates.download": R(ADMIN),
    "statement_templates.deactivate": R(ADMIN, post={}),
    "statement_templates.try_template": R(ADMIN, post={}, changes=False),  # a sample to download
    "organisations.overview": R(READ),
    "suppliers.register_list": R(READ),
    "suppliers.export": R(READ),
    "suppliers.duplicates": R(READ),
    "suppliers.detail": R(READ),
    "suppliers.new": R(REGISTER, post={"name": "Brand New Ltd", "category_id": ""}),
    "suppliers.edit": R(REGISTER, post=SUPPLIER),
    "suppliers.archive": R(REGISTER, post={"archived": "yes"}),
    "suppliers.reviewed": R(REGISTER, post={}),
    "suppliers.merge": R(REGISTER, post={"keep": "{supplier_id}", "merge": "{small_supplier_id}"}),
    "suppliers.new_contract": R(REGISTER, post=CONTRACT),
    "suppliers.edit_contract": R(REGISTER, post=CONTRACT),
    "imports.history": R(READ),
    "imports.detail": R(READ),
    "imports.problems": R(READ),
    "imports.undo": R(REGISTER, post={}),
    "imports.upload": R(REGISTER, post=_upload("file", SPEND_CSV, "more.csv")),
    "imports.preview": R(REGISTER, post=COLUMNS),
    "imports.upload_problems": R(REGISTER),
    "imports.personal_payees": R(REGISTER, post={"name": "A Private Person"}),
    "imports.remove_personal_payee": R(REGISTER, post={}),
    "categories.mappings": R(READ),
    "categories.map_text": R(REGISTER, post=MAPPING),
    "categories.remove_mapping": R(REGISTER, post={}),
    "assessments.index": R(READ),
    "assessments.detail": R(READ),
    "assessments.start": R(REGISTER, post=START),
    "assessments.answer": R(REGISTER, post=_answers("assessment_v", "save")),
    "assessments.adjust": R(REGISTER, ids=SUBMITTED, post=ADJUST),
    "assessments.accept": R(REGISTER, ids=SUBMITTED, post={"version": "{submitted_v}"}),
    "assessments.cancel": R(REGISTER, post={"version": "{assessment_v}"}),
    "assessments.shared": R(READ, ids=SHARED),
    "assessments.adopt": R(REGISTER, ids=SHARED, post={"financial_year": "{this_year}"}),
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
    "statements.signatories": R(STATEMENT, post=SIGNATORIES),
    "statements.approval": R(STATEMENT, ids=APPROVING, post=APPROVAL),
    "statements.publication": R(STATEMENT, ids=APPROVED, post=PUBLICATION),
    "statements.registry": R(STATEMENT, ids=APPROVED, post=REGISTRY),
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
    "organisations.export_partnership": R(P_READ),
    "due_diligence.export_partnership": R(P_READ),
    "board.dashboard": R(P_READ),
    "board.report": R(P_READ, fixed={"file_format": "xlsx"}),
    "categories.index": R(P_CATEGORIES),
    "categories.edit": R(P_CATEGORIES, post=CATEGORY),
    "categories.set_threshold": R(P_CATEGORIES, post=THRESHOLD),
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

# GETs that do save something: the tables they may change, and why.
FIRST_OPENING = (
    {"invitations", "audit_events"},
    "a link's first opening is recorded (the outbox shows it) and so audited",
)
GET_WRITES = {"respond.answer": FIRST_OPENING, "respond.check": FIRST_OPENING}
# A link that does not work is counted against the client (any method), to slow guessing.
BAD_LINK_WRITES = {"login_throttles"}

# --- who may do what (DESIGN.md "Roles and tenancy") ---------------------------------------

ROLES = ("admin", "coordinator", "board", "procurement", "statement", "viewer")
ROLES += ("anonymous", "supplier")
SIGNED_OUT = ("anonymous", "supplier")  # a supplier holds alpha-police's link, no account
MAY = {
    "admin": {"administer", "manage_categories", "manage_questionnaire", "read_audit"},
    "coordinator": {
        "read_organisation",
        "read_partnership",
        "edit_joint",
        "manage_categories",
        "manage_questionnaire",
    },
    "board": {"read_organisation", "read_partnership", "read_audit"},
    "procurement": {"read_organisation", "manage_register"},
    "statement": {"read_organisation", "manage_statement"},
    "viewer": {"read_organisation"},
}
# The bodies each role's membership reaches; the partnerships (the administrator: every
# partnership's set-up and audit trail, no body's register).
BODIES_REACHED = {
    "admin": set(),
    "coordinator": {"alpha", "beta"},
    "board": {"alpha", "beta"},
    "procurement": {"alpha"},
    "statement": {"alpha"},
    "viewer": {"alpha"},
}
PARTNERSHIPS_REACHED = {
    "admin": {"north-east", "elsewhere"},
    "coordinator": {"north-east"},
    "board": {"north-east"},
}
PARTNERSHIP_OF = {"alpha": "north-east", "beta": "north-east", "gamma": "elsewhere"}
ALLOWED, FORBIDDEN, NOT_FOUND, SIGN_IN = "allowed", "403", "404", "sign-in"


def expected(route: R, role: str, target: str) -> str:
    """What the role gets from the route at the target."""
    kind, _, permission = route.rule.partition(":")
    if kind == PUBLIC:
        return ALLOWED
    if kind == LINK:
        return NOT_FOUND if target == "bad-link" else ALLOWED
    if role in SIGNED_OUT:
        return SIGN_IN
    if route.only is not None:
        return ALLOWED if role in route.only else FORBIDDEN
    if kind == SIGNED_IN:
        return ALLOWED
    body = ADDRESSED[target]
    if kind in (ADMIN, AUDIT):
        if ("administer" if kind == ADMIN else "read_audit") not in MAY[role]:
            return FORBIDDEN
        # Administrators reach every body here; a board member its partnership's only.
        if target == "mixed" or PARTNERSHIP_OF[body] not in PARTNERSHIPS_REACHED[role]:
            return NOT_FOUND
        return ALLOWED
    if kind == "organisation":
        may = MAY[role] if body in BODIES_REACHED[role] else set()
        visible = "read_organisation" in may
    elif kind == "partnership":
        may = MAY[role] if PARTNERSHIP_OF[body] in PARTNERSHIPS_REACHED.get(role, ()) else set()
        visible = "read_partnership" in may or permission in may
    else:
        raise AssertionError(f"the matrix does not know the rule {route.rule!r}: give `only=`")
    if not visible:
        return NOT_FOUND
    if permission not in may:
        return FORBIDDEN
    return NOT_FOUND if target == "mixed" else ALLOWED


# --- the test ------------------------------------------------------------------------------


def route_key(rule: Rule, rules: list[Rule]) -> str:
    """The endpoint, and the rule's last part when the endpoint has several rules."""
    if sum(1 for other in rules if other.endpoint == rule.endpoint) == 1:
        return rule.endpoint
    return f"{rule.endpoint}[{rule.rule.rsplit('/', 1)[1]}]"


def _app_rules() -> dict[str, tuple[Rule, str | None]]:
    """Every route of the app by its key: the rule and the access rule its view declares."""
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    rules = list(app.url_map.iter_rules())
    return {
        route_key(rule, rules): (rule, access_rule_of(app.view_functions[rule.endpoint]))
        for rule in rules
    }


APP_RULES = _app_rules()
CASES = [
    pytest.param(key, method, role, id=f"{key}-{method}-{role}")
    for key, (rule, _) in APP_RULES.items()
    if key in ROUTES
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    for role in ROLES
]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    with matrix_on(tmp_path_factory.mktemp("matrix")) as found:
        yield found


def test_every_route_is_in_the_matrix_with_the_rule_it_declares() -> None:
    unknown = sorted(set(APP_RULES) - set(ROUTES))
    assert unknown == [], "routes the matrix does not know: add a line to ROUTES for each"
    assert sorted(set(ROUTES) - set(APP_RULES)) == [], "ROUTES has routes the app no longer has"
    wrong = {key: (APP_RULES[key][1], route.rule) for key, route in ROUTES.items()}
    wrong = {key: rules for key, rules in wrong.items() if rules[0] != rules[1]}
    assert wrong == {}, "route: (the rule its view declares, the rule in ROUTES)"


@pytest.mark.parametrize(("key", "method", "role"), CASES)
def test_matrix(matrix: Matrix, key: str, method: str, role: str) -> None:
    route, rule = ROUTES[key], APP_RULES[key][0]
    problems = []
    for target in targets(route, rule):
        # Another body's ids at the own address, for those the own address lets in (anyone
        # else meets the own address's refusal before an id is looked at).
        if target == "mixed" and expected(route, role, "own") != ALLOWED:
            continue
        problems += judge(matrix, key, role, method, target)
    assert not problems, "\n".join(problems)


def judge(matrix: Matrix, key: str, role: str, method: str, target: str) -> list[str]:
    """What is wrong with one request, in words (nothing when it is right)."""
    route, rule = ROUTES[key], APP_RULES[key][0]
    url, data = request_for(matrix.world, route, rule, target, method)
    want = expected(route, role, target)
    response, changed = matrix.send(role, method, url, data)
    return [
        f"{role} {method} {url} ({target}): {problem}"
        for problem in (
            *_status(route, method, want, response),
            *_changes(key, route, method, target, want, changed),
            *_names(matrix.world, key, route, role, method, target, want, response),
        )
    ]


def _status(route: R, method: str, want: str, response: Any) -> list[str]:
    status = response.status_code
    got = f"{status} {response.headers.get('Location', '')}".strip()
    to_sign_in = status == 302 and response.headers["Location"].split("?")[0] == "/sign-in"
    if want == ALLOWED:
        fine = {200, 302, 400} if method == "POST" else {200, 302}
        if status not in fine or (to_sign_in and not route.to_sign_in):
            return [f"allowed, but got {got}"]
    elif want == SIGN_IN:
        if not to_sign_in:
            return [f"expected a redirect to sign in, got {got}"]
    elif str(status) != want:
        return [f"expected {want}, got {got}"]
    return []


def _changes(
    key: str, route: R, method: str, target: str, want: str, changed: dict[str, str]
) -> list[str]:
    saved = set(changed)
    if target == "bad-link":
        saved -= BAD_LINK_WRITES
    elif want == ALLOWED and method == "GET":
        saved -= GET_WRITES.get(key, (set(), ""))[0]
    if want != ALLOWED or method == "GET":
        return (
            [f"{'refused' if want != ALLOWED else 'a GET'}, but changed {changed}"] if saved else []
        )
    if route.changes is True and not changed:
        return ["allowed, but saved nothing: make its form data in ROUTES save something"]
    if route.changes is False and changed:
        return [f"should save nothing, but changed {changed}"]
    return []


def _names(
    world: World, key: str, route: R, role: str, method: str, target: str, want: str, response: Any
) -> list[str]:
    """Names the response must not show: gamma-police's to anyone but administrators; the
    addressed body's in a 404; on a link's page, every other body's (and it shows its own
    supplier's)."""
    text, body = response.get_data().decode("utf-8", "replace"), ADDRESSED[target]
    problems = []
    if key.startswith("respond.") and target != "bad-link":
        hidden = {"alpha", "beta", "gamma"} - {body}
        invited = world.secrets(body)[2]
        if want == ALLOWED and method == "GET" and invited not in text:
            problems.append(f"the link's page does not show {invited!r}")
    else:
        hidden = set() if role == "admin" else {"gamma"}
        if response.status_code == 404 and target != "bad-link":
            hidden.add(other_body(route) if target == "mixed" else body)
    shown = [(b, name) for b in sorted(hidden) for name in world.secrets(b) if name in text]
    return problems + [f"shows {b}'s {name!r}" for b, name in shown]
