"""Categorising a body's register on demand (`flask --app tisc categorise`): every supplier
not chosen by hand is categorised again from the strongest source (tisc.services.register.
categories.categorise_suppliers), and the outcome is counted by source, with the suggestions
left for a person to review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import CategorySource, Organisation, Supplier
from tisc.services.register.categories import categorise_suppliers


@dataclass
class CategoriseSummary:
    """What categorising found, all the bodies together."""

    suppliers: int = 0  # in the registers (archived ones too)
    categorised: int = 0  # with a category now, whatever the source
    automatic: int = 0  # of them, found by the service rather than decided by a person
    for_review: int = 0  # without a category, with a suggestion waiting for a person
    uncategorised: int = 0  # without a category (for_review among them)
    changed: int = 0  # suppliers whose category or reason this run changed
    by_source: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "suppliers": self.suppliers,
            "categorised": self.categorised,
            "automatic": self.automatic,
            "for_review": self.for_review,
            "uncategorised": self.uncategorised,
            "changed": self.changed,
            "by_source": dict(sorted(self.by_source.items())),
        }


def categorise(*, organisations: Sequence[Organisation]) -> CategoriseSummary:
    """Categorise every body's suppliers again and count the outcome."""
    summary = CategoriseSummary()
    for org in organisations:
        summary.changed += categorise_suppliers(org=org)
        db.session.flush()
        counted = db.session.execute(
            select(Supplier.category_source, func.count())
            .where(Supplier.organisation_id == org.id, Supplier.category_id.is_not(None))
            .group_by(Supplier.category_source)
        )
        for source, count in counted:
            summary.categorised += count
            summary.by_source[source.value] = summary.by_source.get(source.value, 0) + count
            if CategorySource(source).is_automatic:
                summary.automatic += count
        total = db.session.scalar(
            select(func.count()).select_from(Supplier).where(Supplier.organisation_id == org.id)
        )
        summary.suppliers += total or 0
        summary.for_review += (
            db.session.scalar(
                select(func.count())
                .select_from(Supplier)
                .where(
                    Supplier.organisation_id == org.id,
                    Supplier.category_id.is_(None),
                    Supplier.suggested_category_id.is_not(None),
                )
            )
            or 0
        )
    summary.uncategorised = summary.suppliers - summary.categorised
    return summary
