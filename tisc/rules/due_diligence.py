"""What due diligence each priority tier needs, and what a supplier is still missing.

From DESIGN.md: tier A (high-risk and over the threshold) needs full due diligence: an
assessment, beyond-Tier-1 mapping, a staff engagement plan, a contract review in which
modern slavery was discussed, and guidance; tier B needs an assessment and guidance;
tier C needs guidance; tier D is monitored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tisc.rules.risk import Tier


class Need(StrEnum):
    """One piece of due diligence; the value is the key used in filters and URLs."""

    ASSESSMENT = "assessment"
    MAPPING = "mapping"
    PLAN = "plan"
    REVIEW = "review"
    GUIDANCE = "guidance"

    @property
    def label(self) -> str:
        """What is missing, in words."""
        return {
            "assessment": "Assessment",
            "mapping": "Beyond-Tier-1 mapping",
            "plan": "Staff engagement plan",
            "review": "Contract review discussing modern slavery",
            "guidance": "Guidance on modern slavery",
        }[self.value]


_NEEDS: dict[Tier, tuple[Need, ...]] = {
    Tier.A: (Need.ASSESSMENT, Need.MAPPING, Need.PLAN, Need.REVIEW, Need.GUIDANCE),
    Tier.B: (Need.ASSESSMENT, Need.GUIDANCE),
    Tier.C: (Need.GUIDANCE,),
    Tier.D: (),
}


def needs(tier: Tier) -> tuple[Need, ...]:
    """The due diligence a supplier in this tier needs, in the order it is shown."""
    return _NEEDS[tier]


@dataclass(frozen=True)
class Done:
    """What has been done for a supplier in one financial year."""

    assessed: bool = False
    mapped: bool = False
    plan_received: bool = False
    review_discussed: bool = False
    guidance_sent: bool = False

    def has(self, need: Need) -> bool:
        return {
            Need.ASSESSMENT: self.assessed,
            Need.MAPPING: self.mapped,
            Need.PLAN: self.plan_received,
            Need.REVIEW: self.review_discussed,
            Need.GUIDANCE: self.guidance_sent,
        }[need]


def missing_needs(tier: Tier, done: Done) -> tuple[Need, ...]:
    """What the tier needs that has not been done."""
    return tuple(need for need in needs(tier) if not done.has(need))


def missing(tier: Tier, done: Done) -> tuple[str, ...]:
    """What is missing, in words (empty when everything the tier needs is done)."""
    return tuple(need.label for need in missing_needs(tier, done))


def done_labels(tier: Tier, done: Done) -> tuple[str, ...]:
    """What the tier needs that has been done, in words."""
    return tuple(need.label for need in needs(tier) if done.has(need))
