"""The authorisation matrix: every route in app.url_map x every role (admin, coordinator,
board, procurement, statement, viewer, anonymous, supplier with a link) x own body / a body
in the same partnership / a body outside it x each method the route allows.

ROUTES (tests/integration/matrix_routes.py) has a line for every route: the access rule its
view must declare, and the form data a POST sends, data that saves something when the rule
lets it through (checked), so that a refusal proves the check and not a bad form. The
expected outcome comes from the rule, the role and the target (expected(), written from
DESIGN.md "Roles and tenancy", not read from tisc.rules.authz):
- allowed: 200, a redirect other than to sign in, or 400 (a POST's form); a GET saves nothing
  (but GET_WRITES, each with its reason); an allowed POST saves something (unless changes=);
- incidents (a body's incident log): its statement and procurement leads and administrators,
  404 to everyone else;
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

from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.routing import Rule

from tests.conftest import make_app
from tests.integration.matrix_routes import (
    ADMIN,
    AUDIT,
    LINK,
    PUBLIC,
    ROUTES,
    SIGNED_IN,
    R,
    route_key,
)
from tests.integration.matrix_support import (
    ADDRESSED,
    Matrix,
    matrix_on,
    other_body,
    request_for,
    targets,
)
from tests.integration.matrix_world import World
from tisc.web.access import access_rule_of

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
    if kind == "incidents":
        # A body's incident log: its statement and procurement leads, and administrators for
        # every body; anyone else meets a 404, as if there were no such page.
        leads = role in ("statement", "procurement") and body in BODIES_REACHED[role]
        return ALLOWED if (leads or role == "admin") and target != "mixed" else NOT_FOUND
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
