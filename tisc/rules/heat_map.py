"""A heat-map of counts by row and column (the beyond-Tier-1 map: category by country), with
flagged cells, and the shade of each cell. Pure: entries in, a grid out, read by the chart and
by its table alike so the two cannot disagree.

Three shades, chosen for contrast rather than for a smooth scale: white for none, a mid blue
for some, a dark blue for many. Each has at least 3:1 against white and against the others
(WCAG 1.4.11), and the number printed on it at least 4.5:1 (black on white and mid blue, white
on dark blue). A smooth scale of more shades cannot keep 3:1 between neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# (fill, text colour) for shade 0, 1 and 2.
SHADES: tuple[tuple[str, str], ...] = (
    ("#ffffff", "#0b0c0c"),
    ("#5694ca", "#0b0c0c"),
    ("#003078", "#ffffff"),
)
SHADE_WORDS = ("none", "some", "many")


def shade(count: int, most: int) -> int:
    """0 for none; 2 for more than half the largest count (when that is over 1); 1 otherwise."""
    if count <= 0:
        return 0
    if most > 1 and count * 2 > most:
        return 2
    return 1


@dataclass(frozen=True)
class HeatCell:
    """One row and column: how many entries, how many of them flagged, and its shade."""

    count: int
    flagged: int
    shade: int

    @property
    def fill(self) -> str:
        return SHADES[self.shade][0]

    @property
    def ink(self) -> str:
        return SHADES[self.shade][1]


@dataclass(frozen=True)
class HeatMap:
    """Rows and columns in order (most entries first, then by name), and each cell."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], HeatCell]
    total: int
    flagged: int

    def cell(self, row: str, column: str) -> HeatCell:
        return self.cells.get((row, column), HeatCell(0, 0, 0))

    def row_total(self, row: str) -> int:
        return sum(self.cell(row, c).count for c in self.columns)

    def column_total(self, column: str) -> int:
        return sum(self.cell(r, column).count for r in self.rows)


def heat_map(entries: Iterable[tuple[str, str, bool]]) -> HeatMap:
    """The grid of (row, column, flagged) entries: one per entry, counted in its cell."""
    counts: dict[tuple[str, str], list[int]] = {}
    for row, column, flagged in entries:
        cell = counts.setdefault((row, column), [0, 0])
        cell[0] += 1
        cell[1] += 1 if flagged else 0

    def order(index: int) -> tuple[str, ...]:
        totals: dict[str, int] = {}
        for key, (count, _) in counts.items():
            totals[key[index]] = totals.get(key[index], 0) + count
        return tuple(sorted(totals, key=lambda name: (-totals[name], name.lower())))

    most = max((count for count, _ in counts.values()), default=0)
    cells = {key: HeatCell(n, flagged, shade(n, most)) for key, (n, flagged) in counts.items()}
    return HeatMap(
        rows=order(0),
        columns=order(1),
        cells=cells,
        total=sum(c.count for c in cells.values()),
        flagged=sum(c.flagged for c in cells.values()),
    )


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)
