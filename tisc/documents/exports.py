"""Spreadsheet exports (CSV and XLSX) that never turn text into formulas, and open well in Excel.

CSV has no cell types: a cell of text starting with = + - @ (or a tab or carriage return) is
written with a leading apostrophe, so Excel shows it as text instead of running it. In XLSX a
string cell is never a formula, so text goes into explicit string cells (`t="inlineStr"`,
never an `<f>` element) exactly as it is, without the apostrophe. Numbers stay numbers.

Every workbook the app writes goes through `write_workbook` (or `write_xlsx` for one sheet),
so each gets the same finish: every column declares a `Kind` (money as £ numbers, counts,
percentages stored as fractions with a % format, dates as dates, RAG words filled with their
colour); columns are as wide as their longest value shown (header included) up to
`MAX_WIDTH`, longer text wrapping; the header row is bold and frozen with an autofilter over
the data; the workbook's title is given and its creator is "tisc".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell as OpenpyxlCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

Cell = str | int | Decimal | date | bool | None
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CREATOR = "tisc"
EN_DASH = "\u2013"
MAX_WIDTH = 60  # characters: wider text wraps inside the column instead
MIN_WIDTH = 6
# Room for the autofilter's drop-down button beside a header, and a little padding elsewhere.
HEADER_PADDING = 4
PADDING = 2

# A single section, so a negative amount shows with a minus before the pound sign
# ("-£50.50"), as the app's pages show it; brackets would read as text to a screen reader
# and are easily lost when the figure is copied elsewhere.
MONEY_FORMAT = '"£"#,##0.00'
COUNT_FORMAT = "#,##0"
CHANGE_FORMAT = "+0.0;-0.0;0.0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "dd/mm/yyyy"

# RAG fills: light tints with near-black text (#0B0C0C, GOV.UK's text colour), each pair well
# over 4.5:1 contrast; the word stays in the cell, so the colour is never the only sign.
TEXT_COLOUR = "0B0C0C"
RAG_FILLS = {"Red": "F4CDC6", "Amber": "FFE3A3", "Green": "CCE2D8"}


class Kind(StrEnum):
    """What a column holds, which decides its number format and how wide its values show."""

    TEXT = "text"
    COUNT = "count"  # whole numbers, "1,234"
    CHANGE = "change"  # a signed change to one decimal place, like "+12.5" percentage points
    MONEY = "money"  # Decimal pounds, "£1,234.50"
    PERCENT = "percent"  # given as a percentage (36.2), stored as a fraction (0.362)
    DATE = "date"
    RAG = "rag"  # text starting Red, Amber or Green, filled with that colour


@dataclass(frozen=True)
class Column:
    """A column of an export: its header and what it holds."""

    header: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab name (31 characters at most), columns and rows."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Cell]]


# Characters XML 1.0 cannot hold (an XLSX would not save, a reader could choke on a CSV).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """Text made inert for spreadsheets: control characters dropped, and a leading apostrophe
    when it could start a formula."""
    if not value.isprintable():  # printable text has no control characters: most of it
        value = _CONTROL.sub("", value)
    return "'" + value if value.startswith(DANGEROUS_START) else value


def xlsx_text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    """Text as an XLSX string cell, exactly as it is (control characters XML cannot hold
    dropped): openpyxl takes text starting with "=" for a formula, so the type is set to
    string after the value, and a string cell is never calculated."""
    written = WriteOnlyCell(sheet, value=_CONTROL.sub("", value))
    written.data_type = "s"
    return written


# --- CSV ---------------------------------------------------------------------------------------


def _csv_value(value: Cell) -> str:
    if type(value) is str:  # the commonest, so first
        return safe_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def write_csv(header: Sequence[Column | str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads £ correctly), formula-safe. CSV is for machines:
    values are written plainly whatever their column's kind (amounts to two decimals,
    percentages as given, dates as ISO 8601)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h.header if isinstance(h, Column) else h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------


def _number_value(value: int | Decimal, kind: Kind) -> int | Decimal:
    # scaleb moves the decimal point: exact in Decimal, so 36.2 becomes 0.362, never 0.36199…
    return Decimal(value).scaleb(-2) if kind is Kind.PERCENT else value


def _width(value: Cell, kind: Kind) -> int:
    """How many characters the value shows in Excel with its format (for the column's width)."""
    if isinstance(value, str):  # the commonest, so first
        return max(map(len, value.split("\n"))) if "\n" in value else len(value)
    if isinstance(value, bool):
        return 3
    if isinstance(value, date):
        return len("dd/mm/yyyy")
    if isinstance(value, int | Decimal):
        if kind is Kind.MONEY:
            return len(f"-£{value:,.2f}")
        if kind is Kind.PERCENT:
            return len(f"{value:.1f}%")
        if kind is Kind.CHANGE:
            return len(f"+{abs(value):.1f}")
        return len(f"{value:,}")
    return 0


def _styles(sheet: Any, kind: Kind, *, wrap: bool) -> dict[str, StyleArray]:
    """The style of each kind of cell a column can hold, made once per column (a cell files
    its style in its sheet's workbook; copying the result is far cheaper than setting each
    cell's format, font and fill again)."""
    found: dict[str, StyleArray] = {}
    alignment = Alignment(wrap_text=True, vertical="top") if wrap else None
    rag_words = RAG_FILLS if kind is Kind.RAG else {}
    for name, number_format in (
        ("text", None),
        ("number", _NUMBER_FORMATS.get(kind)),
        ("date", DATE_FORMAT),
        *((word, None) for word in rag_words),
    ):
        cell = OpenpyxlCell(sheet)
        if number_format:
            cell.number_format = number_format
        if alignment is not None and name in ("text", *rag_words):
            cell.alignment = alignment
        if name in rag_words:
            cell.fill = PatternFill(fill_type="solid", fgColor=RAG_FILLS[name])
            cell.font = Font(color=TEXT_COLOUR)
        found[name] = StyleArray(cell._style or StyleArray())
    return found


_NUMBER_FORMATS = {
    Kind.MONEY: MONEY_FORMAT,
    Kind.COUNT: COUNT_FORMAT,
    Kind.CHANGE: CHANGE_FORMAT,
    Kind.PERCENT: PERCENT_FORMAT,
}


def _rag_word(text: str) -> str | None:
    word = text.split(" ", 1)[0]
    return word if word in RAG_FILLS else None


def _write_sheet(workbook: Workbook, spec: Sheet) -> None:
    sheet = workbook.create_sheet(title=spec.title[:31])
    kinds = [column.kind for column in spec.columns]
    widths = [len(column.header) + HEADER_PADDING for column in spec.columns]
    # Widths come before the rows in the file, so the rows are read once to measure them.
    rows: list[list[Cell]] = []
    for row in spec.rows:
        values = [v.date() if isinstance(v, datetime) else v for v in row]
        for index, value in enumerate(values):
            if value is not None:
                shown = _width(value, kinds[index]) + PADDING
                if shown > widths[index]:
                    widths[index] = shown
        rows.append(values)
    wrapped = [width > MAX_WIDTH for width in widths]
    for index, width in enumerate(widths, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(MIN_WIDTH, min(width, MAX_WIDTH))
    sheet.freeze_panes = "A2"
    # Every row appended below is cells already made: openpyxl's own placing tries each cell
    # as a value first, and only takes it as a cell after an exception whose message spells
    # the cell out; that was a third of a large export's time (bench/NATIONAL.md).
    sheet._values_to_row = _placed
    header_style = OpenpyxlCell(sheet)
    header_style.font = Font(bold=True)
    header: list[WriteOnlyCell] = []
    for column in spec.columns:
        cell = xlsx_text_cell(sheet, column.header)
        cell._style = StyleArray(header_style._style)  # a copy: each cell owns its style
        header.append(cell)
    sheet.append(header)
    styles = [_styles(sheet, kind, wrap=wrap) for kind, wrap in zip(kinds, wrapped, strict=True)]
    for values in rows:
        sheet.append([_cell(sheet, v, kinds[i], styles[i]) for i, v in enumerate(values)])
    last = get_column_letter(max(1, len(spec.columns)))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"


def _placed(cells: Sequence[OpenpyxlCell | None], row: int) -> Iterator[OpenpyxlCell]:
    """The row's cells at their places in the sheet (None: an empty cell, not written)."""
    for column, cell in enumerate(cells, start=1):
        if cell is not None:
            cell.row = row
            cell.column = column
            yield cell


def _cell(
    sheet: Any, value: Cell, kind: Kind, styles: dict[str, StyleArray]
) -> OpenpyxlCell | None:
    if value is None:
        return None
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, str):
        word = _rag_word(value) if kind is Kind.RAG else None
        # Cell copies the style array it is given, so each cell owns its style.
        text = value if value.isprintable() else _CONTROL.sub("", value)
        style = styles[word or "text"]
        cell = OpenpyxlCell(sheet, row=1, column=1, value=text, style_array=style)
        cell.data_type = "s"  # after the value: a string cell is never a formula
        return cell
    if isinstance(value, date):
        return OpenpyxlCell(sheet, row=1, column=1, value=value, style_array=styles["date"])
    # openpyxl writes a Decimal as a number: money stays Decimal until here.
    return OpenpyxlCell(
        sheet, row=1, column=1, value=_number_value(value, kind), style_array=styles["number"]
    )


def write_workbook(sheets: Sequence[Sheet], *, title: str) -> bytes:
    """An XLSX workbook of the sheets, each finished as the module docstring says, titled
    `title` and created by "tisc"."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    for spec in sheets:
        _write_sheet(workbook, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet: str = "Register",
    title: str,
) -> bytes:
    """A workbook of one sheet (see write_workbook)."""
    return write_workbook([Sheet(sheet, columns, rows)], title=title)


def workbook_title(what: str, bodies: Sequence[Any], owner: str | None, year: str) -> str:
    """What, whose (the owner given, else the one body's name, else how many bodies) and the
    year, between en dashes: "Supplier register \u2013 West Yorkshire Police \u2013 2024/25"."""
    whose = owner or (bodies[0].name if len(bodies) == 1 else f"{len(bodies)} bodies")
    return f"{what} {EN_DASH} {whose} {EN_DASH} {year}"
