"""Reading a completed Slavery and Trafficking Risk Template (an .xlsx) as rows of text.

The workbook is untrusted: its zip directory is checked (tisc.documents.zipcheck) before
anything opens it, it is opened read-only with the spend importer's reader (defusedxml, no
sizing pass, only the rows and cells that are there), formulas are never evaluated (a cell
gives the value Excel saved, or nothing), every sheet's rows are counted in the XML before they
are parsed, and the text is cleaned of control characters and cut to a length. Which rows are
questions is the rules' business (tisc.rules.strt).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from openpyxl.workbook.workbook import Workbook

from tisc.documents.spendfiles.openpyxl_rows import (
    check_xml_is_defused,
    open_workbook,
    rows_in_xml,
    text_rows,
)
from tisc.documents.zipcheck import NotAZip, ZipBomb, ZipLimits, holds_vba_project, zip_entries
from tisc.rules.strt import StrtRow
from tisc.rules.text import without_control_characters

# The template is a few sheets of questions and a list of countries: a few hundred KB at most.
MAX_BYTES = 5 * 1024 * 1024
MAX_SHEETS = 50
MAX_ROWS = 5_000  # non-blank rows in all sheets together
MAX_CELL_CHARACTERS = 2_000
LIMITS = ZipLimits(
    max_entries=1_000,
    max_uncompressed_bytes=100 * 1024 * 1024,
    max_ratio=100,
    entry_ratio_from_bytes=1024 * 1024,
)
_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class RefusedStrt(Exception):
    """The file cannot be read as a completed STRT; the message says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StrtWorkbook:
    """The workbook's sheets and every non-blank row of text."""

    sheet_names: tuple[str, ...]
    rows: tuple[StrtRow, ...]


def _check_zip(data: bytes, name: str) -> None:
    try:
        entries = zip_entries(data, LIMITS)
    except NotAZip as error:
        raise RefusedStrt(_not_xlsx(name)) from error
    except ZipBomb as error:
        raise RefusedStrt(
            f"{name} expands to far more data than a completed template holds, so it has not "
            "been opened."
        ) from error
    names = {entry.filename for entry in entries}
    if holds_vba_project(names):
        raise RefusedStrt(
            f"{name} contains macros, so save it from Excel as a plain .xlsx workbook and "
            "upload that instead."
        )
    if not all(part in names for part in _REQUIRED_PARTS):
        raise RefusedStrt(_not_xlsx(name))


def read_strt(data: bytes, name: str) -> StrtWorkbook:
    """Every non-blank row of every worksheet, as cleaned text; RefusedStrt when it cannot be."""
    if len(data) > MAX_BYTES:
        raise RefusedStrt(
            f"{name} is larger than {MAX_BYTES // 2**20} MB, far larger than a completed "
            "template, so it has not been opened."
        )
    _check_zip(data, name)
    check_xml_is_defused()
    with warnings.catch_warnings():
        # openpyxl warns about what it drops (data validation, extensions): none of it matters.
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = open_workbook(data)
        except Exception as error:  # openpyxl raises many kinds for a malformed workbook
            raise RefusedStrt(_unreadable(name)) from error
        try:
            return _read(workbook, name)
        except RefusedStrt:
            raise
        except Exception as error:  # RefusedFile from the shared reader, or openpyxl's own
            raise RefusedStrt(_unreadable(name)) from error
        finally:
            workbook.close()


def _read(workbook: Workbook, name: str) -> StrtWorkbook:
    sheets = workbook.worksheets
    if len(sheets) > MAX_SHEETS:
        raise RefusedStrt(f"{name} has more than {MAX_SHEETS} sheets, which no template has.")
    rows: list[StrtRow] = []
    for worksheet in sheets:
        left = MAX_ROWS - len(rows)
        if rows_in_xml(worksheet, stop_after=left) > left:
            raise RefusedStrt(_too_long(name))
        for number, cells in text_rows(worksheet, name):
            rows.append(StrtRow(_clean(worksheet.title), number, tuple(_clean(c) for c in cells)))
            if len(rows) > MAX_ROWS:
                raise RefusedStrt(_too_long(name))
    return StrtWorkbook(tuple(_clean(w.title) for w in sheets), tuple(rows))


def _clean(text: str) -> str:
    return without_control_characters(text).strip()[:MAX_CELL_CHARACTERS]


def _not_xlsx(name: str) -> str:
    return f"{name} is not an Excel .xlsx file, so save the template from Excel as .xlsx."


def _unreadable(name: str) -> str:
    return f"{name} could not be read as an Excel workbook, so save it again from Excel as .xlsx."


def _too_long(name: str) -> str:
    return f"{name} has more than {MAX_ROWS:,} rows, far more than a completed template."
