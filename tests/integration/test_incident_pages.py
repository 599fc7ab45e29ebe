"""The incident and remediation log: its pages for every role (the body's statement and
procurement leads and administrators read and write; anyone else, and another body's record,
404), the form's messages, and the counts, never the details, on the board dashboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.register_support import (
    CLEANING_TEXT,
    Pay,
    as_user,
    banner,
    error_messages,
    import_payments,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import Incident
from tisc.rules.incidents import IncidentStatus, Indicator, Referral, Remediation
from tisc.services.accounts.organisations import get_organisation
from tisc.services.incidents.counts import incident_counts
from tisc.services.incidents.records import IncidentDetails, add_incident

ORG = "alpha-police"
LOG = f"/organisations/{ORG}/incidents"
SECRET = "Passports held at the depot"
LEADS = ("statement.alpha-police@example.org", "procurement.alpha-police@example.org")
EVERYONE_ELSE = (
    "viewer.alpha-police@example.org",
    "board@example.org",
    "coordinator@example.org",
    "statement.beta-opcc@example.org",
    "procurement.gamma-police@example.org",
)
OPEN = IncidentDetails(
    found_on=date(2025, 5, 1),
    tier="2",
    indicators=["documents", "wages"],
    source="audit",
    referrals=["nrm", "glaa"],
    remediation_types=["payment"],
    status="open",
    summary=SECRET,
)
FORM = {
    "found_on": ["1", "5", "2025"],
    "tier": "2",
    "indicators": ["documents", "wages"],
    "source": "audit",
    "summary": SECRET,
    "referrals": ["nrm", "glaa"],
    "remediation_types": ["payment", "support"],
    "remediation": "Wages owed paid through the supplier",
    "outcome": "",
    "status": "open",
    "closed_on": ["", "", ""],
    "supplier_id": "",
}


def record(app: Flask, org: str = ORG, details: IncidentDetails = OPEN) -> int:
    """An incident of the body, through the service; its id."""
    with app.app_context():
        found = add_incident(
            org=get_organisation(slug=org), user=None, details=details, today=date(2026, 6, 1)
        )
        db.session.commit()
        return found.id


def pages(incident_id: int) -> list[str]:
    return [LOG, f"{LOG}/new", f"{LOG}/{incident_id}", f"{LOG}/{incident_id}/edit"]


@pytest.mark.parametrize("email", [*LEADS, "admin@example.org"])
def test_the_leads_and_administrators_reach_every_page(
    app: Flask, two_bodies: dict, email: str
) -> None:
    incident_id = record(app)
    client = as_user(app, email)
    for url in pages(incident_id):
        assert client.get(url).status_code == 200, url
    listed = page(client.get(LOG)).select("#incidents tbody tr")
    assert [row.select_one("th").get_text(strip=True) for row in listed] == ["1 May 2025"]


@pytest.mark.parametrize("email", EVERYONE_ELSE)
def test_anyone_else_meets_a_404_and_no_detail(app: Flask, two_bodies: dict, email: str) -> None:
    incident_id = record(app)
    client = as_user(app, email)
    for url in pages(incident_id):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.get_data(as_text=True)
    assert client.post(f"{LOG}/new", data=FORM).status_code == 404
    with app.app_context():
        assert db.session.query(Incident).count() == 1


def test_another_bodys_incident_at_the_own_address_is_404(app: Flask, two_bodies: dict) -> None:
    theirs = record(app, "beta-opcc")
    client = as_user(app, LEADS[0])
    assert client.get(f"{LOG}/{theirs}").status_code == 404
    assert client.get(f"{LOG}/{theirs}/edit").status_code == 404
    assert client.post(f"{LOG}/{theirs}/edit", data=FORM).status_code == 404


def test_the_link_is_in_the_navigation_only_for_those_allowed(app: Flask, two_bodies: dict) -> None:
    def links(email: str) -> list[str]:
        html = page(as_user(app, email).get(f"/organisations/{ORG}"))
        return [a.get_text(strip=True) for a in html.select(".govuk-service-navigation__link")]

    assert "Incidents" in links(LEADS[0])
    assert "Incidents" in links(LEADS[1])
    assert "Incidents" not in links("viewer.alpha-police@example.org")
    assert "Incidents" not in links("board@example.org")
    # An administrator reaches the log, and none of the body's other pages: no links to them.
    admin = page(as_user(app, "admin@example.org").get(LOG))
    shown = [a.get_text(strip=True) for a in admin.select(".govuk-service-navigation__link")]
    assert "Incidents" in shown
    assert "Suppliers" not in shown and "Overview" not in shown


def test_the_form_warns_against_identifying_anyone_and_asks_no_name(
    app: Flask, two_bodies: dict
) -> None:
    html = page(as_user(app, LEADS[0]).get(f"{LOG}/new"))
    warning = html.select_one("#no-names").get_text(" ", strip=True)
    assert "Do not enter the name or any detail that could identify a victim or worker" in warning
    form = html.select_one("main form")
    # The warning comes before the form's first field.
    assert warning and html.select_one("main").decode().index("no-names") < (
        html.select_one("main").decode().index("<form")
    )
    names = {field["name"] for field in form.select("input, textarea, select")}
    assert not [name for name in names if "name" in name]
    for hint in ("summary-hint", "remediation-hint", "outcome-hint"):
        text = form.select_one(f"#{hint}").get_text(" ", strip=True)
        assert "At most 1,000 characters" in text
        assert "could identify a victim or worker" in text


def test_a_lead_records_an_incident_and_reads_it(app: Flask, two_bodies: dict) -> None:
    import_payments(app, ORG, Pay("Acme Cleaning Ltd", "10/05/2024", "900.00", CLEANING_TEXT))
    acme = supplier_id(app, ORG, "Acme Cleaning Ltd")
    client = as_user(app, LEADS[0])
    response = client.post(
        f"{LOG}/new", data={**FORM, "supplier_id": str(acme)}, follow_redirects=True
    )
    assert banner(response) == "The incident has been saved"
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in page(response).select("#details .govuk-summary-list__row")
    }
    assert rows["Date found"] == "1 May 2025"
    assert rows["Supplier"] == "Acme Cleaning Ltd"
    assert rows["Supply-chain tier"] == "Tier 2"
    assert rows["ILO indicators observed"] == (
        "Retention of identity documents, Withholding of wages"
    )
    assert rows["Referrals made"] == (
        "National Referral Mechanism, Gangmasters and Labour Abuse Authority (GLAA)"
    )
    assert rows["Kinds of remediation"] == (
        "Payment of recruitment fees or wages owed, Support for workers"
    )
    assert rows["Status"] == "Open"


def test_closing_an_incident_with_its_outcome(app: Flask, two_bodies: dict) -> None:
    incident_id = record(app)
    client = as_user(app, LEADS[1])
    form = page(client.get(f"{LOG}/{incident_id}/edit")).select_one("main form")
    version = form.select_one("input[name=version]")["value"]
    assert form.select_one("input[name=status][value=open]").has_attr("checked")
    checked = [i["value"] for i in form.select("input[name=indicators][checked]")]
    assert checked == ["documents", "wages"]
    closing = {
        **FORM,
        "status": "closed",
        "closed_on": ["30", "6", "2025"],
        "outcome": "Wages repaid in full",
        "version": version,
    }
    response = client.post(f"{LOG}/{incident_id}/edit", data=closing, follow_redirects=True)
    assert banner(response) == "The incident has been saved"
    with app.app_context():
        saved = db.session.get(Incident, incident_id)
        assert saved.status is IncidentStatus.CLOSED
        assert saved.closed_on == date(2025, 6, 30)
        assert saved.outcome == "Wages repaid in full"


def test_an_old_form_is_refused(app: Flask, two_bodies: dict) -> None:
    incident_id = record(app)
    client = as_user(app, "admin@example.org")
    response = client.post(f"{LOG}/{incident_id}/edit", data={**FORM, "version": "99"})
    assert error_messages(response) == [
        "Someone else changed this incident while you were editing. Your changes were not "
        "saved: check the details below and try again."
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"found_on": ["", "", ""]}, "Enter the date the indicators were found"),
        ({"found_on": ["31", "2", "2025"]}, "The date found must be a real date, like 14 3 2025"),
        ({"found_on": ["1", "1", "2999"]}, "The date found must be today or in the past"),
        ({"tier": ""}, "Select the supply-chain tier, or Not known"),
        ({"indicators": []}, "Select at least one indicator observed"),
        ({"indicators": ["gossip"]}, "Select the indicators observed"),
        ({"source": ""}, "Select how the incident came to light"),
        ({"referrals": []}, "Select the referrals made, or None"),
        ({"referrals": ["none", "nrm"]}, "Select the referrals made, or None, not both"),
        ({"status": ""}, "Select whether the incident is open or closed"),
        (
            {"status": "closed", "closed_on": ["1", "7", "2025"]},
            "Enter the outcome of the remediation to close the incident",
        ),
        (
            {"status": "closed", "closed_on": ["30", "4", "2025"], "outcome": "Repaid"},
            "The date closed must be the same as or after the date found",
        ),
        ({"status": "closed", "outcome": "Repaid"}, "Enter the date the incident was closed"),
        (
            {"closed_on": ["1", "7", "2025"]},
            "An open incident has no date closed: leave it blank, or close it",
        ),
        (
            {"summary": "x" * 1001},
            "The outline of what was found must be 1,000 characters or fewer",
        ),
    ],
)
def test_what_is_wrong_is_said_in_words(
    app: Flask, two_bodies: dict, changes: dict, message: str
) -> None:
    response = as_user(app, LEADS[0]).post(f"{LOG}/new", data={**FORM, **changes})
    assert response.status_code == 200
    assert error_messages(response) == [message]
    assert page(response).select_one("title").get_text().startswith("Error: ")
    with app.app_context():
        assert db.session.query(Incident).count() == 0


def test_another_bodys_supplier_is_refused(app: Flask, two_bodies: dict) -> None:
    import_payments(app, "beta-opcc", Pay("Beta Cleaning Ltd", "10/05/2024", "900.00"))
    theirs = supplier_id(app, "beta-opcc", "Beta Cleaning Ltd")
    response = as_user(app, LEADS[0]).post(f"{LOG}/new", data={**FORM, "supplier_id": str(theirs)})
    assert error_messages(response) == ["Select one of this body's suppliers"]


def test_incident_counts_take_the_bodies_and_the_year(app: Flask, two_bodies: dict) -> None:
    closed = replace(
        OPEN,
        status="closed",
        closed_on=date(2025, 6, 1),
        outcome="Repaid",
        referrals=["none"],
        remediation_types=["exit"],
    )
    record(app, ORG, closed)
    record(app, ORG, replace(OPEN, found_on=date(2026, 3, 31)))  # the year's last day
    record(app, ORG, replace(OPEN, found_on=date(2025, 3, 31)))  # the year before
    record(app, "beta-opcc", replace(OPEN, indicators=["debt"]))
    record(app, "gamma-police")
    with app.app_context():
        bodies = [get_organisation(slug=s) for s in ("alpha-police", "beta-opcc")]
        counts = incident_counts(organisations=bodies, financial_year=2025)
    # alpha's closed one and its one on the year's last day, and beta's: not the year
    # before's, not gamma's.
    assert (counts.found, counts.open, counts.closed) == (3, 2, 1)
    assert counts.by_indicator[Indicator.WAGES] == 2
    assert counts.by_indicator[Indicator.DEBT] == 1
    assert counts.by_remediation[Remediation.EXIT] == 1
    assert counts.by_remediation[Remediation.PAYMENT] == 2
    assert counts.by_referral[Referral.NONE] == 1
    assert counts.by_referral[Referral.NRM] == 2


@pytest.mark.parametrize("email", ["board@example.org", "coordinator@example.org"])
def test_the_board_dashboard_shows_counts_never_details(
    app: Flask, two_bodies: dict, email: str
) -> None:
    record(app, ORG)
    record(app, "beta-opcc", replace(OPEN, indicators=["debt"], summary="Beta's outline"))
    record(app, "gamma-police", replace(OPEN, summary="Gamma's outline"))
    response = as_user(app, email).get("/partnerships/north-east/board?year=2025-26")
    html = page(response)
    counts = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in html.select("#incident-counts .govuk-summary-list__row")
    }
    assert counts == {"Incidents found": "2", "Still open": "2", "Closed": "0"}
    by_indicator = {
        row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
        for row in html.select("#incidents-by-indicator tbody tr")
    }
    assert len(by_indicator) == 11
    assert by_indicator["Withholding of wages"] == "1"
    assert by_indicator["Debt bondage"] == "1"
    assert by_indicator["Retention of identity documents"] == "1"
    text = response.get_data(as_text=True)
    for detail in (SECRET, "Beta's outline", "Gamma's outline"):
        assert detail not in text
    assert html.select(f"a[href^='{LOG}']") == []
