"""A body's answers to the registry's questions, captured once on the statement's pages, and
the registry summary filled from them: SectorType, Turnover (from the register's spend),
YearsProducingStatements, Policies, Training and GrievanceMechanisms for an approved body; a
body not approved yet, or with questions unanswered, exported and listed with why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import as_user
from tests.integration.statement_doc_support import JOINT, make_statement
from tests.integration.statement_support import STATEMENT_A
from tests.integration.test_registry import read
from tisc.extensions import db
from tisc.models import Statement, StatementBody
from tisc.rules import registry as rules
from tisc.services.accounts import organisations
from tisc.services.incidents import records as incident_records
from tisc.services.incidents.records import IncidentDetails
from tisc.services.statements import records as statements
from tisc.services.statements.registry import registry_rows
from tisc.services.statements.registry_answers import year_spend

CHILD = "Prohibits child labour"
FEES = "Prohibits the use of worker-paid recruitment fees"
HOTLINE = rules.GRIEVANCE_MECHANISMS[0]
ANSWERS = {
    "sectors": ["Public sector"],
    "years": "1 to 5 years",
    "policies": [CHILD, FEES],
    "training": ["Procurement staff", "Your front line staff"],
    "engagement": ["Your suppliers"],
    "audits": ["none"],
    "grievance": [HOTLINE],
    "ilo_indicators": ["Debt bondage"],
    "ilo_actions": ["Supporting investigations by relevant authorities"],
    "progress": "Quarterly KPIs to the collaboration board",
}


def url(statement: int, org: str = "alpha-police") -> str:
    return f"/organisations/{org}/statements/{statement}/registry-answers"


def body(app: Flask, statement: int, org: str = "alpha-police") -> StatementBody:
    return statements.get_body(
        statement=db.session.get(Statement, statement),
        org=organisations.get_organisation(slug=org),
    )


def answer(app: Flask, statement: int, data: dict, email: str = STATEMENT_A):
    client = as_user(app, email)
    form = page(client.get(url(statement)))
    version = form.select_one("input[name=version]")["value"]
    token = form.select_one("input[name=csrf_token]")["value"]
    return client.post(url(statement), data={**data, "version": version, "csrf_token": token})


def cli(app: Flask, out: Path):
    args = ["registry-csv", "--year", "2024-25", "--partnership", "north-east", "--out", str(out)]
    return app.test_cli_runner().invoke(args=args)


def test_the_csv_fills_an_approved_bodys_row_from_its_answers(
    app: Flask, statement: int, tmp_path: Path
) -> None:
    response = answer(app, statement, ANSWERS)
    assert response.status_code == 302, page(response).get_text(" ", strip=True)[:500]
    assert response.headers["Location"].endswith(f"#body-{_body_id(app, statement)}")
    with app.app_context():
        spend = year_spend(statement_body=body(app, statement))
    assert spend is not None and spend > 0
    out = tmp_path / "registry.csv"
    result = cli(app, out)
    assert result.exit_code == 0, result.output
    alpha, beta = read(out.read_bytes())
    assert alpha["SectorType"] == "Public"
    assert alpha["OrganisationSectors"] == "Public sector"
    assert alpha["Turnover"] == rules.turnover_band(spend) != ""
    assert alpha["YearsProducingStatements"] == "1 to 5 years"
    assert alpha["Policies"] == f"{FEES}\n{CHILD}"  # in the registry's order
    assert alpha["NoPolicies"] == ""
    assert alpha["Training"] == "Your front line staff\nProcurement staff"
    assert alpha["GrievanceMechanisms"] == HOTLINE
    assert (alpha["SocialAudits"], alpha["NoSocialAudits"]) == ("", "Yes")
    assert alpha["WorkingConditionsEngagement"] == "Your suppliers"
    assert alpha["ILOIndicatorsInStatement"] == "Debt bondage"
    assert alpha["ILOIndicatorsActions"] == "Supporting investigations by relevant authorities"
    assert alpha["DemonstrateProgress"].startswith("Quarterly KPIs to the collaboration board\n")
    assert alpha["ApprovingPerson"] == "Pat Lee, Police & Crime Commissioner"
    assert alpha["DateApproved"] == "2025-06-30"
    # Alpha is approved and answered everything: only Beta is listed, and the command succeeds.
    assert "Alpha Police" not in result.stderr
    assert "Beta Opcc: not approved yet" in result.stderr
    assert beta["OrganisationName"] == "Beta Opcc"  # still exported


def _body_id(app: Flask, statement: int) -> int:
    with app.app_context():
        return body(app, statement).id


def test_an_unapproved_body_is_exported_and_listed_with_why(
    app: Flask, statement: int, tmp_path: Path
) -> None:
    out = tmp_path / "registry.csv"
    result = cli(app, out)
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (2 bodies" in result.stdout
    lines = result.stderr.splitlines()
    assert lines[0] == "Check 2 of the rows before submitting:"
    missing = (
        "no answer for Policies, WorkingConditionsEngagement, SocialAudits, "
        "GrievanceMechanisms and ILOIndicatorsInStatement"
    )
    # Alpha approved but has not answered (its training comes from the training records).
    assert lines[1] == f"Alpha Police: {missing}"
    assert lines[2] == f"Beta Opcc: not approved yet; {missing}"
    assert len(lines) == 3
    alpha_row, beta_row = read(out.read_bytes())
    assert (beta_row["DateApproved"], beta_row["ApprovingPerson"]) == ("", "Jo Bloggs")
    assert alpha_row["Training"] == "Your whole organisation"  # from the training records
    # The first statement recorded for the body, unanswered: counted.
    assert alpha_row["YearsProducingStatements"] == "This is the first time"


def test_years_are_counted_from_earlier_statements(app: Flask, statement: int) -> None:
    make_statement(app, year=2023)
    make_statement(app, year=2022)
    with app.app_context():
        rows = registry_rows(statement=db.session.get(Statement, statement))
    assert {r["YearsProducingStatements"] for r in rows} == {"1 to 5 years"}


def test_the_statement_page_lists_the_rows_to_check(app: Flask, statement: int) -> None:
    client = as_user(app, "coordinator@example.org")
    soup = page(client.get(f"{JOINT}/{statement}"))
    warnings = soup.select_one("#registry-warnings")
    assert warnings is not None
    items = [li.get_text(" ", strip=True) for li in warnings.select("li")]
    assert items[0].startswith("Alpha Police: no answer for Policies")
    assert items[1].startswith("Beta Opcc: not approved yet")
    # The body's page shows its own row only, with a link to answer.
    own = page(as_user(app, STATEMENT_A).get("/organisations/alpha-police/statement?year=2024-25"))
    listed = [li.get_text(" ", strip=True) for li in own.select("[id^=registry-warnings] li")]
    assert listed and all(line.startswith("Alpha Police:") for line in listed)
    assert own.select_one(f'a[href="{url(statement)}"]') is not None


def test_bad_answers_are_refused_with_every_message_and_nothing_saved(
    app: Flask, statement: int
) -> None:
    bad = {**ANSWERS, "policies": [CHILD, "none"], "grievance": [], "training": ["Other"]}
    response = answer(app, statement, bad)
    assert response.status_code == 200
    soup = page(response)
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None
    messages = [a.get_text(strip=True) for a in summary.select("a")]
    assert messages == [
        "Select the policies you have, or that your policies include none of these, not both",
        "Enter what the other answer is",
        "Select how workers could raise concerns, or that there was no way to",
    ]
    assert summary.select_one("a")["href"] == "#policies"
    assert soup.select_one("#policies-error") is not None  # beside its question
    assert soup.title.get_text().startswith("Error: ")
    # What was sent is shown again.
    assert soup.select_one(f'input[name=policies][value="{CHILD}"]').has_attr("checked")
    with app.app_context():
        assert body(app, statement).registry_answers is None
    response = answer(app, statement, {**ANSWERS, "policies": ["Whatever we like"]})
    assert "Select only the answers listed" in page(response).get_text()
    with app.app_context():
        assert body(app, statement).registry_answers is None


def test_saved_answers_show_again(app: Flask, statement: int) -> None:
    assert answer(app, statement, ANSWERS).status_code == 302
    soup = page(as_user(app, STATEMENT_A).get(url(statement)))
    checked = {i["value"] for i in soup.select("input[name=policies][checked]")}
    assert checked == {CHILD, FEES}
    assert soup.select_one('input[name=years][value="1 to 5 years"]').has_attr("checked")
    assert "Quarterly KPIs" in soup.select_one("textarea[name=progress]").get_text()
    with app.app_context():
        saved = rules.Answers.from_json(body(app, statement).registry_answers)
    assert saved.chosen("audits") == ("none",)


def test_another_bodys_answers_are_404(app: Flask, statement: int) -> None:
    client = as_user(app, STATEMENT_A)
    assert client.get(url(statement, "beta-opcc")).status_code == 404
    own = make_statement(app, org="beta-opcc")
    # Beta's own statement under alpha's address: not a statement covering alpha.
    assert client.get(url(own)).status_code == 404
    # Beta's statement lead may not answer for alpha.
    beta = as_user(app, "statement.beta-opcc@example.org")
    assert beta.get(url(statement)).status_code == 404


def test_a_stale_form_gets_the_conflict_message(app: Flask, statement: int) -> None:
    client = as_user(app, STATEMENT_A)
    form = page(client.get(url(statement)))
    stale = {
        "version": form.select_one("input[name=version]")["value"],
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
    }
    assert answer(app, statement, ANSWERS).status_code == 302  # someone else saves first
    response = client.post(url(statement), data={**ANSWERS, "policies": ["none"], **stale})
    assert response.status_code == 200
    assert "Someone else changed this statement" in page(response).get_text()
    with app.app_context():
        saved = rules.Answers.from_json(body(app, statement).registry_answers)
    assert set(saved.chosen("policies")) == {CHILD, FEES}  # the first person's answers


def test_the_turnover_band_is_the_registers_spend(app: Flask, statement: int) -> None:
    with app.app_context():
        spend = year_spend(statement_body=body(app, statement))
    soup = page(as_user(app, STATEMENT_A).get(url(statement)))
    text = soup.select_one("#turnover").get_text(" ", strip=True)
    assert text.startswith(rules.turnover_band(spend))
    assert f"£{Decimal(spend):,.2f}" in text


def _log_incident(app: Flask, found_on: date, **details: object) -> None:
    with app.app_context():
        incident_records.add_incident(
            org=organisations.get_organisation(slug="alpha-police"),
            user=None,
            details=IncidentDetails(
                found_on=found_on,
                tier="2",
                indicators=details.get("indicators", ["documents", "wages"]),
                source="audit",
                referrals=details.get("referrals", ["nrm", "force_unit"]),
                remediation_types=details.get("remediation_types", ["payment", "contract_change"]),
                status="open",
            ),
            today=date(2026, 12, 1),
        )
        db.session.commit()


def test_the_ilo_columns_come_from_the_incident_log_when_it_has_the_years_incidents(
    app: Flask, statement: int, tmp_path: Path
) -> None:
    assert answer(app, statement, ANSWERS).status_code == 302  # typed: debt bondage
    out = tmp_path / "registry.csv"
    _log_incident(app, date(2025, 4, 2))  # 2025/26: not the statement's year
    cli(app, out)
    alpha, _ = read(out.read_bytes())
    assert alpha["ILOIndicatorsInStatement"] == "Debt bondage"  # the log has none for 2024/25

    _log_incident(app, date(2024, 11, 5))
    _log_incident(app, date(2025, 2, 1), indicators=["debt"], referrals=["none"],
                  remediation_types=[])  # fmt: skip
    cli(app, out)
    alpha, _ = read(out.read_bytes())
    assert alpha["ILOIndicatorsInStatement"] == (
        "Retention of identity documents\nWithholding of wages\nDebt bondage"
    )  # the registry's order; the typed answer gives way to the log
    # Payment is financial remediation; the NRM and the force's unit are government services,
    # the unit also an investigation; a contract change has no registry words and is not claimed.
    assert alpha["ILOIndicatorsActions"] == (
        "Financial remediation, including repayment of recruitment fees\n"
        "Referring potential victims to government services\n"
        "Supporting investigations by relevant authorities"
    )
    assert (alpha["NoILOIndicatorsInStatement"], alpha["ILOIndicatorsNoActions"]) == ("", "")
