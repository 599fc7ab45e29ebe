"""Charts for Word documents, drawn as PNG images with Pillow's own font (no system font, so
the same bytes come out on every machine).

A chart is never the only place its figures appear: the document puts them in a table beside
it, and the picture carries alt text that says what it shows.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

# GOV.UK colours: dark blue for this year, mid grey for last year (each at least 4.5:1 on
# white, and 3:1 against each other for the bars' neighbours).
THIS_YEAR = (29, 112, 184)  # #1d70b8
LAST_YEAR = (80, 90, 95)  # #505a5f
TEXT = (11, 12, 12)  # #0b0c0c
RULE = (177, 180, 182)  # #b1b4b6
SCALE = 2  # drawn at twice the size it is shown, so that it stays sharp when printed


@dataclass(frozen=True)
class Bar:
    """One measure of the chart: its label and its percentages (None: no data that year)."""

    label: str
    this_year: Decimal | None
    last_year: Decimal | None
    target: Decimal | None = None


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size * SCALE)


def percent_bar_chart(
    bars: Sequence[Bar], *, this_label: str, last_label: str | None, width_px: int = 800
) -> bytes:
    """A horizontal bar chart of percentages (0 to 100), this year and last year for each
    measure, with each bar's value written beside it, each target as a black mark across the
    measure's bars, and a key; PNG bytes."""
    label_font, value_font = _font(13), _font(12)
    width = width_px * SCALE
    label_width = 300 * SCALE
    bar_height = 18 * SCALE
    group = (2 if last_label else 1) * bar_height + 22 * SCALE
    top = 40 * SCALE
    axis = top + group * len(bars)
    height = axis + 24 * SCALE
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    plot_left = label_width + 10 * SCALE
    plot_width = width - plot_left - 70 * SCALE

    # The key, top left.
    x = 0
    for colour, text in ((THIS_YEAR, this_label), (LAST_YEAR, last_label)):
        if text is None:
            continue
        draw.rectangle([x, 8 * SCALE, x + 14 * SCALE, 22 * SCALE], fill=colour)
        draw.text((x + 20 * SCALE, 6 * SCALE), text, font=label_font, fill=TEXT)
        x += 40 * SCALE + int(draw.textlength(text, font=label_font))
    if any(bar.target is not None for bar in bars):
        draw.rectangle([x + 5 * SCALE, 4 * SCALE, x + 8 * SCALE, 26 * SCALE], fill=TEXT)
        draw.text((x + 20 * SCALE, 6 * SCALE), "Target", font=label_font, fill=TEXT)
    for percent in (0, 50, 100):
        x = plot_left + plot_width * percent // 100
        draw.line([x, top - 6 * SCALE, x, axis], fill=RULE, width=SCALE)
        text = f"{percent}%"
        draw.text(
            (x - draw.textlength(text, font=value_font) / 2, axis + 4 * SCALE),
            text,
            font=value_font,
            fill=TEXT,
        )

    y = top
    for bar in bars:
        draw.text(
            (0, y), _fit(draw, bar.label, label_font, label_width), font=label_font, fill=TEXT
        )
        if bar.target is not None:
            x = plot_left + int(plot_width * min(max(bar.target, Decimal(0)), Decimal(100)) / 100)
            span = (2 if last_label else 1) * bar_height
            draw.rectangle([x - SCALE, y - 3 * SCALE, x + 2 * SCALE, y + span - SCALE], fill=TEXT)
        rows = [(bar.this_year, THIS_YEAR)] + ([(bar.last_year, LAST_YEAR)] if last_label else [])
        for value, colour in rows:
            if value is None:
                draw.text((plot_left, y), "No data", font=value_font, fill=TEXT)
            else:
                length = int(plot_width * min(max(value, Decimal(0)), Decimal(100)) / 100)
                draw.rectangle(
                    [plot_left, y, plot_left + length, y + bar_height - 4 * SCALE], fill=colour
                )
                # On white, so that a target's mark never runs through the figure.
                text, left = f"{value}%", plot_left + length + 6 * SCALE
                box = draw.textbbox((left, y), text, font=value_font)
                draw.rectangle(
                    [box[0] - SCALE, box[1] - SCALE, box[2] + SCALE, box[3]], fill="white"
                )
                draw.text((left, y), text, font=value_font, fill=TEXT)
            y += bar_height
        y += 22 * SCALE
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> str:
    """The text, cut with an ellipsis to fit the width (the table beside the chart has it
    whole)."""
    if draw.textlength(text, font=font) <= width:  # type: ignore[arg-type]
        return text
    while text and draw.textlength(text + "…", font=font) > width:  # type: ignore[arg-type]
        text = text[:-1]
    return text.rstrip() + "…"
