"""Reading an XLSX file's own XML, as a spreadsheet program does, to see what each cell is:
openpyxl would hide how a cell was written (a formula, a shared or an inline string)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree

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
