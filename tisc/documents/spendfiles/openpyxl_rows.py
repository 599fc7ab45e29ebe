"""Reading .xlsx workbooks with openpyxl in read-only mode (the STRT template reader's way).

Spend files are read with python-calamine (`xlsx.py`); the STRT reader (`documents/strt.py`)
reads small templates with these, after the same zip checks. openpyxl streams sheets through
defusedxml whenever defusedxml is installed (and parses the small workbook parts with lxml,
entities off, when lxml is installed); `check_xml_is_defused` makes defusedxml a hard
requirement rather than a hope.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from io import BytesIO

import defusedxml  # noqa: F401  (imported so a missing defusedxml fails loudly here)
import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from tisc.documents.spendfiles.model import RefusedFile
from tisc.documents.spendfiles.xlsx import MAX_COLUMNS, MAX_ROW_NUMBER, cell_text, unreadable

_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,40}:)?row>")
_ROW_END_TAIL = 64  # longer than any match, so one split across two chunks is still seen


def check_xml_is_defused() -> None:
    """Refuse to parse workbooks at all if openpyxl is not using defusedxml."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; install defusedxml")


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that is not measured when the workbook opens.

    openpyxl sizes each sheet on opening from its <dimension> element; a sheet without one
    (many writers leave it out) is parsed to its end just to find it, every sheet, every
    time: a million-row sheet took minutes. Nothing here uses the size (text_rows reads
    the rows that are there).
    """

    def _get_size(self) -> None:
        return None


class _SheetReader(ExcelReader):
    """openpyxl's reader, opening worksheets as _UnsizedSheet and leaving out chart sheets."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def open_workbook(data: bytes) -> Workbook:
    """The workbook, read-only, values not formulas (as openpyxl.load_workbook would)."""
    reader = _SheetReader(BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def rows_in_xml(worksheet: ReadOnlyWorksheet, *, stop_after: int) -> int:
    """How many rows with cells the sheet's XML holds, counting no further than stop_after + 1.

    Parsing XML costs ~10 us a cell, so a sheet of a million rows would take most of a minute
    to refuse; counting the closing row tags in the decompressed bytes takes a fraction of a
    second. Rows written empty (<row r="7"/>) have no closing tag and are not counted; a row
    whose cells are all blank (formatting only) is, so a sheet padded with more than max_rows
    formatted blank rows is refused too, which Excel users can fix by deleting them.
    """
    count = 0
    tail = b""
    with worksheet.parent._archive.open(worksheet._worksheet_path) as source:
        while chunk := source.read(1024 * 1024):
            window = tail + chunk
            # Tags cannot overlap, so those wholly in the tail, counted with the previous
            # chunk, are the tail's own matches.
            count += len(_ROW_END.findall(window)) - len(_ROW_END.findall(tail))
            if count > stop_after:
                break
            tail = window[-_ROW_END_TAIL:]
    return count


def text_rows(
    worksheet: ReadOnlyWorksheet, name: str
) -> Generator[tuple[int, list[str]], None, None]:
    """(row number, cell texts) for every row with any text in it.

    openpyxl's own iter_rows fills the gaps between row numbers with empty rows and pads
    each row out to its last cell; a hostile sheet can name row 2,000,000,000 or column
    ZZZ in a few bytes and make that loop for ever or take gigabytes. Its parser yields only
    the rows and cells that are there, so this reads with that and checks both.
    """
    book = worksheet.parent
    source = worksheet._get_source()
    parser = WorkSheetParser(
        source,
        worksheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    rows = parser.parse()
    try:
        for number, cells in rows:
            if not 1 <= number <= MAX_ROW_NUMBER:
                raise RefusedFile(unreadable(name))
            texts = [(cell["column"], cell_text(cell["value"])) for cell in cells]
            filled = [(column, text) for column, text in texts if text]
            if not filled:
                continue
            width = max(column for column, _text in filled)
            if width > MAX_COLUMNS:
                raise RefusedFile(
                    f"{name} has rows more than {MAX_COLUMNS} columns wide, which is not a "
                    "spend file."
                )
            row = [""] * width
            for column, text in filled:
                row[column - 1] = text
            yield number, row
    finally:
        rows.close()  # stops the parser when a caller stops early
        source.close()
