"""Statements: starting a year's joint statement from the default text or last year's,
who may edit which part, every route's access rule, and tenancy."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.register_support import as_user, banner, main_text
from tests.integration.statement_support import (
    COORDINATOR,
    JOINT_KEYS,
    READ_ENDPOINTS,
    STATEMENT_A,
    A,
    B,
    P,
    add_risk,
    approve,
    bodies_table,
    body,
    create,
    edit_links,
    joint_url,
    missing,
    post_text,
    section,
    section_texts,
    sections,
    send,
    set_text,
    snapshot,
    state,
    statement_id_for,
    statement_routes,
    submit,
)
from tisc.services.accounts import organisations
from tisc.services.errors import NotFoundError
from tisc.services.statements import records as statements

# --- starting a statement -------------------------------------------------------------------


def test_a_coordinator_starts_the_joint_statement_with_every_section_and_body(
    app: Flask, bodies: dict
) -> None:
    client = as_user(app, COORDINATOR)
    listing = page(client.get(P))
    assert listing.select_one("#no-statements") is not None
    button = listing.select_one("#start-statement")
    assert button.get_text(strip=True) == "Start the 2025/26 joint statement"
    response = client.post(f"{P}/start?year=2025-26", follow_redirects=True)
    assert banner(response) == (
        "The 2025/26 statement has been started from the default text. "
        "Replace every placeholder in [square brackets]."
    )
    found = sections(app, 1)
    assert [s.key for s in found] == [*JOINT_KEYS, "body", "body"]
    assert [s.body for s in found[-2:]] == ["alpha-police", "beta-opcc"]
    assert [s.title for s in found[-2:]] == ["Alpha Police", "Beta Opcc"]
    intro = found[0].text
    assert intro.startswith("This is the joint modern slavery statement of the police forces")
    assert "North East for the financial year 2025/26 (1 April 2025 to 31 March 2026)" in intro
    assert "[Add a sentence from your commissioners and chief constables" in intro
    assert (
        "The senior lead for modern slavery in supply chains at Alpha Police is" in found[-2].text
        and "[name and job title]" in found[-2].text
    )
    assert state(app, 1) == "draft"
    assert set(bodies_table(response)) == {"alpha-police", "beta-opcc"}
    shown = page(response)
    assert shown.select_one("h1").get_text(strip=True) == (
        "North East: joint modern slavery statement 2025/26"
    )
    # The coordinator may change every joint section, and no body's own paragraph.
    assert edit_links(response) == {(key, None) for key in JOINT_KEYS}
    assert page(client.get(P)).select_one("#start-statement") is None


def test_a_second_joint_statement_for_the_year_is_refused(app: Flask, bodies: dict) -> None:
    create(app, 2025)
    before = snapshot(app)
    client = as_user(app, COORDINATOR)
    response = client.post(f"{P}/start?year=2025-26", follow_redirects=True)
    assert banner(response) == "North East already has a joint statement for 2025/26"
    assert snapshot(app) == before


# Today is in 2026/27: the statement being written is 2025/26's, and this year is the latest
# one asked for (other pages go up to next year).
YEARS_ASKED = [("", "2025/26"), ("2000-01", "2000/01"), ("2026-27", "2026/27")]
NO_SUCH_YEAR = ["2027-28", "1999-00", "2025-27", "soon"]


@pytest.mark.parametrize(("asked", "label"), YEARS_ASKED)
def test_the_year_asked_for_is_from_2000_01_to_this_year(
    app: Flask, bodies: dict, asked: str, label: str
) -> None:
    joint = page(as_user(app, COORDINATOR).get(f"{P}?year={asked}"))
    assert joint.select_one("#start-statement").get_text(strip=True) == (
        f"Start the {label} joint statement"
    )
    own = page(as_user(app, STATEMENT_A).get(f"{A}/statement?year={asked}"))
    title = own.select_one("title").get_text(strip=True)
    assert title.startswith(f"Modern slavery statement {label} – Alpha Police"), title


@pytest.mark.parametrize("asked", NO_SUCH_YEAR)
def test_any_other_year_asked_for_is_no_such_page(app: Flask, bodies: dict, asked: str) -> None:
    before = snapshot(app)
    for email, url in ((COORDINATOR, P), (STATEMENT_A, f"{A}/statement")):
        client = as_user(app, email)
        assert client.get(f"{url}?year={asked}").status_code == 404, (email, url)
        assert client.post(f"{url}/start?year={asked}").status_code == 404, (email, url)
    assert snapshot(app) == before


def test_last_years_text_is_the_starting_point_and_the_flash_says_so(
    app: Flask, bodies: dict
) -> None:
    last = create(app, 2024)
    set_text(app, last, "introduction", "Our 2024/25 introduction.")
    set_text(app, last, "body", "Alpha's own words for 2024/25.", body="alpha-police")
    add_risk(app, last, "Agency cleaners")
    client = as_user(app, COORDINATOR)
    form = page(client.get(P))
    assert form.select_one("input[name=start_from][value=last_year]").has_attr("checked")
    response = client.post(
        f"{P}/start?year=2025-26", data={"start_from": "last_year"}, follow_redirects=True
    )
    assert banner(response) == (
        "The 2025/26 statement has been started from the text of the 2024/25 statement. "
        "Check every section: it still describes last year until you change it."
    )
    new = statement_id_for(app, 2025)
    assert section(app, new, "introduction").text == "Our 2024/25 introduction."
    assert section(app, new, "body", "alpha-police").text == "Alpha's own words for 2024/25."
    # Untouched last year (the default), untouched now: copied as it was.
    assert section(app, new, "training").text == section(app, last, "training").text
    assert "Agency cleaners" in main_text(response)
    lines = missing(response)
    assert "The introduction is still last year's text" in lines
    assert "Alpha Police's own paragraph is still last year's text" in lines
    # Once changed, it no longer counts as missing.
    set_text(app, new, "introduction", "Our 2025/26 introduction.")
    assert "The introduction is still last year's text" not in missing(client.get(joint_url(new)))


@pytest.mark.parametrize("start_from", ["last_year", "default"])
def test_last_years_signatories_are_carried_over_but_never_the_approval(
    app: Flask, bodies: dict, start_from: str
) -> None:
    last = create(app, 2024)
    submit(app, last)
    approve(app, last, "alpha-police")  # "Signer of alpha-police", approved on 15 July 2025
    client = as_user(app, COORDINATOR)
    response = client.post(
        f"{P}/start?year=2025-26", data={"start_from": start_from}, follow_redirects=True
    )
    assert banner(response).endswith(
        "The signatories are last year's: check they will sign this year's too."
    )
    new = statement_id_for(app, 2025)
    alpha, beta = body(app, new, "alpha-police"), body(app, new, "beta-opcc")
    assert (alpha.signatory_name, alpha.signatory_title) == (
        "Signer of alpha-police",
        "Chief Constable",
    )
    assert (alpha.approved_on, alpha.decision_reference) == (None, None)
    assert (beta.signatory_name, beta.signatory_title) == (None, None)  # none last year
    assert body(app, last, "alpha-police").approved_on is not None  # last year's untouched


def test_the_default_text_can_be_chosen_instead_of_last_years(app: Flask, bodies: dict) -> None:
    last = create(app, 2024)
    set_text(app, last, "introduction", "Our 2024/25 introduction.")
    client = as_user(app, COORDINATOR)
    client.post(f"{P}/start?year=2025-26", data={"start_from": "default"})
    new = statement_id_for(app, 2025)
    assert section(app, new, "introduction").text.startswith("This is the joint modern slavery")


# --- who edits which part -------------------------------------------------------------------


def test_a_coordinator_edits_joint_sections_and_no_bodys_paragraph(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2025)
    intro = section(app, statement_id, "introduction")
    own = section(app, statement_id, "body", "alpha-police")
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/sections/{intro.id}"
    response = post_text(client, url, "  Our joint introduction.\r\n\r\nSecond paragraph.  ")
    assert response.status_code == 302
    assert section(app, statement_id, "introduction").text == (
        "Our joint introduction.\n\nSecond paragraph."
    )
    shown = client.get(joint_url(statement_id))
    assert section_texts(shown)[("introduction", None)] == (
        "Our joint introduction.\n\nSecond paragraph."
    )
    before = snapshot(app)
    for target in (
        f"{joint_url(statement_id)}/sections/{own.id}",
        f"{A}/statements/{statement_id}/sections/{own.id}",
    ):
        assert client.get(target).status_code == 403
        assert (
            client.post(target, data={"text": "Coordinator words", "version": "1"}).status_code
            == 403
        )
    assert snapshot(app) == before


def test_a_bodys_statement_role_edits_its_own_paragraph_only(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2025)
    own = section(app, statement_id, "body", "alpha-police")
    other = section(app, statement_id, "body", "beta-opcc")
    intro = section(app, statement_id, "introduction")
    client = as_user(app, STATEMENT_A)
    page_response = client.get(f"{A}/statement?year=2025-26")
    assert page_response.status_code == 200
    assert edit_links(page_response) == {("body", "Alpha Police")}
    url = f"{A}/statements/{statement_id}/sections/{own.id}"
    assert post_text(client, url, "Alpha Police polices the north.").status_code == 302
    assert section(app, statement_id, "body", "alpha-police").text == (
        "Alpha Police polices the north."
    )
    before = snapshot(app)
    refused = {
        f"{A}/statements/{statement_id}/sections/{other.id}": 404,  # another body's paragraph
        f"{B}/statements/{statement_id}/sections/{other.id}": 404,  # another body's pages
        f"{A}/statements/{statement_id}/sections/{intro.id}": 403,  # a joint section
        f"{joint_url(statement_id)}/sections/{intro.id}": 404,  # the partnership's pages
    }
    for target, status in refused.items():
        assert client.get(target).status_code == status, target
        sent = client.post(target, data={"text": "Alpha words", "version": "1"})
        assert sent.status_code == status, target
    assert snapshot(app) == before


@pytest.fixture
def world(app: Flask, bodies: dict) -> dict[str, int]:
    """A joint 2024/25 statement sent for approval, with a risk; ids for the route walk."""
    statement_id = create(app, 2024)
    submit(app, statement_id)
    return {
        "statement_id": statement_id,
        "section_id": section(app, statement_id, "body", "alpha-police").id,
        "risk_id": add_risk(app, statement_id),
    }


def test_every_statement_route_has_one_access_rule(app: Flask) -> None:
    rules = {
        rule.endpoint: app.view_functions[rule.endpoint].access_rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("statements.")
    }
    # with the registry's answers, and keeping words the figure check questioned on each side
    assert len(rules) == 22
    for endpoint, rule in rules.items():
        if endpoint in READ_ENDPOINTS:
            assert rule in ("partnership:read_partnership", "organisation:read_organisation")
        else:
            assert rule in ("partnership:edit_joint", "organisation:manage_statement"), endpoint


@pytest.mark.parametrize(
    "email",
    [
        "board@example.org",
        "viewer.alpha-police@example.org",
        "procurement.alpha-police@example.org",
    ],
)
def test_read_only_roles_read_the_statement_and_change_nothing(
    app: Flask, world: dict, email: str
) -> None:
    client = as_user(app, email)
    before = snapshot(app)
    partnership_side = email == "board@example.org"
    for endpoint, method, url, data in statement_routes(app, org="alpha-police", **world):
        response = send(client, method, url, data)
        if endpoint in READ_ENDPOINTS:
            readable = partnership_side or url.startswith("/organisations/")
            assert response.status_code == (200 if readable else 404), (email, url)
            if response.status_code == 200:
                assert edit_links(response) == set(), url
                assert page(response).select_one(".app-state-actions, .app-add-risk") is None
        elif url.startswith("/partnerships/") and not partnership_side:
            assert response.status_code == 404, (email, method, url)
        else:
            assert response.status_code == 403, (email, method, url)
    assert snapshot(app) == before


def test_a_coordinator_cannot_sign_off_for_a_body(app: Flask, world: dict) -> None:
    client = as_user(app, COORDINATOR)
    before = snapshot(app)
    for endpoint, method, url, data in statement_routes(app, org="alpha-police", **world):
        if url.startswith("/organisations/") and endpoint not in READ_ENDPOINTS:
            assert send(client, method, url, data).status_code == 403, (method, url)
    assert snapshot(app) == before


def test_another_bodys_sign_off_answers_404(app: Flask, world: dict) -> None:
    client = as_user(app, STATEMENT_A)
    before = snapshot(app)
    for _, method, url, data in statement_routes(app, org="beta-opcc", **world):
        if url.startswith("/organisations/"):
            assert send(client, method, url, data).status_code == 404, (method, url)
    assert snapshot(app) == before


def test_a_body_outside_the_partnership_cannot_see_the_joint_statement(
    app: Flask, world: dict
) -> None:
    statement_id = world["statement_id"]
    client = as_user(app, "statement.gamma-police@example.org")
    before = snapshot(app)
    for _, method, url, data in statement_routes(app, org="gamma-police", **world):
        if "/start" in url:
            continue  # gamma may start its own statement; nothing of the joint one
        response = send(client, method, url, data)
        if url == "/organisations/gamma-police/statement":
            assert response.status_code == 200
            assert page(response).select_one("#no-statement") is not None
            assert "North East" not in main_text(response)
        else:
            assert response.status_code == 404, (method, url)
    assert snapshot(app) == before
    with app.app_context():
        gamma = organisations.get_organisation(slug="gamma-police")
        with pytest.raises(NotFoundError):
            statements.get_statement(statement_id=statement_id, org=gamma)
        assert statements.list_statements(org=gamma) == []


def test_home_and_navigation_lead_to_the_statement(app: Flask, bodies: dict) -> None:
    coordinator = as_user(app, COORDINATOR)
    links = {
        a.get_text(" ", strip=True): a["href"] for a in page(coordinator.get("/")).select("main a")
    }
    assert links["Joint statement: the text, each body's sign-off and what is still missing"] == P
    listing = page(coordinator.get(P))
    active = listing.select_one(".govuk-service-navigation__item--active a")
    assert (active.get_text(strip=True), active["href"]) == ("Statement", P)

    body_user = as_user(app, STATEMENT_A)
    links = {
        a.get_text(" ", strip=True): a["href"] for a in page(body_user.get("/")).select("main a")
    }
    assert links["Statement: Alpha Police's paragraph, sign-off and publication"] == (
        f"{A}/statement"
    )
    shown = page(body_user.get(f"{A}/statement"))
    active = shown.select_one(".govuk-service-navigation__item--active a")
    assert (active.get_text(strip=True), active["href"]) == ("Statement", f"{A}/statement")
    assert shown.select_one("h1").get_text(strip=True) == "Modern slavery statement 2025/26"


def test_control_characters_typed_into_a_section_are_dropped_before_saving(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    # NUL would be refused by PostgreSQL (a server error); bell and form feed break Word.
    set_text(app, statement_id, "policies", "Our\x00 policy\x07 applies.\r\nTo all.\x0c")
    assert section(app, statement_id, "policies").text == "Our policy applies.\nTo all."
