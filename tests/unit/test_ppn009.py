"""PPN 009 rules: the suggestion, the overall level's consistency, lateness, mitigations."""

from __future__ import annotations

from datetime import date

import pytest

from tisc.rules.ppn009 import (
    Characteristic,
    CountryRisk,
    Level,
    Mitigation,
    below_highest,
    highest,
    is_late,
    join_mitigations,
    late_warning,
    missing_mitigations,
    overall_problem,
    parse_mitigations,
    suggest,
)
from tisc.rules.risk import RiskLevel

ALL_LOW = dict.fromkeys(Characteristic, Level.LOW)


def levels(**given: Level) -> dict[Characteristic, Level]:
    return {**ALL_LOW, **{Characteristic(k): v for k, v in given.items()}}


def test_there_are_six_characteristics_in_the_ppns_order() -> None:
    assert [c.label for c in Characteristic] == [
        "Industry",
        "Workforce",
        "Location",
        "Context",
        "Commodity",
        "Business model",
    ]


@pytest.mark.parametrize(
    ("risk", "level"),
    [(RiskLevel.HIGH, Level.HIGH), (RiskLevel.MEDIUM, Level.MEDIUM), (RiskLevel.LOW, Level.LOW)],
)
def test_the_category_risk_suggests_the_industry_level(risk: RiskLevel, level: Level) -> None:
    found = suggest(category_name="Cleaning", category_risk=risk)
    assert found.characteristics == {Characteristic.INDUSTRY: level}
    assert found.overall is level
    assert f"the category Cleaning ({risk.value} risk)" in found.based_on
    assert found.reasons == (f"Industry: the category Cleaning is {risk.value} risk",)


def test_with_nothing_to_go_on_there_is_no_suggestion_and_it_says_why() -> None:
    found = suggest(category_name=None, category_risk=None)
    assert found.overall is None
    assert found.characteristics == {}
    assert found.reasons == ()
    assert found.based_on[0].startswith("no category")
    assert any(b.startswith("no countries") for b in found.based_on)


def test_a_ppn_commodity_in_the_title_suggests_high_commodity_risk() -> None:
    found = suggest(category_name="Office", category_risk=RiskLevel.LOW, commodities=["gloves"])
    assert found.characteristics[Characteristic.COMMODITY] is Level.HIGH
    assert found.overall is Level.HIGH  # the highest of industry (low) and commodity (high)
    assert "Commodity: PPN 009 names gloves as higher risk" in found.reasons


def test_a_commodity_named_twice_is_listed_once() -> None:
    found = suggest(category_name=None, category_risk=None, commodities=["cotton", "cotton"])
    assert "Commodity: PPN 009 names cotton as higher risk" in found.reasons


def test_a_listed_good_from_a_listed_country_suggests_high_location_risk() -> None:
    country = CountryRisk("Malaysia", listed=True, forced_labour=True, goods=("Gloves",))
    found = suggest(category_name=None, category_risk=None, countries=[country])
    assert found.characteristics == {Characteristic.LOCATION: Level.HIGH}
    assert "Location: the US DoL list names Gloves from Malaysia for forced labour" in found.reasons


def test_a_child_labour_listing_is_named_as_child_labour() -> None:
    country = CountryRisk("Ghana", listed=True, forced_labour=False, goods=("Cocoa",))
    found = suggest(category_name=None, category_risk=None, countries=[country])
    assert "Location: the US DoL list names Cocoa from Ghana for child labour" in found.reasons


def test_a_country_listed_for_other_goods_suggests_medium() -> None:
    country = CountryRisk("India", listed=True, forced_labour=True)
    found = suggest(category_name=None, category_risk=None, countries=[country])
    assert found.characteristics == {Characteristic.LOCATION: Level.MEDIUM}
    assert found.reasons == ("Location: India is on the US DoL list for other goods",)


def test_countries_not_on_the_list_suggest_low_location_risk() -> None:
    found = suggest(
        category_name=None,
        category_risk=None,
        countries=[CountryRisk("France", False, False), CountryRisk("Spain", False, False)],
    )
    assert found.characteristics == {Characteristic.LOCATION: Level.LOW}
    assert found.reasons == ("Location: France, Spain not on the US DoL list",)


def test_the_worst_country_decides_the_location_level() -> None:
    countries = [
        CountryRisk("India", True, True),
        CountryRisk("China", True, True, ("Gloves",)),
        CountryRisk("France", False, False),
    ]
    found = suggest(category_name=None, category_risk=None, countries=countries)
    assert found.characteristics[Characteristic.LOCATION] is Level.HIGH


def test_overall_is_required() -> None:
    assert overall_problem(ALL_LOW, None) == "Select the overall risk"


@pytest.mark.parametrize("overall", list(Level))
def test_any_overall_fits_when_every_characteristic_is_low(overall: Level) -> None:
    assert overall_problem(ALL_LOW, overall) is None


def test_overall_low_with_a_high_characteristic_is_refused_naming_it() -> None:
    problem = overall_problem(levels(workforce=Level.HIGH, commodity=Level.HIGH), Level.LOW)
    assert problem == (
        "The overall risk cannot be low when a characteristic is rated high "
        "(workforce, commodity): choose medium or high"
    )


@pytest.mark.parametrize("overall", [Level.MEDIUM, Level.HIGH])
def test_overall_one_step_below_the_highest_is_allowed(overall: Level) -> None:
    assert overall_problem(levels(location=Level.HIGH), overall) is None


def test_overall_low_with_a_medium_characteristic_is_allowed_but_pointed_out() -> None:
    given = levels(context=Level.MEDIUM)
    assert overall_problem(given, Level.LOW) is None
    assert below_highest(given, Level.LOW)
    assert not below_highest(given, Level.MEDIUM)
    assert not below_highest(given, Level.HIGH)


def test_highest_of_nothing_is_none() -> None:
    assert highest([]) is None
    assert highest([Level.LOW, Level.HIGH, Level.MEDIUM]) is Level.HIGH


@pytest.mark.parametrize(
    ("assessed", "notice", "late"),
    [
        (date(2025, 3, 1), date(2025, 3, 2), False),
        (date(2025, 3, 2), date(2025, 3, 2), False),  # the same day is in time
        (date(2025, 3, 3), date(2025, 3, 2), True),
        (date(2025, 3, 3), None, False),  # no tender notice yet: not late
        (None, date(2025, 3, 2), False),
    ],
)
def test_an_assessment_is_late_only_after_the_tender_notice(
    assessed: date | None, notice: date | None, late: bool
) -> None:
    assert is_late(assessed_on=assessed, tender_notice_on=notice) is late
    warning = late_warning(assessed_on=assessed, tender_notice_on=notice)
    assert (warning is not None) is late


def test_the_late_warning_names_both_dates() -> None:
    assert late_warning(assessed_on=date(2025, 6, 9), tender_notice_on=date(2025, 5, 1)) == (
        "This assessment was recorded on 9 June 2025 after the tender notice on 1 May 2025; "
        "PPN 009 asks for it before the tender notice"
    )


def test_mitigations_round_trip_in_their_order_and_ignore_unknown_values() -> None:
    chosen = parse_mitigations(["review", "kpis", "nonsense", "specification"])
    assert chosen == [Mitigation.SPECIFICATION, Mitigation.KPIS, Mitigation.REVIEW]
    assert join_mitigations(chosen) == "specification,kpis,review"
    assert join_mitigations([]) == ""


def test_a_high_risk_expects_more_mitigations_than_a_low_one() -> None:
    assert missing_mitigations(Level.LOW, [Mitigation.CLAUSES]) == []
    missing = missing_mitigations(Level.HIGH, [Mitigation.CLAUSES])
    assert Mitigation.SPECIFICATION in missing and Mitigation.KPIS in missing
    assert Mitigation.CLAUSES not in missing
    assert missing_mitigations(Level.MEDIUM, list(Mitigation)) == []
