"""The live figures of a statement, computed when it is generated: per body and in total.

Every figure comes from the functions the pages and the board report read (register,
due diligence, KPIs, training, action plans), so the numbers agree everywhere. Last year's
figures stand beside this year's when a statement for the previous year exists.

StatementFigures keeps Decimals and counts; as_context() gives the Word template plain
strings (money as "£1,234.56"), never database objects; as_json() is what is stored with a
generated document, so it can be explained later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from tisc.extensions import db
from tisc.models import ItemStatus, Organisation, Partnership, Rag, Statement
from tisc.rules.kpis import KPIS, KpiValue, change, kpi_values, total
from tisc.rules.money import format_pounds
from tisc.rules.risk import RiskLevel
from tisc.rules.years import FinancialYear
from tisc.services import plans, register
from tisc.services.board import change_text
from tisc.services.due_diligence import FIGURE_LABELS, DueDiligenceFigures, total_figures
from tisc.services.kpis import body_figures
from tisc.services.register import CategorySpend
from tisc.services.statements import previous_statement

TOTAL_NAME = "All bodies"
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
        return tuple(c for c in self.categories if c.risk is RiskLevel.HIGH)


@dataclass(frozen=True)
class StatementFigures:
    """Every body's figures for the statement's year, and their total."""

    statement_id: int
    financial_year: int
    as_at: date
    previous_statement_id: int | None
    bodies: tuple[BodyFigures, ...]
    total: BodyFigures

    @property
    def has_last_year(self) -> bool:
        return self.previous_statement_id is not None

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
            },
            sort_keys=True,
        )


# --- computing ------------------------------------------------------------------------------


def covered_organisations(statement: Statement) -> list[Organisation]:
    """The bodies a statement covers: its StatementBody rows, else its owner's bodies."""
    if statement.bodies:
        return [body.organisation for body in statement.bodies]
    if statement.organisation_id is not None:
        return [db.session.get(Organisation, statement.organisation_id)]
    return list(db.session.get(Partnership, statement.partnership_id).organisations)


def year_figures(*, org: Organisation, financial_year: int) -> YearFigures:
    """A body's year: the register summary, due diligence, training and KPIs.

    body_figures is the one call behind kpis.body_kpis (and so behind the action plan and
    the board): the due-diligence figures and training totals are read back from it.
    """
    summary = register.year_summary(org=org, financial_year=financial_year)
    figures = body_figures(org=org, financial_year=financial_year)
    names = [f.name for f in fields(DueDiligenceFigures) if f.name != "financial_year"]
    due_diligence = (
        DueDiligenceFigures(financial_year=financial_year, **{n: figures[n] for n in names})
        if all(figures.get(n) is not None for n in names)
        else None
    )
    trained, in_scope = figures.get("staff_trained"), figures.get("staff_in_scope")
    return YearFigures(
        financial_year=financial_year,
        has_spend=summary is not None,
        spend=summary.total_spend if summary else Decimal(0),
        suppliers=summary.suppliers if summary else 0,
        over_threshold=summary.suppliers_over_threshold if summary else 0,
        high_risk_suppliers=summary.high_risk_suppliers if summary else 0,
        due_diligence=due_diligence,
        training=(trained, in_scope) if trained is not None and in_scope is not None else None,
        kpis=kpi_values(figures),
    )


def rag_summary(*, org: Organisation, financial_year: int, today: date) -> RagSummary:
    """The body's action plan for the year in counts (overdue as at `today`)."""
    plan = plans.get_plan(org=org, financial_year=financial_year)
    if plan is None:
        return RagSummary(has_plan=False)
    items = list(plan.items)
    rags = [item.rag for item in items]
    return RagSummary(
        has_plan=True,
        actions=len(items),
        red=rags.count(Rag.RED),
        amber=rags.count(Rag.AMBER),
        green=rags.count(Rag.GREEN),
        done=sum(1 for item in items if item.status is ItemStatus.DONE),
        overdue=sum(1 for item in items if item.is_overdue(today)),
    )


def _total_year(years: list[YearFigures], financial_year: int) -> YearFigures:
    trainings = [y.training for y in years if y.training is not None]
    return YearFigures(
        financial_year=financial_year,
        has_spend=any(y.has_spend for y in years),
        spend=sum((y.spend for y in years), Decimal(0)),
        suppliers=sum(y.suppliers for y in years),
        over_threshold=sum(y.over_threshold for y in years),
        high_risk_suppliers=sum(y.high_risk_suppliers for y in years),
        due_diligence=total_figures(y.due_diligence for y in years),
        training=(sum(t[0] for t in trainings), sum(t[1] for t in trainings))
        if trainings
        else None,
        kpis={
            k.key: total([y.kpis[k.key] for y in years]) or KpiValue(k, None, None) for k in KPIS
        },
    )


def _total_categories(bodies: list[BodyFigures]) -> tuple[CategorySpend, ...]:
    merged: dict[tuple[int | None, str], CategorySpend] = {}
    for body in bodies:
        for c in body.categories:
            key = (c.category_id, c.name)
            was = merged.get(key)
            merged[key] = (
                c
                if was is None
                else CategorySpend(
                    c.category_id,
                    c.name,
                    c.risk,
                    was.spend + c.spend,
                    was.suppliers + c.suppliers,
                    was.over_threshold + c.over_threshold,
                )
            )
    ordered = sorted(merged.values(), key=lambda c: (-c.spend, c.category_id is None, c.name))
    return tuple(ordered)


def _total(bodies: list[BodyFigures], financial_year: int, has_last: bool) -> BodyFigures:
    plans_ = [b.plan for b in bodies]
    return BodyFigures(
        organisation_id=None,
        name=TOTAL_NAME,
        this_year=_total_year([b.this_year for b in bodies], financial_year),
        last_year=_total_year([b.last_year for b in bodies if b.last_year], financial_year - 1)
        if has_last
        else None,
        categories=_total_categories(bodies),
        plan=RagSummary(
            has_plan=any(p.has_plan for p in plans_),
            **{
                f.name: sum(getattr(p, f.name) for p in plans_)
                for f in fields(RagSummary)
                if f.name != "has_plan"
            },
        ),
    )


def statement_figures(*, statement: Statement, today: date | None = None) -> StatementFigures:
    """Every covered body's figures for the statement's year (and last year's, when the
    previous year's statement exists), and the total. Overdue actions are as at `today`."""
    day = today or date.today()
    year = statement.financial_year
    previous = previous_statement(statement)
    bodies = [
        BodyFigures(
            organisation_id=org.id,
            name=org.name,
            this_year=year_figures(org=org, financial_year=year),
            last_year=year_figures(org=org, financial_year=year - 1) if previous else None,
            categories=tuple(register.spend_by_category(org=org, financial_year=year)),
            plan=rag_summary(org=org, financial_year=year, today=day),
        )
        for org in covered_organisations(statement)
    ]
    return StatementFigures(
        statement_id=statement.id,
        financial_year=year,
        as_at=day,
        previous_statement_id=previous.id if previous else None,
        bodies=tuple(bodies),
        total=_total(bodies, year, previous is not None),
    )


# --- for the template -----------------------------------------------------------------------


def _count(value: int) -> str:
    return f"{value:,}"


def _key_rows(year: YearFigures) -> list[tuple[str, str]]:
    """(label, value) pairs of a year, in the order the document shows them."""
    spend = format_pounds(year.spend) if year.has_spend else NO_SPEND
    rows = [
        ("Non-pay spend", spend),
        ("Suppliers paid", _count(year.suppliers)),
        ("Suppliers in high-risk categories", _count(year.high_risk_suppliers)),
    ]
    found = year.due_diligence
    rows += [(label, found.shown(key) if found else NO_SPEND) for key, label in FIGURE_LABELS]
    trained = f"{year.training[0]:,} of {year.training[1]:,}" if year.training else "None recorded"
    return [*rows, ("Staff trained, of the staff in scope", trained)]


def _year_context(name: str, year: YearFigures) -> dict[str, Any]:
    """One year's figures on their own (last year's, for templates that show it apart)."""
    return {
        "name": name,
        "spend": format_pounds(year.spend) if year.has_spend else NO_SPEND,
        "suppliers": _count(year.suppliers),
        "over_threshold": _count(year.over_threshold),
        "high_risk_suppliers": _count(year.high_risk_suppliers),
        "rows": [{"label": label, "this_year": value} for label, value in _key_rows(year)],
        "kpis": [{"label": k.label, "this_year": year.kpis[k.key].text} for k in KPIS],
    }


def _category(c: CategorySpend) -> dict[str, str]:
    return {
        "name": c.name,
        "risk": c.risk.label if c.risk else "Not rated",
        "spend": format_pounds(c.spend),
        "suppliers": _count(c.suppliers),
        "over_threshold": _count(c.over_threshold),
    }


def _body_context(body: BodyFigures, has_last_year: bool) -> dict[str, Any]:
    this, last = body.this_year, body.last_year
    last_rows = dict(_key_rows(last)) if last else {}
    dd = this.due_diligence
    plan = body.plan
    return {
        "name": body.name,
        "spend": format_pounds(this.spend) if this.has_spend else NO_SPEND,
        "last_year_spend": (format_pounds(last.spend) if last.has_spend else NO_SPEND)
        if last
        else "",
        "suppliers": _count(this.suppliers),
        "over_threshold": _count(this.over_threshold),
        "last_year_over_threshold": _count(last.over_threshold) if last else "",
        "high_risk_suppliers": _count(this.high_risk_suppliers),
        "rows": [
            {"label": label, "this_year": value, "last_year": last_rows.get(label, "")}
            for label, value in _key_rows(this)
        ],
        "due_diligence": {key: (dd.shown(key) if dd else NO_SPEND) for key, _ in FIGURE_LABELS},
        "categories": [_category(c) for c in body.categories],
        "high_risk_categories": [_category(c) for c in body.high_risk_categories],
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
            "actions": _count(plan.actions) if plan.has_plan else "No plan",
            "red": _count(plan.red),
            "amber": _count(plan.amber),
            "green": _count(plan.green),
            "done": _count(plan.done),
            "overdue": _count(plan.overdue),
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
