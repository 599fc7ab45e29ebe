"""The parts of a statement read at a glance: the headline figures with last year beside them,
their chart, specialist training by audience, and the caveats a reader needs about the data.

Every value is taken from the statement's figures (tisc.services.statements.figures) or the
records they come from, so the summary and the tables agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from tisc.documents.charts import Bar, percent_bar_chart
from tisc.models import Audience, Organisation
from tisc.rules.figure_words import money_in_words
from tisc.rules.incidents import figure_rows
from tisc.rules.kpis import KPIS, change, relative_change_text, target_text
from tisc.rules.money import format_whole_pounds
from tisc.rules.years import FinancialYear, long_date
from tisc.services.board.dashboard import change_text
from tisc.services.incidents.counts import incident_counts
from tisc.services.plans.training import list_training
from tisc.services.procurements.figures import act_figures
from tisc.services.register.partnership import count_paid_businesses
from tisc.services.statements.figures_data import (
    StatementFigures,
    YearFigures,
    count_text,
    kpi_share,
)

# The measures of "The year at a glance", in order: KPIs whose share says how far the work
# reached (the staff engagement plans are in the annex).
GLANCE_KPIS = ("assessed", "mapped", "guidance", "reviews", "trained")


def glance_rows(
    figures: StatementFigures, targets: Mapping[str, Decimal] | None = None
) -> list[dict[str, str]]:
    """The headline figures of all the bodies together: this year, last year, the change and
    (for the shares) the partnership's target, "Not set" without one."""
    targets = targets or {}
    this = figures.total.this_year
    last = figures.total.last_year if figures.has_last_year else None
    rows: list[dict[str, str]] = []

    def counted(label: str, now: int | Decimal, then: int | Decimal | None, money: bool) -> None:
        shown = format_whole_pounds if money else count_text
        if last is not None and not last.has_spend:
            before, moved = "No data", "No data"  # nothing imported for last year: never £0
        elif then is None:
            before, moved = "", ""
        else:
            before, moved = shown(then), relative_change_text(now, then)  # type: ignore[arg-type]
        rows.append(
            {
                "label": label,
                "this_year": shown(now),  # type: ignore[arg-type]
                "last_year": before,
                "change": moved,
                "target": "",
            }
        )

    counted("Non-pay spend", this.spend, last.spend if last else None, money=True)
    counted("Suppliers paid", this.suppliers, last.suppliers if last else None, money=False)
    counted(
        "Suppliers over the threshold",
        this.over_threshold,
        last.over_threshold if last else None,
        money=False,
    )
    for kpi in (k for k in KPIS if k.key in GLANCE_KPIS):
        now_value = this.kpis[kpi.key]
        then_value = last.kpis[kpi.key] if last else None
        rows.append(
            {
                "label": kpi.label,
                "this_year": kpi_share(now_value),
                "last_year": kpi_share(then_value) if then_value else "",
                "change": change_text(change(now_value, then_value)) if then_value else "",
                "target": target_text(targets.get(kpi.key)),
            }
        )
    return rows


def _glance_bars(
    figures: StatementFigures, targets: Mapping[str, Decimal] | None
) -> tuple[list[Bar], str, str | None]:
    this = figures.total.this_year
    last = figures.total.last_year if figures.has_last_year else None
    bars = [
        Bar(
            label=k.label,
            this_year=this.kpis[k.key].percent,
            last_year=last.kpis[k.key].percent if last else None,
            target=(targets or {}).get(k.key),
        )
        for k in KPIS
        if k.key in GLANCE_KPIS
    ]
    return bars, _label(this), _label(last) if last else None


def glance_chart(figures: StatementFigures, targets: Mapping[str, Decimal] | None = None) -> bytes:
    """The chart of the glance's shares, this year beside last year and the targets, as a
    PNG."""
    bars, year_label, last_label = _glance_bars(figures, targets)
    return percent_bar_chart(bars, this_label=year_label, last_label=last_label)


def glance_chart_alt(
    figures: StatementFigures, targets: Mapping[str, Decimal] | None = None
) -> str:
    """The chart's alt text, which says every value the chart shows."""
    bars, year_label, last_label = _glance_bars(figures, targets)
    said = []
    for bar in bars:
        now = f"{bar.this_year}%" if bar.this_year is not None else "no data"
        then = ""
        if last_label:
            then = f", {last_label} " + (
                f"{bar.last_year}%" if bar.last_year is not None else "no data"
            )
        aim = f", target {target_text(bar.target)}" if bar.target is not None else ""
        said.append(f"{bar.label}: {year_label} {now}{then}{aim}")
    beside = f" beside {last_label}" if last_label else ""
    return f"Bar chart of the headline shares for {year_label}{beside}. " + "; ".join(said) + "."


def _label(year: YearFigures) -> str:
    return FinancialYear(year.financial_year).label


def training_by_audience(
    *, organisations: Sequence[Organisation], financial_year: int
) -> list[dict[str, str]]:
    """Staff trained of the staff in scope for each audience, all the bodies together."""
    found: dict[Audience, list[int]] = {}
    for org in organisations:
        for record in list_training(org=org, financial_year=financial_year):
            counts = found.setdefault(record.audience, [0, 0])
            counts[0] += record.staff_trained
            counts[1] += record.staff_in_scope
    rows = []
    for audience in Audience:
        if audience not in found:
            continue
        trained, in_scope = found[audience]
        share = (
            f"{(Decimal(trained) * 100 / Decimal(in_scope)).quantize(Decimal('0.1'))}%"
            if in_scope
            else "None in scope"
        )
        rows.append(
            {
                "audience": audience.label,
                "trained": count_text(trained),
                "in_scope": count_text(in_scope),
                "share": share,
            }
        )
    return rows


def data_caveats(*, figures: StatementFigures, organisations: Sequence[Organisation]) -> list[str]:
    """What a reader should know about the figures: spend not yet in a category (its risk is
    not rated) and suppliers counted once per body."""
    caveats = []
    uncategorised = [c for c in figures.total.categories if c.category_id is None]
    spend = sum((c.spend for c in uncategorised), Decimal(0))
    suppliers = sum(c.suppliers for c in uncategorised)
    if suppliers:
        caveats.append(
            f"{money_in_words(spend)} of spend with {count_text(suppliers)} "
            f"supplier{'s' if suppliers != 1 else ''} is not yet in a category, so its risk of "
            "modern slavery is not yet rated."
        )
    else:
        caveats.append("Every supplier paid this year is in a category with a risk rating.")
    if len(organisations) > 1:
        # The businesses of the partnership register with spend by some body this year.
        businesses = count_paid_businesses(
            organisations=organisations, financial_year=figures.financial_year
        )
        caveats.append(
            "Suppliers are counted by body: a business paid by several bodies is counted once "
            f"for each, so the {count_text(figures.total.this_year.suppliers)} suppliers paid are "
            f"{count_text(businesses)} different businesses (matched on company number, else name)."
        )
    return caveats


def summary_context(
    *,
    figures: StatementFigures,
    organisations: Sequence[Organisation],
    targets: Mapping[str, Decimal] | None = None,
) -> dict[str, Any]:
    """The context names of the summary: glance, chart_alt, training, caveats."""
    return {
        "glance": glance_rows(figures, targets),
        "chart_alt": glance_chart_alt(figures, targets),
        "training": training_by_audience(
            organisations=organisations, financial_year=figures.financial_year
        ),
        "caveats": data_caveats(figures=figures, organisations=organisations),
    }


def procurement_context(
    *, organisations: Sequence[Organisation], financial_year: int, today: date, joint: bool
) -> dict[str, Any]:
    """The section on procurement, contracts and exclusions: what the figures are and the
    figures themselves (procurements.figures.act_figures), counted from the records today."""
    whose = "the bodies’" if joint else "our"
    return {
        "sentence": (
            f"These figures are counted from {whose} records of procurements, contracts and "
            f"the central debarment list on {long_date(today)}. PPN 009 asks for each "
            "procurement’s modern slavery risk to be assessed before its tender notice; under "
            "the Procurement Act 2023 a supplier on the debarment list on a mandatory ground "
            "must be excluded, and one on a discretionary ground considered for exclusion. "
            f"The incidents are those {whose} incident logs record: counted, never described."
        ),
        "rows": [
            *(
                {"label": row.label, "value": row.value}
                for row in act_figures(
                    organisations=organisations, financial_year=financial_year, today=today
                )
            ),
            *(
                {"label": label, "value": value}
                for label, value in figure_rows(
                    incident_counts(organisations=organisations, financial_year=financial_year),
                    FinancialYear(financial_year).label,
                )
            ),
        ],
    }
