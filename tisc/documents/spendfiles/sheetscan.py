"""How far out a worksheet's cells reach, measured in its XML before any reader builds a grid.

python-calamine reads a sheet into a dense grid from its top-left to its bottom-right cell,
so a few bytes naming cell XFD1048576 make it allocate 17 billion cells (and abort the
process when that fails). Before calamine opens a sheet, its XML is streamed here, a chunk at
a time, with numpy doing the work on the bytes (a 60,000 x 100 sheet, 180 MB of XML, takes
about a second): every `r="..."` attribute gives a row and column, every `<c` a cell, every
`</row>` the end of a row. From them comes a grid at least as large as the one calamine builds:

- every `r` attribute value counts, whatever element carries it (over-counting is safe);
- a cell with no `r` of its own sits after the previous one, and a row with no `r` after the
  previous row, so when any cell has no `r` of its own the grid is allowed for that too: the
  widest row's cells past the furthest column, and every row past the furthest row.

Whitespace around "=" is removed and single quotes made double first, so `r = 'A1'` reads as
`r="A1"`, and an attribute is r only with whitespace before it (not `foor`, not `x:r`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

import numpy as np

# Excel's own grid has 1,048,576 rows: a cell below it is not in a workbook Excel wrote.
MAX_ROW_NUMBER = 1_048_576
# Excel's columns end at XFD (16,384), but any column of three letters (to ZZZ) is read, as
# openpyxl read it, so a row that wide is refused for its width, in words a user can act on.
MAX_COLUMN_NUMBER = 18_278
_CHUNK = 1024 * 1024
# No tag is this long, and no text this long without a tag: Excel keeps 32,767 characters in
# a cell. A chunk cut that cannot find a "<" in this much is not a spreadsheet.
_MAX_CARRY = 1024 * 1024
_REF_WINDOW = 12  # "XFD1048576" and two more
_POSITIONS = np.arange(_REF_WINDOW)
_POWERS_OF_10 = 10.0 ** np.arange(_REF_WINDOW + 1)
_POWERS_OF_26 = 26.0 ** np.arange(_REF_WINDOW + 1)
_FALLING_10 = 10.0 ** -np.arange(_REF_WINDOW)
_FALLING_26 = 26.0 ** -np.arange(_REF_WINDOW)
# Whitespace as spaces and single quotes as double: the same length, so positions hold.
_NORMAL = bytes.maketrans(b"\t\r\n'", b'   "')
_AROUND_EQUALS = re.compile(rb" *= *")


class SheetNotReadable(Exception):
    """The sheet's XML names a cell outside Excel's grid, or is not XML a sheet could be."""


@dataclass
class SheetExtent:
    """What the scan found: the rows, and a grid no smaller than the one a reader builds."""

    rows: int  # rows with an end tag, counted no further than stop_after + 1
    max_row: int
    max_column: int
    widest_row_cells: int
    has_unaddressed_cells: bool
    stopped_early: bool

    @property
    def grid_cells(self) -> int:
        """Rows x columns of the largest grid the sheet's cells can make a reader build."""
        height, width = self.max_row, self.max_column
        if self.has_unaddressed_cells:
            height += self.rows
            width += self.widest_row_cells
        return height * width


def scan_sheet(archive: zipfile.ZipFile, part: str, *, stop_after: int) -> SheetExtent:
    """Stream one worksheet part; stop once more than stop_after rows have ended."""
    scan = _Scan()
    carry = b""
    with archive.open(part) as source:
        while chunk := source.read(_CHUNK):
            window = carry + chunk
            cut = max(window.rfind(b"<"), 0)
            carry = window[cut:]
            if len(carry) > _MAX_CARRY:
                raise SheetNotReadable("a tag longer than a megabyte")
            scan.add(window[:cut])
            if scan.rows > stop_after:
                return scan.extent(stopped_early=True)
    scan.add(carry)
    return scan.extent(stopped_early=False)


class _Scan:
    def __init__(self) -> None:
        self.rows = 0
        self.max_row = 0
        self.max_column = 0
        self.widest = 0
        self.open_row_cells = 0  # cells since the last </row>, carried across chunks
        self.unaddressed = False

    def extent(self, *, stopped_early: bool) -> SheetExtent:
        return SheetExtent(
            rows=self.rows,
            max_row=self.max_row,
            max_column=self.max_column,
            widest_row_cells=max(self.widest, self.open_row_cells),
            has_unaddressed_cells=self.unaddressed,
            stopped_early=stopped_early,
        )

    def add(self, raw: bytes) -> None:
        if not raw:
            return
        text = raw.translate(_NORMAL)
        if b" =" in text or b"= " in text:
            text = _AROUND_EQUALS.sub(b"=", text)
        # Padded so every look behind and ahead below stays inside the array.
        a = np.frombuffer(b"\0\0" + text + b"\0" * (_REF_WINDOW + 4), dtype=np.uint8)
        lt = np.flatnonzero(a == ord("<"))
        gt = np.flatnonzero(a == ord(">"))
        # An attribute named r: whitespace before it (so not foor=, x:r=), then ="
        equals = np.flatnonzero(a == ord("="))
        refs = equals[
            (a[equals - 1] == ord("r")) & (a[equals - 2] == ord(" ")) & (a[equals + 1] == ord('"'))
        ]
        refs -= 1
        columns, rows, addressed_tags = self._references(a, refs, lt, gt)
        cells = self._cells(a, lt)
        if len(cells):
            found = np.searchsorted(addressed_tags, cells)
            hit = found < len(addressed_tags)
            hit[hit] = addressed_tags[found[hit]] == cells[hit]
            self.unaddressed = self.unaddressed or not hit.all()
        ends = self._row_ends(a, lt)
        self.rows += len(ends)
        self._count_cells_per_row(cells, ends)
        if len(rows):
            self.max_row = max(self.max_row, int(rows.max()))
            self.max_column = max(self.max_column, int(columns.max()))

    def _references(
        self, a: np.ndarray, refs: np.ndarray, lt: np.ndarray, gt: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each r attribute's column and row, and the tags ("<" positions) it addresses."""
        if not len(refs):
            return refs, refs, refs
        window = a[(refs + 3)[:, None] + _POSITIONS].astype(np.float64)
        lower = a[(refs + 3)[:, None] + _POSITIONS] | 0x20
        letter = (lower >= ord("a")) & (lower <= ord("z"))
        digit = (window >= ord("0")) & (window <= ord("9"))
        in_ref = letter | digit
        if in_ref.all(axis=1).any():
            raise SheetNotReadable("a cell reference longer than any in Excel's grid")
        # Where the letters end, and where the reference ends (its first other character).
        letters = np.argmin(letter, axis=1)[:, None]
        end = np.argmin(in_ref, axis=1)[:, None]
        if (letters > 3).any():
            raise SheetNotReadable("a column of more than three letters")
        in_letters = letters > _POSITIONS
        in_digits = (letters <= _POSITIONS) & (end > _POSITIONS) & digit
        # A number's digits times falling powers, scaled by where it ends: one matrix product
        # each (exact after rounding for anything near Excel's grid).
        column = (
            np.where(in_letters, lower - 96.0, 0.0) @ _FALLING_26 * _POWERS_OF_26[letters[:, 0]]
        )
        row = np.where(in_digits, window - 48.0, 0.0) @ _FALLING_10 * _POWERS_OF_10[end[:, 0]]
        column, row = np.rint(column / 26), np.rint(row / 10)
        if row.max() > MAX_ROW_NUMBER or column.max() > MAX_COLUMN_NUMBER:
            raise SheetNotReadable("a cell reference outside Excel's grid")
        owner = lt[np.searchsorted(lt, refs, side="right") - 1] if len(lt) else refs
        closing = gt[np.minimum(np.searchsorted(gt, owner), len(gt) - 1)] if len(gt) else owner
        inside = (owner < refs) & (closing > refs)
        addressed = owner[inside & (letters[:, 0] > 0)]
        return column, row, addressed

    def _cells(self, a: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """The "<" of every cell start tag (<c ...> or <x:c ...>), by its position."""
        name = np.flatnonzero(a == ord("c"))
        before, after = a[name - 1], a[name + 1]
        name = name[
            ((before == ord("<")) | (before == ord(":")))
            & ((after == ord(" ")) | (after == ord(">")) | (after == ord("/")))
        ]
        return self._start_tags(a, lt, name)

    def _row_ends(self, a: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """The position of every </row> or </x:row>."""
        w = np.flatnonzero(a == ord("w"))
        after = a[w + 1]
        word = w[
            (a[w - 1] == ord("o"))
            & (a[w - 2] == ord("r"))
            & ((after == ord(">")) | (after == ord(" ")))
            & ((a[w - 3] == ord("/")) | (a[w - 3] == ord(":")))
        ]
        if not len(word) or not len(lt):
            return word
        owner = lt[np.searchsorted(lt, word, side="right") - 1]
        return word[a[owner + 1] == ord("/")]

    @staticmethod
    def _start_tags(a: np.ndarray, lt: np.ndarray, names: np.ndarray) -> np.ndarray:
        """The "<" of the tags these names are in, leaving out end tags (</...>)."""
        if not len(names) or not len(lt):
            return names[:0]
        owner = lt[np.searchsorted(lt, names, side="right") - 1]
        return owner[a[owner + 1] != ord("/")]

    def _count_cells_per_row(self, cells: np.ndarray, ends: np.ndarray) -> None:
        if not len(ends):
            self.open_row_cells += len(cells)
            return
        per_row = np.diff(np.searchsorted(cells, ends), prepend=0)
        per_row[0] += self.open_row_cells
        self.widest = max(self.widest, int(per_row.max()))
        self.open_row_cells = len(cells) - int(np.searchsorted(cells, ends[-1]))
