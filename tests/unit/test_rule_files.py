"""Checking a partnership's own rules for automatic categories before they are saved: every
problem in words, naming its line; the shipped files pass with the default categories."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tisc.rules.auto_category import NameRules, ReferenceList
from tisc.rules.rule_files import MAX_BYTES, RuleKind, check_rules, rule_rows

ROOT = Path(__file__).resolve().parents[2]
with (ROOT / "suppliers" / "categories.csv").open(encoding="utf-8", newline="") as handle:
    DEFAULTS = frozenset(row["name"] for row in csv.DictReader(handle))
CATEGORIES = frozenset({"Cleaning", "Construction", "Waste"})
NAMES = RuleKind.NAME_RULES
REFERENCE = RuleKind.REFERENCE_SUPPLIERS


@pytest.mark.parametrize("kind", list(RuleKind))
def test_the_shipped_files_pass_with_the_default_categories(kind: RuleKind) -> None:
    text = (ROOT / "suppliers" / kind.spec.file_name).read_text(encoding="utf-8")
    assert check_rules(kind, text, DEFAULTS) == []


def test_good_rules_with_comments_and_blank_lines_pass() -> None:
    text = (
        "# Our own rules, agreed by the board in May\n"
        "\n"
        "words,category,confidence\n"
        "# kennels are cleaned by the contractor\n"
        "kennels;dog kennels,Cleaning,high\n"
        "skip,Waste,low\n"
        "roofing,Construction,\n"
    )
    assert check_rules(NAMES, text, CATEGORIES) == []


def test_a_category_not_of_the_partnership_is_refused_naming_its_line() -> None:
    text = "words,category,confidence\nroofing,Construction,high\n\nkennels,Cleanng,high\n"
    assert check_rules(NAMES, text, CATEGORIES) == [
        "Line 4: ‘Cleanng’ is not one of this partnership's categories"
    ]


@pytest.mark.parametrize("confidence", ["medium", "hi", "0"])
def test_a_confidence_other_than_high_or_low_is_refused(confidence: str) -> None:
    text = f"words,category,confidence\nkennels,Cleaning,{confidence}\n"
    assert check_rules(NAMES, text, CATEGORIES) == ["Line 2: the confidence must be high or low"]


@pytest.mark.parametrize("confidence", ["high", "LOW", " low ", ""])
def test_high_low_and_blank_confidence_pass(confidence: str) -> None:
    text = f"words,category,confidence\nkennels,Cleaning,{confidence}\n"
    assert check_rules(NAMES, text, CATEGORIES) == []


def test_a_missing_column_is_refused_on_the_first_line() -> None:
    text = "# a note\nwords,confidence\nkennels,high\n"
    assert check_rules(NAMES, text, CATEGORIES) == [
        "Line 2: the first line must name the columns words, category and confidence "
        "(category is missing)"
    ]


def test_a_misspelt_column_is_named() -> None:
    problems = check_rules(REFERENCE, "nmae,category\nKier,Construction\n", CATEGORIES)
    assert problems == [
        "Line 1: ‘nmae’ is not a column of these rules: use name and category",
        "Line 1: the first line must name the columns name and category (name is missing)",
    ]


@pytest.mark.parametrize("words", ["", "  ", ";", "-;!"])
def test_blank_words_are_refused(words: str) -> None:
    text = f"words,category\n{words},Cleaning\n"
    assert check_rules(NAMES, text, CATEGORIES) == [
        "Line 2: enter the words to look for in suppliers' names"
    ]


def test_a_blank_supplier_name_and_a_blank_category_are_refused() -> None:
    text = "name,category\n,Construction\nKier,\n"
    assert check_rules(REFERENCE, text, CATEGORIES) == [
        "Line 2: enter the supplier's name",
        "Line 3: enter the category",
    ]


def test_every_problem_is_listed_in_line_order() -> None:
    text = "words,category,confidence\nkennels,Cleanng,maybe\n,Waste,high\nroofing,Construction\n"
    assert check_rules(NAMES, text, CATEGORIES) == [
        "Line 2: the confidence must be high or low",
        "Line 2: ‘Cleanng’ is not one of this partnership's categories",
        "Line 3: enter the words to look for in suppliers' names",
    ]


def test_a_phrase_or_name_given_twice_is_refused() -> None:
    names = "words,category\nroofing;Roofing,Construction\nkennels,Cleaning\nKENNELS,Waste\n"
    assert check_rules(NAMES, names, CATEGORIES) == [
        "Line 2: ‘roofing’ is already on line 2",
        "Line 4: ‘kennels’ is already on line 3",
    ]
    reference = "name,category\nKier Ltd,Construction\nKIER LIMITED,Construction\n"
    assert check_rules(REFERENCE, reference, CATEGORIES) == [
        "Line 3: ‘KIER LIMITED’ is already on line 2"
    ]


def test_more_values_than_columns_is_refused() -> None:
    text = "name,category\nSmith, Jones and Co,Construction\n"
    assert check_rules(REFERENCE, text, CATEGORIES) == [
        "Line 2: has more values than the first line has columns "
        "(put text with a comma in double quotes)"
    ]
    quoted = 'name,category\n"Smith, Jones and Co",Construction\n'
    assert check_rules(REFERENCE, quoted, CATEGORIES) == []


def test_no_column_line_at_all_is_refused() -> None:
    assert check_rules(NAMES, "# only a note\n\n", CATEGORIES) == [
        "Enter the rules: a first line naming the columns words, category and confidence"
    ]


def test_a_column_line_and_no_rules_passes() -> None:
    assert check_rules(REFERENCE, "name,category\n", CATEGORIES) == []


def test_the_size_limit_is_inclusive() -> None:
    header = "name,category\n"
    at_limit = header + "#" * (MAX_BYTES - len(header))
    assert check_rules(REFERENCE, at_limit, CATEGORIES) == []
    assert check_rules(REFERENCE, at_limit + "#", CATEGORIES) == [
        "The rules must be 200 KB or smaller"
    ]


def test_the_size_counts_bytes_not_characters() -> None:
    header = "name,category\n"
    text = header + "#" + "é" * ((MAX_BYTES - len(header)) // 2)  # two bytes each
    assert len(text) <= MAX_BYTES < len(text.encode("utf-8"))
    assert check_rules(REFERENCE, text, CATEGORIES) == ["The rules must be 200 KB or smaller"]


def test_checked_rules_read_as_the_matcher_reads_them() -> None:
    text = " Words , Category ,CONFIDENCE\nkennels,Cleaning,low\n"
    assert check_rules(NAMES, text, CATEGORIES) == []
    match = NameRules.from_csv(text).match("Happy Kennels Ltd")
    assert match is not None
    assert (match.category, match.reason, match.confident) == (
        "Cleaning",
        "name contains KENNELS",
        False,
    )
    found = ReferenceList.from_csv(" Name ,category\nKier,Construction\n").match("kier group")
    assert found is not None and found.category == "Construction"


def test_kinds_are_found_by_their_address_word() -> None:
    assert RuleKind.from_slug("name-rules") is NAMES
    assert RuleKind.from_slug("reference-suppliers") is REFERENCE
    assert RuleKind.from_slug("name_rules") is None


def test_rules_read_as_a_table_in_the_order_of_the_columns() -> None:
    text = "# note\nconfidence,category,words\nlow,Waste,skip ; skips\n,Cleaning,kennels\n"
    assert rule_rows(NAMES, text) == [
        ("skip; skips", "Waste", "low"),
        ("kennels", "Cleaning", "high"),
    ]
    assert rule_rows(REFERENCE, "name,category\n Kier ,Construction\n") == [
        ("Kier", "Construction")
    ]
