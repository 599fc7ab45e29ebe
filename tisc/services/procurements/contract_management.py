"""Managing a contract: its KPIs, its yearly performance ratings, its reviews, and the check
that a contract over £5m has at least three KPIs (tisc.rules.procurement)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import (
    Contract,
    ContractKpi,
    ContractRating,
    ContractReview,
    Organisation,
    User,
)
from tisc.rules.procurement import KpiCheck, PerformanceRating, kpi_check
from tisc.services.errors import NotFoundError, ValidationError


def kpi_counts(contract_ids: Iterable[int]) -> dict[int, int]:
    """How many KPIs each contract has (0 for none)."""
    ids = list(contract_ids)
    counts = dict.fromkeys(ids, 0)
    if ids:
        rows = db.session.execute(
            select(ContractKpi.contract_id, func.count())
            .where(ContractKpi.contract_id.in_(ids))
            .group_by(ContractKpi.contract_id)
        )
        counts.update({contract_id: count for contract_id, count in rows})
    return counts


def kpi_checks(*, contracts: Sequence[Contract]) -> dict[int, KpiCheck]:
    """Contract id -> its KPI check (over £5m with fewer than three KPIs is missing KPIs)."""
    counts = kpi_counts(c.id for c in contracts)
    return {
        c.id: kpi_check(total_value=c.total_value, annual_value=c.annual_value, kpis=counts[c.id])
        for c in contracts
    }


def latest_ratings(contract_ids: Iterable[int]) -> dict[int, ContractRating]:
    """Each contract's rating of its latest rated financial year."""
    ids = list(contract_ids)
    if not ids:
        return {}
    found: dict[int, ContractRating] = {}
    ratings = db.session.scalars(
        select(ContractRating)
        .where(ContractRating.contract_id.in_(ids))
        .order_by(ContractRating.financial_year)
    )
    for rating in ratings:
        found[rating.contract_id] = rating  # later years overwrite earlier ones
    return found


def list_kpis(*, contract: Contract) -> Sequence[ContractKpi]:
    """The contract's KPIs, in the order they were added."""
    return db.session.scalars(
        select(ContractKpi).where(ContractKpi.contract_id == contract.id).order_by(ContractKpi.id)
    ).all()


def get_kpi(*, contract: Contract, kpi_id: int) -> ContractKpi:
    """One of the contract's KPIs; NotFoundError for any other."""
    kpi = db.session.get(ContractKpi, kpi_id)
    if kpi is None or kpi.contract_id != contract.id:
        raise NotFoundError("There is no such KPI")
    return kpi


def add_kpi(
    *,
    org: Organisation,
    contract: Contract,
    user: User | None,
    description: str | None,
    target: str | None,
    measure: str | None,
    modern_slavery: bool = False,
) -> ContractKpi:
    """Add a KPI to one of the body's contracts."""
    if contract.organisation_id != org.id:
        raise NotFoundError("There is no such contract")
    description = (description or "").strip()
    target = (target or "").strip()
    measure = (measure or "").strip()
    if not description:
        raise ValidationError("Enter what the KPI measures", field="description")
    if not target:
        raise ValidationError("Enter the KPI's target", field="target")
    if not measure:
        raise ValidationError("Enter how the KPI is measured", field="measure")
    kpi = ContractKpi(
        contract_id=contract.id,
        description=description,
        target=target,
        measure=measure,
        modern_slavery=bool(modern_slavery),
    )
    db.session.add(kpi)
    db.session.flush()
    return kpi


def remove_kpi(*, org: Organisation, contract: Contract, kpi: ContractKpi) -> None:
    """Remove one of the contract's KPIs."""
    if contract.organisation_id != org.id or kpi.contract_id != contract.id:
        raise NotFoundError("There is no such KPI")
    db.session.delete(kpi)
    db.session.flush()


def list_ratings(*, contract: Contract) -> Sequence[ContractRating]:
    """The contract's ratings, newest year first."""
    return db.session.scalars(
        select(ContractRating)
        .where(ContractRating.contract_id == contract.id)
        .order_by(ContractRating.financial_year.desc())
    ).all()


def rate_contract(
    *,
    org: Organisation,
    contract: Contract,
    user: User | None,
    today: date,
    financial_year: int | None,
    rating: str | None,
    note: str | None,
) -> ContractRating:
    """Record the contract's performance rating for a financial year; a year already rated
    takes the new rating (who rated it and when move on too)."""
    if contract.organisation_id != org.id:
        raise NotFoundError("There is no such contract")
    if financial_year is None:
        raise ValidationError("Select the financial year", field="financial_year")
    if not contract.covers(financial_year):
        raise ValidationError(
            "Select a financial year the contract runs in", field="financial_year"
        )
    if rating not in {r.value for r in PerformanceRating}:
        raise ValidationError("Select the performance rating", field="rating")
    found = db.session.scalar(
        select(ContractRating).where(
            ContractRating.contract_id == contract.id,
            ContractRating.financial_year == financial_year,
        )
    )
    if found is None:
        found = ContractRating(contract_id=contract.id, financial_year=financial_year)
        db.session.add(found)
    found.rating = PerformanceRating(rating)
    found.note = (note or "").strip() or None
    found.rated_on = today
    found.rated_by_id = user.id if user else None
    db.session.flush()
    return found


def contract_reviews(*, contract: Contract) -> Sequence[ContractReview]:
    """The contract management reviews recorded against the contract, newest first."""
    return db.session.scalars(
        select(ContractReview)
        .where(ContractReview.contract_id == contract.id)
        .order_by(ContractReview.reviewed_on.desc(), ContractReview.id.desc())
    ).all()


@dataclass(frozen=True)
class ContractSummary:
    """A contract as the contracts table shows it."""

    contract: Contract
    check: KpiCheck
    latest: ContractRating | None


def contract_summaries(*, contracts: Sequence[Contract]) -> list[ContractSummary]:
    """Each contract with its KPI check and its latest rating."""
    checks = kpi_checks(contracts=contracts)
    latest = latest_ratings(c.id for c in contracts)
    return [ContractSummary(c, checks[c.id], latest.get(c.id)) for c in contracts]
