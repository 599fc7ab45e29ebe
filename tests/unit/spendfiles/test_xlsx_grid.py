"""calamine builds a dense grid from a sheet's first cell to its last: the sheet is measured first.

Each hostile sheet here would make calamine allocate gigabytes (or abort the whole process)
if it reached calamine, so a test that fails here fails loudly, not quietly.
"""

import io
import zipfile

import pytest

from tisc.documents.spendfiles import RefusedFile, read_table, xlsx
from tisc.documents.spendfiles.sheetscan import SheetNotReadable, scan_sheet

from .builders import HEADER, with_entries, xlsx_bytes

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
TOP = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Supplier Name</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Net Amount</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c><c r="B2"><v>5</v></c></row>'
)


def sheet(rows: bytes) -> bytes:
    """A workbook whose only sheet's cells are these rows of XML under a spend header."""
    body = b"<worksheet " + MAIN + b"><sheetData>" + TOP + rows + b"</sheetData></worksheet>"
    return with_entries(xlsx_bytes({"Spend": [["x"]]}), {"xl/worksheets/sheet1.xml": body})


def refusal(data: bytes) -> str:
    with pytest.raises(RefusedFile) as caught:
        read_table(data, filename="spend.xlsx")
    return caught.value.message


def extent(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return scan_sheet(archive, "xl/worksheets/sheet1.xml", stop_after=1000)


def test_an_ordinary_sheet_is_read() -> None:
    table = read_table(sheet(b""), filename="spend.xlsx")
    assert table.rows.to_numpy().tolist() == [["Acme", "5"]]
    assert extent(sheet(b"")).grid_cells == 4


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        # 17 billion cells, past the width a spend file may have
        (b'<row r="3"><c r="XFD1048576"><v>1</v></c></row>', "more than 500 columns wide"),
        # 500 million cells, inside the width
        (b'<row r="3"><c r="SF1000000"><v>1</v></c></row>', "cells spread over more than 30,0"),
        # the same, spaced and single-quoted
        (b"<row r = '3'><c r = 'SF1000000' ><v>1</v></c></row>", "cells spread over more than"),
    ],
)
def test_a_cell_far_from_the_rest_is_refused_before_the_grid_is_built(
    cell: bytes, message: str
) -> None:
    assert message in refusal(sheet(cell))


def test_a_blank_cell_far_to_the_right_is_no_reason_to_refuse() -> None:
    # Formatting a cell leaves <c r="ZZ2" s="1"/>: calamine leaves it out of its grid.
    table = read_table(sheet(b'<row r="3"><c r="ZZ3" s="0"/></row>'), filename="spend.xlsx")
    assert table.rows.to_numpy().tolist() == [["Acme", "5"]]


@pytest.mark.parametrize(
    "cell",
    [
        b'<row r="3"><c r="A2000000000"><v>1</v></c></row>',
        b'<row r="99999999999"><c><v>1</v></c></row>',
        b'<row r="3"><c r="AAAA3"><v>1</v></c></row>',
        b'<row r="3"><c r="A000000000000003"><v>1</v></c></row>',
    ],
)
def test_a_cell_outside_excels_grid_is_unreadable(cell: bytes) -> None:
    assert "could not be read as an Excel workbook" in refusal(sheet(cell))
    with pytest.raises(SheetNotReadable):
        extent(sheet(cell))


def test_cells_without_a_reference_count_from_the_row_they_are_in() -> None:
    # 3,000 unaddressed cells in row 1,048,576: calamine's grid would be 3 billion cells.
    many = b"<c><v>1</v></c>" * 3000
    found = extent(sheet(b'<row r="1048576">' + many + b"</row>"))
    assert found.has_unaddressed_cells
    assert found.grid_cells >= 1_048_576 * 3000
    assert "cells spread over" in refusal(sheet(b'<row r="1048576">' + many + b"</row>"))


def test_an_attribute_that_only_ends_in_r_is_not_a_reference() -> None:
    # foor="A1" is not where calamine puts the cell: it goes after the row's last one.
    found = extent(sheet(b'<row r="9"><c foor="A1"><v>1</v></c><c x:r="B9"><v>1</v></c></row>'))
    assert found.has_unaddressed_cells
    assert not extent(sheet(b'<row r="9"><c r="C9" s="1"><v>1</v></c></row>')).has_unaddressed_cells


def test_a_sheet_of_more_rows_than_allowed_is_refused_while_it_is_measured() -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(3, 60))
    assert "more than 4 rows" in refusal_with(sheet(rows), max_rows=4)


def refusal_with(data: bytes, **options: object) -> str:
    with pytest.raises(RefusedFile) as caught:
        read_table(data, filename="spend.xlsx", **options)
    return caught.value.message


def test_a_sheet_that_starts_right_and_low_keeps_its_places() -> None:
    data = xlsx_bytes({"Spend": [[], [], [None, *HEADER], [None, "2022-08-01", "Acme", 5, "T1"]]})
    table = read_table(data, filename="spend.xlsx")
    assert table.header_row == 3
    assert table.row_numbers.tolist() == [4]
    assert table.rows.to_numpy().tolist() == [["2022-08-01", "Acme", "5", "T1"]]


def test_the_grid_limit_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_GRID_CELLS", 3)
    assert "cells spread over more than 3 rows x columns" in refusal(sheet(b""))


def rels_pointing_at(data: bytes, target: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels")
    return with_entries(
        data, {"xl/_rels/workbook.xml.rels": rels.replace(b'"/xl/worksheets/', b'"' + target)}
    )


def test_the_sheet_measured_is_the_one_calamine_reads() -> None:
    data = sheet(b"")
    for target in (b"/xl/worksheets/", b"worksheets/"):
        table = read_table(rels_pointing_at(data, target), filename="spend.xlsx")
        assert table.rows.to_numpy().tolist() == [["Acme", "5"]]
    # calamine reads "xl/worksheets/sheet1.xml" as the entry xl/xl/worksheets/sheet1.xml: a
    # far corner there is measured too, though xl/worksheets/sheet1.xml is an ordinary sheet.
    far = b"<worksheet " + MAIN + b"><sheetData>" + TOP
    far += b'<row r="3"><c r="SF1000000"><v>1</v></c></row></sheetData></worksheet>'
    two = with_entries(
        rels_pointing_at(data, b"xl/worksheets/"), {"xl/xl/worksheets/sheet1.xml": far}
    )
    assert "cells spread over" in refusal(two)
    # calamine does not resolve "..", nor expand an entity in a target
    assert "could not be read" in refusal(rels_pointing_at(data, b"worksheets/../worksheets/"))
    assert "could not be read" in refusal(rels_pointing_at(data, b"work&#115;heets/"))


def test_a_zip_holding_another_kind_of_workbook_too_is_not_read() -> None:
    # calamine would read the .xlsb or .ods beside a failing .xlsx, unmeasured.
    for entry in ("xl/workbook.bin", "content.xml"):
        assert "could not be read" in refusal(with_entries(sheet(b""), {entry: b"\0"}))
