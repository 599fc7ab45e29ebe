"""Debarment pages: the administrators' list upload, the supplier page's panel and register
tag, exclusion decisions and connected parties, across roles and bodies."""

from __future__ import annotations

import io
from datetime import date, timedelta

from flask import Flask

from tests.conftest import page
from tests.integration.exclusion_support import (
    BY_NAME,
    BY_NUMBER,
    LIST_CSV,
    ORG,
    SIMILAR,
    decision_form,
    import_list,
    panel_rows,
    register_with_listed_suppliers,
)
from tests.integration.procurement_support import make_procurement
from tests.integration.register_support import as_user, banner, error_messages, register

ADMIN_PAGE = "/admin/debarment-list"
SUPPLIERS = f"/organisations/{ORG}/suppliers"


def upload(client, text: str, name: str = "list.csv"):
    return client.post(
        ADMIN_PAGE,
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_an_administrator_imports_the_list_and_sees_it_in_force(
    app: Flask, two_bodies: dict
) -> None:
    register_with_listed_suppliers(app)
    admin = as_user(app, "admin@example.org")
    response = upload(admin, LIST_CSV)
    assert response.status_code == 200
    assert banner(response) == ("4 entries imported from list.csv: 2 matches with the registers")
    in_force = page(response).select_one("#list-in-force").get_text(" ", strip=True)
    assert "The list in force is list.csv" in in_force
    assert "4 entries, 2 on mandatory grounds" in in_force
    rows = page(response).select("table tbody tr")
    assert [r.select_one("th").get_text(strip=True) for r in rows] == ["list.csv (in force)"]


def test_a_refused_list_shows_the_error_summary_and_its_rows(app: Flask, two_bodies: dict) -> None:
    admin = as_user(app, "admin@example.org")
    text = "Supplier name,Ground,Mandatory,Start date\nAcme,Offence,Mandatory,31/02/2025\n"
    response = upload(admin, text)
    assert response.status_code == 200
    html = page(response)
    assert html.select_one("title").get_text().startswith("Error: ")
    assert error_messages(response) == [
        "Nothing was imported: 1 row has problems. Row 2 (Start date): The start date is not "
        "a real date: write it like 31/03/2026."
    ]
    assert [li.get_text(strip=True) for li in html.select("#list-problems li")] == [
        "Row 2 (Start date): The start date is not a real date: write it like 31/03/2026"
    ]
    assert "No list has been imported yet" in html.select_one("#list-in-force").get_text()


def test_no_file_asks_for_one(app: Flask, two_bodies: dict) -> None:
    admin = as_user(app, "admin@example.org")
    response = admin.post(ADMIN_PAGE, data={}, content_type="multipart/form-data")
    assert error_messages(response) == ["Select a CSV or Excel file"]


def test_only_administrators_reach_the_list(app: Flask, two_bodies: dict) -> None:
    for email in ("coordinator@example.org", "procurement.alpha-police@example.org"):
        client = as_user(app, email)
        assert client.get(ADMIN_PAGE).status_code == 403
        assert upload(client, LIST_CSV).status_code == 403
    response = app.test_client().get(ADMIN_PAGE)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_register_tags_listed_suppliers(app: Flask, two_bodies: dict) -> None:
    register_with_listed_suppliers(app)
    import_list(app)
    viewer = as_user(app, "viewer.alpha-police@example.org")
    rows = register(viewer, f"{SUPPLIERS}?year=2024-25")
    assert "Debarment list" in rows[BY_NUMBER].flags
    assert "Debarment list (check name)" in rows[BY_NAME].flags
    assert not {f for f in rows[SIMILAR].flags if f.startswith("Debarment")}


def test_the_supplier_page_warns_with_ground_kind_match_and_end(
    app: Flask, two_bodies: dict
) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    viewer = as_user(app, "viewer.alpha-police@example.org")
    response = viewer.get(f"{SUPPLIERS}/{ids[BY_NUMBER]}")
    html = page(response)
    warning = html.select_one("#debarment-warning").get_text(" ", strip=True)
    assert "mandatory ground" in warning and "must be excluded" in warning
    assert panel_rows(response) == [
        [
            "ACME CLEANING SERVICES LIMITED",
            "Modern slavery offence (section 1)",
            "Mandatory",
            "Company number",
            "28 February 2030",
        ]
    ]
    # A reader sees the panel but not the buttons that change it.
    assert html.select_one("a[href$='/exclusion-decisions/new']") is None
    named = viewer.get(f"{SUPPLIERS}/{ids[BY_NAME]}")
    assert panel_rows(named)[0][2:5] == ["Discretionary", "Name Check", "No end date"]
    assert "check it" in page(named).select_one("#debarment-warning").get_text()
    similar = page(viewer.get(f"{SUPPLIERS}/{ids[SIMILAR]}"))
    assert similar.select_one("#debarment-warning") is None
    assert similar.select_one("#debarment-none") is not None


def test_a_decision_is_recorded_and_its_deadline_shown(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    procurement = as_user(app, "procurement.alpha-police@example.org")
    url = f"{SUPPLIERS}/{ids[BY_NUMBER]}/exclusion-decisions/new"
    decided = date.today() - timedelta(days=10)
    response = procurement.post(url, data=decision_form(decided), follow_redirects=True)
    assert banner(response) == "The exclusion decision has been saved"
    row = page(response).select_one("#exclusion-decisions tbody tr")
    assert row.select_one(".app-notification").get_text(strip=True) == "Due in 20 days"
    assert "Excluded" in row.get_text(" ")
    # Its readers see it too.
    viewer = as_user(app, "viewer.alpha-police@example.org")
    seen = page(viewer.get(f"{SUPPLIERS}/{ids[BY_NUMBER]}"))
    assert seen.select_one("#exclusion-decisions .app-notification").get_text() == "Due in 20 days"


def test_recording_when_the_unit_was_told(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    procurement = as_user(app, "procurement.alpha-police@example.org")
    base = f"{SUPPLIERS}/{ids[BY_NUMBER]}/exclusion-decisions"
    decided = date.today() - timedelta(days=40)
    procurement.post(f"{base}/new", data=decision_form(decided))
    detail = page(procurement.get(f"{SUPPLIERS}/{ids[BY_NUMBER]}"))
    assert detail.select_one(".app-notification").get_text() == "Overdue by 10 days"
    link = detail.select_one("#exclusion-decisions tbody th a")["href"]
    form = page(procurement.get(link))
    version = form.select_one("input[name=version]")["value"]
    response = procurement.post(
        link,
        data=decision_form(decided, notified_on=decided + timedelta(days=31), version=version),
        follow_redirects=True,
    )
    assert page(response).select_one(".app-notification").get_text() == "Notified late"


def test_decision_form_messages(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    procurement = as_user(app, "procurement.alpha-police@example.org")
    url = f"{SUPPLIERS}/{ids[BY_NUMBER]}/exclusion-decisions/new"
    response = procurement.post(url, data={"ground": "", "decided_on": ["", "", ""]})
    assert error_messages(response) == [
        "Enter the exclusion ground",
        "Select the decision",
        "Enter the date of the decision",
    ]
    tomorrow = date.today() + timedelta(days=1)
    response = procurement.post(url, data=decision_form(tomorrow))
    assert error_messages(response) == ["The date of the decision must be today or in the past"]
    today = date.today()
    response = procurement.post(
        url, data=decision_form(today, decision="not_excluded", notified_on=today)
    )
    assert error_messages(response)[0].startswith("Only an exclusion is notified")


def test_a_stale_decision_form_is_refused(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    procurement = as_user(app, "procurement.alpha-police@example.org")
    base = f"{SUPPLIERS}/{ids[BY_NUMBER]}/exclusion-decisions"
    decided = date.today() - timedelta(days=1)
    procurement.post(f"{base}/new", data=decision_form(decided))
    link = page(procurement.get(f"{SUPPLIERS}/{ids[BY_NUMBER]}")).select_one(
        "#exclusion-decisions tbody th a"
    )["href"]
    version = page(procurement.get(link)).select_one("input[name=version]")["value"]
    first = procurement.post(link, data=decision_form(decided, version=version, evidence="One"))
    assert first.status_code == 302
    second = procurement.post(link, data=decision_form(decided, version=version, evidence="Two"))
    assert any("Someone else changed this" in m for m in error_messages(second))


def test_decisions_by_role_and_body(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    beta = register_with_listed_suppliers(app, "beta-opcc")
    url = f"{SUPPLIERS}/{ids[BY_NUMBER]}/exclusion-decisions/new"
    for email in ("viewer.alpha-police@example.org", "statement.alpha-police@example.org"):
        assert as_user(app, email).get(url).status_code == 403
    assert as_user(app, "procurement.gamma-police@example.org").get(url).status_code == 404
    procurement = as_user(app, "procurement.alpha-police@example.org")
    # Another body's supplier under this body's address.
    mixed = f"{SUPPLIERS}/{beta[BY_NUMBER]}/exclusion-decisions/new"
    assert procurement.get(mixed).status_code == 404
    procurement.post(url, data=decision_form(date.today()))
    link = page(procurement.get(f"{SUPPLIERS}/{ids[BY_NUMBER]}")).select_one(
        "#exclusion-decisions tbody th a"
    )["href"]
    # The decision under another supplier's address answers 404.
    other = link.replace(f"/suppliers/{ids[BY_NUMBER]}/", f"/suppliers/{ids[BY_NAME]}/")
    assert procurement.get(other).status_code == 404
    beta_lead = as_user(app, "procurement.beta-opcc@example.org")
    assert beta_lead.get(link).status_code == 404


def test_connected_parties_are_added_matched_and_removed(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    procurement = as_user(app, "procurement.alpha-police@example.org")
    supplier = f"{SUPPLIERS}/{ids[SIMILAR]}"
    response = procurement.post(
        f"{supplier}/connected/new",
        data={"kind": "subcontractor", "name": "Acme Sub", "company_number": "1234567"},
        follow_redirects=True,
    )
    assert banner(response) == "Acme Sub has been added"
    rows = panel_rows(response)
    assert rows[0][0] == (
        "ACME CLEANING SERVICES LIMITED Through Relied-on subcontractor: Acme Sub"
    )
    flags = register(procurement, f"{SUPPLIERS}?year=2024-25")[SIMILAR].flags
    assert "Debarment list: connected" in flags
    remove = page(response).select_one("#connected-parties a")["href"]
    confirm = page(procurement.get(remove))
    version = confirm.select_one("input[name=version]")["value"]
    response = procurement.post(remove, data={"version": version}, follow_redirects=True)
    assert banner(response) == "Acme Sub has been removed"
    assert panel_rows(response) == []


def test_connected_party_form_messages_and_access(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    url = f"{SUPPLIERS}/{ids[SIMILAR]}/connected/new"
    procurement = as_user(app, "procurement.alpha-police@example.org")
    response = procurement.post(url, data={"name": ""})
    assert error_messages(response) == [
        "Select whether it is a connected person or a subcontractor",
        "Enter the name",
    ]
    assert as_user(app, "viewer.alpha-police@example.org").get(url).status_code == 403
    assert as_user(app, "procurement.gamma-police@example.org").get(url).status_code == 404


def test_a_ppon_given_on_the_supplier_form_is_matched(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(
        app,
        "Supplier name,PPON,Ground,Mandatory,Start date\n"
        "Quite Another Name Ltd,PUKM-1234-5678,Offence,Mandatory,01/03/2025\n",
    )
    procurement = as_user(app, "procurement.alpha-police@example.org")
    edit = f"{SUPPLIERS}/{ids[SIMILAR]}/edit"
    version = page(procurement.get(edit)).select_one("input[name=version]")["value"]
    response = procurement.post(
        edit,
        data={"name": SIMILAR, "ppon": "pukm 1234 5678", "category_id": "", "version": version},
        follow_redirects=True,
    )
    assert banner(response) == f"{SIMILAR} has been saved"
    assert panel_rows(response)[0][3] == "PPON"


def test_a_decision_names_the_procurement_it_was_made_in(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    ours = make_procurement(app, ORG, "Vehicle washing", tender_notice_on=date(2025, 5, 1))
    theirs = make_procurement(app, "beta-opcc", "Their washing", tender_notice_on=date(2025, 5, 1))
    lead = as_user(app, "procurement.alpha-police@example.org")
    url = f"{SUPPLIERS}/{ids[BY_NUMBER]}/exclusion-decisions/new"
    offered = page(lead.get(url)).select("select[name=procurement_id] option")
    assert [o.get_text(strip=True) for o in offered] == ["Not one recorded here", "Vehicle washing"]
    decided = date.today() - timedelta(days=5)

    refused = lead.post(url, data=decision_form(decided, procurement_id=str(theirs)))
    assert error_messages(refused) == ["Select one of this body's procurements"]
    assert (
        page(lead.get(f"{SUPPLIERS}/{ids[BY_NUMBER]}")).select_one("#exclusion-decisions") is None
    )

    saved = lead.post(
        url, data=decision_form(decided, procurement_id=str(ours)), follow_redirects=True
    )
    named = page(saved).select_one("#exclusion-decisions tbody td a")
    assert named.get_text(strip=True) == "Vehicle washing"
    # The procurement's page lists the exclusions considered in it, for its readers.
    viewer = as_user(app, "viewer.alpha-police@example.org")
    shown = page(viewer.get(named["href"])).select("#procurement-exclusions tbody tr")
    assert [[c.get_text(" ", strip=True) for c in r.select("th, td")][:2] for r in shown] == [
        [BY_NUMBER, "Excluded"]
    ]
    other = page(
        viewer.get(f"/organisations/{ORG}/procurements/{make_procurement(app, ORG, 'Other')}")
    )
    assert other.select_one("#procurement-exclusions") is None
    assert other.select_one("#no-exclusions") is not None
