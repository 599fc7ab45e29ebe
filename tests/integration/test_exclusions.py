"""Debarment: importing the central list by command, the matches with every register (and
with connected persons and subcontractors), check-exclusions' file, and the counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.integration.exclusion_support import (
    BY_NAME,
    BY_NUMBER,
    ORG,
    SIMILAR,
    import_list,
    register_with_listed_suppliers,
    write_list,
)
from tests.integration.register_support import CLEANING_TEXT, Pay, import_payments, supplier_id
from tests.xlsx_support import assert_finished, load, raw_cells
from tisc.extensions import db
from tisc.models import DebarmentEntry, DebarmentImport, Supplier
from tisc.rules.debarment import MatchKind, PartyKind
from tisc.services.accounts import organisations
from tisc.services.errors import ValidationError
from tisc.services.exclusions import decisions, parties
from tisc.services.exclusions.matches import exclusion_counts, find_matches, match_kinds

HEADER = [
    "Organisation",
    "Supplier",
    "Company number",
    "Listed name",
    "Ground",
    "Mandatory",
    "Match",
    "Listed until",
    "Via",
]


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_done_when_one_match_by_number_one_by_name_and_a_similar_name_left_out(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    register_with_listed_suppliers(app)
    result = run(app, "import-debarment-list", str(write_list(tmp_path)), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"entries": 4, "matches": 2}

    out = tmp_path / "matches.csv"
    result = run(app, "check-exclusions", "--org", ORG, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 matches" in result.output
    header, *rows = csv_rows(out)
    assert header == HEADER
    assert rows == [
        [
            "Alpha Police",
            BY_NUMBER,
            "01234567",
            "ACME CLEANING SERVICES LIMITED",
            "Modern slavery offence (section 1)",
            "Yes",
            "company number",
            "2030-02-28",
            "",
        ],
        [
            "Alpha Police",
            BY_NAME,
            "",
            "Harbour Valeting Limited",
            "Labour market enforcement order",
            "No",
            "name (check)",
            "",
            "",
        ],
    ]
    assert SIMILAR not in {row[1] for row in rows}


def test_the_import_summary_in_words(app: Flask, two_bodies: dict, tmp_path: Path) -> None:
    register_with_listed_suppliers(app)
    result = run(app, "import-debarment-list", str(write_list(tmp_path)))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Imported 4 entries from debarment.csv; 2 matches with the registers."
    )


def test_a_list_without_a_column_is_refused_naming_it(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    path = write_list(tmp_path, "Supplier name,Mandatory,Start date\nAcme,Yes,01/03/2025\n")
    result = run(app, "import-debarment-list", str(path))
    assert result.exit_code == 1
    assert "The list has no Ground column: add it and upload it again." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DebarmentImport)) == 0


def test_bad_dates_refuse_the_whole_list_and_each_is_named(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    text = (
        "Supplier name,Ground,Mandatory,Start date\n"
        "Acme Ltd,Offence,Mandatory,01/03/2025\n"
        "Beta Ltd,Offence,Mandatory,31/02/2025\n"
    )
    result = run(app, "import-debarment-list", str(write_list(tmp_path, text)))
    assert result.exit_code == 1
    assert (
        "Row 3 (Start date): The start date is not a real date: write it like 31/03/2026"
        in result.output
    )
    assert "Nothing was imported: 1 row has problems." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DebarmentEntry)) == 0


def test_an_empty_file_is_refused(app: Flask, two_bodies: dict, tmp_path: Path) -> None:
    result = run(app, "import-debarment-list", str(write_list(tmp_path, "")))
    assert result.exit_code == 1
    assert "The file debarment.csv is empty." in result.output


def test_a_new_list_replaces_the_one_in_force(app: Flask, two_bodies: dict) -> None:
    register_with_listed_suppliers(app)
    import_list(app)
    import_list(
        app,
        "Supplier name,Ground,Mandatory,Start date\nSomeone Else Ltd,Offence,Yes,01/03/2025\n",
        filename="newer.csv",
    )
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        assert find_matches(organisations=[org]) == []
        # The older list is kept, with its entries.
        assert db.session.scalar(select(func.count()).select_from(DebarmentImport)) == 2
        assert db.session.scalar(select(func.count()).select_from(DebarmentEntry)) == 5


def test_check_exclusions_needs_one_of_org_or_partnership(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    result = run(app, "check-exclusions", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "Give exactly one of --org or --partnership" in result.output
    result = run(app, "check-exclusions", "--org", ORG, "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "the file must end in .xlsx or .csv" in result.output


def test_a_partnership_covers_its_bodies_and_no_other(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    register_with_listed_suppliers(app)
    register_with_listed_suppliers(app, "beta-opcc")
    register_with_listed_suppliers(app, "gamma-police")
    import_list(app)
    out = tmp_path / "ne.csv"
    result = run(app, "check-exclusions", "--partnership", "north-east", "--out", str(out))
    assert result.exit_code == 0, result.output
    _, *rows = csv_rows(out)
    assert sorted({row[0] for row in rows}) == ["Alpha Police", "Beta Opcc"]
    assert len(rows) == 4


def test_connected_persons_and_subcontractors_are_matched_and_named(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    import_payments(app, ORG, Pay("Clean Prime Ltd", "10/05/2024", "70000.00", CLEANING_TEXT))
    import_list(app)
    prime_id = supplier_id(app, ORG, "Clean Prime Ltd")
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        prime = db.session.get(Supplier, prime_id)
        parties.add_party(
            org=org,
            supplier=prime,
            user=None,
            kind="subcontractor",
            name="Acme Cleaning (UK)",
            company_number="1234567",
        )
        parties.add_party(
            org=org, supplier=prime, user=None, kind="connected_person", name="North Logistics"
        )
        db.session.commit()
        assert match_kinds(org=org, supplier_ids=[prime.id]) == {prime.id: None}
    out = tmp_path / "via.csv"
    assert run(app, "check-exclusions", "--org", ORG, "--out", str(out)).exit_code == 0
    _, *rows = csv_rows(out)
    assert [(r[1], r[2], r[6], r[8]) for r in rows] == [
        (
            "Clean Prime Ltd",
            "1234567",
            "company number",
            "Relied-on subcontractor: Acme Cleaning (UK)",
        )
    ]


def test_an_expired_listing_no_longer_matches(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        expired = ids["Expired Listing Ltd"]
        kinds = match_kinds(org=org, supplier_ids=[expired], today=date(2020, 6, 1))
        assert kinds == {expired: MatchKind.COMPANY_NUMBER}
        assert match_kinds(org=org, supplier_ids=[expired], today=date(2021, 1, 1)) == {
            expired: None
        }


def test_match_kinds_for_a_contracts_export(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        kinds = match_kinds(org=org, supplier_ids=list(ids.values()))
    assert kinds == {
        ids[BY_NUMBER]: MatchKind.COMPANY_NUMBER,
        ids[BY_NAME]: MatchKind.NAME,
        ids[SIMILAR]: None,
        ids["Expired Listing Ltd"]: None,
    }


def test_another_bodys_supplier_ids_give_nothing(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app, "beta-opcc")
    import_list(app)
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        assert match_kinds(org=org, supplier_ids=[ids[BY_NUMBER]]) == {ids[BY_NUMBER]: None}


def test_counts_for_the_board_and_statement(app: Flask, two_bodies: dict) -> None:
    ids = register_with_listed_suppliers(app)
    import_list(app)
    today = date(2026, 6, 1)
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        acme = db.session.get(Supplier, ids[BY_NUMBER])
        for decided_on, decision in (
            (today - timedelta(days=31), "excluded"),  # overdue
            (today - timedelta(days=30), "excluded"),  # due today
            (today - timedelta(days=60), "not_excluded"),
        ):
            decisions.add_decision(
                org=org,
                supplier=acme,
                user=None,
                ground="Listed",
                decision=decision,
                decided_on=decided_on,
                today=today,
            )
        db.session.commit()
        counts = exclusion_counts(organisations=[org], today=today)
        assert (
            counts.matched_suppliers,
            counts.mandatory_matches,
            counts.decisions,
            counts.notifications_overdue,
        ) == (2, 1, 3, 1)
        beta = organisations.get_organisation(slug="beta-opcc")
        assert exclusion_counts(organisations=[beta], today=today).decisions == 0


def test_the_xlsx_is_formula_safe_and_finished(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    import_payments(
        app, ORG, Pay("=HYPERLINK(1)", "10/05/2024", "100.00", CLEANING_TEXT, "01234567")
    )
    import_list(app)
    out = tmp_path / "matches.xlsx"
    assert run(app, "check-exclusions", "--org", ORG, "--out", str(out)).exit_code == 0
    body = out.read_bytes()
    assert not [cell for cell in raw_cells(body) if cell.formula]
    assert any(cell.text == "=HYPERLINK(1)" and cell.type != "str" for cell in raw_cells(body))
    sheet = assert_finished(
        body, title="Debarment list matches – Alpha Police – " + date.today().strftime("%d/%m/%Y")
    ).active
    assert [c.value for c in sheet[1]] == HEADER
    assert load(body).active["H2"].value.date() == date(2030, 2, 28)
    csv_out = tmp_path / "matches.csv"
    assert run(app, "check-exclusions", "--org", ORG, "--out", str(csv_out)).exit_code == 0
    assert csv_rows(csv_out)[1][1] == "'=HYPERLINK(1)"


def test_nothing_imported_yet_says_so(app: Flask, two_bodies: dict, tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    result = run(app, "check-exclusions", "--org", ORG, "--out", str(out))
    assert result.exit_code == 0
    assert "No debarment list has been imported yet" in result.output
    assert csv_rows(out) == [HEADER]


def test_parties_of_another_kind_are_refused(app: Flask, two_bodies: dict) -> None:
    import_payments(app, ORG, Pay("Clean Prime Ltd", "10/05/2024", "70000.00", CLEANING_TEXT))
    prime_id = supplier_id(app, ORG, "Clean Prime Ltd")
    with app.app_context():
        org = organisations.get_organisation(slug=ORG)
        prime = db.session.get(Supplier, prime_id)
        with pytest.raises(ValidationError, match="Select whether it is a connected person"):
            parties.add_party(org=org, supplier=prime, user=None, kind="cousin", name="X")
        assert PartyKind.CONNECTED_PERSON.value == "connected_person"
