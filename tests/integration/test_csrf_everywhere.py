"""CSRF on every state-changing route: with protection on, every rule in app.url_map that takes
POST refuses a request without a valid token (a missing token, another session's token, a
made-up one) with 400 and changes nothing in any table, even for a signed-in user the route
would otherwise serve. The routes come from the url_map, so a new POST route is covered.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, make_app, page
from tests.integration.matrix_world import World, build_world
from tests.integration.plan_support import POSTS as PLAN_POSTS
from tests.integration.register_support import UNKNOWN_TEXT
from tests.integration.security_support import (
    ADMIN,
    PROCUREMENT,
    url_for_rule,
    user_id,
    who_may_use,
)
from tests.integration.statement_support import POSTS as STATEMENT_POSTS
from tests.integration.table_snapshot import changed_tables, every_table
from tisc.extensions import db
from tisc.web.access import access_rule_of

CSRF_LOGGER = "flask_wtf.csrf"
REFUSALS = {
    "The CSRF token is missing.",
    "The CSRF tokens do not match.",
    "The CSRF token is invalid.",
    "The CSRF session token is missing.",
}
DATE = ["1", "8", "2024"]


def form_data(endpoint: str, values: dict[str, str]) -> dict[str, Any]:
    """What the route would save if it let the request through (made afresh on each call:
    files are streams, read once); `values`: alpha-police's in the world. Routes not named
    here get an empty form."""
    version = {"version": "1"}
    confirmed = {"confirmed": "yes"}  # a destructive action acts only with it
    contract = {
        "title": "Sneaky",
        "start_date": ["1", "4", "2024"],
        "end_date": ["31", "3", "2025"],
        "annual_value": "99999.99",
        "category_id": "",
        **version,
    }
    procurement = {"title": "Sneaky", "regime": "pa2023", "cpv_codes": "90911200-8"}
    sub_supplier = {"name": "Sneaky", "tier": "2", "country": "X", "supplies": "Y", **version}
    review = {"reviewed_on": DATE, "modern_slavery_discussed": "yes", "notes": "Sneaky"}
    organisation = {"slug": "sneaky", "name": "Sneaky", "kind": "force", **version}
    forms: dict[str, dict[str, Any]] = {
        **PLAN_POSTS,
        **STATEMENT_POSTS,
        "auth.sign_in": {"email": PROCUREMENT, "password": PASSWORD},
        "auth.change_password": {
            "current_password": PASSWORD,
            "new_password": "a brand new pass phrase",
            "confirm_password": "a brand new pass phrase",
        },
        "admin.new_organisation": organisation,
        "admin.edit_organisation": {**organisation, "slug": "alpha-police"},
        "admin.new_partnership": {"slug": "sneaky", "name": "Sneaky"},
        "admin.edit_partnership": {"slug": "north-east", "name": "Sneaky", **version},
        "admin.new_user": {
            "email": "sneaky@example.org",
            "name": "Sneaky",
            "role": "viewer",
            "scope": "organisation:alpha-police",
        },
        "admin.edit_user": {"name": "Sneaky", **version},  # unticked "Can sign in"
        "admin.password_link": {},
        "auth.create_password": {
            "password": "a brand new pass phrase",
            "confirm_password": "a brand new pass phrase",
        },
        "admin.add_membership": {"role": "board", "scope": "partnership:north-east"},
        "statement_templates.upload": {
            "name": "Sneaky",
            "file": (io.BytesIO(b"PK\x03\x04 not really"), "t.docx"),
        },
        "suppliers.new": {"name": "Sneaky Ltd", "category_id": ""},
        "suppliers.edit": {"name": "Sneaky Ltd", "category_id": "", **version},
        "suppliers.archive": {"archived": "yes", **confirmed},
        "suppliers.merge": {
            "keep": values["supplier_id"],
            "merge": values["small_supplier_id"],
        },
        "suppliers.new_contract": contract,
        "procurements.new": procurement,
        "procurements.edit": {**procurement, **version},
        "procurements.edit_assessment": {
            **dict.fromkeys(
                ("industry", "workforce", "location", "context", "commodity", "business_model"),
                "low",
            ),
            "overall": "low",
            "reasons": "Sneaky",
            **version,
        },
        "contracts.new_kpi": {"description": "Sneaky", "target": "X", "measure": "Y"},
        "contracts.remove_kpi": confirmed,
        "contracts.rate": {"financial_year": "2024", "rating": "inadequate"},
        "suppliers.edit_contract": contract,
        "assessments.start": {"financial_year": "2024", "questionnaire": "standard"},
        "assessments.answer": {"save": "Save and come back later", **version},
        "assessments.adjust": {"option": "yes", "reason": "Sneaky", **version},
        "assessments.accept": version,
        "assessments.cancel": {**version, **confirmed},
        "categories.remove_mapping": confirmed,
        "admin.remove_membership": confirmed,
        "statement_templates.deactivate": confirmed,
        "assessments.adopt": {"financial_year": "2024"},
        "invitations.invite": {"financial_year": "2024", "questionnaire": "short", "days": "30"},
        "imports.upload": {
            "file": (io.BytesIO(b"Supplier Name,Payment Date,Amount\nX,01/05/2024,1\n"), "p.csv")
        },
        "imports.preview": {
            "field_supplier_name": "Supplier Name",
            "field_amount": "Amount",
            "field_payment_date": "Payment Date",
            "submit": "Import these payments",
        },
        "imports.personal_payees": {"name": "A Person"},
        "categories.map_text": {
            "category_text": UNKNOWN_TEXT + " 2",
            "category_id": values["category_id"],
        },
        "categories.edit": {"name": "Sneaky", "risk": "high", **version},
        "categories.set_threshold": {"year": "2024-25", "amount": "1"},
        "questionnaires.publish": {"file": (io.BytesIO(b"key = 'x'\n"), "q.toml")},
        "commitments.edit": {"title": "Sneaky", "active": "y", **version},
        "due_diligence.edit_record": {"plan_note": "Sneaky", **version},
        "due_diligence.new_sub_supplier": sub_supplier,
        "due_diligence.edit_sub_supplier": sub_supplier,
        "due_diligence.remove_sub_supplier": version,
        "due_diligence.new_review": review,
        "due_diligence.edit_review": {**review, **version},
        "due_diligence.remove_review": version,
        "statement_documents.joint_generate": {"file_format": "docx"},
        "statement_documents.single_generate": {"file_format": "docx"},
        "respond.answer": {"save": "Save and come back later", **version},
        "respond.check": {"respondent_name": "Sneaky", "acknowledged": "y", **version},
    }
    return dict(forms.get(endpoint, {}))


def csrf_token(client: FlaskClient, url: str) -> str:
    """The token the page gives this client's session."""
    found = page(client.get(url)).select_one("input[name=csrf_token]")
    assert found is not None, f"{url} has no CSRF token"
    return found["value"]


def session_for(app: Flask, who: str, world: World | None) -> tuple[FlaskClient, str]:
    """A new browser session for the person (signed in through the real, protected form; the
    supplier: alpha-police's invitation link in the world), and the token its pages carry."""
    client = app.test_client()
    if who == "supplier":
        assert world is not None
        return client, csrf_token(client, f"/respond/{world.values('alpha')['token']}")
    token = csrf_token(client, "/sign-in")
    if who == "anonymous":
        return client, token
    response = client.post(
        "/sign-in", data={"email": who, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, who
    return client, csrf_token(client, "/")  # the sign-out form of the layout


def _identity(client: FlaskClient) -> tuple[Any, Any]:
    with client.session_transaction() as session:
        return session.get("_user_id"), session.get("csrf_token")


class Sessions:
    """Two browser sessions for each person, made when first needed and kept while they last
    (a request that signs in or out, or changes the password, ends one)."""

    def __init__(self, app: Flask, world: World) -> None:
        self.app, self.world = app, world
        self.pool: dict[str, list[tuple[FlaskClient, str]]] = {}

    def pair(self, who: str) -> tuple[tuple[FlaskClient, str], tuple[FlaskClient, str]]:
        pool = self.pool.setdefault(who, [])
        while len(pool) < 2:
            pool.append(session_for(self.app, who, self.world))
        return pool[0], pool[1]

    def used(self, who: str, identity: tuple[Any, Any]) -> None:
        """Drop the first session if the request changed who it is or its secret."""
        client = self.pool[who][0][0]
        if _identity(client) != identity:
            self.pool[who].pop(0)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


@pytest.fixture
def protected(app: Flask) -> Iterator[Flask]:
    """An app on the same database with CSRF protection on, as in production."""
    csrf_app = make_app(
        WTF_CSRF_ENABLED=True, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    yield csrf_app
    with csrf_app.app_context():
        db.engine.dispose()


def post_rules(app: Flask) -> list:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "POST" in rule.methods),
        key=lambda rule: rule.rule,
    )


def test_the_walk_finds_every_kind_of_post_route(protected: Flask) -> None:
    rules = post_rules(protected)
    kinds = {access_rule_of(protected.view_functions[r.endpoint]) for r in rules}
    assert len(rules) >= 70
    assert {"public", "signed_in", "admin", "invitation_link"} <= kinds
    assert {"organisation:manage_register", "organisation:manage_statement"} <= kinds
    assert {"partnership:edit_joint", "partnership:manage_categories"} <= kinds


def test_every_post_route_refuses_a_request_without_a_valid_token(
    app: Flask,
    protected: Flask,
    world: World,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO, logger=CSRF_LOGGER)
    problems: list[str] = []
    sessions = Sessions(protected, world)
    values = world.values("alpha")
    for rule in post_rules(protected):
        who = who_may_use(rule, access_rule_of(protected.view_functions[rule.endpoint]))
        # The same person in another browser gives the foreign token.
        (client, own_token), (_, foreign_token) = sessions.pair(who)
        identity = _identity(client)
        url = url_for_rule(protected, rule, world)
        before = every_table(app)
        for label, token in (
            ("no token", None),
            ("another session's token", foreign_token),
            ("a made-up token", own_token[::-1]),
        ):
            data = form_data(rule.endpoint, values)
            if token is not None:
                data["csrf_token"] = token
            caplog.clear()
            response = client.post(url, data=data)
            refused = {r.getMessage() for r in caplog.records if r.name == CSRF_LOGGER}
            if response.status_code != 400 or not refused & REFUSALS:
                problems.append(f"{rule.rule} ({who}, {label}): {response.status_code}")
        changed = changed_tables(before, every_table(app))
        if changed:
            problems.append(f"{rule.rule} ({who}) changed {changed} without a valid token")

        # The same person with the page's own token gets past the check and is served (not
        # refused or hidden): the refusals above were the token's doing. Commits are turned
        # into rollbacks so this request leaves the world as it was for the next route.
        with monkeypatch.context() as patch:
            patch.setattr(db.session, "commit", db.session.rollback)
            caplog.clear()
            data = {**form_data(rule.endpoint, values), "csrf_token": own_token}
            response = client.post(url, data=data)
        sessions.used(who, identity)
        refused = [r.getMessage() for r in caplog.records if r.name == CSRF_LOGGER]
        status = response.status_code
        sent_to_sign_in = "/sign-in" in response.headers.get("Location", "")
        # Signing out, and creating a password from a link, end in the sign-in page.
        ends_at_sign_in = rule.endpoint in ("auth.sign_out", "auth.create_password")
        if who not in ("anonymous", "supplier") and not ends_at_sign_in:
            refused += ["sent to sign in"] if sent_to_sign_in else []
        if refused or status in (403, 404, 405) or status >= 500:
            problems.append(f"{rule.rule} ({who}) with its token: {status} {refused}")
    assert not problems, "\n".join(problems)


def test_a_token_does_not_outlive_signing_out(protected: Flask, two_bodies: dict) -> None:
    client, token = session_for(protected, ADMIN, None)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    again = {"email": ADMIN, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=again).status_code == 400
    assert client.get("/admin/").status_code == 302  # the old token signed nobody in


def test_an_admin_form_posted_from_another_session_changes_nothing(
    app: Flask, protected: Flask, two_bodies: dict
) -> None:
    """The attack itself: a page elsewhere posts the admin's form with its own session's token."""
    victim, _ = session_for(protected, ADMIN, None)
    _, attacker_token = session_for(protected, ADMIN, None)
    target = user_id(app, "viewer.alpha-police@example.org")
    before = every_table(app)
    response = victim.post(
        f"/admin/users/{target}/password-link", data={"csrf_token": attacker_token}
    )
    assert response.status_code == 400
    assert page(response).select_one("h1").get_text(strip=True) == (
        "Sorry, there is a problem with your request"
    )
    assert changed_tables(before, every_table(app)) == {}
