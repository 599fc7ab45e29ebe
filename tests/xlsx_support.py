"""Reading an XLSX file's own XML, as a spreadsheet program does, to see what each cell is:
openpyxl would hide how a cell was written (a formula, a shared or an inline string). And
checks of how the app's workbooks are finished (widths, formats, filters, fills, title)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from defusedxml import ElementTree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class RawCell:
    """One <c> element: where, its t="…" attribute, its text, and whether it holds an <f>."""

    sheet: str
    ref: str
    type: str | None
    text: str | None
    formula: bool


def raw_cells(body: bytes) -> list[RawCell]:
    """Every cell of every worksheet in the file, strings resolved (inline or shared)."""
    found: list[RawCell] = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root]
        for name in sorted(n for n in names if n.startswith("xl/worksheets/sheet")):
            root = ElementTree.fromstring(archive.read(name))
            for cell in root.iter(f"{MAIN}c"):
                kind = cell.get("t")
                value = cell.find(f"{MAIN}v")
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
                elif kind == "s" and value is not None:
                    text = shared[int(value.text or 0)]
                else:
                    text = None if value is None else value.text
                formula = cell.find(f"{MAIN}f") is not None
                found.append(RawCell(name, cell.get("r", ""), kind, text, formula))
    return found


def string_cell(body: bytes, text: str) -> RawCell:
    """The one cell whose text is exactly `text`; it must be a string cell, never a formula."""
    matches = [c for c in raw_cells(body) if c.text == text]
    assert matches, f"no cell holds {text!r}"
    for cell in matches:
        assert cell.type in ("s", "inlineStr") and not cell.formula, cell
    return matches[0]


# --- how a workbook is finished (tisc.documents.exports) ---------------------------------------

MONEY = '"£"#,##0.00'
PERCENT = "0.0%"
COUNT = "#,##0"
DATE = "dd/mm/yyyy"
WIDEST = 60  # the cap on a column's width, in characters
RAG_WORDS = ("Red", "Amber", "Green")


def load(body: bytes) -> Workbook:
    """The workbook as openpyxl reads it (formats, fills, widths and filters included)."""
    return load_workbook(io.BytesIO(body))


def column(sheet: Worksheet, header: str) -> list[Cell]:
    """The cells under a header (the header row is row 1), empty cells included."""
    headers = [c.value for c in sheet[1]]
    assert header in headers, f"{sheet.title} has no column {header!r}: {headers}"
    index = headers.index(header) + 1
    return [sheet.cell(row=r, column=index) for r in range(2, sheet.max_row + 1)]


def width(sheet: Worksheet, header: str) -> float:
    """The width, in characters, of the column under a header."""
    index = [c.value for c in sheet[1]].index(header) + 1
    return sheet.column_dimensions[get_column_letter(index)].width


def assert_finished(body: bytes, *, title: str) -> Workbook:
    """The finish every workbook the app writes has: its title, created and last saved by
    "tisc"; on every sheet a bold header row frozen above the rest, an autofilter over the
    header and every row, and each text column at least as wide as its longest text (up to
    the cap, beyond which the text wraps) and never wider than the cap."""
    book = load(body)
    assert book.properties.title == title
    assert (book.properties.creator, book.properties.lastModifiedBy) == ("tisc", "tisc")
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        for header_cell in sheet[1]:
            assert header_cell.font.bold, (sheet.title, header_cell.value)
            header = header_cell.value
            shown = width(sheet, header)
            assert len(header) <= shown <= WIDEST, (sheet.title, header, shown)
            texts = [c for c in column(sheet, header) if isinstance(c.value, str)]
            longest = max((len(c.value) for c in texts), default=0)
            assert shown >= min(longest, WIDEST), (sheet.title, header, shown, longest)
            if longest > WIDEST:
                assert all(c.alignment.wrap_text for c in texts), (sheet.title, header)
    return book


def assert_numbers(cells: list[Cell], number_format: str) -> list[Cell]:
    """The non-empty cells, each a number (never text) in the format; returns them."""
    found = [c for c in cells if c.value is not None and not isinstance(c.value, str)]
    for cell in found:
        assert cell.data_type == "n", (cell.coordinate, cell.value)
        assert cell.number_format == number_format, (cell.coordinate, cell.number_format)
    return found


def assert_dates(cells: list[Cell]) -> list[Cell]:
    """The non-empty cells, each a real date shown as dd/mm/yyyy; returns them."""
    found = [c for c in cells if c.value is not None]
    for cell in found:
        assert cell.is_date and isinstance(cell.value, datetime), (cell.coordinate, cell.value)
        assert cell.number_format == DATE, (cell.coordinate, cell.number_format)
    return found


def _luminance(rgb: str) -> float:
    """WCAG 2 relative luminance of an "RRGGBB" (or "AARRGGBB") colour."""
    channels = [int(rgb[-6:][i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_rag_filled(cells: list[Cell]) -> set[str]:
    """Every cell whose text starts Red, Amber or Green is filled, one colour per word, the
    word kept as its text and its text at least 4.5:1 against the fill; any other cell is
    not filled. Returns the words seen."""
    fills: dict[str, str] = {}
    for cell in cells:
        if cell.value is None:
            continue
        word = str(cell.value).split(" ", 1)[0]
        if word not in RAG_WORDS:
            assert cell.fill.fill_type is None, (cell.coordinate, cell.value)
            continue
        assert cell.data_type == "s" and cell.value.startswith(word)
        assert cell.fill.fill_type == "solid", (cell.coordinate, cell.value)
        colour = cell.fill.fgColor.rgb
        assert fills.setdefault(word, colour) == colour, (word, colour)
        text = cell.font.color.rgb if cell.font.color is not None else "FF000000"
        assert contrast(text, colour) >= 4.5, (cell.coordinate, text, colour)
    assert len(set(fills.values())) == len(fills), fills
    return set(fills)
