"""Suggested categories from a supplier's name and the reference list: whole words, the
longest phrase first, a reason in words; and the shipped rule files name real categories."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tisc.rules.auto_category import Match, NameRules, ReferenceList
from tisc.rules.names import normalise_supplier_name

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_NAMES = NameRules.from_csv((ROOT / "suppliers" / "name_rules.csv").read_text())
SHIPPED_REFERENCE = ReferenceList.from_csv(
    (ROOT / "suppliers" / "reference_suppliers.csv").read_text()
)
CONSTRUCTION = "Construction, building works and maintenance"

RULES = NameRules.from_csv(
    "words,category\n"
    "roofing;painting and decorating;decorating,Construction\n"
    "cleaning,Cleaning\n"
    "waste,Waste\n"
)


@pytest.mark.parametrize(
    ("name", "category", "reason"),
    [
        ("ACME ROOFING LTD", "Construction", "name contains ROOFING"),
        ("Acme Decorating & Waste", "Construction", "name contains DECORATING"),  # the longest
        (
            "J SMITH PAINTING  AND DECORATING",
            "Construction",
            "name contains PAINTING AND DECORATING",
        ),
        ("J Smith Painting & Decorating", "Construction", "name contains PAINTING AND DECORATING"),
        ("Crystal Cleaning Services", "Cleaning", "name contains CLEANING"),
        ("WASTE-LESS LTD", "Waste", "name contains WASTE"),
    ],
)
def test_words_in_a_name_suggest_a_category_with_a_reason(
    name: str, category: str, reason: str
) -> None:
    assert RULES.match(name) == Match(category, reason)


@pytest.mark.parametrize(
    "name", ["Toothpaste Ltd", "Wastewater? no: WASTEWATER LTD", "", None, "Roofingly"]
)
def test_a_word_inside_another_word_is_not_a_match(name: str | None) -> None:
    assert RULES.match(name) is None


def test_the_reference_list_matches_the_start_of_the_normalised_name() -> None:
    listed = ReferenceList.from_csv(
        "# a comment line\nname,category\nWillmott Dixon,Construction\nKier,Construction\n"
    )
    for name in ("WILLMOTT DIXON CONSTRUCTION LTD", "Willmott Dixon", "Kier Integrated Services"):
        found = listed.match(normalise_supplier_name(name))
        assert found is not None and found.category == "Construction", name
    assert listed.match(normalise_supplier_name("Willmott Dixon Construction Ltd")).reason == (
        "Willmott Dixon is on the reference list of well-known suppliers"
    )
    for name in ("Kiera Hairdressing", "Dixon Willmott", "Willmott"):
        assert listed.match(normalise_supplier_name(name)) is None, name
    assert listed.match("") is None


def _shipped_categories() -> set[str]:
    with (ROOT / "suppliers" / "categories.csv").open(encoding="utf-8") as handle:
        return {row["name"] for row in csv.DictReader(handle)}


def test_every_shipped_rule_names_a_shipped_category() -> None:
    known = _shipped_categories()
    assert set(SHIPPED_NAMES.phrases.values()) <= known
    assert {category for _, category, _ in SHIPPED_REFERENCE.entries} <= known


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("WILLMOTT DIXON CONSTRUCTION LTD", CONSTRUCTION),
        ("SAINT-GOBAIN BUILDING DISTRIBUTION LTD T/A JEWSON", CONSTRUCTION),
        ("A & B ROOFING LTD", CONSTRUCTION),
        ("J BLOGGS (PLASTERERS) LIMITED", CONSTRUCTION),
        ("NORTHERN ELECTRICAL CONTRACTORS LTD", CONSTRUCTION),
        ("SMITH PAINTING & DECORATING", CONSTRUCTION),
        ("ACME RECYCLING & RECOVERY LTD", "Waste and recycling"),
        ("BRIGHT CLEANING CONTRACTORS LTD", "Cleaning services and materials"),
        ("PEOPLE FIRST RECRUITMENT LTD", "Temporary and agency staff, recruitment"),
    ],
)
def test_plainly_high_risk_names_are_found_by_the_shipped_rules(name: str, category: str) -> None:
    found = SHIPPED_REFERENCE.match(normalise_supplier_name(name)) or SHIPPED_NAMES.match(name)
    assert found is not None and found.category == category, name


MIXED = NameRules.from_csv(
    "words,category,confidence\n"
    "security services;guarding,Security,high\n"
    "security,Security,low\n"
    "consulting,Professional,LOW\n"
    "roofing,Construction,\n"  # no confidence given: high
)


@pytest.mark.parametrize(
    ("name", "category", "reason", "confident"),
    [
        ("Acme Security Services Ltd", "Security", "name contains SECURITY SERVICES", True),
        ("Acme Security Ltd", "Security", "name contains SECURITY", False),
        ("Castle Consulting", "Professional", "name contains CONSULTING", False),
        ("Acme Roofing", "Construction", "name contains ROOFING", True),
        # Equally long: the sure rule wins, wherever it is in the name.
        ("Acme Guarding and Security", "Security", "name contains GUARDING", True),
        ("Acme Security and Guarding", "Security", "name contains GUARDING", True),
    ],
)
def test_a_low_confidence_rule_matches_but_is_not_sure(
    name: str, category: str, reason: str, confident: bool
) -> None:
    assert MIXED.match(name) == Match(category, reason, confident)


def test_the_shipped_rules_are_sure_of_trades_and_unsure_of_words_many_businesses_use() -> None:
    assert SHIPPED_NAMES.match("SMITH ROOFING LTD").confident
    assert SHIPPED_NAMES.match("NORTHERN SECURITY SERVICES LTD").confident
    assert SHIPPED_NAMES.match("NORTHERN SECURITY LTD").confident  # "security ltd": a guard firm
    assert not SHIPPED_NAMES.match("NORTHERN SECURITY").confident
    for unsure in ("CASTLE CONSULTING", "ACME STORAGE", "NORTHERN GAS", "THE RED LION INN"):
        found = SHIPPED_NAMES.match(unsure)
        assert found is not None and not found.confident, unsure
    with open(ROOT / "suppliers" / "name_rules.csv", encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    levels = {row["confidence"] for row in csv.DictReader(lines)}
    assert levels == {"high", "low"}  # every rule says how sure it is


def test_a_sure_rule_beats_a_longer_unsure_one() -> None:
    rules = NameRules.from_csv(
        "words,category,confidence\ncleaning,Cleaning,high\ndevelopments,Construction,low\n"
    )
    assert rules.match("Acme Cleaning Developments") == Match(
        "Cleaning", "name contains CLEANING", True
    )


def test_building_is_a_trade_unless_it_is_a_building_society() -> None:
    assert SHIPPED_NAMES.match("BERMAR BUILDING CO LTD") == Match(
        CONSTRUCTION, "name contains BUILDING", True
    )
    found = SHIPPED_NAMES.match("Leeds Building Society")
    assert found is not None and found.category != CONSTRUCTION
    assert found.reason == "name contains BUILDING SOCIETY"
    consultancy = SHIPPED_NAMES.match("AHR Building Consultancy Limited")
    assert consultancy is not None and consultancy.category != CONSTRUCTION
