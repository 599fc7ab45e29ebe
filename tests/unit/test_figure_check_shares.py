"""The figure check on shares typed by hand and on the statement's basis in law: each at its
boundaries, with no finding where the words agree with the figures or are not about them."""

from __future__ import annotations

import pytest

from tisc.rules.figure_check import (
    BASIS,
    SHARE,
    CheckFigures,
    Finding,
    ShareFigure,
    check_section,
)

# 32,190 of 43,038 trained is 74.79...%; 51 of 106 assessed is 48.11...%; last year 34 of 100.
SHARES = CheckFigures(
    shares=(
        ShareFigure("trained", "share of staff in scope who were trained", 32190, 43038),
        ShareFigure("assessed", "share of tier a and b suppliers assessed", 51, 106),
        ShareFigure("assessed", "last year's share of tier a and b suppliers assessed", 34, 100),
        ShareFigure("trained", "the share of procurement staff trained", 195, 218),
    )
)


def check(text: str, figures: CheckFigures = SHARES, key: str = "training") -> list[Finding]:
    return check_section(
        section_key=key,
        text=text,
        year_label="2025/26",
        last_year_label="2024/25",
        figures=figures,
    )


@pytest.mark.parametrize(
    "text",
    [
        "74.8% of staff in scope were trained.",
        "75% of our staff completed the course.",
        "74.79% of staff were trained.",
        "About 70% of staff were trained.",  # hedged: to the nearest 10
        "Nearly 75% of staff completed the course.",
        "More than 74% of staff were trained.",
        "Fewer than 75% of staff were trained.",
        "89.4% of procurement staff were trained.",  # an audience's share
        "We assessed 48.1% of our tier A and B suppliers.",
        "Assessments reached 48% of suppliers, up from 34% in 2024/25.",  # last year's share
        "Training completion rose by 12% this year.",  # a change, not a level
        "There was a 12% rise in staff trained.",
        "We aim to train 90% of staff by March.",  # an aim
        "Our target is 95% of staff trained.",
        "Spend with local suppliers was 35% of the total.",  # no KPI named: not checked
        "74.8 per cent of staff were trained.",
    ],
)
def test_a_share_that_agrees_or_is_not_a_result_is_no_finding(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Every year 90% of staff complete the course.", "90%"),
        ("74.7% of staff in scope were trained.", "74.7%"),  # one decimal: to the tenth
        ("76% of our staff completed the course.", "76%"),
        ("100% of staff were trained.", "100%"),  # a whole share is to the point
        ("More than 90% of staff were trained.", "More than 90%"),  # 89.4% is the most
        ("Fewer than 74% of staff were trained.", "Fewer than 74%"),
        ("About 60% of staff were trained.", "About 60%"),
        ("We assessed 55% of our suppliers.", "55%"),
        ("We assessed 48.2% of our suppliers.", "48.2%"),
        ("74.8 per cent of staff were trained, and 49 per cent were assessed.", "49 per cent"),
    ],
)
def test_a_share_typed_by_hand_that_differs_is_a_finding(text: str, words: str) -> None:
    found = check(text)
    assert [(f.kind, f.quoted) for f in found] == [(SHARE, words)]


def test_a_finding_names_the_first_share_of_the_topic_with_its_value() -> None:
    (finding,) = check("We assessed 55% of our suppliers.")
    assert finding.figure == "48.1%"
    assert finding.message == "‘55%’ differs from share of tier a and b suppliers assessed, 48.1%"


def test_a_share_with_no_whole_is_never_compared() -> None:
    empty = CheckFigures(shares=(ShareFigure("trained", "the staff trained", 0, 0),))
    assert check("55% of staff were trained.", empty) == []


@pytest.mark.parametrize(
    "text",
    [
        "This statement is made under section 54 of the Modern Slavery Act 2015.",
        "It is required by section 54(1) of the Act.",
        "Section 54 of the Act requires us to publish a statement every year.",
    ],
)
def test_a_voluntary_statement_that_says_it_is_required_is_a_finding(text: str) -> None:
    found = check(text, CheckFigures(voluntary=True), key="introduction")
    assert [f.kind for f in found] == [BASIS]
    assert "a voluntary statement" in found[0].message
    # The same words are right in a required statement.
    assert check(text, CheckFigures(voluntary=False), key="introduction") == []


def test_a_required_statement_that_calls_itself_voluntary_is_a_finding() -> None:
    text = (
        "It is a voluntary statement, made in accordance with section 54(1) of the Modern "
        "Slavery Act 2015."
    )
    found = check(text, CheckFigures(voluntary=False), key="introduction")
    assert [f.kind for f in found] == [BASIS]
    assert check(text, CheckFigures(voluntary=True), key="introduction") == []
    assert check(text, CheckFigures(voluntary=None), key="introduction") == []
