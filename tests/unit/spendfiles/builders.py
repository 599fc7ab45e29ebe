"""Spend files made in memory for the tests: CSV in any encoding and delimiter, XLSX, zips."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

import openpyxl

from tests.real_data import FIXTURES, REAL_DATA  # noqa: F401 - re-exported

HEADER = ["Payment Date", "Supplier Name", "Net Amount", "Transaction Number"]


def csv_text(rows: Iterable[Sequence[object]], *, delimiter: str = ",") -> str:
    """Rows written as CSV text with newline line endings."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerows([["" if cell is None else str(cell) for cell in row] for row in rows])
    return out.getvalue()


def csv_bytes(
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> bytes:
    """Rows as CSV bytes in the given encoding ("utf-8-sig" writes a BOM)."""
    return csv_text(rows, delimiter=delimiter).replace("\n", newline).encode(encoding)


def spend_csv(*lines: Sequence[object], header: Sequence[str] = HEADER) -> bytes:
    """A small spend CSV: the standard header, then the given lines."""
    return csv_bytes([header, *lines])


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with the given sheets, in order, each a list of rows of cell values."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A deflated zip of the given entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_entries(workbook: bytes, extra: dict[str, bytes]) -> bytes:
    """A copy of a workbook zip with entries added or replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in extra:
                target.writestr(info, source.read(info.filename))
        for name, data in extra.items():
            # A fixed time: equal inputs give equal bytes (hypothesis replays its cases).
            target.writestr(
                zipfile.ZipInfo(name, (2024, 4, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def zeros_entry(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """Write `size` zero bytes to an entry in 1 MB chunks, so memory stays small."""
    chunk = bytes(1024 * 1024)
    with archive.open(name, "w", force_zip64=True) as entry:
        left = size
        while left > 0:
            entry.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
