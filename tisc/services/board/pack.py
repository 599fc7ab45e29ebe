"""What the board pack's Word template reads (statements/board-report.docx, built by
scripts/build-board-template.py): plain strings and numbers from the board view and its glance,
and the KPI chart drawn for the pack (tisc.documents.charts) with its alt text.

The pack is short by design: the summary, the heat-map, the KPIs against target and each
body's, the denominators that moved; everything else is in the workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tisc.documents.charts import Bar, percent_bar_chart
from tisc.models import Partnership
from tisc.rules.board import LEGEND, WHOLE_WORDS, rag_fill, rag_ink
from tisc.rules.kpis import target_text
from tisc.rules.money import MINUS
from tisc.rules.years import FinancialYear, long_date
from tisc.services.board.dashboard import BoardView, Cell
from tisc.services.board.glance import BoardGlance

CHART_PICTURE = "board-chart.png"  # the stand-in's name in the template


def _hex(colour: str) -> str:
    """ "#d4351c" as Word writes it: "D4351C"."""
    return colour.lstrip("#").upper()


def cell_word(cell: Cell) -> str:
    """What a heat-map cell says in the pack: its rating (or why none), and overdue."""
    return f"{cell.label}, overdue" if cell.overdue else cell.label


def _percent(value: Any) -> str:
    return "No data" if value is None else f"{value}%"


def chart_bars(glance: BoardGlance) -> list[Bar]:
    return [Bar(k.label, k.percent, k.last_percent, k.target) for k in glance.kpis]


def chart_alt(glance: BoardGlance, *, year_label: str, last_label: str) -> str:
    """The chart's alt text, which says every value the chart shows."""
    said = []
    for k in glance.kpis:
        aim = f", target {target_text(k.target)}" if k.target is not None else ""
        said.append(
            f"{k.label}: {year_label} {_percent(k.percent)}, {last_label} "
            f"{_percent(k.last_percent)}{aim}"
        )
    return (
        f"Bar chart of the partnership's KPIs for {year_label} beside {last_label}. "
        + "; ".join(said)
        + "."
    )


def kpi_chart(glance: BoardGlance, *, year_label: str, last_label: str) -> bytes:
    """The KPIs against target as a PNG, this year beside last year."""
    return percent_bar_chart(chart_bars(glance), this_label=year_label, last_label=last_label)


def _flag_rows(glance: BoardGlance) -> tuple[list[str], list[dict[str, Any]]]:
    """The measures that moved somewhere, and a row per body with a flag."""
    measures = [
        m for m in dict.fromkeys(WHOLE_WORDS.values()) if any(f.measure == m for f in glance.flags)
    ]
    bodies: dict[str, dict[str, str]] = {}
    for flag in glance.flags:
        bodies.setdefault(flag.body, {})[flag.measure] = flag.text
    rows = [
        {"name": name, "figures": [found.get(m, "") for m in measures]}
        for name, found in bodies.items()
    ]
    return measures, rows


def pack_context(
    *,
    view: BoardView,
    glance: BoardGlance,
    report_date: date,
    partnership: Partnership,
    since: Sequence[str],
) -> dict[str, Any]:
    """What the Word template reads: strings and numbers only."""
    year = FinancialYear(view.financial_year)
    last = FinancialYear(view.financial_year - 1)
    measures, flags = _flag_rows(glance)
    return {
        "partnership": partnership.name,
        "year_label": year.label,
        "last_year_label": last.label,
        "report_date": long_date(report_date),
        "body_count": len(view.rows),
        "summary": glance.summary,
        "since": list(since),
        "risks": glance.risks or ["No commitment is red and no action is overdue."],
        "decisions": glance.decisions or ["None: nothing in the figures needs a decision."],
        "headline": [
            {
                "label": k.label,
                "value": _percent(k.percent),
                "target": k.target_text,
                "against": k.against or "No data",
                "last_year": _percent(k.last_percent),
                "direction": f"{k.arrow} {k.direction}".strip(),
            }
            for k in glance.kpis
        ],
        "commitments": [{"heading": c.heading} for c in view.commitments],
        "commitment_list": "; ".join(f"{c.heading}: {c.title}" for c in view.commitments),
        "matrix": [
            {
                "name": row.org.name,
                "overdue": row.overdue,
                "cells": [
                    {"word": cell_word(cell), "fill": _hex(cell.fill), "ink": _hex(cell.ink)}
                    for cell in row.cells
                ],
            }
            for row in view.rows
        ],
        "legend": [
            {
                "word": word,
                "meaning": meaning,
                "fill": _hex(rag_fill(rag)),
                "ink": _hex(rag_ink(rag)),
            }
            for rag, word, meaning in LEGEND
        ]
        + [
            {
                "word": "Overdue",
                "meaning": f"an action is past its due date on {long_date(report_date)}, not done",
                "fill": _hex(rag_fill(None)),
                "ink": _hex(rag_ink(None)),
            }
        ],
        "chart_alt": chart_alt(glance, year_label=year.label, last_label=last.label),
        "trend": [
            {
                "label": q.quarter.label + (" so far" if q.quarter.so_far else ""),
                "as_at": long_date(q.quarter.as_at),
                "red": q.red,
                "amber": q.amber,
                "green": q.green,
            }
            for q in glance.trend
        ],
        "kpi_labels": [k.label for k in view.kpis],
        "body_kpis": [
            {
                "name": body.name,
                "figures": [
                    _kpi_cell(body.values[k.key].value.percent, body.values[k.key].points)
                    for k in view.kpis
                ],
            }
            for body in (*view.body_kpis, view.total_kpis)
        ],
        "flag_measures": measures,
        "flags": flags,
        "flag_sentence": (
            f"{len(glance.flags):,} moved more than 25%, across {len(flags):,} bodies."
            if flags
            else "None moved more than 25%."
        ),
    }


def _kpi_cell(percent: Any, points: Any) -> str:
    """ "27.7% (+16.2)": this year's share and the change in points; "No data"."""
    if percent is None:
        return "No data"
    if points is None:
        return f"{percent}%"
    sign = "+" if points > 0 else MINUS if points < 0 else "\u00b1"
    return f"{percent}% ({sign}{abs(points)})"
