"""Statements: the deadline and the checklist on the page, the registry's risks, the body's
page, a body's single statement, and the demo statements."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.register_support import as_user, banner, error_messages
from tests.integration.statement_support import (
    COORDINATOR,
    JOINT_KEYS,
    STATEMENT_A,
    STATEMENT_B,
    A,
    B,
    P,
    add_risk,
    approve,
    approved_statement,
    areas,
    bodies_table,
    body,
    body_actions,
    create,
    edit_links,
    form_version,
    joint_url,
    mark_approved,
    missing,
    post_text,
    publish,
    section,
    sections,
    set_text,
    set_today,
    snapshot,
    state,
    submit,
)
from tisc.extensions import db
from tisc.models import Statement
from tisc.services.accounts import organisations
from tisc.services.statements import records as statements
from tisc.services.statements.registry import registry_report

# --- the deadline and the checklist ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "warning", "message"),
    [
        (date(2025, 7, 31), False, "Due by 30 September 2025"),
        (date(2025, 8, 1), True, "Due in 60 days, by 30 September 2025"),
        (date(2025, 9, 30), True, "Due today, 30 September 2025"),
        (date(2025, 10, 1), True, "Overdue by 1 day: due by 30 September 2025"),
    ],
)
def test_the_deadline_warns_as_it_nears_and_once_it_passes(
    app: Flask,
    bodies: dict,
    monkeypatch: pytest.MonkeyPatch,
    today: date,
    warning: bool,
    message: str,
) -> None:
    statement_id = create(app, 2024)
    set_today(monkeypatch, today)
    for client, url in (
        (as_user(app, COORDINATOR), joint_url(statement_id)),
        (as_user(app, STATEMENT_A), f"{A}/statement?year=2024-25"),
    ):
        shown = page(client.get(url))
        found = shown.select_one(".app-deadline-warning")
        if warning:
            assert found is not None and message in found.get_text(" ", strip=True)
            assert shown.select_one(".app-deadline") is None
        else:
            assert found is None
            assert shown.select_one(".app-deadline").get_text(strip=True) == message
    listing = page(as_user(app, COORDINATOR).get(P))
    cell = listing.select_one("tr[data-year='2024-25'] td:nth-of-type(3)").get_text(" ", strip=True)
    assert cell.endswith(message)
    assert ("Overdue" in cell or "Due soon" in cell) == warning


def test_the_checklist_shows_what_is_missing_and_clears_as_it_is_done(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    client = as_user(app, COORDINATOR)
    lines = missing(client.get(joint_url(statement_id)))
    for line in (
        "The text on organisation structure, business and supply chains is still the default text",
        "The text on training is still the default text",
        "The introduction is still the default text",
        "Alpha Police's own paragraph is still the default text",
        "No signatory for Alpha Police",
        "No approval date for Beta Opcc",
        "No decision reference for Alpha Police",
        "No published web address for Beta Opcc",
        "Alpha Police has not recorded its submission to the national registry",
        "No risks described",
    ):
        assert line in lines, line
    assert set(areas(client.get(joint_url(statement_id))).values()) == {"no"}

    set_text(app, statement_id, "training", "Everyone completed the e-learning.")
    set_text(app, statement_id, "goals", "Next year we [list the goals] and [say by when].")
    add_risk(app, statement_id)
    submit(app, statement_id)
    approve(app, statement_id, "alpha-police")
    response = client.get(joint_url(statement_id))
    lines = missing(response)
    assert not any("training" in line for line in lines)
    assert areas(response)["Training"] == "yes"
    assert areas(response)["Goals and KPIs"] == "no"
    assert "The text on goals and KPIs still has 2 placeholders to replace" in lines
    assert "No approval date for Alpha Police" not in lines
    assert "No signatory for Alpha Police" not in lines
    assert "No approval date for Beta Opcc" in lines
    assert "No risks described" not in lines


def test_a_complete_statement_has_nothing_missing(app: Flask, bodies: dict) -> None:
    statement_id = approved_statement(app)
    for row in sections(app, statement_id):
        set_text(app, statement_id, row.key, f"Our words on {row.key}.", body=row.body)
    submit_again = body(app, statement_id, "alpha-police").approved_on is None
    assert submit_again  # the edits cleared the approvals
    approve(app, statement_id, "alpha-police")
    approve(app, statement_id, "beta-opcc")
    mark_approved(app, statement_id)
    add_risk(app, statement_id)
    approve_again = body(app, statement_id, "beta-opcc").approved_on is None
    assert approve_again  # so did describing a risk
    assert state(app, statement_id) == "awaiting_approval"
    approve(app, statement_id, "alpha-police")
    approve(app, statement_id, "beta-opcc")
    mark_approved(app, statement_id)
    for slug in ("alpha-police", "beta-opcc"):
        publish(app, statement_id, slug)
    client = as_user(app, STATEMENT_A)
    base = f"{A}/statements/{statement_id}/registry-submission"
    client.post(
        base, data={"submitted_on": ["2", "9", "2025"], "version": form_version(client.get(base))}
    )
    client = as_user(app, STATEMENT_B)
    base = f"{B}/statements/{statement_id}/registry-submission"
    client.post(
        base, data={"submitted_on": ["2", "9", "2025"], "version": form_version(client.get(base))}
    )
    response = as_user(app, COORDINATOR).get(joint_url(statement_id))
    assert missing(response) == []
    assert page(response).select_one(".app-checklist-complete") is not None


# --- risks ----------------------------------------------------------------------------------


def test_up_to_three_risks_with_the_registrys_tiers(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    client = as_user(app, COORDINATOR)
    new = f"{joint_url(statement_id)}/risks/new"
    bad = client.post(new, data={"description": "Car wash labour", "supply_chain_tier": "Tier 9"})
    assert error_messages(bad) == ["Select Tier 1, Tier 2, Tier 3 and below, or Don't know"]
    assert error_messages(client.post(new, data={"description": ""})) == ["Describe the risk"]
    for number, tier in enumerate(("Tier 1", "Tier 3 and below", "Don't know"), start=1):
        response = client.post(
            new,
            data={
                "description": f"Risk number {number}",
                "area": "Cleaning",
                "supply_chain_tier": tier,
                "groups_affected": "Agency workers",
                "location": "UK",
                "mitigation": "Audits",
            },
            follow_redirects=True,
        )
        assert banner(response) == "The risk has been saved."
    cards = page(response).select("[data-risk]")
    assert [c.select_one(".govuk-summary-card__title").get_text(strip=True) for c in cards] == [
        "Risk 1",
        "Risk 2",
        "Risk 3",
    ]
    assert "Tier 3 and below" in cards[1].get_text()
    assert page(response).select_one(".app-add-risk") is None
    before = snapshot(app)
    fourth = client.post(new, data={"description": "One too many"})
    assert error_messages(fourth) == [
        "A statement can describe up to 3 risks for the registry: "
        "change or remove one of them instead"
    ]
    assert snapshot(app) == before
    # Removing one makes room again, after asking.
    risk_id = int(cards[0]["data-risk"])
    remove = f"{joint_url(statement_id)}/risks/{risk_id}/remove"
    asked = client.get(remove)
    assert page(asked).select_one("#risk-text").get_text(strip=True) == "Risk number 1"
    response = client.post(remove, data={"version": form_version(asked)}, follow_redirects=True)
    assert banner(response) == "The risk has been removed."
    assert len(page(response).select("[data-risk]")) == 2


def test_changing_a_risk_clears_every_approval(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    risk_id = add_risk(app, statement_id)
    submit(app, statement_id)
    approve(app, statement_id, "alpha-police")
    client = as_user(app, COORDINATOR)
    url = f"{joint_url(statement_id)}/risks/{risk_id}"
    form = client.get(url)
    assert "Alpha Police" in page(form).select_one("#clears-approval").get_text()
    client.post(url, data={"description": "Agency cleaners, Tier 2", "version": form_version(form)})
    assert body(app, statement_id, "alpha-police").approval_cleared_note == (
        "Approval cleared on 29 November 2026 because the risks changed"
    )


# --- the body's page and single statements --------------------------------------------------


def test_the_bodys_page_shows_its_part_and_the_links_it_may_follow(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    submit(app, statement_id)
    client = as_user(app, STATEMENT_A)
    response = client.get(f"{A}/statement?year=2024-25")
    part = page(response).select_one(f"#your-part-{statement_id}")
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in part.select(".govuk-summary-list__row")
    }
    assert rows["State"] == "Awaiting approval"
    assert rows["Own paragraph"] == "Alpha Police's own paragraph is still the default text"
    assert rows["Approval"] == "Not approved"
    links = [a.get_text(" ", strip=True) for a in part.select("a")]
    assert links == [
        "Change the own paragraph",
        "Change the signatories",
        "Record the approval",
    ]
    assert body_actions(response, "alpha-police") == [
        "Change the signatories of Alpha Police",
        "Record the approval of Alpha Police",
        "Answer the registry's questions for Alpha Police",
    ]
    assert body_actions(response, "beta-opcc") == []
    # A viewer of the body reads the same page with no links to change anything.
    viewer = as_user(app, "viewer.alpha-police@example.org").get(f"{A}/statement?year=2024-25")
    assert page(viewer).select(f"#your-part-{statement_id} a") == []
    assert page(viewer).select_one("#start-single") is None


def test_a_body_writes_and_approves_a_single_statement_of_its_own(app: Flask, bodies: dict) -> None:
    client = as_user(app, STATEMENT_A)
    response = client.post(
        f"{A}/statement/start?year=2024-25", data={"start_from": "default"}, follow_redirects=True
    )
    assert "The 2024/25 statement has been started from the default text" in banner(response)
    with app.app_context():
        alpha = organisations.get_organisation(slug="alpha-police")
        statement = statements.find_statement(financial_year=2024, org=alpha)
        statement_id = statement.id
        assert [b.organisation.slug for b in statement.bodies] == ["alpha-police"]
        assert statement.sections[0].title == "Introduction and our commitment"
        assert statement.sections[0].text.startswith(
            "This is the modern slavery statement of Alpha Police for the financial year 2024/25"
        )
    assert len(edit_links(client.get(f"{A}/statement?year=2024-25"))) == len(JOINT_KEYS) + 1
    intro = section(app, statement_id, "introduction")
    url = f"{A}/statements/{statement_id}/sections/{intro.id}"
    assert post_text(client, url, "Alpha's own introduction.").status_code == 302
    # Neither the coordinator nor another body changes it.
    for email in (COORDINATOR, STATEMENT_B):
        assert as_user(app, email).post(url, data={"text": "x", "version": "9"}).status_code in (
            403,
            404,
        )
    version = page(client.get(f"{A}/statement?year=2024-25")).select_one(
        ".app-state-actions input[name=version]"
    )["value"]
    client.post(f"{A}/statements/{statement_id}/send-for-approval", data={"version": version})
    approve(app, statement_id, "alpha-police")
    version = page(client.get(f"{A}/statement?year=2024-25")).select_one(
        ".app-state-actions input[name=version]"
    )["value"]
    response = client.post(
        f"{A}/statements/{statement_id}/mark-approved",
        data={"version": version},
        follow_redirects=True,
    )
    assert banner(response) == "The statement has been marked approved"
    assert state(app, statement_id) == "approved"
    # The joint statement's shared parts are never changed from the body's side.
    joint = create(app, 2024)
    assert (
        client.post(f"{A}/statements/{joint}/send-for-approval", data={"version": "1"}).status_code
        == 403
    )
    # Both statements on the body's page, each with its own part; no id is used twice.
    both = page(client.get(f"{A}/statement?year=2024-25"))
    assert len(both.select("section.app-statement")) == 2
    ids = [tag["id"] for tag in both.select("[id]")]
    assert len(ids) == len(set(ids))


# --- demo data ------------------------------------------------------------------------------


def test_the_demo_statements_show_a_checklist_with_one_approval_missing(
    app: Flask, bodies: dict
) -> None:
    from tisc.demo.statements import seed_statements

    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        # In August, last year's statement awaits approval (it is published from September).
        last, current = seed_statements(
            orgs=list(partnership.organisations),
            partnership=partnership,
            seed=1,
            today=date(2025, 8, 1),
        )
        db.session.commit()
        last_id, current_id = last.id, current.id
    assert state(app, last_id) == "awaiting_approval"
    assert state(app, current_id) == "draft"
    response = as_user(app, COORDINATOR).get(joint_url(last_id))
    lines = missing(response)
    assert "No approval date for Beta Opcc" in lines
    assert "No approval date for Alpha Police" not in lines
    assert not any("placeholder" in line or "default text" in line for line in lines)
    assert set(areas(response).values()) == {"yes"}
    table = bodies_table(response)
    assert table["alpha-police"][0] == "Demo Chief Constable (Alpha), Chief Constable"
    # The bodies that approved have answered the registry's questions.
    with app.app_context():
        report = registry_report(statement=db.session.get(Statement, last_id))
    alpha_row, beta_row = report.rows
    assert alpha_row["ApprovingPerson"] == "Demo Chief Constable (Alpha), Chief Constable"
    assert alpha_row["Policies"] and alpha_row["GrievanceMechanisms"]
    assert alpha_row["NoILOIndicatorsInStatement"] == "Yes"
    assert beta_row["Policies"] == ""
    # This world has no spend: nothing else is missing from Alpha's row.
    assert report.warnings[0] == (
        "Alpha Police: no spend in the register for 2024/25 to set the Turnover band"
    )
    assert report.warnings[1].startswith("Beta Opcc: not approved yet; no answer for Policies")
    assert len(report.warnings) == 2
    assert len(page(response).select("[data-risk]")) == 2
    # The draft for the next year starts from last year's text, with one section rewritten.
    assert section(app, current_id, "policies").text == section(app, last_id, "policies").text
    assert "2025/26" in section(app, current_id, "introduction").text
    lines = missing(as_user(app, COORDINATOR).get(joint_url(current_id)))
    assert "The text on policies is still last year's text" in lines
    assert not any("introduction" in line for line in lines)


def _disclosures(response, statement_id: int) -> dict[str, str]:
    found = {}
    for item in page(response).select(f"#disclosures-{statement_id} li"):
        tag = item.find("strong").extract().get_text(strip=True)
        assert tag == ("Made" if item["data-made"] == "yes" else "Not yet")  # the word says it
        found[item.get_text(" ", strip=True).split(" (from ")[0]] = item["data-made"]
    return found


def test_the_checklist_says_which_of_the_guidances_disclosures_the_records_show(
    app: Flask, bodies: dict
) -> None:
    statement_id = create(app, 2024)
    client = as_user(app, COORDINATOR)
    before = _disclosures(client.get(joint_url(statement_id)), statement_id)
    assert len(before) == 12  # two levels for each of the six areas
    policies = (
        "Policies, level 1: The policies that deal with modern slavery, and how to raise a concern"
    )
    assert before[policies] == "no"  # still the default text, with its prompts

    set_text(app, statement_id, "policies", "Our contract procedure rules and whistleblowing line.")
    after = _disclosures(client.get(joint_url(statement_id)), statement_id)
    assert after[policies] == "yes"
    assert {k: v for k, v in after.items() if k != policies} == {
        k: v for k, v in before.items() if k != policies
    }


def test_a_live_figure_tisc_does_not_know_is_on_the_checklist(app: Flask, bodies: dict) -> None:
    statement_id = create(app, 2024)
    set_text(app, statement_id, "training", "We trained ((staff traned)) officers and staff.")
    lines = missing(as_user(app, COORDINATOR).get(joint_url(statement_id)))
    assert "The text on training names ((staff traned)), which is not a live figure" in lines


def test_last_years_text_unchanged_discloses_nothing_this_year(app: Flask, bodies: dict) -> None:
    last_year = create(app, 2023)
    set_text(app, last_year, "policies", "Our contract procedure rules and whistleblowing line.")
    statement_id = create(app, 2024)  # starts from last year's text
    response = as_user(app, COORDINATOR).get(joint_url(statement_id))
    policies = (
        "Policies, level 1: The policies that deal with modern slavery, and how to raise a concern"
    )
    assert areas(response)["Policies"] == "no"  # the checklist: still last year's text
    assert _disclosures(response, statement_id)[policies] == "no"  # and so not disclosed
