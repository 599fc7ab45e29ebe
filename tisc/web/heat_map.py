"""Draws a heat-map (tisc.rules.heat_map) as an accessible SVG for a page: role="img" named by
its <title> and described by its <desc>, each cell's number printed on its shade, flagged cells
marked with a shape as well as words, and a legend. Labels are shown whole, never cut (the
chart scrolls inside its region). The page shows the same numbers as a table
beside it (templates/components/heat_map.html).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from tisc.rules.heat_map import SHADE_WORDS, SHADES, HeatMap

CELL_W, CELL_H = 56, 40
FONT = 14
INK = "#0b0c0c"
GRID = "#505a5f"  # 7:1 against white: the cells' edges show on every shade.
MARK_FILL = "#ffdd00"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _mark(x: float, y: float) -> str:
    """The flag: a yellow triangle edged in black in the cell's top right corner (black edge
    for 3:1 on white and mid blue, yellow for 3:1 on dark blue)."""
    right, top = x + CELL_W - 3, y + 3
    return (
        f'<path d="M{right - 16} {top} L{right} {top} L{right} {top + 16} Z" '
        f'fill="{MARK_FILL}" stroke="{INK}" stroke-width="1.5"/>'
    )


def heat_map_svg(grid: HeatMap, *, title: str, desc: str, svg_id: str) -> Markup:
    """The SVG of a heat-map, its text escaped."""
    label_w = 8 + max((len(r) for r in grid.rows), default=10) * 8
    head_h = 20 + int(max((len(c) for c in grid.columns), default=8) * 6.2)
    # The last column's label leans right, beyond the grid, by about the header's height.
    width = max(label_w + CELL_W * max(len(grid.columns), 1) + head_h, 420)
    legend_y = head_h + CELL_H * len(grid.rows) + 24
    height = legend_y + 4 * 26 + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-heat-map" id="{escape(svg_id)}" '
        f'role="img" aria-labelledby="{escape(svg_id)}-title {escape(svg_id)}-desc" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="arial, sans-serif" font-size="{FONT}">',
        f'<title id="{escape(svg_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(svg_id)}-desc">{escape(desc)}</desc>',
    ]
    for j, column in enumerate(grid.columns):
        x = label_w + CELL_W * j + CELL_W / 2
        parts.append(
            f'<text class="app-heat-map__column" x="{x}" y="{head_h - 8}" fill="{INK}" '
            f'transform="rotate(-45 {x} {head_h - 8})">{escape(column)}</text>'
        )
    for i, row in enumerate(grid.rows):
        y = head_h + CELL_H * i
        parts.append(
            f'<text class="app-heat-map__row" x="{label_w - 8}" y="{y + CELL_H / 2 + 5}" '
            f'text-anchor="end" fill="{INK}">{escape(row)}</text>'
        )
        for j, column in enumerate(grid.columns):
            cell = grid.cell(row, column)
            x = label_w + CELL_W * j
            about = f"{row}, {column}: {_plural(cell.count, 'entry', 'entries')}"
            if cell.flagged:
                about += f", {cell.flagged:,} on the US DoL list"
            parts.append(
                f'<g class="app-heat-map__cell" data-row="{escape(row)}" '
                f'data-column="{escape(column)}" data-count="{cell.count}" '
                f'data-flagged="{cell.flagged}"><title>{escape(about)}</title>'
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{cell.fill}" '
                f'stroke="{GRID}" stroke-width="1"/>'
                f'<text x="{x + CELL_W / 2}" y="{y + CELL_H / 2 + 5}" text-anchor="middle" '
                f'fill="{cell.ink}" font-weight="bold">{cell.count:,}</text>'
                + (_mark(x, y) if cell.flagged else "")
                + "</g>"
            )
    most = max((c.count for c in grid.cells.values()), default=0)
    legend = [
        (SHADES[0][0], f"{SHADE_WORDS[0]}: 0"),
        (SHADES[1][0], f"{SHADE_WORDS[1]}: up to half the largest cell"),
        (SHADES[2][0], f"{SHADE_WORDS[2]}: more than half the largest cell ({most:,})"),
    ]
    for k, (fill, words) in enumerate(legend):
        y = legend_y + 26 * k
        parts.append(
            f'<rect x="8" y="{y}" width="20" height="20" fill="{fill}" stroke="{GRID}"/>'
            f'<text x="36" y="{y + 15}" fill="{INK}">{escape(words)}</text>'
        )
    y = legend_y + 26 * 3
    parts.append(
        f'<rect x="8" y="{y}" width="20" height="20" fill="#ffffff" stroke="{GRID}"/>'
        + _mark(8 + 20 - CELL_W + 3 - 2, y - 1)
        + f'<text x="36" y="{y + 15}" fill="{INK}">flagged: an entry on the US DoL list</text>'
    )
    parts.append("</svg>")
    # Every text in it (names, title, description) went through escape() above.
    return Markup("".join(parts))  # noqa: S704
