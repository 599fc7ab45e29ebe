"""Importing finance exports: the service, the browser journey and the command line."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import page, sign_in
from tests.real_data import FIXTURES, REAL_DATA
from tisc.extensions import db
from tisc.models import ImportStatus, SpendImport, SpendLine, Supplier, SupplierYear
from tisc.services.accounts import organisations
from tisc.services.errors import ValidationError
from tisc.services.imports import history as import_history
from tisc.services.imports import importing as imports
from tisc.services.register import payees

HEADER = "Supplier Name,Company Number,Payment Date,Transaction Number,Net Amount\n"
FILE_A = HEADER + (
    "ACME LTD,,01/04/2024,T1,100.00\n"
    'Acme Limited,,02/04/2024,T2,"£1,000.50"\n'
    "ACME LIMITED.,,03/04/2024,T3,(50.25)\n"
    "Northern Couriers,01234567,2024-05-01,T4,200.00\n"
    "Couriers of the North Ltd,1234567,17-May-2024,T5,300.00\n"
    "Redacted Personal Data,,01/06/2024,T6,75.00\n"
    "Same Line Ltd,,01/07/2024,T7,10.00\n"
    "Same Line Ltd,,01/07/2024,T7,10.00\n"
    "Bad Date Ltd,,31/02/2024,T8,5.00\n"
    "Bad Amount Ltd,,01/08/2024,T9,12..50\n"
)


def counts(app: Flask) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(m))
            for m in (Supplier, SpendLine, SupplierYear, SpendImport)
        )


def run_import(
    app: Flask, body: str | bytes, *, org: str = "alpha-police", name: str = "a.csv", **options
):
    data = body.encode("utf-8") if isinstance(body, str) else body
    with app.app_context():
        summary = imports.import_spend(
            org=organisations.get_organisation(slug=org),
            user=None,
            data=data,
            filename=name,
            **options,
        )
        db.session.commit()
        return summary


def supplier_spend(app: Flask, org: str = "alpha-police") -> dict[str, Decimal]:
    with app.app_context():
        org_id = organisations.get_organisation(slug=org).id
        rows = db.session.execute(
            select(Supplier.name, func.sum(SupplierYear.annual_spend))
            .join(SupplierYear, SupplierYear.supplier_id == Supplier.id)
            .where(Supplier.organisation_id == org_id)
            .group_by(Supplier.name)
        ).all()
        return {name: Decimal(total).quantize(Decimal("0.01")) for name, total in rows}


def test_a_file_becomes_a_register_with_every_problem_reported(
    app: Flask, two_bodies: dict
) -> None:
    summary = run_import(app, FILE_A)
    assert (summary.rows_read, summary.imported, summary.excluded, summary.rejected) == (
        10,
        7,
        1,
        2,
    )
    assert summary.total_imported == Decimal("1570.25")
    assert summary.total_excluded == Decimal("75.00")
    assert summary.suppliers_created == 3
    problems = {(p.row, p.column) for p in summary.problems}
    assert problems == {(10, "Payment Date"), (11, "Net Amount")}
    # Three spellings are one supplier; two names with one company number are one supplier;
    # identical lines in one file are both real.
    spend = supplier_spend(app)
    assert spend == {
        "ACME LTD": Decimal("1050.25"),
        "Northern Couriers": Decimal("500.00"),
        "Same Line Ltd": Decimal("20.00"),
    }
    with app.app_context():
        names = set(db.session.scalars(select(Supplier.name)))
        assert not any("redacted" in n.lower() for n in names)
        record = db.session.scalar(select(SpendImport))
        assert (record.file_name, record.rows_read, record.imported) == ("a.csv", 10, 7)
        assert len(record.checksum) == 64
        assert [p["row"] for p in record.problems] == [10, 11]


def test_importing_the_same_file_twice_adds_nothing(app: Flask, two_bodies: dict) -> None:
    run_import(app, FILE_A)
    before = counts(app)
    again = run_import(app, FILE_A, name="again.csv")
    assert again.imported == 0 and again.duplicates_skipped == 7
    assert again.why_nothing.startswith("There is nothing new to import: 7 payments are already")
    assert counts(app)[:3] == before[:3]


def test_overlapping_files_do_not_double_count(app: Flask, two_bodies: dict) -> None:
    lines = [f"Supplier {n % 3},,0{1 + n % 9}/04/2024,R{n},{n}.00\n" for n in range(1, 16)]
    run_import(app, HEADER.replace("Company Number,", "Company Number,") + "".join(lines[:10]))
    second = run_import(app, HEADER + "".join(lines[5:]), name="b.csv")
    assert (second.imported, second.duplicates_skipped) == (5, 5)
    assert sum(supplier_spend(app).values()) == Decimal(sum(range(1, 16)))


def test_a_body_can_mark_names_as_private_individuals(app: Flask, two_bodies: dict) -> None:
    with app.app_context():
        payees.add_personal_payee(
            org=organisations.get_organisation(slug="alpha-police"), name="Jane Witness"
        )
        db.session.commit()
    summary = run_import(
        app, HEADER + "JANE WITNESS,,01/04/2024,X1,40.00\nReal Ltd,,01/04/2024,X2,1.00\n"
    )
    assert (summary.imported, summary.excluded, summary.total_excluded) == (1, 1, Decimal("40.00"))
    assert list(supplier_spend(app)) == ["Real Ltd"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "payments.xlsx", "not"),
        (b"", "empty.csv", ""),
        (b"Supplier Name,Amount\nAcme,1.00\n", "nodate.csv", "payment date"),
        (HEADER.encode() + b"Bad Ltd,,31/02/2024,T1,1.00\n", "allbad.csv", "no usable rows"),
    ],
)
def test_refused_files_change_nothing(
    app: Flask, two_bodies: dict, data: bytes, name: str, message: str
) -> None:
    run_import(app, FILE_A)
    before = counts(app)
    with pytest.raises(ValidationError) as refused:
        run_import(app, data, name=name)
    assert message.lower() in refused.value.message.lower()
    assert counts(app) == before


def test_a_failure_half_way_leaves_the_database_unchanged(
    app: Flask, two_bodies: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(app, FILE_A)
    before = counts(app)

    def broken(rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr("tisc.services.register.spend_lines.insert_lines", broken)
    new_file = HEADER + "Brand New Ltd,,01/04/2024,N1,9.99\n"
    with app.app_context():
        with pytest.raises(RuntimeError):
            imports.import_spend(
                org=organisations.get_organisation(slug="alpha-police"),
                user=None,
                data=new_file.encode(),
                filename="n.csv",
            )
        db.session.rollback()
    assert counts(app) == before


def test_undo_takes_out_the_import_and_its_own_suppliers(app: Flask, two_bodies: dict) -> None:
    run_import(app, HEADER + "Kept Ltd,,01/04/2024,K1,10.00\n", name="first.csv")
    second = run_import(
        app, HEADER + "Kept Ltd,,02/04/2024,K2,5.00\nOnly Here Ltd,,02/04/2024,O1,7.00\n"
    )
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        record = import_history.get_import(org=org, import_id=second.import_id)
        assert import_history.undo_import(org=org, record=record, user=None) == 2
        db.session.commit()
        assert record.status is ImportStatus.UNDONE
        with pytest.raises(ValidationError, match="already been undone"):
            import_history.undo_import(org=org, record=record, user=None)
    assert supplier_spend(app) == {"Kept Ltd": Decimal("10.00")}


def test_undo_keeps_a_supplier_someone_has_assessed_or_recorded_due_diligence_for(
    app: Flask, two_bodies: dict
) -> None:
    from tests.integration.audit_support import last_id, one
    from tests.integration.due_diligence_support import _record, make_assessment
    from tisc.models import DueDiligence, SupplierAssessment

    second = run_import(
        app,
        HEADER + "Assessed Ltd,,02/04/2024,A1,7.00\nDiligent Ltd,,02/04/2024,D1,8.00\n"
        "Untouched Ltd,,02/04/2024,U1,9.00\n",
    )
    assessment = make_assessment(app, "alpha-police", "Assessed Ltd", complete=True)
    _record(app, "alpha-police", "Diligent Ltd", plan_requested_on=date(2024, 7, 1))
    mark = last_id(app)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        untouched = db.session.scalar(select(Supplier.id).where(Supplier.name == "Untouched Ltd"))
        record = import_history.get_import(org=org, import_id=second.import_id)
        assert import_history.undo_import(org=org, record=record, user=None) == 3
        db.session.commit()
        left = set(db.session.scalars(select(Supplier.name)))
        assert {"Assessed Ltd", "Diligent Ltd"} <= left and "Untouched Ltd" not in left
        assert db.session.get(SupplierAssessment, assessment) is not None
        assert db.session.scalar(select(func.count()).select_from(DueDiligence)) == 1
    assert supplier_spend(app) == {}
    undone = one(app, after=mark, record_type="spend_imports")
    assert undone["after"]["suppliers_removed"] == 1
    assert undone["after"]["supplier_ids_removed"] == [untouched]


REAL_FILES = [
    ("calderdale-2022-08", "Net Amount"),
    ("harrogate-2022-08", "Net Amount"),
    ("north-tyneside-2022-07", "Net Amount"),
]


@pytest.mark.parametrize(
    "path",
    [FIXTURES / f"{stem}-excerpt.csv" for stem, _ in REAL_FILES]
    + [REAL_DATA / f"{stem}.csv" for stem, _ in REAL_FILES],
    ids=lambda p: p.name,
)
def test_real_files_import_to_the_penny(app: Flask, two_bodies: dict, path: Path) -> None:
    import csv

    if not path.exists():
        pytest.skip(f"{path} is not on this machine (the excerpts in tests/fixtures always are)")
    amount_column = "Net Amount"
    data = path.read_bytes()
    file_name = path.name
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    expected = sum((Decimal(r[amount_column]) for r in rows), Decimal(0))
    summary = run_import(app, data, name=file_name)
    assert summary.rejected == 0, summary.problems[:3]
    assert summary.total_imported + summary.total_excluded == expected
    assert sum(supplier_spend(app).values()) == summary.total_imported
    assert summary.imported + summary.excluded == len(rows)


# --- the browser journey ----------------------------------------------------------------------


def upload(client: FlaskClient, body: str | bytes, name: str = "payments.csv"):
    data = body.encode() if isinstance(body, str) else body
    return client.post(
        "/organisations/alpha-police/imports/new",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_upload_preview_confirm_and_undo_in_the_browser(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    response = upload(client, FILE_A)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = page(client.get(preview_url))
    selected = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value")
        for s in preview.select("select[name^=field_]")
    }
    assert selected["field_supplier_name"] == "Supplier Name"
    assert selected["field_amount"] == "Net Amount"
    assert selected["field_payment_date"] == "Payment Date"
    assert selected["field_reference"] == "Transaction Number"
    summary = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in preview.select(".govuk-summary-list__row")
    }
    assert summary["Payments to add"] == "7 totalling £1,570.25"
    assert summary["Rows with problems"] == "2 (left out)"
    assert counts(app)[1] == 0  # nothing written by the preview

    problems = client.get(preview.select_one("a[href*='problems.csv']")["href"])
    text = problems.get_data(as_text=True)
    problems.close()
    assert "31/02/2024" in text and "12..50" in text

    form = {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in preview.select("select")
    }
    form["submit"] = "Import these payments"
    response = client.post(preview_url, data=form)
    assert response.status_code == 302
    detail = page(client.get(response.headers["Location"]))
    assert (
        "Imported 7 payments totalling £1,570.25"
        in detail.select_one(".govuk-notification-banner").get_text()
    )
    assert counts(app)[1] == 7

    undo = detail.select_one("a[href$='/undo']")["href"]
    confirm = page(client.get(undo))
    assert "undo the import of payments.csv" in confirm.select_one("h1").get_text()
    assert client.post(undo).status_code == 200  # not confirmed: nothing happens
    assert counts(app)[1] == 7
    assert client.post(undo, data={"confirmed": "yes"}).status_code == 302
    assert counts(app)[1] == 0


def test_changing_a_column_in_the_preview_is_used_and_remembered(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    body = "Payee,Value,When,Other Date\nAcme Ltd,10.00,01/04/2024,01/05/2025\n"
    preview_url = upload(client, body).headers["Location"]
    form = {
        "field_supplier_name": "Payee",
        "field_amount": "Value",
        "field_payment_date": "Other Date",
        "submit": "Import these payments",
    }
    assert client.post(preview_url, data=form).status_code == 302
    assert supplier_spend(app) == {"Acme Ltd": Decimal("10.00")}
    with app.app_context():
        assert db.session.scalar(select(SupplierYear.financial_year)) == 2025
    # Next time the body's choice is offered again.
    again = page(client.get(upload(client, body, "next.csv").headers["Location"]))
    chosen = again.select_one("select[name=field_payment_date] option[selected]")["value"]
    assert chosen == "Other Date"


def test_a_bad_upload_is_explained_on_the_upload_page(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.xlsx")
    assert response.status_code == 200
    summary = page(response).select_one(".govuk-error-summary")
    assert summary is not None and "xlsx" in summary.get_text().lower()


def test_uploads_belong_to_their_body_and_role(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    preview_url = upload(client, FILE_A).headers["Location"]
    client.post("/sign-out")
    sign_in(client, "procurement.beta-opcc@example.org")
    assert client.get(preview_url).status_code == 404
    other = preview_url.replace("alpha-police", "beta-opcc")
    assert client.get(other).status_code == 404
    client.post("/sign-out")
    sign_in(client, "viewer.alpha-police@example.org")
    assert client.get(preview_url).status_code == 403
    assert upload(client, FILE_A).status_code == 403
    assert client.get("/organisations/alpha-police/imports").status_code == 200


# --- the command line -------------------------------------------------------------------------


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_cli_json_summary_dry_run_and_map(app: Flask, two_bodies: dict, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(FILE_A, encoding="cp1252")
    result = cli(app, "import-spend", str(path), "--org", "alpha-police", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["imported"] == 7 and summary["total_imported"] == "1570.25"
    assert summary["total_excluded"] == "75.00" and summary["dry_run"] is True
    assert {p["row"] for p in summary["problems"]} == {10, 11}
    assert counts(app)[:2] == (0, 0)

    result = cli(app, "import-spend", str(path), "--org", "alpha-police", "--json")
    assert json.loads(result.stdout)["suppliers_created"] == 3
    result = cli(app, "import-spend", str(path), "--org", "alpha-police")
    assert "There is nothing new to import" in result.stdout

    mapped = tmp_path / "mapped.csv"
    mapped.write_text("Who,Paid,On\nZed Ltd,5.00,01/04/2024\n")
    result = cli(
        app,
        "import-spend",
        str(mapped),
        "--org",
        "alpha-police",
        "--map",
        "supplier_name=Who",
        "--map",
        "amount=Paid",
        "--map",
        "payment_date=On",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 1


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--org", "no-such-body"], "no organisation"),
        (["--org", "alpha-police", "--map", "colour=Who"], "no field called 'colour'"),
        (["--org", "alpha-police", "--map", "amount=Nope"], "no column called 'Nope'"),
    ],
)
def test_cli_refusals_exit_non_zero(
    app: Flask, two_bodies: dict, tmp_path: Path, args: list[str], reason: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(FILE_A)
    result = cli(app, "import-spend", str(path), *args)
    assert result.exit_code != 0
    assert reason in result.stderr + result.stdout
    assert counts(app)[:2] == (0, 0)


def test_cli_refuses_a_png(app: Flask, two_bodies: dict, tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    result = cli(app, "import-spend", str(path), "--org", "alpha-police")
    assert result.exit_code == 1
    assert "Error:" in result.stderr


def test_a_file_over_the_configured_limit_is_refused(app: Flask, two_bodies: dict) -> None:
    app.config["MAX_IMPORT_BYTES"] = 1000
    with pytest.raises(ValidationError, match="the largest this service imports is"):
        run_import(app, FILE_A + "Padding Ltd,,01/04/2024,P1,1.00\n" * 40)
    assert counts(app) == (0, 0, 0, 0)
