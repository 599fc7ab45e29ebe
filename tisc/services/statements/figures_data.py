"""A statement's live figures as data: per body and in total, this year and last year, kept
as Decimals and counts (tisc.services.statements.figures computes them).

as_context() gives the Word template plain strings (money to the pound, "£1,235"), never database
objects; as_json() is what is stored with a generated document, so it can be explained later.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from tisc.rules.kpis import KPIS, KpiValue, change
from tisc.rules.money import format_whole_pounds
from tisc.rules.risk import is_high_risk
from tisc.rules.years import FinancialYear
from tisc.services.board.dashboard import change_text
from tisc.services.due_diligence.overview import FIGURE_LABELS, DueDiligenceFigures
from tisc.services.register.rows import CategorySpend

NO_SPEND = "No spend recorded"


@dataclass(frozen=True)
class RagSummary:
    """A body's action plan for the year: how many actions at each RAG, done and overdue."""

    has_plan: bool
    actions: int = 0
    red: int = 0
    amber: int = 0
    green: int = 0
    done: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class YearFigures:
    """A body's (or all bodies') figures for one financial year."""

    financial_year: int
    has_spend: bool
    spend: Decimal
    suppliers: int
    over_threshold: int
    high_risk_suppliers: int
    due_diligence: DueDiligenceFigures | None
    training: tuple[int, int] | None  # (staff trained, staff in scope)
    kpis: dict[str, KpiValue]


@dataclass(frozen=True)
class BodyFigures:
    """One body's figures (organisation_id None: all bodies together)."""

    organisation_id: int | None
    name: str
    this_year: YearFigures
    last_year: YearFigures | None
    categories: tuple[CategorySpend, ...]
    plan: RagSummary

    @property
    def high_risk_categories(self) -> tuple[CategorySpend, ...]:
        return tuple(c for c in self.categories if is_high_risk(c.risk))


@dataclass(frozen=True)
class StatementFigures:
    """Every body's figures for the statement's year, and their total."""

    statement_id: int
    financial_year: int
    as_at: date
    previous_statement_id: int | None
    bodies: tuple[BodyFigures, ...]
    total: BodyFigures
    # This year's suppliers, each business once (register.partnership groups them): by
    # organisation id, and None for all the covered bodies together.
    distinct_suppliers: Mapping[int | None, int] = field(default_factory=dict)

    def distinct_for(self, organisation_id: int | None = None) -> int:
        """The distinct suppliers of one body, or of all (None); where they were not counted
        (made-up figures), the suppliers as the figures count them."""
        if organisation_id in self.distinct_suppliers:
            return self.distinct_suppliers[organisation_id]
        if organisation_id is None:
            return self.total.this_year.suppliers
        body = next(b for b in self.bodies if b.organisation_id == organisation_id)
        return body.this_year.suppliers

    @property
    def has_last_year(self) -> bool:
        """Whether last year stands beside this year: last year's statement exists, or the
        bodies' records have spend for last year."""
        last = self.total.last_year
        return self.previous_statement_id is not None or (last is not None and last.has_spend)

    @property
    def shown(self) -> tuple[BodyFigures, ...]:
        """The bodies, then the total when there is more than one body."""
        return (*self.bodies, self.total) if len(self.bodies) > 1 else self.bodies

    def as_context(self) -> dict[str, Any]:
        """What the Word template reads: plain dicts, strings and numbers."""
        year = FinancialYear(self.financial_year)
        return {
            "year_label": year.label,
            "last_year_label": FinancialYear(self.financial_year - 1).label,
            "has_last_year": self.has_last_year,
            "show_total": len(self.bodies) > 1,
            "distinct_suppliers": count_text(self.distinct_for(None)),
            "bodies": [_body_context(b, self.has_last_year) for b in self.bodies],
            "total": _body_context(self.total, self.has_last_year),
            "shown": [_body_context(b, self.has_last_year) for b in self.shown],
            "last_year_total": _year_context(self.total.name, self.total.last_year)
            if self.total.last_year
            else None,
        }

    def as_json(self) -> str:
        """The figures as JSON (money as strings of pounds), for the stored document."""
        return json.dumps(
            {
                "statement_id": self.statement_id,
                "financial_year": self.financial_year,
                "as_at": self.as_at.isoformat(),
                "previous_statement_id": self.previous_statement_id,
                "bodies": [_body_json(b) for b in self.bodies],
                "total": _body_json(self.total),
                "distinct_suppliers": {
                    "total" if key is None else str(key): value
                    for key, value in self.distinct_suppliers.items()
                },
            },
            sort_keys=True,
        )


# --- for the template -----------------------------------------------------------------------


def count_text(value: int) -> str:
    """A count as the documents print it: 6,787."""
    return f"{value:,}"


def kpi_share(value: KpiValue) -> str:
    """A KPI as a share alone, for tables of many bodies: "34.2%", "No data", "None in scope"."""
    if value.no_data:
        return "No data"
    if not value.whole:
        return "None in scope"
    return f"{value.percent}%"


def _key_rows(year: YearFigures) -> list[tuple[str, str]]:
    """(label, value) pairs of a year, in the order the document shows them."""
    spend = format_whole_pounds(year.spend) if year.has_spend else NO_SPEND
    rows = [
        ("Non-pay spend", spend),
        ("Suppliers paid", count_text(year.suppliers)),
        ("Suppliers in high-risk categories", count_text(year.high_risk_suppliers)),
    ]
    found = year.due_diligence
    rows += [(label, found.shown(key) if found else NO_SPEND) for key, label in FIGURE_LABELS]
    trained = f"{year.training[0]:,} of {year.training[1]:,}" if year.training else "None recorded"
    return [*rows, ("Staff trained, of the staff in scope", trained)]


def _year_context(name: str, year: YearFigures) -> dict[str, Any]:
    """One year's figures on their own (last year's, for templates that show it apart)."""
    return {
        "name": name,
        "spend": format_whole_pounds(year.spend) if year.has_spend else NO_SPEND,
        "suppliers": count_text(year.suppliers),
        "over_threshold": count_text(year.over_threshold),
        "high_risk_suppliers": count_text(year.high_risk_suppliers),
        "rows": [{"label": label, "this_year": value} for label, value in _key_rows(year)],
        "kpis": [{"label": k.label, "this_year": year.kpis[k.key].text} for k in KPIS],
    }


def _category(c: CategorySpend) -> dict[str, str]:
    return {
        "name": c.name,
        "risk": c.risk.label if c.risk else "Not rated",
        "spend": format_whole_pounds(c.spend),
        "suppliers": count_text(c.suppliers),
        "over_threshold": count_text(c.over_threshold),
    }


def _body_context(body: BodyFigures, has_last_year: bool) -> dict[str, Any]:
    this, last = body.this_year, body.last_year
    last_rows = dict(_key_rows(last)) if last else {}
    dd = this.due_diligence
    plan = body.plan
    return {
        "name": body.name,
        "spend": format_whole_pounds(this.spend) if this.has_spend else NO_SPEND,
        "last_year_spend": (format_whole_pounds(last.spend) if last.has_spend else NO_SPEND)
        if last
        else "",
        "suppliers": count_text(this.suppliers),
        "over_threshold": count_text(this.over_threshold),
        "last_year_over_threshold": count_text(last.over_threshold) if last else "",
        "high_risk_suppliers": count_text(this.high_risk_suppliers),
        "rows": [
            {"label": label, "this_year": value, "last_year": last_rows.get(label, "")}
            for label, value in _key_rows(this)
        ],
        "due_diligence": {key: (dd.shown(key) if dd else NO_SPEND) for key, _ in FIGURE_LABELS},
        "categories": [_category(c) for c in body.categories],
        "high_risk_categories": [_category(c) for c in body.high_risk_categories],
        "shares": {k.key: kpi_share(this.kpis[k.key]) for k in KPIS},
        "kpis": [
            {
                "label": k.label,
                "this_year": this.kpis[k.key].text,
                "last_year": last.kpis[k.key].text if last else "",
                "change": change_text(change(this.kpis[k.key], last.kpis[k.key])) if last else "",
            }
            for k in KPIS
        ],
        "plan": {
            "has_plan": "Yes" if plan.has_plan else "No",
            "actions": count_text(plan.actions) if plan.has_plan else "No plan",
            "red": count_text(plan.red),
            "amber": count_text(plan.amber),
            "green": count_text(plan.green),
            "done": count_text(plan.done),
            "overdue": count_text(plan.overdue),
        },
        "has_last_year": has_last_year,
    }


# --- for storage ----------------------------------------------------------------------------


def _kpi_json(value: KpiValue) -> dict[str, Any]:
    percent = value.percent
    return {
        "part": value.part,
        "whole": value.whole,
        "percent": str(percent) if percent is not None else None,
    }


def _year_json(year: YearFigures) -> dict[str, Any]:
    dd = year.due_diligence
    return {
        "financial_year": year.financial_year,
        "has_spend": year.has_spend,
        "spend": str(year.spend),
        "suppliers": year.suppliers,
        "over_threshold": year.over_threshold,
        "high_risk_suppliers": year.high_risk_suppliers,
        "due_diligence": {key: getattr(dd, key) for key, _ in FIGURE_LABELS} if dd else None,
        "training": list(year.training) if year.training else None,
        "kpis": {key: _kpi_json(value) for key, value in year.kpis.items()},
    }


def _body_json(body: BodyFigures) -> dict[str, Any]:
    return {
        "organisation_id": body.organisation_id,
        "name": body.name,
        "this_year": _year_json(body.this_year),
        "last_year": _year_json(body.last_year) if body.last_year else None,
        "categories": [
            {
                "name": c.name,
                "risk": c.risk.value if c.risk else None,
                "spend": str(c.spend),
                "suppliers": c.suppliers,
                "over_threshold": c.over_threshold,
            }
            for c in body.categories
        ],
        "plan": {f.name: getattr(body.plan, f.name) for f in fields(RagSummary)},
    }
