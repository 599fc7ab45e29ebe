"""Which financial years an assessment of a supplier can be for, and which to offer first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tisc.database import db
from tisc.models import Organisation, Supplier, SupplierYear
from tisc.rules.years import FinancialYear
from tisc.services.register import rows as register


@dataclass(frozen=True)
class AssessmentYears:
    """The years to choose from (newest first) and the one chosen at first."""

    years: list[int]
    default: int


def supplier_years_with_spend(*, org: Organisation, supplier: Supplier) -> list[int]:
    """The financial years in which the body paid the supplier, newest first."""
    return list(
        db.session.scalars(
            select(SupplierYear.financial_year)
            .where(
                SupplierYear.organisation_id == org.id,
                SupplierYear.supplier_id == supplier.id,
            )
            .order_by(SupplierYear.financial_year.desc())
        )
    )


def assessment_years(
    *, org: Organisation, supplier: Supplier, today: date | None = None
) -> AssessmentYears:
    """Years with the body's spend, the supplier's, this year and last; offered first, the
    latest year in which the supplier has spend (an assessment rates a year's spend), else
    the body's latest, else this financial year."""
    this_year = FinancialYear.containing(today or date.today()).start_year
    body = register.years_with_spend(org=org)
    own = supplier_years_with_spend(org=org, supplier=supplier)
    years = sorted({*body, *own, this_year, this_year - 1}, reverse=True)
    default = own[0] if own else body[0] if body else this_year
    return AssessmentYears(years, default)
