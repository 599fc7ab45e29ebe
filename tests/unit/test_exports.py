import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.xlsx_support import (
    COUNT,
    DATE,
    MONEY,
    PERCENT,
    WIDEST,
    assert_dates,
    assert_finished,
    assert_numbers,
    assert_rag_filled,
    column,
    raw_cells,
    string_cell,
    width,
)
from tisc.documents.exports import (
    Column,
    Kind,
    Sheet,
    safe_text,
    workbook_title,
    write_csv,
    write_workbook,
    write_xlsx,
)

HEADER = ["Supplier", "Annual spend", "Paid"]
COLUMNS = [Column("Supplier"), Column("Annual spend", Kind.MONEY), Column("Paid", Kind.DATE)]
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
    workbook = load_workbook(io.BytesIO(write_xlsx(COLUMNS, ROWS, title="Register")))
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
    columns = [Column("Supplier"), Column("Spend", Kind.MONEY), Column("Rating", Kind.RAG)]
    body = write_xlsx(columns, [[name, Decimal("1.00"), name]], title="Register")
    assert [c.ref for c in raw_cells(body) if c.text == name] == ["A2", "C2"]
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


# --- the finish of every workbook ---------------------------------------------------------------

LONG = "Spend of £50,000.01 is over £50,000.00; " * 4  # 160 characters
FINISHED = [
    Column("Supplier"),
    Column("Annual spend", Kind.MONEY),
    Column("Payments", Kind.COUNT),
    Column("Score", Kind.PERCENT),
    Column("Change in points", Kind.CHANGE),
    Column("Completed on", Kind.DATE),
    Column("Rating", Kind.RAG),
    Column("Flag reasons"),
    Column("Sent"),
]
FINISHED_ROWS = [
    [
        "A Very Long Supplier Name Limited Trading As Something",
        Decimal("1234567.89"),
        1234,
        Decimal("36.2"),
        Decimal("-3.0"),
        date(2024, 4, 1),
        "Red · In progress · Overdue",
        LONG,
        True,
    ],
    ["Short Ltd", Decimal("-150.50"), 0, 85, Decimal("12.5"), None, "Amber", "", False],
    ["Plain Ltd", Decimal("0.10"), 2, Decimal("100.0"), None, None, "Green · Done", None, None],
    ["No Plan Ltd", None, None, None, "No data", None, "No plan", None, None],
]


def finished(rows=FINISHED_ROWS) -> bytes:
    return write_xlsx(FINISHED, rows, sheet="Register 2024-25", title="Supplier register")


def test_a_workbook_is_titled_created_by_tisc_frozen_filtered_and_fitted() -> None:
    book = assert_finished(finished(), title="Supplier register")
    sheet = book["Register 2024-25"]
    assert sheet.auto_filter.ref == "A1:I5"  # the header and all four rows
    assert width(sheet, "Supplier") >= len(FINISHED_ROWS[0][0])
    # Text longer than the cap: the column stops at the cap and its text wraps.
    assert width(sheet, "Flag reasons") == WIDEST
    assert column(sheet, "Flag reasons")[0].alignment.wrap_text
    # Short values: as wide as the header (with room for the filter button), not wider.
    assert len("Sent") < width(sheet, "Sent") < 10
    # Money is as wide as it shows with its pound sign and separators.
    assert width(sheet, "Annual spend") >= len("£1,234,567.89")


def test_money_counts_percentages_changes_and_dates_are_numbers_in_their_formats() -> None:
    book = load_workbook(io.BytesIO(finished()))
    sheet = book.active
    money = assert_numbers(column(sheet, "Annual spend"), MONEY)
    assert [Decimal(str(c.value)) for c in money] == [
        Decimal("1234567.89"),
        Decimal("-150.50"),
        Decimal("0.10"),
    ]
    assert [c.value for c in assert_numbers(column(sheet, "Payments"), COUNT)] == [1234, 0, 2]
    # Percentages are stored as fractions, exactly (36.2% is 0.362, not 0.36199999).
    score = assert_numbers(column(sheet, "Score"), PERCENT)
    assert [c.value for c in score] == [0.362, 0.85, 1]
    stored = {c.ref: c.text for c in raw_cells(finished())}
    assert (stored["D2"], stored["D3"], stored["D4"]) == ("0.362", "0.85", "1")
    changes = assert_numbers(column(sheet, "Change in points"), "+0.0;-0.0;0.0")
    assert [c.value for c in changes] == [-3, 12.5]
    assert column(sheet, "Change in points")[3].value == "No data"  # words stay text
    [when] = assert_dates(column(sheet, "Completed on"))
    assert when.value.date() == date(2024, 4, 1) and when.number_format == DATE
    assert [c.value for c in column(sheet, "Sent")] == ["Yes", "No", None, None]


def test_rag_cells_are_filled_and_keep_their_words() -> None:
    sheet = load_workbook(io.BytesIO(finished())).active
    cells = column(sheet, "Rating")
    assert assert_rag_filled(cells) == {"Red", "Amber", "Green"}
    assert [c.value for c in cells] == [
        "Red · In progress · Overdue",
        "Amber",
        "Green · Done",
        "No plan",
    ]
    assert cells[3].fill.fill_type is None
    # Only RAG columns are filled, even where other text starts with a RAG word.
    plain = write_xlsx([Column("Supplier")], [["Red Kite Ltd"]], title="T")
    assert load_workbook(io.BytesIO(plain)).active["A2"].fill.fill_type is None


def test_an_empty_sheet_still_has_its_header_filter_and_frozen_row() -> None:
    body = write_workbook([Sheet("Nothing", FINISHED, [])], title="Nothing yet")
    sheet = assert_finished(body, title="Nothing yet")["Nothing"]
    assert sheet.auto_filter.ref == "A1:I1"
    assert width(sheet, "Change in points") >= len("Change in points")


def test_several_sheets_each_get_the_finish() -> None:
    body = write_workbook(
        [Sheet("One", FINISHED, FINISHED_ROWS), Sheet("Two", COLUMNS, ROWS)], title="Both"
    )
    book = assert_finished(body, title="Both")
    assert book.sheetnames == ["One", "Two"]
    assert book["Two"].auto_filter.ref == "A1:C7"
    assert not any(c.formula for c in raw_cells(body))


def test_the_csv_of_the_same_columns_keeps_its_plain_shape() -> None:
    rows = list(csv.reader(io.StringIO(write_csv(FINISHED, FINISHED_ROWS).decode("utf-8-sig"))))
    assert rows[0] == [c.header for c in FINISHED]
    assert rows[1][1:7] == ["1234567.89", "1234", "36.20", "-3.00", "2024-04-01", rows[1][6]]
    assert rows[2][1:5] == ["-150.50", "0", "85", "12.50"]
    assert rows[1][8] == "Yes" and rows[2][8] == "No"


def test_a_workbook_title_names_what_whose_and_the_year() -> None:
    class Body:
        def __init__(self, name: str) -> None:
            self.name = name

    one = [Body("West Yorkshire Police")]
    assert workbook_title("Supplier register", one, None, "2024/25") == (
        "Supplier register \u2013 West Yorkshire Police \u2013 2024/25"
    )
    both = [Body("A"), Body("B")]
    assert workbook_title("Due diligence", both, "North East", "2024/25") == (
        "Due diligence \u2013 North East \u2013 2024/25"
    )
    assert workbook_title("Due diligence", both, None, "2024/25").endswith(
        "2 bodies \u2013 2024/25"
    )
