import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.xlsx_support import raw_cells, string_cell
from tisc.documents.exports import safe_text, write_csv, write_xlsx

HEADER = ["Supplier", "Annual spend", "Paid"]
ROWS = [
    ['=HYPERLINK("http://evil","x")', Decimal("1234.50"), date(2024, 4, 1)],
    ["+441234", Decimal("-12.00"), None],
    ["-2+3", Decimal("0.00"), None],
    ["@SUM(A1)", Decimal("50000.01"), None],
    ["\tTabbed", Decimal("1"), None],
    ["Smith & Sons <Ltd>", Decimal("7.10"), None],
]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_formula_starts_get_an_apostrophe(text: str) -> None:
    assert safe_text(text) == "'" + text


def test_ordinary_text_is_unchanged() -> None:
    assert safe_text("Acme Ltd") == "Acme Ltd"


def test_csv_cells_are_inert_and_money_has_two_decimals() -> None:
    body = write_csv(HEADER, ROWS)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [r[0][0] for r in rows[1:6]] == ["'"] * 5
    assert rows[1][1:] == ["1234.50", "2024-04-01"]
    assert rows[2][1] == "-12.00"
    assert rows[6][0] == "Smith & Sons <Ltd>"


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers() -> None:
    workbook = load_workbook(io.BytesIO(write_xlsx(HEADER, ROWS)))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(HEADER)
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s"
        assert row[1].data_type == "n"
    assert values[1][0] == '=HYPERLINK("http://evil","x")'  # a string cell needs no apostrophe
    assert values[1][1] == pytest.approx(1234.5)
    assert values[4][1] == pytest.approx(50000.01)
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


FORMULA_LIKE = [
    '=HYPERLINK("http://x","y")',
    "+44 Telecom Ltd",
    "-1+1",
    "@SUM(A1:A2)",
    "\tTabbed Ltd",
    "\rReturned Ltd",
]


@pytest.mark.parametrize("name", FORMULA_LIKE)
def test_formula_like_text_is_an_xlsx_string_cell_exactly_as_typed(name: str) -> None:
    body = write_xlsx(["Supplier", "Spend"], [[name, Decimal("1.00")]])
    cell = string_cell(body, name)
    assert cell.ref == "A2"
    assert not any(c.formula for c in raw_cells(body))
    assert not any((c.text or "").startswith("'") for c in raw_cells(body))
    # CSV has no cell types: there the apostrophe stays.
    csv_rows = list(csv.reader(io.StringIO(write_csv(["Supplier"], [[name]]).decode("utf-8-sig"))))
    assert csv_rows[1] == ["'" + name]


@given(st.text(max_size=30))
def test_no_exported_text_starts_like_a_formula(text: str) -> None:
    assert not safe_text(text).startswith(("=", "+", "-", "@", "\t", "\r"))
