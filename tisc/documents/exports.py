"""Spreadsheet exports (CSV and XLSX) that never turn text into formulas.

CSV has no cell types: a cell of text starting with = + - @ (or a tab or carriage return) is
written with a leading apostrophe, so Excel shows it as text instead of running it. In XLSX a
string cell is never a formula, so text goes into explicit string cells (`t="inlineStr"`,
never an `<f>` element) exactly as it is, without the apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | Decimal | date | None
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


# Characters XML 1.0 cannot hold (an XLSX would not save, a reader could choke on a CSV).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """Text made inert for spreadsheets: control characters dropped, and a leading apostrophe
    when it could start a formula."""
    value = _CONTROL.sub("", value)
    return "'" + value if value.startswith(DANGEROUS_START) else value


def xlsx_text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    """Text as an XLSX string cell, exactly as it is (control characters XML cannot hold
    dropped): openpyxl takes text starting with "=" for a formula, so the type is set to
    string after the value, and a string cell is never calculated."""
    written = WriteOnlyCell(sheet, value=_CONTROL.sub("", value))
    written.data_type = "s"
    return written


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads £ correctly), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "Register"
) -> bytes:
    """An XLSX workbook with a bold, frozen header row; money as numbers with two decimals."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    widths = [max(10, len(h) + 2) for h in header]

    def cell(value: Cell, *, bold: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            written = xlsx_text_cell(sheet, value)
        elif isinstance(value, Decimal):
            written = WriteOnlyCell(sheet, value=value)  # openpyxl writes Decimals as numbers
            written.number_format = "#,##0.00"
        else:
            written = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                written.number_format = "yyyy-mm-dd"
        if bold:
            written.font = Font(bold=True)
        return written

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
    sheet.append([cell(h, bold=True) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
