"""Reading .xlsx spend workbooks safely: zip checks, then a scan of the sheet, then calamine.

An .xlsx file is a zip of XML. A hostile one can be a zip bomb (a few KB that expand to GB),
carry XML entity tricks, or name a cell far away. The zip's own directory is checked before
anything is opened (`check_zip`). The workbook's list of sheets is read with defusedxml, and
python-calamine (Rust, about ten times faster than openpyxl) reads the cells: its XML parser
expands no entities of a document's own. calamine builds a dense grid from a sheet's first to
its last cell, so before it opens a sheet, `sheetscan` measures how far the sheet's cells
reach and how many rows it has, and a sheet that would make too large a grid is refused.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from defusedxml import ElementTree
from python_calamine import CalamineWorkbook, SheetTypeEnum

from tisc.documents.spendfiles.columns import HEADER_SEARCH_ROWS, find_header_row
from tisc.documents.spendfiles.model import RefusedFile
from tisc.documents.spendfiles.sheetscan import (
    MAX_ROW_NUMBER,
    SheetNotReadable,
    scan_sheet,
)
from tisc.documents.zipcheck import NotAZip, ZipBomb, ZipLimits, holds_vba_project, zip_entries

MAX_ZIP_ENTRIES = 10_000
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
# Entries smaller than this may compress as well as they like (a sheet of blanks does).
RATIO_CHECK_FROM_BYTES = 10 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# As wide as a CSV may be (reading.MAX_COLUMNS): no spend file has more columns.
MAX_COLUMNS = 500
# calamine holds every cell of a sheet's grid, blank or not, in about 40 bytes: this many is
# about 1.2 GB, and a million rows of 30 columns. The scan's grid may be up to twice as tall
# and twice as wide as calamine's when some cells carry no reference of their own.
MAX_GRID_CELLS = 30_000_000

_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

__all__ = ["MAX_ROW_NUMBER", "SheetGrid", "check_zip", "read_sheet"]


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
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        parts = _worksheet_parts(archive)
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
    except Exception as error:  # a malformed workbook fails in many ways
        raise RefusedFile(unreadable(name)) from error
    try:
        with workbook:
            sheet_names = [
                meta.name
                for meta in workbook.sheets_metadata
                if meta.typ == SheetTypeEnum.WorkSheet
            ]
            if any(title not in parts for title in sheet_names):
                raise RefusedFile(unreadable(name))
            reader = _Sheets(workbook, archive, parts, name, max_rows + HEADER_SEARCH_ROWS)
            return _read_workbook(reader, sheet_names, name, sheet=sheet, max_rows=max_rows)
    except RefusedFile:
        raise
    except BaseException as error:
        # A Rust panic in calamine arrives as pyo3's PanicException, a BaseException.
        if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise RefusedFile(unreadable(name)) from error
    finally:
        archive.close()


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Each sheet's name and every zip entry calamine might read for it.

    The scan must measure the entry calamine will read. calamine makes a target into an entry
    name its own way (today "xl/worksheets/..." becomes "xl/xl/worksheets/..."), so every
    entry a target could name is measured, none resolved with "..", and a relationships part
    with an entity in it, whose targets calamine would read unexpanded, is not read at all.
    """
    rels = archive.read("xl/_rels/workbook.xml.rels")
    if b"&" in rels:
        raise ValueError("an entity in the workbook's relationships")
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in ElementTree.fromstring(rels).iter(f"{_RELS}Relationship")
    }
    names = set(archive.namelist())
    # calamine opens whichever format it can: should the .xlsx fail, the binary workbook or the
    # OpenDocument one beside it, whose sheets nothing here has measured.
    if {"xl/workbook.bin", "content.xml"} & {name.lower() for name in names}:
        raise ValueError("another kind of workbook in the same zip")
    parts: dict[str, list[str]] = {}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    for entry in book.iter(f"{_MAIN}sheet"):
        title, target = entry.get("name"), targets.get(entry.get(_REL_ID), "")
        if title is None or title in parts:
            raise ValueError("a sheet without a name, or two of one name")
        bare = target.lstrip("/")
        candidates = {target, bare, "xl/" + bare} & names
        if candidates:
            parts[title] = sorted(candidates)
    return parts


class _Sheets:
    """The workbook's sheets read as rows of text, each sheet scanned before calamine reads it."""

    def __init__(
        self,
        workbook: CalamineWorkbook,
        archive: zipfile.ZipFile,
        parts: dict[str, list[str]],
        name: str,
        limit: int,
    ) -> None:
        self.workbook, self.archive, self.parts = workbook, archive, parts
        self.name, self.limit = name, limit
        self.read: dict[str, tuple[list[int], list[list[str]]]] = {}

    def rows(self, title: str) -> tuple[list[int], list[list[str]]]:
        """(row numbers, rows) of the sheet's non-blank rows; RefusedFile if it cannot be."""
        if title not in self.read:
            self.read[title] = self._read(title)
        return self.read[title]

    def _read(self, title: str) -> tuple[list[int], list[list[str]]]:
        name = self.name
        for part in self.parts[title]:
            try:
                extent = scan_sheet(self.archive, part, stop_after=self.limit)
            except SheetNotReadable as error:
                raise RefusedFile(unreadable(name)) from error
            if extent.stopped_early:
                raise RefusedFile(too_many_rows(name, self.limit - HEADER_SEARCH_ROWS))
            if extent.grid_cells > MAX_GRID_CELLS:
                wide = extent.max_column > MAX_COLUMNS
                raise RefusedFile(_too_wide(name) if wide else _too_spread(name, title))
        sheet = self.workbook.get_sheet_by_name(title)
        if sheet.end is None:
            return [], []
        last_row, last_column = sheet.end
        indices: list[int] = []
        rows: list[list[str]] = []
        count = width = 0
        seen: dict[str, str] = {}
        for count, cells in enumerate(sheet.iter_rows(), start=1):
            width = len(cells)
            texts = _texts(cells, seen)
            if texts is None:
                continue
            indices.append(count)
            rows.append(texts)
            if len(rows) > self.limit:
                raise RefusedFile(too_many_rows(name, self.limit - HEADER_SEARCH_ROWS))
        # The rows and columns calamine gives end at the sheet's last cell; where they begin
        # is whatever it left off the top and left, so it is worked out from the end.
        first_row = last_row + 1 - count
        first_column = last_column + 1 - width
        if first_column + max((len(row) for row in rows), default=0) > MAX_COLUMNS:
            raise RefusedFile(
                f"{name} has rows more than {MAX_COLUMNS} columns wide, which is not a spend file."
            )
        if first_column:
            rows = [[""] * first_column + row for row in rows]
        return [first_row + index for index in indices], rows


def _texts(cells: list, seen: dict[str, str]) -> list[str] | None:
    """A row's cell texts without the blanks at its end; None if it is all blank.

    cell_text for every cell, with its two commonest cases (text, and calamine's floats that
    are whole numbers) written out here: a sheet of 60,000 x 100 has six million cells.
    calamine makes a new string for every cell, so each text is kept once (seen): a column of
    a few values, as most of a finance export is, then costs a pointer a cell, not a string.
    """
    texts = [
        cell.strip()
        if (kind := cell.__class__) is str
        else str(int(cell))
        if kind is float and cell.is_integer() and -1e15 < cell < 1e15
        else cell_text(cell)
        for cell in cells
    ]
    while texts and not texts[-1]:
        texts.pop()
    return [seen.setdefault(text, text) for text in texts] or None


def _read_workbook(
    sheets: _Sheets, sheet_names: list[str], name: str, *, sheet: str | None, max_rows: int
) -> SheetGrid:
    if sheet is not None and sheet not in sheet_names:
        listed = ", ".join(f"'{title}'" for title in sheet_names)
        raise RefusedFile(f"{name} has no sheet called '{sheet}': its sheets are {listed}.")
    chosen = sheet if sheet is not None else _choose_sheet(sheets, sheet_names)
    if chosen is None:
        raise RefusedFile(f"{name} has no rows of spend in any of its sheets.")
    numbers, rows = sheets.rows(chosen)
    if not rows:
        raise RefusedFile(f"{name} has nothing in its sheet '{chosen}'.")
    return SheetGrid(sheet_names, chosen, rows, numbers)


def _choose_sheet(sheets: _Sheets, sheet_names: list[str]) -> str | None:
    """The first sheet whose header names spend columns, else the first with any data."""
    first_with_data = None
    for title in sheet_names:
        top = sheets.rows(title)[1][:HEADER_SEARCH_ROWS]
        if not top:
            continue
        first_with_data = first_with_data or title
        found = find_header_row(top)
        if found is not None and found[1] and found[0] < len(top) - 1:
            return title
    return first_with_data


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


def _too_wide(name: str) -> str:
    return f"{name} has rows more than {MAX_COLUMNS} columns wide, which is not a spend file."


def _too_spread(name: str, title: str) -> str:
    return (
        f"{name} has cells spread over more than {MAX_GRID_CELLS:,} rows x columns in its "
        f"sheet '{title}', so delete the empty rows and columns past the spend (Ctrl+End in "
        "Excel goes to the last cell) or split it, and upload it again."
    )


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


def unreadable(name: str) -> str:
    return (
        f"{name} could not be read as an Excel workbook, so save it again from Excel as .xlsx "
        "or CSV and upload that."
    )
