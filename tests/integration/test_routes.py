"""Every route declares an access rule, and the rules mean what they say."""

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import sign_in
from tisc.web.access import access_rule_of

KNOWN_RULES = {"public", "signed_in", "admin", "invitation_link", "audit_reader"}
KNOWN_RULES |= {"incidents:manage_incidents"}  # a body's incident log (test_incident_pages)


def test_every_route_declares_an_access_rule(app: Flask) -> None:
    missing = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if access_rule_of(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == []


def test_every_rule_is_one_we_know(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        declared = access_rule_of(app.view_functions[rule.endpoint])
        assert declared in KNOWN_RULES or declared.startswith(("organisation:", "partnership:")), (
            rule.rule,
            declared,
        )


def test_public_routes_are_few_and_named(app: Flask) -> None:
    public = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access_rule_of(app.view_functions[rule.endpoint]) == "public"
    )
    assert public == [
        "auth.create_password",  # the one-time link a new user creates their password from
        "auth.sign_in",
        "auth.sign_out",
        "main.accessibility",
        "main.home",
        "main.privacy",
        "static",
    ]


def _example_url(rule) -> str:
    values = {
        arg: ("1" if arg.endswith("_id") or f"<int:{arg}>" in rule.rule else "alpha-police")
        for arg in rule.arguments
    }
    values = {k: ("north-east" if k == "partnership_slug" else v) for k, v in values.items()}
    if "year_slug" in values:  # the <year:…> converter matches only a financial year
        values["year_slug"] = "2024-25"
    url = rule.rule
    for key, value in values.items():
        for form in (f"<int:{key}>", f"<year:{key}>", f"<{key}>"):
            url = url.replace(form, value)
    return url.replace("<path:filename>", "app.css")


def test_signed_out_visitors_are_sent_to_sign_in_from_every_non_public_page(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    for rule in app.url_map.iter_rules():
        if access_rule_of(app.view_functions[rule.endpoint]) in ("public", "invitation_link"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(_example_url(rule), method=method)
            assert response.status_code == 302, (method, rule.rule)
            assert "/sign-in" in response.headers["Location"]


def test_admin_routes_refuse_everyone_but_admins(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    admin_rules = [
        r
        for r in app.url_map.iter_rules()
        if access_rule_of(app.view_functions[r.endpoint]) == "admin"
    ]
    assert len(admin_rules) >= 10
    for email in (
        "coordinator@example.org",
        "board@example.org",
        "procurement.alpha-police@example.org",
    ):
        sign_in(client, email)
        for rule in admin_rules:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = client.open(_example_url(rule), method=method)
                assert response.status_code == 403, (email, method, rule.rule)
        client.post("/sign-out")
