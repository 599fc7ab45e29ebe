"""Reading .xlsx workbooks safely: zip checks first, then openpyxl in read-only mode.

An .xlsx file is a zip of XML. A hostile one can be a zip bomb (a few KB that expand to GB) or
carry XML entity tricks, so the zip's own directory is checked before openpyxl opens anything.
openpyxl streams sheets through defusedxml whenever defusedxml is installed (and parses the
small workbook parts with lxml, entities off, when lxml is installed); `check_xml_is_defused`
makes defusedxml a hard requirement rather than a hope.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

import defusedxml  # noqa: F401  (imported so a missing defusedxml fails loudly here)
import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from tisc.documents.spendfiles.columns import HEADER_SEARCH_ROWS, find_header_row
from tisc.documents.spendfiles.model import RefusedFile
from tisc.documents.zipcheck import NotAZip, ZipBomb, ZipLimits, holds_vba_project, zip_entries

MAX_ZIP_ENTRIES = 10_000
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
# Entries smaller than this may compress as well as they like (a sheet of blanks does).
RATIO_CHECK_FROM_BYTES = 10 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Excel's own grid: a row number or column outside it is not a spreadsheet Excel wrote.
MAX_ROW_NUMBER = 1_048_576
# As wide as a CSV may be (reading.MAX_COLUMNS): no spend file has more columns.
MAX_COLUMNS = 500
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,40}:)?row>")
_ROW_END_TAIL = 64  # longer than any match, so one split across two chunks is still seen

_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def check_xml_is_defused() -> None:
    """Refuse to parse workbooks at all if openpyxl is not using defusedxml."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; install defusedxml")


def check_zip(data: bytes, name: str) -> None:
    """Refuse a workbook whose zip directory is a bomb, is not an .xlsx, or holds macros.

    Only the directory is read (tisc.documents.zipcheck); the limits are read here, at call time.
    """
    limits = ZipLimits(
        max_entries=MAX_ZIP_ENTRIES,
        max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
        max_ratio=MAX_COMPRESSION_RATIO,
        entry_ratio_from_bytes=RATIO_CHECK_FROM_BYTES,
    )
    try:
        entries = zip_entries(data, limits)
    except NotAZip as error:
        raise RefusedFile(_not_xlsx(name)) from error
    except ZipBomb as error:
        raise RefusedFile(_bomb(name)) from error
    names = {entry.filename for entry in entries}
    if holds_vba_project(names):
        raise RefusedFile(macros_message(name))
    if not all(part in names for part in _REQUIRED_PARTS):
        raise RefusedFile(_not_xlsx(name))


@dataclass
class SheetGrid:
    """The non-blank rows of one worksheet as text, with their row numbers."""

    sheet_names: list[str]
    sheet: str
    rows: list[list[str]]
    row_numbers: list[int]


def read_sheet(data: bytes, name: str, *, sheet: str | None, max_rows: int) -> SheetGrid:
    """The rows of the chosen sheet (or the first that looks like spend) as stripped text."""
    check_zip(data, name)
    check_xml_is_defused()
    # openpyxl warns about features it drops (data validation, unknown extensions, default
    # styles); none matter for reading values, and they must not reach the user or the tests.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = open_workbook(data)
        except Exception as error:  # openpyxl raises many kinds for a malformed workbook
            raise RefusedFile(_unreadable(name)) from error
        try:
            return _read_workbook(workbook, name, sheet=sheet, max_rows=max_rows)
        except RefusedFile:
            raise
        except Exception as error:
            raise RefusedFile(_unreadable(name)) from error
        finally:
            workbook.close()


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


def _read_workbook(workbook: Workbook, name: str, *, sheet: str | None, max_rows: int) -> SheetGrid:
    # Worksheets only: chart sheets have no cells.
    sheet_names = [worksheet.title for worksheet in workbook.worksheets]
    if sheet is not None and sheet not in sheet_names:
        listed = ", ".join(f"'{title}'" for title in sheet_names)
        raise RefusedFile(f"{name} has no sheet called '{sheet}': its sheets are {listed}.")
    chosen = sheet if sheet is not None else _choose_sheet(workbook, sheet_names, name)
    if chosen is None:
        raise RefusedFile(f"{name} has no rows of spend in any of its sheets.")
    # The header is among the first HEADER_SEARCH_ROWS non-blank rows, so more non-blank rows
    # than this means more than max_rows rows of spend, whatever the header turns out to be.
    limit = max_rows + HEADER_SEARCH_ROWS
    worksheet = workbook[chosen]
    if rows_in_xml(worksheet, stop_after=limit) > limit:
        raise RefusedFile(too_many_rows(name, max_rows))
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, cells in text_rows(worksheet, name):
        rows.append(cells)
        numbers.append(number)
        if len(rows) > limit:
            raise RefusedFile(too_many_rows(name, max_rows))
    if not rows:
        raise RefusedFile(f"{name} has nothing in its sheet '{chosen}'.")
    return SheetGrid(sheet_names, chosen, rows, numbers)


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


def _choose_sheet(workbook: Workbook, sheet_names: list[str], name: str) -> str | None:
    """The first sheet whose header names spend columns, else the first with any data.

    Only the top of each sheet is read here, so a cover sheet costs next to nothing.
    """
    first_with_data = None
    for title in sheet_names:
        top: list[list[str]] = []
        rows = text_rows(workbook[title], name)
        try:
            for _number, cells in rows:
                top.append(cells)
                if len(top) >= HEADER_SEARCH_ROWS:
                    break
        finally:
            rows.close()
        if not top:
            continue
        first_with_data = first_with_data or title
        found = find_header_row(top)
        if found is not None and found[1] and found[0] < len(top) - 1:
            return title
    return first_with_data


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
                raise RefusedFile(_unreadable(name))
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


def cell_text(value: object) -> str:
    """A cell's value as the text a person would type: dates as ISO, numbers without noise."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, time | timedelta):
        return str(value)
    return str(value).strip()


def number_text(value: float) -> str:
    """45000.0 -> "45000", 1234.5 -> "1234.5"; never "1.5e-05" or "0.30000000000000004".

    repr gives the shortest text that reads back as the same float. Excel itself keeps 15
    significant digits, so anything beyond that is arithmetic noise and is rounded off.
    """
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    if len(text.lstrip("-").replace(".", "").lstrip("0")) > 15 or "e" in text:
        text = format(value, ".15g")
    if "e" in text:  # very large or very small: write it out in full
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def too_many_rows(name: str, max_rows: int) -> str:
    return f"{name} has more than {max_rows:,} rows of spend, so split it into smaller files."


def macros_message(name: str) -> str:
    return (
        f"{name} contains macros, so save it from Excel as a plain .xlsx workbook or as CSV "
        "and upload that instead."
    )


def _not_xlsx(name: str) -> str:
    return (
        f"{name} is not an Excel .xlsx file, so save it from Excel as .xlsx or CSV and "
        "upload it again."
    )


def _bomb(name: str) -> str:
    return f"{name} expands to far more data than a spend file holds, so it has not been opened."


def _unreadable(name: str) -> str:
    return (
        f"{name} could not be read as an Excel workbook, so save it again from Excel as .xlsx "
        "or CSV and upload that."
    )
