"""Words that cannot lie: the live figures an editor can insert, listed with their values on
the section page; the figure check on the checklist; sending for approval refused while words
disagree with the figures, until they are changed or kept with a reason (audited)."""

from __future__ import annotations

from flask import Flask

from tests.conftest import page
from tests.integration.audit_support import last_id, one, user_id
from tests.integration.register_support import as_user, banner, error_messages
from tests.integration.statement_support import (
    COORDINATOR,
    STATEMENT_A,
    A,
    create,
    joint_url,
    section,
    set_text,
    snapshot,
    state,
)
from tisc.extensions import db
from tisc.models import Statement
from tisc.rules.figure_check import finding_key
from tisc.rules.figure_words import FIGURE_NAMES, fill_figures
from tisc.services.statements.figure_words import figure_values
from tisc.services.statements.figures import statement_figures

WRONG = "Together we spend £250 million on goods and services."


def _values(app: Flask, statement_id: int, organisation_id: int | None = None) -> dict:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        figures = statement_figures(statement=statement)
        return figure_values(figures=figures, organisation_id=organisation_id)


def _send(client, statement_id: int):
    url = joint_url(statement_id)
    version = page(client.get(url)).select_one(".app-state-actions input[name=version]")["value"]
    return client.post(f"{url}/send-for-approval", data={"version": version}, follow_redirects=True)


def test_the_section_page_lists_the_live_figures_with_their_values(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    structure = section(app, statement_id, "structure")
    values = _values(app, statement_id)
    shown = page(
        as_user(app, COORDINATOR).get(f"{joint_url(statement_id)}/sections/{structure.id}")
    )
    rows = {
        r["data-figure"]: [c.get_text(" ", strip=True) for c in r.select("th, td")]
        for r in shown.select(".app-live-figures tbody tr")
    }
    assert list(rows) == list(FIGURE_NAMES)
    assert rows["spend"][0] == "((spend))"
    assert rows["spend"][2] == values["spend"]
    assert rows["year"][2] == "2024/25" and rows["last year"][2] == "2023/24"
    assert rows["bodies"][2] == "2"
    assert shown.select_one("#live-figures-caption") is not None


def test_a_body_paragraph_shows_the_body_figures(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    own = section(app, statement_id, "body", "alpha-police")
    shown = page(as_user(app, STATEMENT_A).get(f"{A}/statements/{statement_id}/sections/{own.id}"))
    bodies_row = shown.select_one('.app-live-figures tr[data-figure="bodies"]')
    assert bodies_row.select("td")[-1].get_text(strip=True) == "1"


def test_fill_with_the_service_values(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    values = _values(app, statement_id)
    assert fill_figures("In ((year)) we spent ((spend)).", values) == (
        f"In 2024/25 we spent {values['spend']}."
    )


def test_words_that_disagree_block_sending_for_approval_until_kept(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    set_text(app, statement_id, "structure", WRONG)
    structure = section(app, statement_id, "structure")
    client = as_user(app, COORDINATOR)

    listed = page(client.get(joint_url(statement_id))).select(".app-figure-findings li")
    assert len(listed) == 1 and "‘£250 million’ differs from the spend" in listed[0].get_text()
    assert listed[0]["data-kept"] == "no"

    before = snapshot(app)
    refused = _send(client, statement_id)
    assert "cannot be sent for approval" in " ".join(error_messages(refused))
    assert "“Our structure, business and supply chains”" in " ".join(error_messages(refused))
    assert snapshot(app) == before and state(app, statement_id) == "draft"

    section_url = f"{joint_url(statement_id)}/sections/{structure.id}"
    key = finding_key("structure", "£250 million")
    shown = page(client.get(section_url))
    assert shown.select_one(f"#finding-{key}")["data-kept"] == "no"

    # The reason is required; nothing is kept without it.
    empty = client.post(
        f"{section_url}/keep", data={"finding_key": key, f"keep-{key[:8]}-reason": " "}
    )
    assert empty.status_code == 200
    assert error_messages(empty) == ["Enter why these words are right"]
    assert snapshot(app) == before

    audit_from = last_id(app)
    kept = client.post(
        f"{section_url}/keep",
        data={"finding_key": key, f"keep-{key[:8]}-reason": "Our annual budget, not the register"},
    )
    assert kept.status_code == 302 and kept.headers["Location"].endswith("#figure-check")
    event = one(app, after=audit_from, record_type="statement_figure_keeps")
    assert event["action"] == "create"
    assert event["actor_user_id"] == user_id(app, COORDINATOR)
    assert event["after"]["reason"] == "Our annual budget, not the register"
    assert event["after"]["quoted"] == "£250 million"

    shown = page(client.get(section_url))
    assert shown.select_one(f"#finding-{key}")["data-kept"] == "yes"
    assert "Our annual budget" in shown.select_one(".app-kept-reason").get_text()

    sent = _send(client, statement_id)
    assert error_messages(sent) == []
    assert "sent" in banner(sent).lower()
    assert state(app, statement_id) == "awaiting_approval"


def test_changing_the_words_fixes_a_finding_and_a_stale_keep_is_ignored(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    set_text(app, statement_id, "structure", WRONG)
    structure = section(app, statement_id, "structure")
    client = as_user(app, COORDINATOR)
    key = finding_key("structure", "£250 million")
    client.post(
        f"{joint_url(statement_id)}/sections/{structure.id}/keep",
        data={"finding_key": key, f"keep-{key[:8]}-reason": "Budget"},
    )
    # New words: the old keep matches nothing, the new amount is a finding again.
    set_text(app, statement_id, "structure", "We spend £300 million.")
    assert len(page(client.get(joint_url(statement_id))).select(".app-figure-findings li")) == 1
    assert error_messages(_send(client, statement_id))
    # Words that agree with the figures: nothing to check.
    set_text(app, statement_id, "structure", "We spend ((spend)) each year.")
    assert page(client.get(joint_url(statement_id))).select(".app-figure-findings li") == []
    assert error_messages(_send(client, statement_id)) == []
    assert state(app, statement_id) == "awaiting_approval"


def test_keeping_words_that_are_not_there_is_refused(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    structure = section(app, statement_id, "structure")
    before = snapshot(app)
    key = finding_key("structure", "£250 million")
    refused = as_user(app, COORDINATOR).post(
        f"{joint_url(statement_id)}/sections/{structure.id}/keep",
        data={"finding_key": key, f"keep-{key[:8]}-reason": "Budget"},
    )
    assert refused.status_code == 200
    assert "no longer in the section" in " ".join(error_messages(refused))
    assert snapshot(app) == before


def test_a_body_keeps_words_in_its_own_paragraph_not_another_body(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    set_text(app, statement_id, "body", WRONG, "alpha-police")
    set_text(app, statement_id, "body", WRONG, "beta-opcc")
    own = section(app, statement_id, "body", "alpha-police")
    other = section(app, statement_id, "body", "beta-opcc")
    client = as_user(app, STATEMENT_A)
    key = finding_key("body", "£250 million")
    data = {"finding_key": key, f"keep-{key[:8]}-reason": "Our budget"}
    before = snapshot(app)
    assert (
        client.post(
            f"{A}/statements/{statement_id}/sections/{other.id}/keep", data=data
        ).status_code
        == 404
    )
    assert snapshot(app) == before
    kept = client.post(f"{A}/statements/{statement_id}/sections/{own.id}/keep", data=data)
    assert kept.status_code == 302
    listed = page(as_user(app, COORDINATOR).get(joint_url(statement_id))).select(
        ".app-figure-findings li"
    )
    assert sorted(li["data-kept"] for li in listed) == ["no", "yes"]
