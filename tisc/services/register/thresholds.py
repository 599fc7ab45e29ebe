"""The over-threshold limit: each partnership's for each year (£50,000 unless set)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tisc.database import db
from tisc.models import Organisation, Partnership, SpendThreshold, User
from tisc.rules.money import DEFAULT_THRESHOLD
from tisc.services.errors import ValidationError
from tisc.services.register.categories import organisation_partnership


def threshold_for(*, org: Organisation, financial_year: int) -> Decimal:
    """The over-threshold limit for the body's partnership in that year (£50,000 by default)."""
    partnership = organisation_partnership(org)
    if partnership is None:
        return DEFAULT_THRESHOLD
    return partnership_threshold(partnership=partnership, financial_year=financial_year)


def partnership_threshold(*, partnership: Partnership, financial_year: int) -> Decimal:
    """The partnership's limit for the year (£50,000 unless set)."""
    setting = db.session.get(SpendThreshold, (partnership.id, financial_year))
    return setting.amount if setting else DEFAULT_THRESHOLD


@dataclass(frozen=True)
class UserThresholds:
    """The over-threshold limits a person works with in a year: each of their partnerships'."""

    financial_year: int
    partnerships: tuple[tuple[Partnership, Decimal], ...]  # by partnership name

    @property
    def amount(self) -> Decimal:
        """The one limit to explain the rules with: their partnerships' when those agree (or
        they have just one), else the default."""
        amounts = {amount for _, amount in self.partnerships}
        return amounts.pop() if len(amounts) == 1 else DEFAULT_THRESHOLD

    @property
    def differ(self) -> bool:
        """Whether their partnerships use different limits."""
        return len({amount for _, amount in self.partnerships}) > 1


def user_thresholds(*, user: User, financial_year: int) -> UserThresholds:
    """The limits of the partnerships a person works in for the year: those they have a role
    in, and those whose threshold their bodies use. An administrator may have none."""
    found: dict[int, Partnership] = {}
    for membership in user.memberships:
        partnership = membership.partnership
        if partnership is None and membership.organisation is not None:
            partnership = organisation_partnership(membership.organisation)
        if partnership is not None:
            found[partnership.id] = partnership
    ordered = sorted(found.values(), key=lambda p: p.name)
    return UserThresholds(
        financial_year,
        tuple(
            (p, partnership_threshold(partnership=p, financial_year=financial_year))
            for p in ordered
        ),
    )


def set_threshold(*, partnership: Partnership, financial_year: int, amount: Decimal) -> None:
    """Set the partnership's limit for a year."""
    if amount <= 0:
        raise ValidationError("The threshold must be more than £0", field="amount")
    setting = db.session.get(SpendThreshold, (partnership.id, financial_year))
    if setting is None:
        db.session.add(
            SpendThreshold(
                partnership_id=partnership.id, financial_year=financial_year, amount=amount
            )
        )
    else:
        setting.amount = amount
    db.session.flush()
