"""Register exports (CSV and XLSX, web and CLI): exact columns, plain numbers, never a formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.conftest import attachment, page
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
    SOFTWARE_TEXT,
    Pay,
    as_user,
    import_payments,
    register,
)
from tests.xlsx_support import (
    COUNT,
    MONEY,
    WIDEST,
    assert_finished,
    assert_numbers,
    column,
    raw_cells,
    string_cell,
    width,
)

COLUMNS = [
    "Organisation",
    "Supplier",
    "Company number",
    "Category",
    "Category risk",
    "Financial year",
    "Annual spend",
    "Payments",
    "Over threshold",
    "High risk",
    "Priority tier",
    "Flag reasons",
]
ORG = "/organisations/alpha-police/suppliers"
PARTNERSHIP = "/partnerships/north-east/suppliers"
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+44 Telecom Ltd", "@SUM(A1:A2)"]


@pytest.fixture
def spend(app: Flask, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Exactly Fifty Ltd", "2024-04-01", "50000.00", CLEANING_TEXT, "01234567"),
        Pay("Penny Over Ltd", "2024-06-30", "30000.00", CLEANING_TEXT),
        Pay("Penny Over Ltd", "2025-03-31", "20000.01", CLEANING_TEXT),
        Pay(FORMULAS[0], "2024-05-01", "100.10", SOFTWARE_TEXT),
        Pay(FORMULAS[1], "2024-05-01", "7.00"),
        Pay(FORMULAS[2], "2024-05-01", "0.01"),
        Pay("Credit Ltd", "2024-05-01", "100.00"),
        Pay("Credit Ltd", "2024-06-01", "-150.50"),
        Pay("Old Year Ltd", "2024-03-31", "75000.00"),
    )
    import_payments(app, "beta-opcc", Pay("Beta Hotel Ltd", "2024-05-01", "1234.56", HOTEL_TEXT))
    import_payments(app, "gamma-police", Pay("Gamma Ltd", "2024-05-01", "999.00"))


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(body: bytes):
    return load_workbook(io.BytesIO(body)).active


def download(client, url: str) -> tuple[bytes, dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    body, headers = response.get_data(), dict(response.headers)
    response.close()
    return body, headers


# How the category was found, as the flag reasons say it (the longest keyword wins).
FOUND_BY = f"automatic: finance category ‘{CLEANING_TEXT}’ contains ‘janitorial’"
PENNY_OVER = [
    "Alpha Police",
    "Penny Over Ltd",
    "",
    "Cleaning services and materials",
    "High",
    "2024/25",
    "50000.01",
    "2",
    "Yes",
    "Yes",
    "A",
    "Spend of £50,000.01 this year is over £50,000.00; "
    f"Cleaning services and materials is a high-risk category ({FOUND_BY})",
]


def test_the_csv_export_has_the_columns_in_order_plain_amounts_and_no_formulas(
    app: Flask, spend: None
) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    body, headers = download(client, f"{ORG}/export.csv?year=2024-25")
    assert headers["Content-Type"].startswith("text/csv")
    assert attachment(headers) == ("attachment", {"filename": "alpha-police-register-2024-25.csv"})
    rows = read_csv(body)
    assert rows[0] == COLUMNS
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Penny Over Ltd"] == PENNY_OVER
    assert by_name["Exactly Fifty Ltd"][2:] == [
        "01234567",
        "Cleaning services and materials",
        "High",
        "2024/25",
        "50000.00",
        "1",
        "No",
        "Yes",
        "B",
        f"Cleaning services and materials is a high-risk category ({FOUND_BY})",
    ]
    assert by_name["Credit Ltd"][6:11] == ["-50.50", "2", "No", "No", "D"]
    assert by_name["'@SUM(A1:A2)"][6] == "0.01"
    for name in FORMULAS:
        assert "'" + name in by_name, name
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert "Old Year Ltd" not in by_name
    # The same suppliers and spend as the register page, to the penny.
    shown = register(client, f"{ORG}?year=2024-25")
    assert len(shown) == len(rows) - 1
    for name, row in shown.items():
        exported = by_name["'" + name if name in FORMULAS else name]
        assert f"£{Decimal(exported[6]):,.2f}".replace("£-", "-£") == row.spend
        assert exported[10] == row.tier.removeprefix("Tier ")
    total = sum(Decimal(row[6]) for row in rows[1:])
    overview = page(client.get("/organisations/alpha-police"))
    spend_2024 = overview.select("table tbody tr")[0].select("td")[2].get_text(strip=True)
    assert total == Decimal("100056.62") and spend_2024 == "£100,056.62"


def test_the_xlsx_export_has_numbers_as_numbers_and_text_never_as_a_formula(
    app: Flask, spend: None
) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    body, headers = download(client, f"{ORG}/export.xlsx?year=2024-25")
    assert headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert attachment(headers) == ("attachment", {"filename": "alpha-police-register-2024-25.xlsx"})
    sheet = read_xlsx(body)
    assert sheet.title == "Register 2024-25"
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == COLUMNS
    by_name = {row[1].value: row for row in rows[1:]}
    assert len(by_name) == 6
    penny = by_name["Penny Over Ltd"]
    assert (penny[6].data_type, penny[6].number_format) == ("n", MONEY)
    assert Decimal(str(penny[6].value)) == Decimal("50000.01")
    assert (penny[7].data_type, penny[7].value) == ("n", 2)
    assert [c.value for c in penny[8:11]] == ["Yes", "Yes", "A"]
    credit = by_name["Credit Ltd"][6]
    assert (credit.data_type, Decimal(str(credit.value))) == ("n", Decimal("-50.50"))
    for name in FORMULAS:
        # A string cell is never a formula: the name exactly as it is, no apostrophe.
        cell = by_name[name][1]
        assert cell.data_type == "s", name
        string_cell(body, name)
    assert all(c.data_type != "f" for row in rows for c in row)
    assert not any(c.formula for c in raw_cells(body))
    assert by_name["Exactly Fifty Ltd"][2].value == "01234567"
    total = sum(Decimal(str(row[6].value)) for row in rows[1:])
    assert total == Decimal("100056.62")


def test_the_xlsx_export_is_titled_fitted_filtered_and_in_pounds(app: Flask, spend: None) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    body, _ = download(client, f"{ORG}/export.xlsx?year=2024-25")
    book = assert_finished(body, title="Supplier register \u2013 Alpha Police \u2013 2024/25")
    sheet = book.active
    assert sheet.auto_filter.ref == "A1:L7"  # the header and the six suppliers
    names = [c.value for c in column(sheet, "Supplier")]
    assert width(sheet, "Supplier") >= max(len(n) for n in names) == len(FORMULAS[0])
    # The flag reasons are longer than the cap: capped, and wrapped.
    reasons = column(sheet, "Flag reasons")
    assert max(len(c.value or "") for c in reasons) > WIDEST
    assert width(sheet, "Flag reasons") == WIDEST
    assert all(c.alignment.wrap_text for c in reasons if c.value)
    spend_cells = assert_numbers(column(sheet, "Annual spend"), MONEY)
    assert len(spend_cells) == 6
    assert width(sheet, "Annual spend") >= len("£50,000.01")
    payments = assert_numbers(column(sheet, "Payments"), COUNT)
    assert sorted(c.value for c in payments) == [1, 1, 1, 1, 2, 2]
    partnership = as_user(app, "coordinator@example.org")
    body, _ = download(partnership, f"{PARTNERSHIP}/export.xlsx?year=2024-25")
    assert_finished(body, title="Supplier register \u2013 North East \u2013 2024/25")


@pytest.mark.parametrize("email", ["coordinator@example.org", "board@example.org"])
def test_the_partnership_export_has_every_member_body_and_no_other(
    app: Flask, spend: None, email: str
) -> None:
    client = as_user(app, email)
    body, headers = download(client, f"{PARTNERSHIP}/export.xlsx?year=2024-25")
    assert attachment(headers) == ("attachment", {"filename": "north-east-register-2024-25.xlsx"})
    rows = [[c.value for c in row] for row in read_xlsx(body).iter_rows()]
    assert rows[0] == COLUMNS
    assert sorted({row[0] for row in rows[1:]}) == ["Alpha Police", "Beta Opcc"]
    beta = next(row for row in rows if row[0] == "Beta Opcc")
    assert beta[1:6] == ["Beta Hotel Ltd", None, "Hotels and accommodation", "Medium", "2024/25"]
    assert Decimal(str(beta[6])) == Decimal("1234.56")
    assert len(rows) == 1 + 6 + 1
    csv_body, _ = download(client, f"{PARTNERSHIP}/export.csv?year=2024-25")
    csv_rows = read_csv(csv_body)
    assert csv_rows[0] == COLUMNS and len(csv_rows) == 8
    assert sum(Decimal(r[6]) for r in csv_rows[1:]) == Decimal("101291.18")


def test_an_export_for_an_unreadable_year_or_format_is_not_found(app: Flask, spend: None) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    for url in (
        f"{ORG}/export.csv?year=2024-26",
        f"{ORG}/export.txt?year=2024-25",
        f"{ORG}/export.xlsx?year=nonsense",
    ):
        assert client.get(url).status_code == 404, url
    other = as_user(app, "viewer.beta-opcc@example.org")
    assert other.get(f"{ORG}/export.csv?year=2024-25").status_code == 404


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["export-register", *args])


def test_the_cli_writes_the_same_files_as_the_web(app: Flask, spend: None, tmp_path: Path) -> None:
    client = as_user(app, "coordinator@example.org")
    web_csv, _ = download(client, f"{ORG}/export.csv?year=2024-25")
    out = tmp_path / "alpha.csv"
    result = cli(app, "--org", "alpha-police", "--year", "2024-25", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == web_csv
    xlsx = tmp_path / "alpha.xlsx"
    result = cli(app, "--org", "alpha-police", "--year", "2024/25", "--out", str(xlsx))
    assert result.exit_code == 0, result.output
    web_xlsx, _ = download(client, f"{ORG}/export.xlsx?year=2024-25")
    cells = [
        [(c.value, c.data_type) for c in row] for row in read_xlsx(xlsx.read_bytes()).iter_rows()
    ]
    assert cells == [
        [(c.value, c.data_type) for c in row] for row in read_xlsx(web_xlsx).iter_rows()
    ]
    both = tmp_path / "north-east.xlsx"
    result = cli(app, "--partnership", "north-east", "--year", "2024-25", "--out", str(both))
    assert result.exit_code == 0, result.output
    rows = [[c.value for c in row] for row in read_xlsx(both.read_bytes()).iter_rows()]
    web_both, _ = download(client, f"{PARTNERSHIP}/export.xlsx?year=2024-25")
    assert rows == [[c.value for c in row] for row in read_xlsx(web_both).iter_rows()]
    assert {row[0] for row in rows[1:]} == {"Alpha Police", "Beta Opcc"}
    assert_finished(both.read_bytes(), title="Supplier register \u2013 North East \u2013 2024/25")
    assert_finished(xlsx.read_bytes(), title="Supplier register \u2013 Alpha Police \u2013 2024/25")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["--org", "alpha-police", "--partnership", "north-east"],
            "exactly one of --org or --partnership",
        ),
        ([], "exactly one of --org or --partnership"),
        (["--org", "alpha-police", "--year", "2024-26"], "not a financial year"),
        (["--org", "alpha-police", "--year", "nonsense"], "Enter a financial year like 2024-25"),
        (["--org", "alpha-police", "--out", "{tmp}/register.txt"], "must end in .xlsx or .csv"),
        (
            ["--org", "no-such-body"],
            "There is no organisation with the web address name 'no-such-body'",
        ),
        (
            ["--partnership", "nowhere"],
            "There is no partnership with the web address name 'nowhere'",
        ),
    ],
)
def test_bad_cli_input_exits_non_zero_with_a_reason_and_writes_nothing(
    app: Flask, spend: None, tmp_path: Path, args: list[str], reason: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    defaults = {"--year": "2024-25", "--out": str(out / "register.xlsx")}
    args = [a.replace("{tmp}", str(out)) for a in args]
    for option, value in defaults.items():
        if option not in args:
            args += [option, value]
    result = cli(app, *args)
    assert result.exit_code != 0
    assert "Error" in result.output and reason in result.output
    assert list(out.iterdir()) == []
