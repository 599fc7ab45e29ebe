"""The Home Office's disclosures a statement makes are judged from its records, area by area."""

from __future__ import annotations

from dataclasses import replace

from tisc.rules.disclosures import AREAS, StatementFacts, disclosures

RISK = (
    "We rate each procurement's risk before it is advertised, as Procurement Policy Note 009 "
    "recommends, and apply the Procurement Act 2023's exclusion grounds."
)
FULL = StatementFacts(
    written=frozenset({"structure", "policies", "risk", "due-diligence", "training", "goals"}),
    texts={
        "risk": RISK,
        "policies": "Our contract terms.",
        "due-diligence": "We put remediation first and make a referral to the NRM.",
    },
    has_spend=True,
    high_risk_suppliers=12,
    mapped_beyond_tier1=3,
    assessed=9,
    contract_reviews_discussed=4,
    risks=2,
    risks_located=1,
    trained_audiences=frozenset({"all_staff", "procurement", "senior_leaders"}),
    has_last_year=True,
    procurements_assessed=5,
)


def made(facts: StatementFacts) -> dict[tuple[str, int], bool]:
    return {(d.area, d.level): d.made for d in disclosures(facts)}


def test_two_disclosures_for_each_of_the_six_areas_in_order() -> None:
    found = disclosures(FULL)
    assert [(d.area, d.level) for d in found] == [(a, n) for a in AREAS for n in (1, 2)]
    assert all(d.made for d in found)
    assert all(d.text and d.shown_by for d in found)


def test_nothing_is_disclosed_by_an_empty_statement() -> None:
    empty = StatementFacts(
        written=frozenset(),
        texts={},
        has_spend=False,
        high_risk_suppliers=0,
        mapped_beyond_tier1=0,
        assessed=0,
        contract_reviews_discussed=0,
        risks=0,
        risks_located=0,
        trained_audiences=frozenset(),
        has_last_year=False,
    )
    assert not any(made(empty).values())


def test_each_level_2_needs_what_the_records_show_beyond_level_1() -> None:
    structure, diligence, risk, kpis, training = AREAS[0], AREAS[2], AREAS[3], AREAS[4], AREAS[5]
    cases = {
        (structure, 2): replace(FULL, mapped_beyond_tier1=0),
        (diligence, 2): replace(FULL, texts={**FULL.texts, "due-diligence": "We check."}),
        (risk, 2): replace(FULL, risks_located=0),
        (kpis, 2): replace(FULL, has_last_year=False),
        (training, 2): replace(FULL, trained_audiences=frozenset({"all_staff", "procurement"})),
    }
    for key, facts in cases.items():
        found = made(facts)
        assert found[key] is False, key
        assert found[(key[0], 1)] is True, key  # the basic disclosure still stands
        assert sum(not v for v in found.values()) == 1, key


def test_a_section_still_to_write_discloses_nothing_of_its_area() -> None:
    found = made(replace(FULL, written=FULL.written - {"policies"}))
    assert found[(AREAS[1], 1)] is False and found[(AREAS[1], 2)] is False
    assert found[(AREAS[0], 1)] is True


def test_words_in_a_section_still_to_write_count_for_nothing() -> None:
    # The risk section names PPN 009 and the Act, but is not written in full yet.
    found = made(replace(FULL, written=FULL.written - {"risk"}))
    assert found[(AREAS[3], 2)] is False
    policies_only = replace(FULL, written=FULL.written - {"risk"}, texts={"risk": RISK})
    assert made(policies_only)[(AREAS[1], 2)] is False


def test_naming_ppn_009_is_not_enough_without_a_procurement_assessed_under_it() -> None:
    found = made(replace(FULL, procurements_assessed=0))
    assert found[(AREAS[3], 2)] is False
    assert sum(not v for v in found.values()) == 1
