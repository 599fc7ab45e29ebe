"""The partnership's view of one supplier: the same business in every member body's register
(tisc.services.register.partnership groups them), with each body's spend, tier, category and
latest assessment, the partnership's spend and the worst tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tisc.database import db
from tisc.models import AssessmentStatus, Organisation, Supplier, SupplierAssessment
from tisc.rules.rating import RatingResult
from tisc.rules.risk import Assessment, Tier
from tisc.services.assessments.records import assessment_history, supplier_year_flags
from tisc.services.register.partnership import supplier_group


@dataclass(frozen=True)
class BodyRecord:
    """One body's record of the business: its spend and tier in the year, its category, and
    its latest complete assessment (any year) with the rating it gives."""

    org: Organisation
    supplier: Supplier
    spend: Decimal
    flags: Assessment
    latest: SupplierAssessment | None
    rating: RatingResult | None
    shared_from: str | None  # the body whose assessment this body adopted

    @property
    def needs_category(self) -> bool:
        return self.supplier.category is None and self.flags.over_threshold


@dataclass(frozen=True)
class PartnershipSupplier:
    """One business across the partnership's bodies in a financial year."""

    supplier: Supplier  # the record asked for
    financial_year: int
    records: tuple[BodyRecord, ...]

    @property
    def total(self) -> Decimal:
        """The partnership's spend with the business in the year, to the penny."""
        return sum((r.spend for r in self.records), Decimal(0))

    @property
    def bodies(self) -> int:
        return len({r.org.id for r in self.records})

    @property
    def names(self) -> tuple[str, ...]:
        """Each spelling the bodies use, once, in the order of the records."""
        return tuple(dict.fromkeys(r.supplier.name for r in self.records))

    @property
    def company_numbers(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(
                r.supplier.company_number for r in self.records if r.supplier.company_number
            )
        )

    @property
    def worst_tier(self) -> Tier:
        """The worst (first) tier any body's record is in this year."""
        return min((r.flags.tier for r in self.records), key=lambda t: t.value)

    @property
    def worst_bodies(self) -> tuple[str, ...]:
        """The bodies whose record is in the worst tier."""
        worst = self.worst_tier
        return tuple(dict.fromkeys(r.org.name for r in self.records if r.flags.tier is worst))


def _latest(
    org: Organisation, supplier: Supplier
) -> tuple[SupplierAssessment | None, RatingResult | None, str | None]:
    """The supplier's latest complete assessment by its body, its rating, and the body it was
    adopted from (None for the body's own)."""
    for row in assessment_history(org=org, supplier=supplier):
        if row.assessment.status is AssessmentStatus.COMPLETE:
            origin = None
            if row.assessment.adopted_from_id is not None:
                original = db.session.get(SupplierAssessment, row.assessment.adopted_from_id)
                origin = original.organisation.name if original is not None else None
            return row.assessment, row.rating, origin
    return None, None, None


def partnership_supplier(
    *, organisations: Sequence[Organisation], supplier_id: int, financial_year: int
) -> PartnershipSupplier:
    """The business a member body's supplier is, across the bodies, in a financial year.

    NotFoundError when the supplier is not one of the bodies' (unarchived) suppliers.
    """
    by_id = {org.id: org for org in organisations}
    group = supplier_group(
        organisations=organisations, supplier_id=supplier_id, financial_year=financial_year
    )
    records = []
    for supplier, spend in group:
        org = by_id[supplier.organisation_id]
        flags = supplier_year_flags(org=org, supplier=supplier, financial_year=financial_year)
        latest, rating, origin = _latest(org, supplier)
        records.append(BodyRecord(org, supplier, spend, flags, latest, rating, origin))
    asked = next(r.supplier for r in records if r.supplier.id == supplier_id)
    return PartnershipSupplier(asked, financial_year, tuple(records))
