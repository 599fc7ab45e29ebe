"""KPIs for a body and a year, computed from the register, due diligence and training.

The one place the action plan, the board and the statement get their KPIs from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import Audience, Organisation, Partnership, TrainingRecord
from tisc.rules.kpis import KPIS, KpiValue, kpi_values, total
from tisc.services.due_diligence.overview import (
    DueDiligenceFigures,
    due_diligence_figures,
    due_diligence_figures_for,
)


def training_totals(*, org: Organisation, financial_year: int) -> tuple[int, int] | None:
    """(staff trained, staff in scope) for the year, or None when nothing is recorded.

    Staff only (not suppliers). When an "All staff" course is recorded it is the measure,
    since the other audiences are part of all staff; otherwise the other audiences are added.
    """
    records = db.session.scalars(
        select(TrainingRecord).where(
            TrainingRecord.organisation_id == org.id,
            TrainingRecord.financial_year == financial_year,
            TrainingRecord.audience != Audience.SUPPLIERS,
        )
    ).all()
    chosen = [r for r in records if r.audience is Audience.ALL_STAFF] or list(records)
    if not chosen:
        return None
    return sum(r.staff_trained for r in chosen), sum(r.staff_in_scope for r in chosen)


def audience_totals(
    *, organisation_ids: Sequence[int], financial_year: int
) -> dict[int, dict[Audience, tuple[int, int]]]:
    """(staff trained, staff in scope) for each body and audience in the year, in one query:
    {organisation id: {audience: (trained, in scope)}}; a body with no records is absent."""
    rows = db.session.execute(
        select(
            TrainingRecord.organisation_id,
            TrainingRecord.audience,
            func.sum(TrainingRecord.staff_trained),
            func.sum(TrainingRecord.staff_in_scope),
        )
        .where(
            TrainingRecord.organisation_id.in_(list(organisation_ids)),
            TrainingRecord.financial_year == financial_year,
        )
        .group_by(TrainingRecord.organisation_id, TrainingRecord.audience)
    )
    found: dict[int, dict[Audience, tuple[int, int]]] = {}
    for org_id, audience, trained, in_scope in rows:
        found.setdefault(org_id, {})[audience] = (int(trained), int(in_scope))
    return found


def _figures(
    due_diligence: DueDiligenceFigures | None, training: tuple[int, int] | None
) -> dict[str, int | None]:
    figures: dict[str, int | None] = {}
    if due_diligence is not None:
        figures.update({k: v for k, v in asdict(due_diligence).items() if k != "financial_year"})
    if training is not None:
        figures["staff_trained"], figures["staff_in_scope"] = training
    return figures


def body_figures(*, org: Organisation, financial_year: int) -> dict[str, int | None]:
    """The named figures KPIs are made of; absent ones mean "no data"."""
    return _figures(
        due_diligence_figures(org=org, financial_year=financial_year),
        training_totals(org=org, financial_year=financial_year),
    )


def _training_from(audiences: dict[Audience, tuple[int, int]] | None) -> tuple[int, int] | None:
    """training_totals from a body's audience_totals: "All staff" when recorded, else the
    other staff audiences added (never suppliers)."""
    if not audiences:
        return None
    if Audience.ALL_STAFF in audiences:
        return audiences[Audience.ALL_STAFF]
    chosen = [v for a, v in audiences.items() if a is not Audience.SUPPLIERS]
    if not chosen:
        return None
    return sum(t for t, _ in chosen), sum(s for _, s in chosen)


def body_kpis(*, org: Organisation, financial_year: int) -> dict[str, KpiValue]:
    """Every KPI of a body for a year, by key (tisc.rules.kpis.KPI_KEYS)."""
    return kpi_values(body_figures(org=org, financial_year=financial_year))


@dataclass(frozen=True)
class PartnershipKpis:
    """Each member body's KPIs for a year, side by side, and the partnership's total."""

    financial_year: int
    bodies: list[tuple[Organisation, dict[str, KpiValue]]]
    total: dict[str, KpiValue]


def partnership_kpis(*, partnership: Partnership, financial_year: int) -> PartnershipKpis:
    """Every member body's KPIs and their sum (bodies with no data are left out of the sum)."""
    members = list(partnership.organisations)
    # Every body's figures in a few queries for all of them, not a few for each body.
    due_diligence = due_diligence_figures_for(organisations=members, financial_year=financial_year)
    training = audience_totals(
        organisation_ids=[org.id for org in members], financial_year=financial_year
    )
    bodies = [
        (
            org,
            kpi_values(_figures(due_diligence[org.id], _training_from(training.get(org.id)))),
        )
        for org in members
    ]
    totals = {}
    for definition in KPIS:
        summed = total([values[definition.key] for _, values in bodies])
        totals[definition.key] = summed or KpiValue(definition, None, None)
    return PartnershipKpis(financial_year, bodies, totals)
