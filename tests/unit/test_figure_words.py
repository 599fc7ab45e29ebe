"""Live figures in words: money rounded for prose at its boundaries, and ((placeholders))
filled, left alone or listed as unknown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tisc.rules.figure_words import (
    FIGURE_NAMES,
    FIGURES,
    count_in_words,
    figures_used,
    fill_figures,
    money_in_words,
    percent_in_words,
    unknown_figures,
)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "£0"),
        ("0.49", "£0"),
        ("0.50", "£1"),
        ("740.40", "£740"),
        ("999.49", "£999"),
        ("999.50", "£1,000"),
        ("1499.99", "£1,000"),
        ("1500.00", "£2,000"),
        ("949873.42", "£950,000"),
        ("999499.99", "£999,000"),
        ("999500.00", "£1.0 million"),
        ("999999.99", "£1.0 million"),
        ("1000000", "£1.0 million"),
        ("1049999.99", "£1.0 million"),
        ("1050000.00", "£1.1 million"),
        ("15200000", "£15.2 million"),
        ("137952656.28", "£138.0 million"),
        ("137949999.99", "£137.9 million"),
        ("1234567890.12", "£1,234.6 million"),
        ("-1234567", "\u2212£1.2 million"),
        ("-740", "\u2212£740"),
    ],
)
def test_money_in_words(amount: str, words: str) -> None:
    assert money_in_words(Decimal(amount)) == words


def test_counts_and_percentages() -> None:
    assert count_in_words(43038) == "43,038"
    assert percent_in_words(32190, 43038) == "74.8%"
    assert percent_in_words(1, 8) == "12.5%"  # half up: 12.5 exactly
    assert percent_in_words(1, 3) == "33.3%"
    assert percent_in_words(5, 5) == "100.0%"
    assert percent_in_words(0, 0) == "0%"


def test_every_name_has_a_meaning_and_names_are_unique() -> None:
    assert len(set(FIGURE_NAMES)) == len(FIGURES)
    assert all(f.meaning for f in FIGURES)
    assert FIGURES[0].placeholder == "((spend))"


VALUES = {"spend": "£138.0 million", "staff in scope": "43,038", "% trained": "74.8%"}


def test_fill_replaces_known_names() -> None:
    text = "We spend ((spend)); ((% trained)) of ((staff in scope)) staff were trained."
    assert fill_figures(text, VALUES) == (
        "We spend £138.0 million; 74.8% of 43,038 staff were trained."
    )


def test_fill_ignores_case_and_spacing_in_names() -> None:
    assert fill_figures("(( Staff   In Scope ))", VALUES) == "43,038"


def test_fill_leaves_unknown_names_and_names_without_a_value_visible() -> None:
    text = "((headcount)) and ((suppliers)) and {partnership} and [say more]"
    assert fill_figures(text, VALUES) == text


def test_fill_leaves_single_brackets_and_empty_text() -> None:
    assert fill_figures("(spend) and (( )) and ((", VALUES) == "(spend) and (( )) and (("
    assert fill_figures("", VALUES) == ""


def test_unknown_figures_lists_each_once_as_typed() -> None:
    text = "((Headcount)) ((spend)) ((headcount)) ((Headcount)) ((total   spend))"
    assert unknown_figures(text) == ["((Headcount))", "((headcount))", "((total   spend))"]
    assert unknown_figures(None) == []
    assert unknown_figures("((spend)) ((year)) ((last year))") == []


def test_figures_used() -> None:
    assert figures_used("((year)) ((spend)) ((Year)) ((nope))") == ["year", "spend"]
