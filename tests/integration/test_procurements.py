"""Procurements and their PPN 009 risk assessments, through the pages, for every role."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.procurement_support import (
    assessment_form,
    make_contract,
    make_procurement,
    procurement,
    procurement_form,
    snapshot,
)
from tests.integration.register_support import as_user, banner, category_id, error_messages
from tisc.rules.ppn009 import Level
from tisc.rules.procurement import Regime

A = "/organisations/alpha-police/procurements"
LEAD = "procurement.alpha-police@example.org"
LATE = (
    "This assessment was recorded on 9 June 2025 after the tender notice on 1 May 2025; "
    "PPN 009 asks for it before the tender notice"
)


def warning(response) -> str | None:
    found = page(response).select_one("#late-warning")
    return " ".join(found.get_text(" ", strip=True).split()) if found else None


def test_the_lead_adds_a_procurement_and_sees_it_on_its_page_and_in_the_list(
    app: Flask, two_bodies: dict
) -> None:
    client = as_user(app, LEAD)
    contract = make_contract(app, "alpha-police")
    form = procurement_form(
        contract_id=str(contract), category_id=str(category_id(app, "Uniforms, workwear, footwear"))
    )
    response = client.post(f"{A}/new", data=form)
    assert response.status_code == 302
    shown = client.get(response.location)
    assert banner(shown) == "The procurement Uniforms for officers has been saved"
    details = page(shown).select_one("#details")
    rows = {
        dt.get_text(strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(details.select("dt"), details.select("dd"), strict=True)
    }
    assert rows["Regime"] == "Procurement Act 2023"
    assert rows["CPV codes"] == "18100000-0, 35811200-4"
    assert rows["Estimated value"] == "£250,000.00"
    assert rows["Tender notice"] == "1 May 2025"
    assert rows["Awarded contract"].startswith("Cleaning of stations")
    assert rows["Category"] == "Uniforms, workwear, footwear (High risk)"
    listed = page(client.get(A)).select("#procurements tbody tr")
    assert [r.select_one("th a").get_text(strip=True) for r in listed] == ["Uniforms for officers"]
    assert listed[0].select("td")[-1].get_text(strip=True) == "Not assessed"


@pytest.mark.parametrize(
    ("email", "reads", "records"),
    [
        (LEAD, True, True),
        ("statement.alpha-police@example.org", True, False),
        ("viewer.alpha-police@example.org", True, False),
        ("coordinator@example.org", True, False),
        ("board@example.org", True, False),
        ("procurement.gamma-police@example.org", False, False),
    ],
)
def test_who_reads_and_who_records(
    app: Flask, two_bodies: dict, email: str, reads: bool, records: bool
) -> None:
    pid = make_procurement(app, "alpha-police", assessed_on=date(2025, 4, 1))
    client = as_user(app, email)
    read = 200 if reads else 404 if "gamma" in email else 403
    for url in (A, f"{A}/{pid}", f"{A}/{pid}/ppn009"):
        assert client.get(url).status_code == read, url
    before = snapshot(app)
    write = 200 if records else read if not reads else 403
    assert client.get(f"{A}/new").status_code == write
    assert client.get(f"{A}/{pid}/edit").status_code == write
    shown = page(client.get(f"{A}/{pid}/ppn009/edit")) if records else None
    version = shown.select_one("input[name=version]")["value"] if shown else "1"
    response = client.post(f"{A}/{pid}/ppn009/edit", data=assessment_form("high", version=version))
    assert response.status_code == (302 if records else write)
    if not records:
        assert snapshot(app) == before
    shown = page(client.get(f"{A}/{pid}/ppn009")) if reads else None
    if shown is not None:
        buttons = [a.get_text(strip=True) for a in shown.select("main a.govuk-button")]
        assert ("Review the assessment" in buttons) is records


def test_another_bodys_procurement_answers_404_at_this_bodys_address(
    app: Flask, two_bodies: dict
) -> None:
    theirs = make_procurement(app, "beta-opcc", assessed_on=date(2025, 4, 1))
    client = as_user(app, LEAD)
    before = snapshot(app)
    for url in (f"{A}/{theirs}", f"{A}/{theirs}/ppn009", f"{A}/{theirs}/edit"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{A}/{theirs}/edit", data=procurement_form()).status_code == 404
    assert client.post(f"{A}/{theirs}/ppn009/edit", data=assessment_form()).status_code == 404
    assert snapshot(app) == before


def test_another_bodys_contract_cannot_be_the_award(app: Flask, two_bodies: dict) -> None:
    theirs = make_contract(app, "beta-opcc")
    client = as_user(app, LEAD)
    before = snapshot(app)
    response = client.post(f"{A}/new", data=procurement_form(contract_id=str(theirs)))
    assert error_messages(response) == ["Choose one of the body's contracts"]
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        (
            {"title": "", "cpv_codes": "", "regime": None},
            [
                "Enter the procurement title",
                "Select whether the procurement runs under PCR 2015 or the Procurement Act 2023",
                "Enter at least one CPV code, like 79710000-4",
            ],
        ),
        (
            {"cpv_codes": "18100000-0 1810000"},
            ["Enter CPV codes like 79710000-4, with 8 digits, a hyphen and 1 digit (1810000)"],
        ),
        (
            {"award_on": ["30", "4", "2025"]},
            ["The award date must be the same as or after the tender notice date"],
        ),
        (
            {"end_on": ["31", "7", "2025"]},
            ["The end date must be the same as or after the start date"],
        ),
        (
            {"tender_notice_on": ["31", "2", "2025"]},
            ["Tender notice date must be a real date, like 24 3 2025"],
        ),
        ({"estimated_value": "lots"}, ["Enter an amount in pounds, like 250000 or 250000.00"]),
    ],
)
def test_a_procurement_with_problems_is_refused_in_govuk_words(
    app: Flask, two_bodies: dict, changes: dict, messages: list[str]
) -> None:
    client = as_user(app, LEAD)
    form = {k: v for k, v in procurement_form(**changes).items() if v is not None}
    before = snapshot(app)
    response = client.post(f"{A}/new", data=form)
    assert response.status_code == 200
    assert error_messages(response) == messages
    assert page(response).title.get_text().startswith("Error: ")
    assert snapshot(app) == before


def test_a_new_procurement_opens_on_the_act_and_pcr_can_be_chosen(
    app: Flask, two_bodies: dict
) -> None:
    app.config["TODAY"] = "2026-01-10"
    client = as_user(app, LEAD)
    chosen = page(client.get(f"{A}/new")).select_one("input[name=regime][checked]")
    assert chosen["value"] == Regime.PA_2023.value
    response = client.post(f"{A}/new", data=procurement_form(regime="pcr2015"))
    pid = int(response.location.rsplit("/", 1)[1])
    assert procurement(app, pid).regime is Regime.PCR_2015
    # A tender notice after the Act came in, recorded under PCR: the page points it out.
    note = page(client.get(f"{A}/{pid}")).select_one("#regime-note").get_text(" ", strip=True)
    assert "suggests the Procurement Act 2023" in note


def test_editing_a_procurement_keeps_its_changes(app: Flask, two_bodies: dict) -> None:
    pid = make_procurement(app, "alpha-police")
    client = as_user(app, LEAD)
    form = page(client.get(f"{A}/{pid}/edit"))
    version = form.select_one("input[name=version]")["value"]
    assert form.select_one("input[name=cpv_codes]")["value"] == "90911200-8"
    response = client.post(
        f"{A}/{pid}/edit", data=procurement_form(title="Renamed", version=version)
    )
    assert response.status_code == 302
    assert procurement(app, pid).title == "Renamed"


def test_the_lead_records_an_assessment_before_the_tender_notice_with_no_warning(
    app: Flask, two_bodies: dict
) -> None:
    app.config["TODAY"] = "2025-04-20"
    pid = make_procurement(app, "alpha-police", tender_notice_on=date(2025, 5, 1))
    client = as_user(app, LEAD)
    form = assessment_form("medium", workforce="high", mitigations=["clauses", "kpis", "market"])
    response = client.post(f"{A}/{pid}/ppn009/edit", data=form)
    assert response.status_code == 302
    shown = client.get(response.location)
    html = page(shown)
    assert warning(shown) is None
    rows = {
        tr.select_one("th").get_text(strip=True): tr.select("td")[0].get_text(strip=True)
        for tr in html.select("#characteristics tbody tr")
    }
    assert rows == {
        "Industry": "Medium",
        "Workforce": "High",
        "Location": "Medium",
        "Context": "Medium",
        "Commodity": "Medium",
        "Business model": "Medium",
    }
    assert [li.get_text(strip=True) for li in html.select("#mitigations li")] == [
        "Contract clauses",
        "KPIs",
        "Market engagement (tested so it does not shut out small suppliers)",
    ]
    assert "20 April 2025 by" in html.select_one("#overall").get_text(" ", strip=True)
    assert html.select_one("#below-highest") is not None  # medium overall, a high workforce
    saved = procurement(app, pid).assessment
    assert saved.assessed_on == date(2025, 4, 20) and saved.overall is Level.MEDIUM


def test_an_assessment_recorded_after_the_tender_notice_is_warned_about_on_both_pages(
    app: Flask, two_bodies: dict
) -> None:
    pid = make_procurement(app, "alpha-police", assessed_on=date(2025, 6, 9))
    client = as_user(app, "viewer.alpha-police@example.org")
    assert warning(client.get(f"{A}/{pid}/ppn009")) == f"! Warning {LATE}"
    assert warning(client.get(f"{A}/{pid}")) == f"! Warning {LATE}"
    row = page(client.get(A)).select_one("#procurements tbody tr")
    assert "Recorded late" in row.get_text(" ", strip=True)


def test_a_review_after_the_tender_notice_keeps_the_first_date_and_is_not_late(
    app: Flask, two_bodies: dict
) -> None:
    pid = make_procurement(app, "alpha-police", assessed_on=date(2025, 4, 1))
    app.config["TODAY"] = "2025-09-01"
    client = as_user(app, LEAD)
    version = page(client.get(f"{A}/{pid}/ppn009/edit")).select_one("input[name=version]")
    response = client.post(
        f"{A}/{pid}/ppn009/edit", data=assessment_form("high", version=version["value"])
    )
    assert response.status_code == 302
    shown = client.get(f"{A}/{pid}/ppn009")
    assert warning(shown) is None
    saved = procurement(app, pid).assessment
    assert (saved.assessed_on, saved.reviewed_on) == (date(2025, 4, 1), date(2025, 9, 1))
    assert saved.overall is Level.HIGH


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"workforce": None}, ["Select the workforce risk"]),
        (
            {"overall": None, "reasons": ""},
            ["Select the overall risk", "Enter the reasons for the overall risk"],
        ),
        (
            {"overall": "low", "commodity": "high"},
            [
                "The overall risk cannot be low when a characteristic is rated high "
                "(commodity): choose medium or high"
            ],
        ),
    ],
)
def test_an_assessment_with_problems_is_refused_in_govuk_words(
    app: Flask, two_bodies: dict, changes: dict, messages: list[str]
) -> None:
    pid = make_procurement(app, "alpha-police")
    client = as_user(app, LEAD)
    form = {k: v for k, v in assessment_form("low", **changes).items() if v is not None}
    before = snapshot(app)
    response = client.post(f"{A}/{pid}/ppn009/edit", data=form)
    assert response.status_code == 200
    assert error_messages(response) == messages
    assert snapshot(app) == before


def test_the_suggestion_is_shown_with_what_it_is_based_on(app: Flask, two_bodies: dict) -> None:
    pid = make_procurement(
        app,
        "alpha-police",
        "Nitrile gloves",
        category=category_id(app, "Cleaning services and materials"),
        countries="Malaysia, France",
    )
    client = as_user(app, LEAD)
    for url in (f"{A}/{pid}/ppn009", f"{A}/{pid}/ppn009/edit"):
        box = page(client.get(url)).select_one("#suggestion")
        text = " ".join(box.get_text(" ", strip=True).split())
        assert text.startswith("Suggested by tisc: High")
        assert "This is a suggestion, not the assessment" in text
        assert "the category Cleaning services and materials (high risk)" in text
        assert "Commodity: PPN 009 names" in text
        assert "Location: the US DoL list names" in text and "Malaysia" in text
    # Shown, never forced: the form opens with nothing chosen.
    form = page(client.get(f"{A}/{pid}/ppn009/edit"))
    assert form.select("input[type=radio][checked]") == []


def test_with_nothing_known_the_suggestion_says_so(app: Flask, two_bodies: dict) -> None:
    pid = make_procurement(app, "alpha-police", "Consultancy")
    box = page(as_user(app, LEAD).get(f"{A}/{pid}/ppn009")).select_one("#suggestion")
    text = " ".join(box.get_text(" ", strip=True).split())
    assert text.startswith("Suggested by tisc: nothing to suggest from")
    assert "no category" in text
