"""The national registry's summary: its exact columns, one row per body, filled from the
statement record, formula-safe, from the web and the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import attachment
from tests.integration.board_support import add_member, build_board
from tests.integration.register_support import as_user
from tests.integration.statement_doc_support import JOINT, make_statement
from tisc.extensions import db
from tisc.models import Statement
from tisc.services.statements.registry import NOT_WRITTEN, REGISTRY_COLUMNS, registry_rows

# DOMAIN.md, "The statement and the national registry", in its order.
RISK = ("", "Area", "SupplyChainTier", "GroupAffected", "OtherGroupAffected", "Location")
DOMAIN_COLUMNS = (
    "StatementYear, OrganisationName, Address, SectorType, CompanyNumber, LastUpdated, "
    "GroupSubmission, ParentName, StatementURL, EmailAddressNoURL, StatementSummaryURL, "
    "StatementStartDate, StatementEndDate, ApprovingPerson, DateApproved, "
    "StatementIncludesOrgStructure, NoOrgStructureReason, StatementIncludesPolicies, "
    "NoPoliciesReason, StatementIncludesRisksAssessment, NoRiskAssessmentReason, "
    "StatementIncludesDueDiligence, NoDueDiligenceReason, StatementIncludesTraining, "
    "NoTrainingReason, StatementIncludesGoals, NoGoalsReason, OrganisationSectors, "
    "OtherOrganisationSector, Turnover, YearsProducingStatements, Policies, OtherPolicies, "
    "NoPolicies, Training, OtherTraining, NoTraining, WorkingConditionsEngagement, NoEngagement, "
    "SocialAudits, NoSocialAudits, GrievanceMechanisms, NoGrievanceMechanisms, OtherMonitoring, "
    "NoRisks, "
    + ", ".join(f"Risk{n}{part}" for n in (1, 2, 3) for part in (*RISK, "Mitigation"))
    + ", ILOIndicatorsInStatement, NoILOIndicatorsInStatement, ILOIndicatorsActions, "
    "ILOIndicatorsNoActions, DemonstrateProgress, PDFDate, PDFURL"
).split(", ")


def read(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def download(app: Flask, statement_id: int, email: str = "coordinator@example.org") -> bytes:
    response = as_user(app, email).get(f"{JOINT}/{statement_id}/registry.csv")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    name = "north-east-registry-summary-2024-25.csv"
    assert attachment(response.headers) == ("attachment", {"filename": name})
    return response.data


def test_the_columns_are_the_registrys_in_its_order(app: Flask, statement: int) -> None:
    assert len(DOMAIN_COLUMNS) == 73
    assert tuple(DOMAIN_COLUMNS) == REGISTRY_COLUMNS
    header = next(csv.reader(io.StringIO(download(app, statement).decode("utf-8-sig"))))
    assert header == DOMAIN_COLUMNS


def test_one_row_per_body_filled_from_the_record(app: Flask, statement: int) -> None:
    rows = read(download(app, statement))
    assert [r["OrganisationName"] for r in rows] == ["Alpha Police", "Beta Opcc"]
    alpha, beta = rows
    assert alpha["StatementYear"] == "2025"
    assert (alpha["StatementStartDate"], alpha["StatementEndDate"]) == ("2024-04-01", "2025-03-31")
    assert alpha["StatementURL"] == "https://alpha.example.org/modern-slavery"
    # The registry has one approving person: the first signatory, "Name, Role".
    assert alpha["ApprovingPerson"] == "Pat Lee, Police & Crime Commissioner"
    assert alpha["DateApproved"] == "2025-06-30"
    assert (alpha["GroupSubmission"], alpha["ParentName"]) == ("Yes", "North East")
    for area in ("OrgStructure", "Policies", "RisksAssessment", "DueDiligence", "Training"):
        assert alpha[f"StatementIncludes{area}"] == "Yes", area
    # The goals section still has a "[...]" placeholder.
    assert (alpha["StatementIncludesGoals"], alpha["NoGoalsReason"]) == ("No", NOT_WRITTEN)
    assert alpha["NoPoliciesReason"] == ""
    assert alpha["Training"] == "Your whole organisation"
    assert beta["Training"] == "Procurement staff"
    # A body's own risk comes first, then the statement's.
    assert [alpha[f"Risk{n}Area"] for n in (1, 2, 3)] == ["Uniforms", "Cleaning", ""]
    assert alpha["Risk1"] == "Exploitation in uniforms"
    assert alpha["Risk1SupplyChainTier"] == "Tier 2"
    assert alpha["Risk1Mitigation"] == "Audits & training"
    assert [beta[f"Risk{n}Area"] for n in (1, 2)] == ["Cleaning", ""]
    assert "Staff in scope who were trained: 80 of 100 (80.0%)" in alpha["DemonstrateProgress"]
    assert (beta["StatementURL"], beta["DateApproved"], beta["ApprovingPerson"]) == (
        "",
        "",
        "Jo Bloggs",
    )
    # Police bodies are public; nothing answered yet (tests/integration/test_registry_answers).
    assert (alpha["SectorType"], alpha["OrganisationSectors"]) == ("Public", "Public sector")
    for unknown in ("CompanyNumber", "Policies", "GrievanceMechanisms", "PDFURL"):
        assert alpha[unknown] == "", unknown


def test_a_written_goals_section_counts(app: Flask, two_bodies: dict) -> None:
    build_board(app)
    statement = make_statement(app, written=True)
    with app.app_context():
        rows = registry_rows(statement=db.session.get(Statement, statement))
    assert {r["StatementIncludesGoals"] for r in rows} == {"Yes"}


def test_text_never_becomes_a_formula(app: Flask, two_bodies: dict) -> None:
    build_board(app)
    add_member(app, "formula-body", '=HYPERLINK("http://evil.example","x")')
    statement = make_statement(app)
    rows = read(download(app, statement))
    assert rows[0]["OrganisationName"] == '\'=HYPERLINK("http://evil.example","x")'
    assert len(rows) == 3


def test_who_may_download(app: Flask, statement: int) -> None:
    assert read(download(app, statement, "board@example.org"))
    url = f"{JOINT}/{statement}/registry.csv"
    assert as_user(app, "viewer.gamma-police@example.org").get(url).status_code == 404
    own = make_statement(app, org="alpha-police")
    single = f"/organisations/alpha-police/statements/{own}/registry.csv"
    response = as_user(app, "viewer.alpha-police@example.org").get(single)
    assert response.status_code == 200
    name = "alpha-police-registry-summary-2024-25.csv"
    assert attachment(response.headers) == ("attachment", {"filename": name})
    assert [r["GroupSubmission"] for r in read(response.data)] == ["No"]
    assert as_user(app, "viewer.beta-opcc@example.org").get(single).status_code == 404


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["registry-csv", *args])


def test_the_cli_writes_the_same_csv(app: Flask, statement: int, tmp_path: Path) -> None:
    out = tmp_path / "registry.csv"
    result = cli(app, "--year", "2024-25", "--partnership", "north-east", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} (2 bodies" in result.output
    assert out.read_bytes() == download(app, statement)
    result = cli(app, "--year", "2024-25", "--org", "alpha-police", "--out", str(out))
    assert (
        result.exit_code == 1 and "There is no 2024/25 statement for Alpha Police" in result.output
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--year", "2023-24", "--partnership", "north-east"], "There is no 2023/24 statement"),
        (["--year", "2024-25"], "Give --partnership: there are 2 partnerships"),
        (["--year", "2024-26", "--partnership", "north-east"], "not a financial year"),
    ],
)
def test_bad_cli_input_exits_1(app: Flask, statement: int, tmp_path, args, reason) -> None:
    result = cli(app, *args, "--out", str(tmp_path / "r.csv"))
    assert result.exit_code == 1 and reason in result.output, result.output
    result = cli(app, "--year", "2024-25", "--partnership", "north-east", "--out", "r.xlsx")
    assert result.exit_code == 1 and "the file must end in .csv" in result.output
    assert not (tmp_path / "r.csv").exists()
