import io
import struct
import zipfile
from datetime import date, datetime, time

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from tisc.documents.spendfiles import (
    RawTable,
    RefusedFile,
    guess_mapping,
    openpyxl_rows,
    parse_rows,
    read_table,
    xlsx,
)
from tisc.documents.spendfiles.xlsx import MAX_ZIP_ENTRIES, cell_text, number_text

from .builders import HEADER, with_entries, xlsx_bytes, zeros_entry, zip_bytes

DATA_SHEET = [
    ["Spend over £500: August 2022"],
    [],
    HEADER,
    [datetime(2022, 8, 17), "Acme Ltd", 1234.56, 1001],
    [date(2022, 8, 18), "Beta & Sons", -12, 1002],
    [44791, "Gamma plc", 45000.0, "T-3"],  # a date typed into a General column: a serial
    ["19/08/2022", "Delta", "£1,234.50", None],
    [],
    [datetime(2022, 3, 31, 16, 30), "  Epsilon  Ltd ", 0.1 + 0.2, 1005],
]


def read(data: bytes, filename: str = "spend.xlsx", **options: object) -> RawTable:
    return read_table(data, filename=filename, **options)


def refusal(data: bytes, filename: str = "spend.xlsx", **options: object) -> str:
    with pytest.raises(RefusedFile) as caught:
        read_table(data, filename=filename, **options)
    return caught.value.message


def workbook() -> bytes:
    return xlsx_bytes({"Cover": [["Spend report"], ["Prepared by Finance"]], "Data": DATA_SHEET})


def test_the_sheet_of_spend_is_found_behind_a_cover_sheet() -> None:
    table = read(workbook())
    assert table.sheet_names == ["Cover", "Data"]
    assert table.sheet == "Data"
    assert (table.encoding, table.delimiter) == (None, None)
    assert table.columns == HEADER
    assert table.header_row == 3
    assert table.row_numbers.tolist() == [4, 5, 6, 7, 9]
    assert table.rows.to_numpy().tolist() == [
        ["2022-08-17", "Acme Ltd", "1234.56", "1001"],
        ["2022-08-18", "Beta & Sons", "-12", "1002"],
        ["44791", "Gamma plc", "45000", "T-3"],
        ["19/08/2022", "Delta", "£1,234.50", ""],
        ["2022-03-31", "Epsilon  Ltd", "0.3", "1005"],
    ]


def test_an_empty_first_sheet_is_passed_over() -> None:
    table = read(xlsx_bytes({"Sheet1": [], "Spend": DATA_SHEET}))
    assert table.sheet == "Spend"


def test_a_sheet_chosen_by_name() -> None:
    data = xlsx_bytes({"July": DATA_SHEET, "August": [HEADER, DATA_SHEET[4]]})
    assert read(data).sheet == "July"
    table = read(data, sheet="August")
    assert table.sheet == "August"
    assert table.rows["Supplier Name"].tolist() == ["Beta & Sons"]


def test_an_unknown_sheet_name_lists_the_sheets() -> None:
    assert refusal(workbook(), sheet="Summary") == (
        "spend.xlsx has no sheet called 'Summary': its sheets are 'Cover', 'Data'."
    )


def test_an_empty_sheet_chosen_by_name() -> None:
    data = xlsx_bytes({"Spend": DATA_SHEET, "Empty": []})
    assert refusal(data, sheet="Empty") == "spend.xlsx has nothing in its sheet 'Empty'."


def test_chart_sheets_are_not_sheets_of_spend() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook["Sheet"]
    sheet.append(HEADER)
    sheet.append(DATA_SHEET[3])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=2), titles_from_data=True)
    workbook.create_chartsheet("Chart", 0).add_chart(chart)
    out = io.BytesIO()
    workbook.save(out)
    table = read(out.getvalue())
    assert (table.sheet_names, table.sheet) == (["Sheet"], "Sheet")


def test_a_sheet_with_only_a_header() -> None:
    assert refusal(xlsx_bytes({"Data": [["Title"], HEADER]})) == (
        "spend.xlsx has no rows of spend under its header."
    )


def test_a_workbook_of_only_blank_sheets() -> None:
    assert "no rows of spend" in refusal(xlsx_bytes({"A": [], "B": [[None, ""]]}))


def test_spend_from_a_workbook_parses() -> None:
    table = read(workbook())
    parsed = parse_rows(table, guess_mapping(table.columns, table.rows))
    assert parsed.problems == []
    lines = parsed.lines
    assert lines["amount_pence"].tolist() == [123456, -1200, 4500000, 123450, 30]
    assert [str(day)[:10] for day in lines["payment_date"]] == [
        "2022-08-17",
        "2022-08-18",
        "2022-08-18",
        "2022-08-19",
        "2022-03-31",
    ]
    assert lines["financial_year"].tolist() == [2022, 2022, 2022, 2022, 2021]
    assert lines["supplier_name"].tolist()[-1] == "Epsilon Ltd"


def test_more_rows_than_allowed_are_refused() -> None:
    data = xlsx_bytes({"Data": [HEADER, *[DATA_SHEET[3]] * 5]})
    assert len(read(data, max_rows=5).rows) == 5
    assert "more than 4 rows" in refusal(data, max_rows=4)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Acme  ", "Acme"),
        (True, "TRUE"),
        (datetime(2022, 8, 17, 10, 30), "2022-08-17"),
        (date(2022, 8, 17), "2022-08-17"),
        (time(10, 30), "10:30:00"),
        (45000, "45000"),
        (45000.0, "45000"),
        (1234.5, "1234.5"),
        (1234.56, "1234.56"),
        (-0.01, "-0.01"),
        (0.1 + 0.2, "0.3"),
        (1234.5600000000002, "1234.56"),
        (1e-05, "0.00001"),
        (1e20, "100000000000000000000"),
        (44791.0, "44791"),
        (float("nan"), ""),
    ],
)
def test_cells_become_the_text_a_person_would_type(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_number_text_reads_back_as_the_same_number_when_excel_could_hold_it() -> None:
    for value in (0.5, 12.25, 99999999.99, -1234.56, 3.14159):
        assert float(number_text(value)) == value


# What is not a workbook, or is a hostile one.


def test_a_picture_named_xlsx_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    assert refusal(png) == (
        "spend.xlsx is not an Excel .xlsx file, so save it from Excel as .xlsx or CSV and "
        "upload it again."
    )


def test_a_pdf_or_text_named_xlsx_is_refused() -> None:
    assert "not an Excel .xlsx file" in refusal(b"%PDF-1.7\n")
    assert "not an Excel .xlsx file" in refusal(b"Date,Supplier,Amount\n1,2,3\n")


def test_an_old_xls_workbook_is_refused_with_what_to_do() -> None:
    message = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "spend.xls")
    assert message == (
        "spend.xls is an old-style Excel .xls workbook, so open it in Excel, save it as .xlsx "
        "or CSV, and upload that instead."
    )


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    docx = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert "not an Excel .xlsx file" in refusal(docx)
    assert "not an Excel .xlsx file" in refusal(b"PK\x03\x04" + bytes(100))


def test_macros_are_refused() -> None:
    with_macros = with_entries(workbook(), {"xl/vbaProject.bin": b"\x00" * 100})
    assert "contains macros" in refusal(with_macros)
    assert "contains macros" in refusal(workbook(), "spend.xlsm")


def test_a_zip_bomb_is_refused_at_the_real_limits() -> None:
    # 20 MB of zeros deflates to ~20 KB: over 10 MB and far over 100:1.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        zeros_entry(archive, "xl/worksheets/sheet1.xml", 20 * 1024 * 1024)
    data = out.getvalue()
    assert len(data) < 100_000
    assert refusal(data) == (
        "spend.xlsx expands to far more data than a spend file holds, so it has not been opened."
    )


def test_too_many_entries_are_refused_at_the_real_limit() -> None:
    entries = {f"xl/media/{n}.bin": b"" for n in range(MAX_ZIP_ENTRIES + 1)}
    data = with_entries(workbook(), entries)
    assert "expands to far more data" in refusal(data)


def test_a_large_but_ordinary_entry_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    # Compressible but within the ratio: a 2 KB limit stands in for the real 10 MB.
    monkeypatch.setattr(xlsx, "RATIO_CHECK_FROM_BYTES", 2048)
    xlsx.check_zip(workbook(), "spend.xlsx")
    monkeypatch.setattr(xlsx, "MAX_COMPRESSION_RATIO", 1)
    with pytest.raises(RefusedFile):
        xlsx.check_zip(workbook(), "spend.xlsx")


def test_the_total_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    size = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(workbook())).infolist())
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED_BYTES", size)
    xlsx.check_zip(workbook(), "spend.xlsx")
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED_BYTES", size - 1)
    assert "expands to far more data" in refusal(workbook())


def test_a_directory_that_lies_about_sizes_is_refused() -> None:
    # A bomb may claim huge sizes in its central directory: the checks go by what it claims,
    # and zipfile never reads past a claimed size.
    data = bytearray(workbook())
    end = data.rindex(b"PK\x05\x06")
    directory = struct.unpack("<I", data[end + 16 : end + 20])[0]
    struct.pack_into("<I", data, directory + 24, 600 * 1024 * 1024)  # first entry's size
    assert "expands to far more data" in refusal(bytes(data))


def test_openpyxl_parses_xml_through_defusedxml() -> None:
    # openpyxl still reads the STRT template (documents/strt.py), through openpyxl_rows.
    assert openpyxl.DEFUSEDXML is True


def test_without_defusedxml_openpyxl_workbooks_are_not_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        openpyxl_rows.check_xml_is_defused()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def test_an_xml_entity_bomb_in_a_sheet_is_refused_not_expanded() -> None:
    sheet = (
        LAUGHS + b"<worksheet " + MAIN + b'><sheetData><row r="1"><c r="A1" t="inlineStr">'
        b"<is><t>&lol3;</t></is></c></row></sheetData></worksheet>"
    )
    data = with_entries(workbook(), {"xl/worksheets/sheet2.xml": sheet})
    assert "could not be read as an Excel workbook" in refusal(data)


def test_an_xml_entity_bomb_in_the_workbook_is_not_expanded() -> None:
    book = LAUGHS + b"<workbook " + MAIN + b'><sheets><sheet name="&lol3;"/></sheets></workbook>'
    data = with_entries(workbook(), {"xl/workbook.xml": book})
    with pytest.raises(RefusedFile):
        read(data)


def test_a_damaged_workbook_is_refused() -> None:
    data = with_entries(workbook(), {"xl/worksheets/sheet2.xml": b"<worksheet><sheetData><row"})
    assert "could not be read as an Excel workbook" in refusal(data)
