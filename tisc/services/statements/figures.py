"""The live figures of a statement, computed when it is generated: per body and in total.

Every figure comes from the functions the pages and the board report read (register,
due diligence, KPIs, training, action plans), so the numbers agree everywhere. Last year's
figures stand beside this year's when last year has records (a statement for it or not). The figures
as data, and how the template and the stored document read them, are in
tisc.services.statements.figures_data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from decimal import Decimal

from tisc.database import db
from tisc.models import ItemStatus, Organisation, Partnership, Rag, Statement
from tisc.rules.kpis import KPIS, KpiValue, kpi_values, total
from tisc.services.due_diligence.overview import DueDiligenceFigures, total_figures
from tisc.services.plans import action_plans as plans
from tisc.services.plans.kpis import body_figures
from tisc.services.register import rows as register
from tisc.services.register.partnership import (
    distinct_suppliers,
    distinct_suppliers_by_body,
)
from tisc.services.register.rows import CategorySpend
from tisc.services.statements.figures_data import (
    BodyFigures,
    RagSummary,
    StatementFigures,
    YearFigures,
)
from tisc.services.statements.records import previous_statement

TOTAL_NAME = "All bodies"


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
    """Every covered body's figures for the statement's year and last year's, and the total.
    Overdue actions are as at `today`."""
    day = today or date.today()
    year = statement.financial_year
    previous = previous_statement(statement)
    covered = covered_organisations(statement)
    bodies = [
        BodyFigures(
            organisation_id=org.id,
            name=org.name,
            this_year=year_figures(org=org, financial_year=year),
            # Last year from the registers, even when there was no statement last year.
            last_year=year_figures(org=org, financial_year=year - 1),
            categories=tuple(register.spend_by_category(org=org, financial_year=year)),
            plan=rag_summary(org=org, financial_year=year, today=day),
        )
        for org in covered
    ]
    distinct: dict[int | None, int] = dict(
        distinct_suppliers_by_body(organisations=covered, financial_year=year)
    )
    distinct[None] = distinct_suppliers(organisations=covered, financial_year=year)
    return combine(
        statement_id=statement.id,
        financial_year=year,
        as_at=day,
        previous_statement_id=previous.id if previous else None,
        bodies=bodies,
        distinct_suppliers=distinct,
    )


def combine(
    *,
    statement_id: int,
    financial_year: int,
    as_at: date,
    previous_statement_id: int | None,
    bodies: list[BodyFigures],
    distinct_suppliers: Mapping[int | None, int] | None = None,
) -> StatementFigures:
    """The bodies' figures with their total (also how the made-up figures are put together).
    distinct_suppliers: each body's and all bodies' (None) suppliers, each business once."""
    return StatementFigures(
        statement_id=statement_id,
        financial_year=financial_year,
        as_at=as_at,
        previous_statement_id=previous_statement_id,
        bodies=tuple(bodies),
        total=_total(bodies, financial_year, any(b.last_year is not None for b in bodies)),
        distinct_suppliers=dict(distinct_suppliers or {}),
    )
