"""A contract's own page: its clause and regime, KPIs with the £5m flag, yearly ratings and
reviews; the flag on the supplier page; the contracts export and the counts."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.exclusion_support import (
    BY_NAME,
    BY_NUMBER,
    SIMILAR,
    import_list,
    register_with_listed_suppliers,
)
from tests.integration.procurement_support import make_contract, make_procurement, snapshot
from tests.integration.register_support import as_user, banner, error_messages, supplier_id
from tests.xlsx_support import MONEY, assert_finished, assert_numbers, column, string_cell
from tisc.extensions import db
from tisc.models import Supplier
from tisc.rules.ppn009 import Level
from tisc.services.accounts import organisations
from tisc.services.due_diligence import records
from tisc.services.exclusions import decisions as exclusion_decisions
from tisc.services.exclusions import parties as connected_parties
from tisc.services.procurements import export, figures

ORG = "/organisations/alpha-police"
C = f"{ORG}/contracts"
LEAD = "procurement.alpha-police@example.org"
HEADER = [
    "Organisation",
    "Supplier",
    "Contract",
    "Reference",
    "Regime",
    "Start",
    "End",
    "Annual value",
    "Total value",
    "Procurement",
    "PPN 009 risk",
    "Modern slavery clause",
    "KPIs",
    "Over £5m missing KPIs",
    "Value checked",
    "Performance rating",
    "Debarment match",
]


def rows_of(response, selector: str) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in page(response).select(f"{selector} tbody tr")
    ]


def summary(response) -> dict[str, str]:
    found = page(response).select_one("#details")
    return {
        dt.get_text(strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(found.select("dt"), found.select("dd"), strict=True)
    }


def test_the_supplier_page_leads_to_the_contracts_own_page(app: Flask, two_bodies: dict) -> None:
    cid = make_contract(app, "alpha-police", total="120000.00", clause=True)
    sid = supplier_id(app, "alpha-police", "Clean Co Ltd")
    client = as_user(app, "viewer.alpha-police@example.org")
    link = page(client.get(f"{ORG}/suppliers/{sid}")).select_one(
        "main table a[href*='/contracts/']"
    )
    assert link["href"] == f"{C}/{cid}"
    shown = summary(client.get(link["href"]))
    assert shown["Modern slavery clause"] == "Yes"
    assert shown["Regime"] == "Not recorded"
    assert shown["Total value"] == "£120,000.00"
    assert shown["Procurement"] == "None recorded"


def test_the_edit_form_records_the_clause_and_the_regime(app: Flask, two_bodies: dict) -> None:
    cid = make_contract(app, "alpha-police")
    sid = supplier_id(app, "alpha-police", "Clean Co Ltd")
    client = as_user(app, LEAD)
    edit = f"{ORG}/suppliers/{sid}/contracts/{cid}"
    form = page(client.get(edit))
    checked = form.select_one("input[name=modern_slavery_clause][checked]")
    assert checked["value"] == ""  # not recorded
    data = {
        "title": "Cleaning of stations",
        "start_date": ["1", "4", "2024"],
        "end_date": ["31", "3", "2027"],
        "annual_value": "60000.00",
        "category_id": "",
        "modern_slavery_clause": "no",
        "regime": "pcr2015",
        "version": form.select_one("input[name=version]")["value"],
    }
    assert client.post(edit, data=data).status_code == 302
    shown = summary(client.get(f"{C}/{cid}"))
    assert shown["Modern slavery clause"] == "No"
    assert shown["Regime"] == "Public Contracts Regulations 2015"
    again = page(client.get(edit))
    assert again.select_one("input[name=modern_slavery_clause][checked]")["value"] == "no"
    assert again.select_one("select[name=regime] option[selected]")["value"] == "pcr2015"


def test_a_contract_over_5m_with_two_kpis_is_flagged_until_it_has_three(
    app: Flask, two_bodies: dict
) -> None:
    cid = make_contract(app, "alpha-police", total="6000000.00", kpis=2)
    sid = supplier_id(app, "alpha-police", "Clean Co Ltd")
    client = as_user(app, LEAD)
    reason = (
        "Its total value is £6,000,000, over £5,000,000, and it has 2 KPIs: the Procurement "
        "Act 2023 asks for at least 3"
    )
    flag = page(client.get(f"{C}/{cid}")).select_one("#kpi-warning").get_text(" ", strip=True)
    assert reason in flag
    on_supplier = page(client.get(f"{ORG}/suppliers/{sid}")).select_one("#kpi-warning")
    assert reason in on_supplier.get_text(" ", strip=True)
    kpi = {
        "description": "Audits",
        "target": "4 a year",
        "measure": "Reports",
        "modern_slavery": "y",
    }
    response = client.post(f"{C}/{cid}/kpis", data=kpi)
    assert response.status_code == 302
    shown = client.get(response.location)
    assert banner(shown) == "The KPI Audits has been added"
    assert page(shown).select_one("#kpi-warning") is None
    assert rows_of(shown, "#kpis")[-1][:4] == ["Audits", "4 a year", "Reports", "Yes"]
    assert page(client.get(f"{ORG}/suppliers/{sid}")).select_one("#kpi-warning") is None


def test_with_no_total_the_annual_value_is_checked_and_named(app: Flask, two_bodies: dict) -> None:
    cid = make_contract(app, "alpha-police", annual="5500000.00")
    text = page(as_user(app, LEAD).get(f"{C}/{cid}")).select_one("#kpi-check").get_text()
    assert text.startswith("Its annual value is £5,500,000, over £5,000,000, and it has 0 KPIs")


def test_a_kpi_with_problems_is_refused_in_govuk_words(app: Flask, two_bodies: dict) -> None:
    cid = make_contract(app, "alpha-police")
    client = as_user(app, LEAD)
    before = snapshot(app)
    response = client.post(f"{C}/{cid}/kpis", data={"description": "", "target": "", "measure": ""})
    assert response.status_code == 200
    assert error_messages(response) == [
        "Enter what the KPI measures",
        "Enter the KPI's target",
        "Enter how the KPI is measured",
    ]
    assert snapshot(app) == before


def test_a_kpi_is_removed_only_once_confirmed(app: Flask, two_bodies: dict) -> None:
    cid = make_contract(app, "alpha-police", kpis=1)
    client = as_user(app, LEAD)
    link = page(client.get(f"{C}/{cid}")).select_one("#kpis a[href$='/remove']")["href"]
    before = snapshot(app)
    asked = client.post(link, data={})
    assert page(asked).select_one("h1").get_text(strip=True).startswith("Are you sure")
    assert snapshot(app) == before
    assert client.post(link, data={"confirmed": "yes"}).status_code == 302
    assert rows_of(client.get(f"{C}/{cid}"), "#kpis") == []
    assert client.post(link, data={"confirmed": "yes"}).status_code == 404


def test_a_years_rating_is_recorded_and_a_second_replaces_it(app: Flask, two_bodies: dict) -> None:
    app.config["TODAY"] = "2026-01-15"
    cid = make_contract(app, "alpha-police")
    client = as_user(app, LEAD)
    years = page(client.get(f"{C}/{cid}")).select("select[name=financial_year] option")
    assert [o.get_text() for o in years] == ["2025/26", "2024/25"]
    data = {"financial_year": "2024", "rating": "requires_improvement", "note": "Late audits"}
    response = client.post(f"{C}/{cid}/ratings", data=data)
    assert banner(client.get(response.location)) == "The rating for 2024/25 has been saved"
    client.post(f"{C}/{cid}/ratings", data={**data, "rating": "good", "note": ""})
    client.post(f"{C}/{cid}/ratings", data={"financial_year": "2025", "rating": "approaching"})
    rows = rows_of(client.get(f"{C}/{cid}"), "#ratings")
    assert [r[:2] for r in rows] == [["2025/26", "Approaching target"], ["2024/25", "Good"]]
    listed = rows_of(client.get(f"{ORG}/procurements"), "#contracts")
    assert listed[0][-1] == "Approaching target (2025/26)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"financial_year": "2024"}, "Select the performance rating"),
        (
            {"financial_year": "2019", "rating": "good"},
            "Select a financial year the contract runs in",
        ),
    ],
)
def test_a_rating_with_problems_is_refused(
    app: Flask, two_bodies: dict, data: dict, message: str
) -> None:
    cid = make_contract(app, "alpha-police")
    before = snapshot(app)
    response = as_user(app, LEAD).post(f"{C}/{cid}/ratings", data=data)
    assert error_messages(response) == [message]
    assert snapshot(app) == before


def test_the_contracts_reviews_are_listed_on_its_page(app: Flask, two_bodies: dict) -> None:
    cid = make_contract(app, "alpha-police")
    sid = supplier_id(app, "alpha-police", "Clean Co Ltd")
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        records.add_contract_review(
            org=org,
            supplier=db.session.get(Supplier, sid),
            user=None,
            reviewed_on=date(2024, 9, 1),
            contract_id=cid,
            modern_slavery_discussed=True,
            notes="Asked about agency staff",
        )
        db.session.commit()
    rows = rows_of(as_user(app, "viewer.alpha-police@example.org").get(f"{C}/{cid}"), "#reviews")
    assert rows == [["1 September 2024", "Yes", "Asked about agency staff", ""]]


@pytest.mark.parametrize(
    ("email", "status"),
    [("viewer.alpha-police@example.org", 403), ("procurement.gamma-police@example.org", 404)],
)
def test_only_the_bodys_register_managers_change_a_contracts_kpis_and_ratings(
    app: Flask, two_bodies: dict, email: str, status: int
) -> None:
    cid = make_contract(app, "alpha-police", kpis=1)
    client = as_user(app, email)
    before = snapshot(app)
    kpi = {"description": "X", "target": "Y", "measure": "Z"}
    assert client.post(f"{C}/{cid}/kpis", data=kpi).status_code == status
    assert (
        client.post(
            f"{C}/{cid}/ratings", data={"financial_year": "2024", "rating": "good"}
        ).status_code
        == status
    )
    assert snapshot(app) == before
    shown = client.get(f"{C}/{cid}")
    assert shown.status_code == (200 if status == 403 else 404)
    if status == 403:
        assert page(shown).select_one("#kpi-form") is None
        assert page(shown).select_one("#rating-form") is None


def test_another_bodys_contract_answers_404(app: Flask, two_bodies: dict) -> None:
    theirs = make_contract(app, "beta-opcc", kpis=1)
    client = as_user(app, LEAD)
    assert client.get(f"{C}/{theirs}").status_code == 404
    assert client.post(f"{C}/{theirs}/kpis", data={"description": "X"}).status_code == 404


# --- the export -------------------------------------------------------------------------------


def _export(app: Flask, file_format: str) -> bytes:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        return export.export_contracts(organisations=[org], file_format=file_format)


def test_the_export_has_its_columns_and_a_line_per_contract(app: Flask, two_bodies: dict) -> None:
    big = make_contract(app, "alpha-police", title="Big", total="6000000.00", kpis=2, clause=True)
    make_contract(app, "alpha-police", "Other Ltd", title="Small", annual="1000.00")
    make_procurement(
        app, "alpha-police", contract_id=big, assessed_on=date(2025, 4, 1), overall="high"
    )
    make_contract(app, "beta-opcc", title="Theirs")
    lines = list(csv.reader(io.StringIO(_export(app, "csv").decode("utf-8-sig"))))
    assert lines[0] == HEADER
    found = {line[2]: dict(zip(HEADER, line, strict=True)) for line in lines[1:]}
    assert set(found) == {"Big", "Small"}
    assert found["Big"]["PPN 009 risk"] == "High"
    assert found["Big"]["Modern slavery clause"] == "Yes"
    assert found["Big"]["KPIs"] == "2"
    assert found["Big"]["Over £5m missing KPIs"] == "Yes"
    assert found["Big"]["Value checked"] == "total value"
    assert found["Big"]["Total value"] == "6000000.00"
    assert found["Small"]["PPN 009 risk"] == ""
    assert found["Small"]["Modern slavery clause"] == "Not recorded"
    assert found["Small"]["Performance rating"] == ""
    assert found["Big"]["Debarment match"] == found["Small"]["Debarment match"] == "No"


def test_the_export_says_how_each_contracts_supplier_is_on_the_debarment_list(
    app: Flask, two_bodies: dict
) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    for name in (BY_NUMBER, BY_NAME, SIMILAR):
        make_contract(app, "alpha-police", name, title=f"With {name}")
    with app.app_context():  # a supplier not listed itself, but its relied-on subcontractor is
        org = organisations.get_organisation(slug="alpha-police")
        connected_parties.add_party(
            org=org,
            supplier=db.session.get(Supplier, ids[SIMILAR]),
            user=None,
            kind="subcontractor",
            name="Harbour Valeting Limited",
        )
        db.session.commit()
    lines = list(csv.reader(io.StringIO(_export(app, "csv").decode("utf-8-sig"))))
    found = {line[2]: dict(zip(HEADER, line, strict=True)) for line in lines[1:]}
    assert {title: row["Debarment match"] for title, row in found.items()} == {
        f"With {BY_NUMBER}": "company number",
        f"With {BY_NAME}": "name (check)",
        f"With {SIMILAR}": "Relied-on subcontractor: Harbour Valeting Limited (name)",
    }


def test_the_export_is_formula_safe(app: Flask, two_bodies: dict) -> None:
    make_contract(app, "alpha-police", title='=HYPERLINK("http://x.example","click")')
    lines = list(csv.reader(io.StringIO(_export(app, "csv").decode("utf-8-sig"))))
    assert lines[1][2] == '\'=HYPERLINK("http://x.example","click")'
    body = _export(app, "xlsx")
    string_cell(body, '=HYPERLINK("http://x.example","click")')  # text, never a formula
    sheet = assert_finished(body, title="Contracts – Alpha Police").active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert len(assert_numbers(column(sheet, "Annual value"), MONEY)) == 1


def test_the_command_writes_the_export(app: Flask, two_bodies: dict, tmp_path) -> None:
    make_contract(app, "alpha-police", title="Cleaning")
    out = tmp_path / "contracts.csv"
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["export-contracts", "--partnership", "north-east", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}")
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert lines[0] == HEADER and [line[2] for line in lines[1:]] == ["Cleaning"]
    both = runner.invoke(
        app.cli,
        [
            "export-contracts",
            "--org",
            "alpha-police",
            "--partnership",
            "north-east",
            "--out",
            str(out),
        ],
    )
    assert both.exit_code != 0 and "exactly one of --org or --partnership" in both.output
    wrong = runner.invoke(
        args=["export-contracts", "--org", "alpha-police", "--out", str(tmp_path / "c.pdf")]
    )
    assert wrong.exit_code != 0 and "must end in .xlsx or .csv" in wrong.output


# --- the counts -------------------------------------------------------------------------------


def test_the_counts_for_a_year(app: Flask, two_bodies: dict) -> None:
    in_year = date(2025, 5, 1)
    make_procurement(
        app,
        "alpha-police",
        "A",
        tender_notice_on=in_year,
        assessed_on=date(2025, 4, 1),
        overall="low",
    )
    make_procurement(
        app,
        "alpha-police",
        "B",
        tender_notice_on=in_year,
        assessed_on=date(2025, 6, 1),
        overall="high",
    )
    make_procurement(
        app,
        "beta-opcc",
        "C",
        tender_notice_on=in_year,
        assessed_on=date(2025, 4, 1),
        overall="high",
    )
    make_procurement(app, "alpha-police", "D", tender_notice_on=in_year)  # not assessed
    make_procurement(
        app, "alpha-police", "E", tender_notice_on=date(2024, 5, 1), assessed_on=date(2024, 4, 1)
    )
    make_procurement(app, "alpha-police", "F", tender_notice_on=None, assessed_on=date(2025, 4, 1))
    make_procurement(
        app, "gamma-police", "G", tender_notice_on=in_year, assessed_on=date(2025, 4, 1)
    )
    make_contract(app, "alpha-police", title="Big", total="9000000.00", kpis=2, clause=True)
    make_contract(app, "alpha-police", title="Fine", total="9000000.00", kpis=3, clause=False)
    make_contract(app, "beta-opcc", title="Beta", annual="10.00")
    make_contract(
        app,
        "alpha-police",
        title="Ended",
        start=date(2020, 4, 1),
        end=date(2025, 3, 31),
        clause=True,
    )
    with app.app_context():
        bodies = [organisations.get_organisation(slug=s) for s in ("alpha-police", "beta-opcc")]
        found = figures.procurement_counts(organisations=bodies, financial_year=2025)
    assert found.procurements == 4  # A, B, C, D: tender notice in 2025/26
    assert found.assessed == 3 and found.not_assessed == 1
    assert found.by_level == {Level.LOW: 1, Level.MEDIUM: 0, Level.HIGH: 2}
    assert found.late == 1  # B
    assert found.contracts == 3  # Big, Fine, Beta (Ended ended in 2024/25)
    assert found.with_clause == 1 and found.clause_not_recorded == 1
    assert found.missing_kpis == 1


def test_the_board_dashboard_shows_the_counts(app: Flask, two_bodies: dict) -> None:
    app.config["TODAY"] = "2025-06-01"
    make_procurement(app, "alpha-police", "A", assessed_on=date(2025, 6, 1), overall="high")
    make_procurement(app, "beta-opcc", "B", assessed_on=date(2025, 4, 1), overall="low")
    make_procurement(app, "beta-opcc", "B2")  # not assessed
    make_procurement(app, "gamma-police", "C", assessed_on=date(2025, 4, 1))  # elsewhere
    make_contract(app, "alpha-police", total="7000000.00", kpis=1, clause=True)
    make_contract(app, "alpha-police", title="Unknown", annual="10.00")
    # Two suppliers on the debarment list (one on a mandatory ground); one decision this year,
    # decided 31 days before today and never notified: overdue; one the year before.
    ids = register_with_listed_suppliers(app)
    import_list(app)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        for decided_on in (date(2025, 5, 1), date(2025, 3, 1)):
            exclusion_decisions.add_decision(
                org=org,
                supplier=db.session.get(Supplier, ids[BY_NUMBER]),
                user=None,
                ground="Modern slavery offence",
                decision="excluded",
                decided_on=decided_on,
                notified_on=date(2025, 3, 20) if decided_on.month == 3 else None,
            )
        db.session.commit()
    client = as_user(app, "board@example.org")
    shown = summary_of(client.get("/partnerships/north-east/board"), "#procurement-counts")
    assert shown == {
        "Procurements with a tender notice in 2025/26": "3",
        "Risk-assessed under PPN 009": "2 of 3 (1 high, 0 medium, 1 low)",
        "Assessed after the tender notice": "1",
        "Contracts running in 2025/26 with a modern slavery clause": "1 of 2 (not recorded for 1)",
        "Contracts over £5m with fewer than three KPIs": "1",
        "Suppliers on the central debarment list on 1 June 2025": "2 (1 on a mandatory ground)",
        "Exclusion decisions recorded in 2025/26": "1",
        "Exclusions not yet notified to the Procurement Review Unit after 30 days": "1",
    }


def summary_of(response, selector: str) -> dict[str, str]:
    found = page(response).select_one(selector)
    return {
        dt.get_text(strip=True): dd.get_text(" ", strip=True)
        for dt, dd in zip(found.select("dt"), found.select("dd"), strict=True)
    }


def test_the_contract_page_warns_when_its_supplier_is_on_the_debarment_list(
    app: Flask, two_bodies: dict
) -> None:
    register_with_listed_suppliers(app)
    import_list(app)
    listed = make_contract(app, "alpha-police", BY_NUMBER, title="Listed")
    similar = make_contract(app, "alpha-police", SIMILAR, title="Similar name")
    client = as_user(app, "viewer.alpha-police@example.org")
    warning = page(client.get(f"{C}/{listed}")).select_one("#debarment-warning")
    assert " ".join(warning.get_text(" ", strip=True).split()) == (
        f"! Warning {BY_NUMBER} is on the central debarment list on a mandatory ground. "
        "See the matches and exclusion decisions"
    )
    link = warning.select_one("a")["href"]
    assert link.endswith(f"/suppliers/{supplier_id(app, 'alpha-police', BY_NUMBER)}#debarment")
    assert page(client.get(f"{C}/{similar}")).select_one("#debarment-warning") is None
