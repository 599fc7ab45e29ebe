import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tisc.documents.spendfiles import RawTable, RefusedFile, read_table
from tisc.documents.spendfiles.reading import MAX_COLUMNS, SNIFF_BYTES, display_name

from .builders import HEADER, csv_bytes, spend_csv

LINES = [
    ["17/08/2022", "Acme Ltd", "1,234.56", "T1"],
    ["18/08/2022", "Beta & Sons", "-12.00", "T2"],
]


def read(data: bytes, filename: str = "spend.csv", **options: object) -> RawTable:
    return read_table(data, filename=filename, **options)


def refusal(data: bytes, filename: str = "spend.csv", **options: object) -> str:
    with pytest.raises(RefusedFile) as caught:
        read_table(data, filename=filename, **options)
    return caught.value.message


def test_a_plain_utf8_file() -> None:
    table = read(spend_csv(*LINES))
    assert table.columns == HEADER
    assert table.rows.to_numpy().tolist() == LINES
    assert table.row_numbers.tolist() == [2, 3]
    assert (table.encoding, table.delimiter, table.sheet, table.sheet_names) == (
        "utf-8",
        ",",
        None,
        [],
    )
    assert table.header_row == 1


def test_the_table_keeps_its_promises() -> None:
    table = read(spend_csv(*LINES))
    assert list(table.rows.columns) == table.columns
    assert isinstance(table.rows.index, pd.RangeIndex)
    assert table.rows.index.tolist() == [0, 1]
    assert table.row_numbers.dtype == np.int64
    assert len(table.row_numbers) == len(table.rows)
    assert all(type(cell) is str for cell in table.rows.to_numpy().ravel())


def test_utf8_with_a_bom() -> None:
    table = read(
        csv_bytes([HEADER, ["17/08/2022", "Café Nero Ltd", "£5.00", "T1"]], encoding="utf-8-sig")
    )
    assert table.encoding == "utf-8-sig"
    assert table.columns[0] == "Payment Date"  # no BOM stuck to the first name
    assert table.rows.iloc[0].tolist() == ["17/08/2022", "Café Nero Ltd", "£5.00", "T1"]


def test_cp1252_from_excel_with_pound_signs() -> None:
    data = csv_bytes(
        [HEADER, ["17/08/2022", "Café Nero Ltd", "£1,234.56", "T1"]], encoding="cp1252"
    )
    assert b"\xa3" in data
    table = read(data)
    assert table.encoding == "cp1252"
    assert table.rows.iloc[0].tolist() == ["17/08/2022", "Café Nero Ltd", "£1,234.56", "T1"]


def test_cp1252_first_seen_deep_in_a_long_file() -> None:
    plain = [["17/08/2022", f"Supplier {i}", "10.00", f"T{i}"] for i in range(3000)]
    data = csv_bytes([HEADER, *plain, ["18/08/2022", "Café", "£5.00", "TX"]], encoding="cp1252")
    assert data.index(b"\xa3") > SNIFF_BYTES
    table = read(data)
    assert table.encoding == "cp1252"
    assert table.rows.iloc[-1].tolist() == ["18/08/2022", "Café", "£5.00", "TX"]


def test_bytes_that_are_neither_utf8_nor_cp1252_are_refused() -> None:
    message = refusal(spend_csv(*LINES) + b"17/08/2022,\x81\x8d,1,T\n")
    assert "not readable text" in message


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_delimiters(delimiter: str) -> None:
    rows = [HEADER, ["17/08/2022", "Smith, Jones; and Co", "1,234.56", "T1"]]
    table = read(csv_bytes(rows, delimiter=delimiter))
    assert table.delimiter == delimiter
    assert table.columns == HEADER
    assert table.rows.iloc[0].tolist() == rows[1]


def test_windows_line_endings() -> None:
    table = read(csv_bytes([HEADER, *LINES], newline="\r\n"))
    assert table.rows.to_numpy().tolist() == LINES


def test_title_rows_above_the_header() -> None:
    rows = [
        ["Spend over £500, August 2022"],
        ["Harrogate Borough Council", "", ""],
        [],
        HEADER,
        *LINES,
    ]
    table = read(csv_bytes(rows))
    assert table.columns == HEADER
    assert table.header_row == 4
    assert table.row_numbers.tolist() == [5, 6]


def test_blank_rows_are_dropped_and_numbers_stay_true_to_the_file() -> None:
    data = spend_csv(LINES[0]) + b"\n,,,\n  ,  , ,\n" + csv_bytes([LINES[1]])
    table = read(data)
    assert table.rows.to_numpy().tolist() == LINES
    assert table.row_numbers.tolist() == [2, 6]


def test_cells_and_names_are_stripped() -> None:
    data = b" Payment Date , Supplier Name ,Net Amount\n 17/08/2022 ,\t Acme Ltd \xc2\xa0, 12 \n"
    table = read(data)
    assert table.columns == ["Payment Date", "Supplier Name", "Net Amount"]
    assert table.rows.iloc[0].tolist() == ["17/08/2022", "Acme Ltd", "12"]


def test_cells_beyond_the_header() -> None:
    rows = [HEADER, [*LINES[0], "", "note"], [*LINES[1], "", "", ""]]
    table = read(csv_bytes(rows))
    # The empty unnamed column between is padding; the one holding a note is kept, named by
    # its position in the file.
    assert table.columns == [*HEADER, "Column 6"]
    assert table.rows["Column 6"].tolist() == ["note", ""]


def test_a_row_wider_than_any_the_sniffer_saw() -> None:
    rows = [HEADER, *[LINES[0]] * 100, [*LINES[1], "a", "b", "c", "d", "e", "f", "g", "h", "i"]]
    table = read(csv_bytes(rows))
    assert table.columns == [*HEADER, *[f"Column {n}" for n in range(5, 14)]]
    assert table.rows.iloc[-1].tolist() == [*LINES[1], *"abcdefghi"]


def test_absurdly_wide_rows_are_refused() -> None:
    data = spend_csv(*LINES) + b"," * (MAX_COLUMNS + 10) + b"\n"
    assert "columns wide" in refusal(data)


def test_a_blank_leading_column_is_dropped() -> None:
    rows = [["", *HEADER], *[["", *line] for line in LINES]]
    table = read(csv_bytes(rows))
    assert table.columns == HEADER
    assert table.rows.to_numpy().tolist() == LINES


def test_blank_and_duplicate_header_names() -> None:
    rows = [
        ["Payment Date", "", "Supplier Name", "Amount", "Amount", "Amount (2)"],
        ["17/08/2022", "x", "Acme", "1", "2", "3"],
    ]
    table = read(csv_bytes(rows))
    assert table.columns == [
        "Payment Date",
        "Column 2",
        "Supplier Name",
        "Amount",
        "Amount (2)",
        "Amount (2) (2)",
    ]
    assert table.rows.iloc[0].tolist() == rows[1]


def test_a_named_column_stays_even_when_empty() -> None:
    table = read(csv_bytes([[*HEADER, "VAT Number"], [*LINES[0], ""]]))
    assert table.columns == [*HEADER, "VAT Number"]


def test_quoted_cells_with_line_breaks_count_as_one_row() -> None:
    data = spend_csv(["17/08/2022", "Acme\nLtd", "1", "T1"], LINES[1])
    table = read(data)
    assert table.rows["Supplier Name"].tolist() == ["Acme\nLtd", "Beta & Sons"]
    assert table.row_numbers.tolist() == [2, 3]


def test_an_unclosed_quote_is_refused() -> None:
    assert "quoted cell" in refusal(spend_csv(*LINES) + b'17/08/2022,"Acme,1,T3\n')


def test_more_rows_than_allowed_are_refused() -> None:
    data = spend_csv(*[LINES[0]] * 6)
    assert read(data, max_rows=6).rows.shape == (6, 4)
    assert (
        refusal(data, max_rows=5)
        == "spend.csv has more than 5 rows of spend, so split it into smaller files."
    )


def test_blank_lines_do_not_count_towards_the_limit() -> None:
    data = spend_csv(LINES[0]) + b"\n" * 80 + csv_bytes([LINES[1]])
    table = read(data, max_rows=2)
    assert table.row_numbers.tolist() == [2, 83]
    assert "more than 1 rows" in refusal(data, max_rows=1)


def test_an_empty_file_is_refused() -> None:
    assert refusal(b"") == "The file spend.csv is empty."
    assert "is empty" in refusal(b"\n\n  \n")


def test_a_file_with_only_a_header_is_refused() -> None:
    assert refusal(csv_bytes([HEADER])) == "spend.csv has no rows of spend under its header."
    assert "no rows of spend" in refusal(csv_bytes([HEADER, ["", "", "", ""]]))


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "spend.csv", "is a picture"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "spend.csv", "is a PDF"),
        (b"PK\x05\x06" + bytes(18), "spend.csv", "not a CSV or Excel file"),
        (b"date,supplier\x00,amount\n", "spend.csv", "not a CSV or Excel file"),
        (bytes(range(1, 9)) * 100, "spend.csv", "not a CSV or Excel file"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "spend.xls", "web page"),
        ("Date\tSupplier\n".encode("utf-16"), "spend.txt", "UTF-16"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "spend.xls", "save it as .xlsx or CSV"),
    ],
)
def test_files_that_are_not_spend_data_are_refused(
    data: bytes, filename: str, expected: str
) -> None:
    assert expected in refusal(data, filename)


def test_messages_name_the_file_without_its_folders() -> None:
    assert display_name("C:\\Users\\me\\Desktop\\spend.csv") == "spend.csv"
    assert display_name("/home/me/spend.csv") == "spend.csv"
    assert display_name("") == "The file"
    assert refusal(b"", "C:\\Users\\me\\august.csv") == "The file august.csv is empty."


TITLE_WORDS = st.sampled_from(
    ["Spend", "over", "£500", "August", "2022", "Council", "report", "published", "page 1", ""]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(st.lists(TITLE_WORDS, min_size=1, max_size=3), max_size=12),
    blank_lines=st.integers(min_value=0, max_value=3),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_the_header_is_found_under_any_title_rows(
    titles: list[list[str]], blank_lines: int, delimiter: str
) -> None:
    above = [*titles, *[[]] * blank_lines]
    data = csv_bytes([*above, HEADER, *LINES], delimiter=delimiter)
    table = read(data)
    assert table.columns == HEADER
    assert table.header_row == len(above) + 1
    assert table.row_numbers.tolist() == [len(above) + 2, len(above) + 3]
    assert table.rows.to_numpy().tolist() == LINES
