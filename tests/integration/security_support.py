"""How the walks of every route of app.url_map (CSRF on every POST, security headers and stored
script on every page) reach a route: at alpha-police's records of the security tests' world
(matrix_world.build_world), addressed as the authorisation matrix addresses it
(matrix_routes.ROUTES: ids, fixed values, query), by someone its access rule lets in.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.conftest import sign_in
from tests.integration.matrix_routes import ROUTES, R, route_key
from tests.integration.matrix_support import request_for
from tests.integration.matrix_world import EMAILS, World
from tisc.extensions import db
from tisc.models import User

# Who may use each kind of route, by its access rule (tisc.web.access), signed in as.
ADMIN = EMAILS["admin"]
COORDINATOR = EMAILS["coordinator"]
PROCUREMENT = EMAILS["procurement"]
STATEMENT = EMAILS["statement"]


def url_for_rule(app: Flask, rule: Rule, world: World) -> str:
    """The rule's URL at alpha-police's records, as the matrix sends it; a route the matrix
    has no line for yet takes the world's value for each argument (KeyError names one it
    lacks)."""
    key = route_key(rule, list(app.url_map.iter_rules()))
    return request_for(world, ROUTES.get(key, R("")), rule, "own", "GET")[0]


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
        "incidents:manage_incidents": STATEMENT,
        "partnership:read_partnership": COORDINATOR,
        "partnership:edit_joint": COORDINATOR,
        "partnership:manage_categories": COORDINATOR,
        "partnership:manage_questionnaire": COORDINATOR,
    }
    if access_rule not in people:
        raise KeyError(f"{rule.rule}: add who may use the rule {access_rule!r} here")
    return people[access_rule]


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def client_for(app: Flask, who: str, world: World) -> Any:
    """A client for whom who_may_use names (the supplier: alpha-police's invitation link), on
    an app with CSRF off (the test default)."""
    client = app.test_client()
    if who == "supplier":
        assert client.get(f"/respond/{world.values('alpha')['token']}").status_code == 200
    elif who != "anonymous":
        assert sign_in(client, who).status_code == 302, who
    return client
