"""Statements: changes after approval that clear it (a body's signatories), and typed text
that no database or document can hold, refused or dropped with a message, never a server
error (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.register_support import as_user, banner, error_messages
from tests.integration.statement_support import (
    COORDINATOR,
    STALE,
    STATEMENT_A,
    A,
    add_risk,
    approved_statement,
    bodies_table,
    body,
    create,
    form_version,
    joint_url,
    missing,
    section,
    sections,
    snapshot,
    state,
    submit,
)
from tisc.extensions import db
from tisc.models import StatementRisk, StatementTemplate
from tisc.services.accounts import organisations
from tisc.services.statements.documents import DEFAULT_TEMPLATE


def signatories(name: str, title: str = "Chief Constable", **more: str) -> dict[str, str]:
    return {"signatory_name": name, "signatory_title": title, **more}


# --- signatories after approval -------------------------------------------------------------


def test_changing_signatories_after_approval_clears_that_bodys_approval(
    app: Flask, bodies: dict
) -> None:
    statement_id = approved_statement(app)
    client = as_user(app, STATEMENT_A)
    url = f"{A}/statements/{statement_id}/signatories"
    form = client.get(url)
    warning = page(form).select_one("#clears-approval").get_text(" ", strip=True)
    assert "Changing the signatories clears the approval of Alpha Police" in warning
    response = client.post(
        url,
        data={**signatories("Robin New"), "version": form_version(form)},
        follow_redirects=True,
    )
    assert banner(response) == (
        "The signatories have been saved. This change cleared the approval of Alpha Police: "
        "it needs to approve the statement again."
    )
    note = "Approval cleared on 29 November 2026 because Alpha Police's signatories changed"
    alpha, beta = body(app, statement_id, "alpha-police"), body(app, statement_id, "beta-opcc")
    assert (alpha.approved_on, alpha.decision_reference) == (None, None)
    assert alpha.approval_cleared_note == note
    assert alpha.signatory_name == "Robin New"
    assert beta.approved_on == date(2025, 7, 15) and beta.approval_cleared_note is None
    assert state(app, statement_id) == "awaiting_approval"
    home = as_user(app, COORDINATOR).get(joint_url(statement_id))
    assert bodies_table(home)["alpha-police"][1] == f"Not approved {note}"
    assert "No approval date for Alpha Police" in missing(home)


def test_saving_the_same_signatories_clears_nothing(app: Flask, bodies: dict) -> None:
    statement_id = approved_statement(app)
    client = as_user(app, STATEMENT_A)
    url = f"{A}/statements/{statement_id}/signatories"
    same = signatories(" Signer of alpha-police ")  # as approve() recorded them, spaces aside
    response = client.post(
        url, data={**same, "version": form_version(client.get(url))}, follow_redirects=True
    )
    assert banner(response) == "The signatories have been saved."
    assert body(app, statement_id, "alpha-police").approved_on == date(2025, 7, 15)
    assert state(app, statement_id) == "approved"


# --- text nothing can hold ------------------------------------------------------------------


def test_control_characters_in_sign_off_are_dropped_or_refused(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    submit(app, statement_id)
    client = as_user(app, STATEMENT_A)
    base = f"{A}/statements/{statement_id}"
    form = client.get(f"{base}/signatories")
    sent = {**signatories("Pat\x00 Lee", "Chief\x07 Constable"), "version": form_version(form)}
    assert client.post(f"{base}/signatories", data=sent).status_code == 302
    alpha = body(app, statement_id, "alpha-police")
    assert (alpha.signatory_name, alpha.signatory_title) == ("Pat Lee", "Chief Constable")
    # Only NUL typed: nothing left, so the name is asked for.
    form = client.get(f"{base}/signatories")
    refused = client.post(
        f"{base}/signatories", data={**signatories("\x00"), "version": form_version(form)}
    )
    assert error_messages(refused) == ["Enter the name of the person signing"]

    form = client.get(f"{base}/approval")
    approval = {"approved_on": ["15", "7", "2025"], "version": form_version(form)}
    refused = client.post(f"{base}/approval", data={**approval, "decision_reference": "\x00"})
    assert error_messages(refused) == [
        "Enter the decision reference, like the number of the decision record"
    ]
    sent = client.post(f"{base}/approval", data={**approval, "decision_reference": "PCC\x00 1"})
    assert sent.status_code == 302
    assert body(app, statement_id, "alpha-police").decision_reference == "PCC 1"


def test_a_web_address_with_control_characters_is_refused(app: Flask, bodies: dict) -> None:
    statement_id = approved_statement(app)
    client = as_user(app, STATEMENT_A)
    url = f"{A}/statements/{statement_id}/publication"
    before = snapshot(app)
    response = client.post(
        url,
        data={
            "published_url": "https://www.alpha.example.org/ms\x00s",
            "published_on": ["1", "8", "2025"],
            "version": form_version(client.get(url)),
        },
    )
    assert response.status_code == 200
    assert error_messages(response) == [
        "Enter the web address in the correct format, like "
        "https://www.example.police.uk/modern-slavery-statement"
    ]
    assert snapshot(app) == before


def test_control_characters_in_a_risk_are_dropped_or_refused(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    risk_id = add_risk(app, statement_id)
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/risks/{risk_id}"
    refused = client.post(
        url, data={"description": "\x00", "version": form_version(client.get(url))}
    )
    assert error_messages(refused) == ["Describe the risk"]
    sent = client.post(
        url,
        data={
            "description": "Agency\x00 cleaners",
            "area": "Clean\x00ing",
            "supply_chain_tier": "Tier 2",
            "mitigation": "Audits\x0c",
            "version": form_version(client.get(url)),
        },
    )
    assert sent.status_code == 302
    with app.app_context():
        risk = db.session.get(StatementRisk, risk_id)
        assert (risk.description, risk.area, risk.mitigation) == (
            "Agency cleaners",
            "Cleaning",
            "Audits",
        )


def test_a_template_name_with_control_characters_is_cleaned(app: Flask, bodies: dict) -> None:
    response = as_user(app, "admin@example.org").post(
        "/admin/statement-templates/new",
        data={
            "name": "Ours\x00 with logos",
            "file": (io.BytesIO(DEFAULT_TEMPLATE.read_bytes()), "t.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(StatementTemplate.name).scalar() == "Ours with logos"


# --- a body joining the partnership ---------------------------------------------------------


def test_a_body_joining_the_partnership_joins_its_draft_statement_only(
    app: Flask, bodies: dict
) -> None:
    approved = approved_statement(app, 2024)
    draft = create(app, 2025)
    admin = as_user(app, "admin@example.org")
    url = "/admin/partnerships/north-east/edit"
    form = page(admin.get(url))
    sent = admin.post(
        url,
        data={
            "name": "North East",
            "members": ["alpha-police", "beta-opcc", "gamma-police"],
            "version": form.select_one("input[name=version]")["value"],
        },
    )
    assert sent.status_code == 302
    # The draft covers gamma-police now: its sign-off record and its own paragraph.
    assert body(app, draft, "gamma-police").approved_on is None
    gamma_part = section(app, draft, "body", "gamma-police")
    assert gamma_part.title == "Gamma Police"
    assert "Gamma Police" in gamma_part.text
    assert [s.key for s in sections(app, draft)][-1:] == ["body"]
    coordinator = as_user(app, COORDINATOR)
    shown = coordinator.get(joint_url(draft))
    assert "gamma-police" in bodies_table(shown)
    assert "No signatory for Gamma Police" in missing(shown)
    assert page(shown).select_one(f"#not-covered-{draft}") is None
    gamma_user = as_user(app, "statement.gamma-police@example.org")
    assert (
        gamma_user.get(f"/organisations/gamma-police/statements/{draft}/signatories").status_code
        == 200
    )
    # The approved one stays as its bodies approved it, and its page says who it leaves out.
    shown = coordinator.get(joint_url(approved))
    assert "gamma-police" not in bodies_table(shown)
    assert state(app, approved) == "approved"
    note = page(shown).select_one(f"#not-covered-{approved}").get_text(" ", strip=True)
    assert note.startswith("Gamma Police joined after this statement was sent for approval")


def test_a_body_created_in_the_partnership_joins_its_draft_statement(
    app: Flask, bodies: dict
) -> None:
    draft = create(app, 2025)
    with app.app_context():
        organisations.create_organisation(
            slug="delta-police",
            name="Delta Police",
            kind="force",
            partnership=organisations.get_partnership(slug="north-east"),
        )
        db.session.commit()
    assert body(app, draft, "delta-police").approved_on is None
    assert section(app, draft, "body", "delta-police").title == "Delta Police"


def test_removing_a_risk_changed_meanwhile_asks_again_then_works(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    risk_id = add_risk(app, statement_id)
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/risks/{risk_id}"
    stale = form_version(client.get(f"{url}/remove"))
    other = as_user(app, COORDINATOR)
    changed = {"description": "Agency cleaners, nights", "version": form_version(other.get(url))}
    assert other.post(url, data=changed).status_code == 302
    refused = client.post(f"{url}/remove", data={"version": stale})
    assert error_messages(refused) == [STALE]
    # The page now shows the risk as saved: confirming again removes it.
    again = client.post(f"{url}/remove", data={"version": form_version(refused)})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(StatementRisk, risk_id) is None


# --- a version that is not one ----------------------------------------------------------------

# Only ASCII digits are a version: anything else matches no record and is refused as stale,
# never a server error ("²" passes str.isdigit but not int) and never read as a number
# (ARABIC-INDIC DIGIT ONE is int 1: the version these records have).
MALFORMED = ["", "abc", "²", "\u0661", "-1", " 1", "99999999999999999999999"]


@pytest.mark.parametrize("version", MALFORMED)
def test_a_malformed_version_is_refused_as_stale_and_saves_nothing(
    app: Flask, bodies: dict, version: str
) -> None:
    statement_id = create(app, 2025)
    intro = section(app, statement_id, "introduction")
    client = as_user(app, COORDINATOR)
    before = snapshot(app)
    url = f"{joint_url(statement_id)}/sections/{intro.id}"
    refused = client.post(url, data={"text": "Changed by a malformed form", "version": version})
    assert refused.status_code == 200
    assert error_messages(refused) == [STALE]
    sent = client.post(
        f"{joint_url(statement_id)}/send-for-approval",
        data={"version": version},
        follow_redirects=True,
    )
    assert banner(sent) == STALE
    assert snapshot(app) == before
