"""Statements: each body's approval and its clearing when its part changes, marking the
statement approved and published, publication, and conflicts on stale versions."""

from __future__ import annotations

from datetime import date

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import as_user, banner, error_messages
from tests.integration.statement_support import (
    COORDINATOR,
    STALE,
    STATEMENT_A,
    A,
    approve,
    approved_statement,
    bodies_table,
    body,
    create,
    edit_links,
    form_version,
    joint_url,
    mark_approved,
    missing,
    publish,
    section,
    set_text,
    snapshot,
    state,
    submit,
)

# --- approval and its clearing --------------------------------------------------------------


def test_changing_a_joint_section_clears_every_approval_and_says_why(
    app: Flask, bodies: dict
) -> None:
    statement_id = approved_statement(app)
    assert state(app, statement_id) == "approved"
    intro = section(app, statement_id, "introduction")
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/sections/{intro.id}"
    form = client.get(url)
    warning = page(form).select_one("#clears-approval").get_text(" ", strip=True)
    assert "Saving a change clears the approval of Alpha Police, Beta Opcc" in warning
    response = client.post(
        url,
        data={"text": "A new introduction.", "version": form_version(form)},
        follow_redirects=True,
    )
    assert banner(response) == (
        "“Introduction and our joint commitment” has been saved. This change cleared the "
        "approval of Alpha Police and Beta Opcc: they need to approve the statement again."
    )
    note = "Approval cleared on 29 November 2026 because the introduction changed"
    for slug in ("alpha-police", "beta-opcc"):
        record = body(app, statement_id, slug)
        assert (record.approved_on, record.decision_reference) == (None, None)
        assert record.approval_cleared_note == note
        assert record.signatory_name == f"Signer of {slug}"  # signatories stay
        assert bodies_table(response)[slug][1] == f"Not approved {note}"
    assert state(app, statement_id) == "awaiting_approval"
    assert "No approval date for Alpha Police" in missing(response)


def test_changing_a_bodys_paragraph_clears_only_that_bodys_approval(
    app: Flask, bodies: dict
) -> None:
    statement_id = approved_statement(app)
    own = section(app, statement_id, "body", "alpha-police")
    client = as_user(app, STATEMENT_A)
    url = f"{A}/statements/{statement_id}/sections/{own.id}"
    response = client.post(
        url,
        data={"text": "Alpha Police, rewritten.", "version": form_version(client.get(url))},
        follow_redirects=True,
    )
    assert "This change cleared the approval of Alpha Police: it needs to approve" in banner(
        response
    )
    alpha, beta = body(app, statement_id, "alpha-police"), body(app, statement_id, "beta-opcc")
    assert alpha.approved_on is None
    assert alpha.approval_cleared_note == (
        "Approval cleared on 29 November 2026 because Alpha Police's own paragraph changed"
    )
    assert beta.approved_on == date(2025, 7, 15) and beta.approval_cleared_note is None
    assert state(app, statement_id) == "awaiting_approval"


def test_saving_the_same_text_clears_nothing(app: Flask, bodies: dict) -> None:
    statement_id = approved_statement(app)
    intro = section(app, statement_id, "introduction")
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/sections/{intro.id}"
    response = client.post(url, data={"text": intro.text, "version": str(intro.version)})
    assert response.status_code == 302
    assert body(app, statement_id, "alpha-police").approved_on == date(2025, 7, 15)
    assert state(app, statement_id) == "approved"


def test_the_statement_cannot_be_marked_approved_until_every_body_has(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    client = as_user(app, COORDINATOR)
    home = page(client.get(joint_url(statement_id)))
    assert [b.get_text(strip=True) for b in home.select(".app-state-actions button")] == [
        "Send for approval"
    ]
    version = home.select_one(".app-state-actions input[name=version]")["value"]
    response = client.post(
        f"{joint_url(statement_id)}/send-for-approval",
        data={"version": version},
        follow_redirects=True,
    )
    assert banner(response) == "The statement has been sent for approval"
    assert state(app, statement_id) == "awaiting_approval"
    approve(app, statement_id, "alpha-police")

    version = page(response).select_one(".app-state-actions input[name=version]")["value"]
    refused = client.post(
        f"{joint_url(statement_id)}/mark-approved", data={"version": version}, follow_redirects=True
    )
    assert banner(refused) == (
        "The statement cannot be marked approved until every body has approved it: "
        "Beta Opcc has not approved it yet"
    )
    assert state(app, statement_id) == "awaiting_approval"
    approve(app, statement_id, "beta-opcc")
    done = client.post(
        f"{joint_url(statement_id)}/mark-approved", data={"version": version}, follow_redirects=True
    )
    assert banner(done) == "The statement has been marked approved"
    assert state(app, statement_id) == "approved"


def test_the_refusal_names_every_body_still_to_approve(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    submit(app, statement_id)
    client = as_user(app, COORDINATOR)
    version = page(client.get(joint_url(statement_id))).select_one(
        ".app-state-actions input[name=version]"
    )
    response = client.post(
        f"{joint_url(statement_id)}/mark-approved",
        data={"version": version["value"]},
        follow_redirects=True,
    )
    assert banner(response).endswith("Alpha Police and Beta Opcc have not approved it yet")


def test_a_body_records_its_signatories_and_approval_through_the_forms(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    base = f"{A}/statements/{statement_id}"
    client = as_user(app, STATEMENT_A)
    # Not sent for approval yet: the form says so, and an approval is refused.
    form = client.get(f"{base}/approval")
    assert page(form).select_one("#not-sent") is not None
    data = {"approved_on": ["15", "7", "2025"], "decision_reference": "PCC 12/2025"}
    refused = client.post(f"{base}/approval", data={**data, "version": form_version(form)})
    assert error_messages(refused)[0].startswith("The statement has not been sent for approval")
    submit(app, statement_id)

    form = client.get(f"{base}/signatories")
    response = client.post(
        f"{base}/signatories",
        data={
            "signatory_name": "[Name]",
            "signatory_title": "Chief Constable of Alpha",
            "second_signatory_name": "Someone Else",
            "version": form_version(form),
        },
    )
    assert error_messages(response) == ["Enter the job title of the second person signing"]
    assert page(response).title.get_text().startswith("Error: ")
    response = client.post(
        f"{base}/signatories",
        data={
            "signatory_name": "[Name]",
            "signatory_title": "Chief Constable of Alpha",
            "version": form_version(response),
        },
        follow_redirects=True,
    )
    assert banner(response) == "The signatories have been saved."
    assert bodies_table(response)["alpha-police"][0].startswith("[Name], Chief Constable of Alpha")

    form = client.get(f"{base}/approval")
    for bad, message in (
        (
            ["30", "3", "2025"],
            "The approval date must be on or after 31 March 2025, the end of 2024/25",
        ),
        (["30", "11", "2026"], "The approval date must be today or in the past"),
        (["31", "2", "2026"], "The approval date must be a real date, like 15 7 2026"),
    ):
        response = client.post(
            f"{base}/approval", data={**data, "approved_on": bad, "version": form_version(form)}
        )
        assert error_messages(response) == [message]
    response = client.post(
        f"{base}/approval", data={**data, "version": form_version(form)}, follow_redirects=True
    )
    assert banner(response) == "Alpha Police's approval has been recorded."
    record = body(app, statement_id, "alpha-police")
    assert (record.approved_on, record.decision_reference) == (date(2025, 7, 15), "PCC 12/2025")
    assert bodies_table(response)["alpha-police"][1].startswith(
        "Approved 15 July 2025 Decision PCC 12/2025"
    )


# --- publication ----------------------------------------------------------------------------


def test_publication_is_recorded_only_after_approval(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    submit(app, statement_id)
    approve(app, statement_id, "alpha-police")
    base = f"{A}/statements/{statement_id}"
    client = as_user(app, STATEMENT_A)
    data = {
        "published_url": "https://www.alpha.example.org/msa",
        "published_on": ["1", "9", "2025"],
    }
    form = client.get(f"{base}/publication")
    assert page(form).select_one("#not-approved") is not None
    before = snapshot(app)
    response = client.post(f"{base}/publication", data={**data, "version": form_version(form)})
    assert error_messages(response) == [
        "The statement can be published once every body has approved it and it is marked approved"
    ]
    assert snapshot(app) == before

    approve(app, statement_id, "beta-opcc")
    mark_approved(app, statement_id)
    form = client.get(f"{base}/publication")
    for url, message in (
        ("www.alpha.example.org", "Enter the web address in the correct format"),
        ("ftp://alpha.example.org/x", "Enter the web address in the correct format"),
    ):
        response = client.post(
            f"{base}/publication",
            data={**data, "published_url": url, "version": form_version(form)},
        )
        assert error_messages(response)[0].startswith(message)
    early = client.post(
        f"{base}/publication",
        data={**data, "published_on": ["1", "7", "2025"], "version": form_version(form)},
    )
    assert error_messages(early) == [
        "The publication date must be on or after 15 July 2025, when the statement was approved"
    ]
    response = client.post(
        f"{base}/publication", data={**data, "version": form_version(form)}, follow_redirects=True
    )
    assert banner(response) == "The publication has been recorded."
    assert state(app, statement_id) == "approved"
    assert bodies_table(response)["alpha-police"][2] == (
        "https://www.alpha.example.org/msa 1 September 2025"
    )
    # The registry submission comes after publication.
    form = client.get(f"{base}/registry-submission")
    response = client.post(
        f"{base}/registry-submission",
        data={"submitted_on": ["5", "9", "2025"], "version": form_version(form)},
        follow_redirects=True,
    )
    assert banner(response) == "The registry submission has been recorded."
    assert body(app, statement_id, "alpha-police").registry_submitted_on == date(2025, 9, 5)

    publish(app, statement_id, "beta-opcc", on=date(2025, 9, 20))
    assert state(app, statement_id) == "published"
    shown = as_user(app, COORDINATOR).get(joint_url(statement_id))
    assert page(shown).select_one(".app-deadline").get_text(strip=True) == (
        "Published in time: it was due by 30 September 2025"
    )
    assert edit_links(shown) == set()


def test_a_published_statement_cannot_be_edited(app: Flask, bodies: dict) -> None:
    statement_id = approved_statement(app)
    publish(app, statement_id, "alpha-police")
    publish(app, statement_id, "beta-opcc")
    intro = section(app, statement_id, "introduction")
    client = as_user(app, COORDINATOR)
    before = snapshot(app)
    response = client.post(
        f"{joint_url(statement_id)}/sections/{intro.id}",
        data={"text": "Too late", "version": str(intro.version)},
    )
    assert error_messages(response) == [
        "The statement has been published, so it can no longer be changed"
    ]
    assert snapshot(app) == before


def test_a_coordinator_marks_an_approved_statement_published(app: Flask, bodies: dict) -> None:
    statement_id = approved_statement(app)
    client = as_user(app, COORDINATOR)
    version = page(client.get(joint_url(statement_id))).select_one(
        ".app-state-actions input[name=version]"
    )
    refused = client.post(
        f"{joint_url(statement_id)}/mark-published",
        data={"version": version["value"]},
        follow_redirects=True,
    )
    assert banner(refused) == "Record where at least one body has published the statement first"
    publish(app, statement_id, "alpha-police")
    # The page was loaded before Alpha Police published: out of date, so nothing happens.
    stale = client.post(
        f"{joint_url(statement_id)}/mark-published",
        data={"version": version["value"]},
        follow_redirects=True,
    )
    assert banner(stale) == STALE
    assert state(app, statement_id) == "approved"
    version = page(stale).select_one(".app-state-actions input[name=version]")
    done = client.post(
        f"{joint_url(statement_id)}/mark-published",
        data={"version": version["value"]},
        follow_redirects=True,
    )
    assert banner(done) == "The statement has been marked published"
    assert state(app, statement_id) == "published"


# --- conflicts ------------------------------------------------------------------------------


def test_a_stale_section_edit_gets_a_conflict_and_saves_nothing(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2025)
    intro = section(app, statement_id, "introduction")
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/sections/{intro.id}"
    loaded = form_version(client.get(url))
    set_text(app, statement_id, "introduction", "Someone else's introduction.")  # meanwhile
    before = snapshot(app)
    response = client.post(url, data={"text": "Mine", "version": loaded})
    assert response.status_code == 200
    assert error_messages(response) == [STALE]
    assert page(response).title.get_text().startswith("Error: ")
    assert snapshot(app) == before
    # The form now carries the current version: sending again works.
    retry = client.post(url, data={"text": "Mine", "version": form_version(response)})
    assert retry.status_code == 302
    assert section(app, statement_id, "introduction").text == "Mine"


def test_an_approval_form_loaded_before_the_text_changed_is_refused(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    submit(app, statement_id)
    client = as_user(app, STATEMENT_A)
    url = f"{A}/statements/{statement_id}/approval"
    loaded = form_version(client.get(url))
    set_text(app, statement_id, "policies", "New policies, written after the form was loaded.")
    before = snapshot(app)
    data = {"approved_on": ["15", "7", "2025"], "decision_reference": "PCC 1"}
    response = client.post(url, data={**data, "version": loaded})
    assert error_messages(response) == [STALE]
    assert snapshot(app) == before
    assert client.post(url, data={**data, "version": form_version(response)}).status_code == 302


def test_empty_text_is_refused(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2025)
    intro = section(app, statement_id, "introduction")
    before = snapshot(app)
    client = as_user(app, COORDINATOR)
    response = client.post(
        f"{joint_url(statement_id)}/sections/{intro.id}", data={"text": "  ", "version": "1"}
    )
    assert error_messages(response) == ["Enter the text of the section"]
    assert snapshot(app) == before
