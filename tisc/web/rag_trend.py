"""Draws the board's RAG counts by quarter (tisc.rules.board.quarter_counts) as an accessible
SVG: role="img" named by its <title> and described by its <desc>, three bars a quarter (red,
amber, green, in the heat-map's colours with a dark edge), each with its number printed above
it and its word below the quarter, and a key. The page shows the same numbers in a table under
it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from tisc.rules.board import CELL_EDGE, RAG_COLOURS, QuarterCount
from tisc.rules.plans import Rag

INK = "#0b0c0c"
RULE = "#b1b4b6"
BAR_W, GAP, GROUP_GAP = 28, 4, 36
PLOT_H = 160
ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)


def rag_trend_svg(counts: Sequence[QuarterCount], *, title: str, desc: str, svg_id: str) -> Markup:
    """The SVG of RAG counts by quarter, its text escaped."""
    most = max((c.count(rag) for c in counts for rag in ORDER), default=0) or 1
    group_w = 3 * BAR_W + 2 * GAP
    left, top = 40, 24
    width = max(left + len(counts) * (group_w + GROUP_GAP) + 20, 360)
    base = top + PLOT_H
    height = base + 40 + 30
    sid = escape(svg_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-rag-trend" id="{sid}" role="img" '
        f'aria-labelledby="{sid}-title {sid}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="arial, sans-serif" font-size="14">',
        f'<title id="{sid}-title">{escape(title)}</title>',
        f'<desc id="{sid}-desc">{escape(desc)}</desc>',
        f'<line x1="{left - 6}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{INK}"/>',
        f'<line x1="{left - 6}" y1="{top}" x2="{width - 10}" y2="{top}" stroke="{RULE}"/>',
        f'<text x="{left - 10}" y="{top + 5}" text-anchor="end" fill="{INK}">{most:,}</text>',
        f'<text x="{left - 10}" y="{base + 5}" text-anchor="end" fill="{INK}">0</text>',
    ]
    for index, count in enumerate(counts):
        x0 = left + index * (group_w + GROUP_GAP)
        for k, rag in enumerate(ORDER):
            number = count.count(rag)
            bar_h = round(PLOT_H * number / most)
            x = x0 + k * (BAR_W + GAP)
            parts.append(
                f'<g class="app-rag-trend__bar" data-quarter="{count.quarter.number}" '
                f'data-rag="{rag.value}" data-count="{number}">'
                f"<title>{escape(count.quarter.label)}: {number:,} {rag.label.lower()}</title>"
                f'<rect x="{x}" y="{base - bar_h}" width="{BAR_W}" height="{bar_h}" '
                f'fill="{RAG_COLOURS[rag][0]}" stroke="{CELL_EDGE}"/>'
                f'<text x="{x + BAR_W / 2}" y="{base - bar_h - 4}" text-anchor="middle" '
                f'fill="{INK}" font-size="12">{number:,}</text></g>'
            )
        label = count.quarter.label + (" so far" if count.quarter.so_far else "")
        parts.append(
            f'<text x="{x0 + group_w / 2}" y="{base + 20}" text-anchor="middle" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    y = base + 44
    x = 8
    for rag in ORDER:
        parts.append(
            f'<rect x="{x}" y="{y}" width="16" height="16" fill="{RAG_COLOURS[rag][0]}" '
            f'stroke="{CELL_EDGE}"/><text x="{x + 22}" y="{y + 13}" fill="{INK}">'
            f"{rag.label}</text>"
        )
        x += 90
    parts.append("</svg>")
    # Every text in it (title, description, labels) went through escape() above.
    return Markup("".join(parts))  # noqa: S704
