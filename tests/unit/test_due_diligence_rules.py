"""What each priority tier needs, and what a supplier is still missing, in words."""

from __future__ import annotations

import pytest

from tisc.rules.due_diligence import Done, Need, done_labels, missing, missing_needs, needs
from tisc.rules.risk import Tier

EVERYTHING = Done(
    assessed=True, mapped=True, plan_received=True, review_discussed=True, guidance_sent=True
)


def test_each_tier_needs_what_the_design_says() -> None:
    assert needs(Tier.A) == (
        Need.ASSESSMENT,
        Need.MAPPING,
        Need.PLAN,
        Need.REVIEW,
        Need.GUIDANCE,
    )
    assert needs(Tier.B) == (Need.ASSESSMENT, Need.GUIDANCE)
    assert needs(Tier.C) == (Need.GUIDANCE,)
    assert needs(Tier.D) == ()


def test_nothing_done_leaves_everything_missing_in_words() -> None:
    assert missing(Tier.A, Done()) == (
        "Assessment",
        "Beyond-Tier-1 mapping",
        "Staff engagement plan",
        "Contract review discussing modern slavery",
        "Guidance on modern slavery",
    )
    assert missing(Tier.B, Done()) == ("Assessment", "Guidance on modern slavery")
    assert missing(Tier.D, Done()) == ()


@pytest.mark.parametrize("tier", list(Tier))
def test_everything_done_leaves_nothing_missing(tier: Tier) -> None:
    assert missing(tier, EVERYTHING) == ()
    assert done_labels(tier, EVERYTHING) == tuple(n.label for n in needs(tier))


def test_tier_b_ignores_tier_a_only_work() -> None:
    # Mapping, a plan and a review do not make up for a missing assessment in tier B.
    done = Done(mapped=True, plan_received=True, review_discussed=True)
    assert missing_needs(Tier.B, done) == (Need.ASSESSMENT, Need.GUIDANCE)
    assert done_labels(Tier.B, done) == ()


def test_each_piece_of_work_removes_only_its_own_need() -> None:
    pieces = {
        "assessed": Need.ASSESSMENT,
        "mapped": Need.MAPPING,
        "plan_received": Need.PLAN,
        "review_discussed": Need.REVIEW,
        "guidance_sent": Need.GUIDANCE,
    }
    for attribute, need in pieces.items():
        remaining = missing_needs(Tier.A, Done(**{attribute: True}))
        assert need not in remaining
        assert len(remaining) == 4, attribute


def test_need_keys_are_stable_for_filters() -> None:
    assert [n.value for n in Need] == ["assessment", "mapping", "plan", "review", "guidance"]
    assert Need("plan").label == "Staff engagement plan"
