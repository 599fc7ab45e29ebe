"""The figure check: money and staff counts typed by hand, last year's words, and claims of
completeness, each at its boundaries, with no finding where words and figures agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tisc.rules.figure_check import (
    COMPLETENESS,
    LAST_YEAR,
    MONEY,
    STAFF,
    CheckFigures,
    Finding,
    MoneyFigure,
    check_section,
    finding_key,
    sentences,
)

SPEND = MoneyFigure("the spend in the figures", Decimal("137952656.28"))
FIGURES = CheckFigures(
    money=(SPEND, MoneyFigure("the uncategorised spend", Decimal("15234000.00"))),
    staff_in_scope=43038,
    staff_trained=32190,
    uncategorised_spend=Decimal("15234000.00"),
    suppliers_over_threshold=144,
    guidance_sent=120,
)


def check(text: str, key: str = "structure", figures: CheckFigures = FIGURES) -> list[Finding]:
    return check_section(
        section_key=key,
        text=text,
        year_label="2025/26",
        last_year_label="2024/25",
        figures=figures,
    )


def quoted(text: str, key: str = "structure", figures: CheckFigures = FIGURES) -> list[str]:
    return [f.quoted for f in check(text, key, figures)]


# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        "£138.0 million",
        "£138 million",
        "£140 million",  # two significant figures: to £10 million
        "£137,952,656.28",
        "£137,952,656",
        "£137,953,000",
        "£138,000,000",
        "£138m",
        "£138.0m",
        "£0.1bn",
        "£15.2 million",  # the uncategorised spend, also a figure
        "£15.2m",
        "£15,234,000.00",
    ],
)
def test_money_that_matches_after_rounding_is_fine(amount: str) -> None:
    assert check(f"We spend {amount} each year.") == []


@pytest.mark.parametrize(
    "amount",
    [
        "£250 million",
        "£137.9 million",
        "£138.1 million",
        "£137,952,656.27",
        "£137,952,657",
        "£1.2m",
        "£100 million",  # not rounding to £100 million: two significant figures kept
        "£130 million",
    ],
)
def test_money_that_differs_is_a_finding(amount: str) -> None:
    found = check(f"We spend {amount} each year.")
    assert [(f.kind, f.quoted) for f in found] == [(MONEY, amount)]
    assert found[0].message == f"‘{amount}’ differs from the spend in the figures, £138.0 million"
    assert found[0].figure == "£138.0 million"


def test_more_decimals_make_a_finer_comparison() -> None:
    assert check("We spent £137.95 million.") == []
    assert quoted("We spent £137.96 million.") == ["£137.96 million"]


def test_money_is_checked_only_in_sentences_about_spend() -> None:
    assert check("Suppliers paid more than £50,000 get the fullest checks.") == []
    assert quoted("Suppliers we spend more than £50,000 with get the fullest checks.") == [
        "£50,000"
    ]


def test_money_is_not_checked_without_money_figures() -> None:
    assert check("We spend £250 million.", figures=CheckFigures()) == []


def test_money_boundaries_under_a_million() -> None:
    figures = CheckFigures(money=(MoneyFigure("the spend in the figures", Decimal("949873.42")),))
    assert check("We spend £950,000.", figures=figures) == []
    assert check("We spend £949,873.42.", figures=figures) == []
    assert check("We spend £949,873.", figures=figures) == []
    assert quoted("We spend £949,874.", figures=figures) == ["£949,874"]
    assert check("We spend £1 million.", figures=figures) == []  # to the million
    assert quoted("We spend £2 million.", figures=figures) == ["£2 million"]
    assert check("We spend £0.9 million.", figures=figures) == []


def test_a_million_boundary() -> None:
    figures = CheckFigures(money=(MoneyFigure("the spend", Decimal("999999.99")),))
    assert check("We spend £1.0 million.", figures=figures) == []
    assert check("We spend £1,000,000.", figures=figures) == []
    assert quoted("We spend £999,999.98.", figures=figures) == ["£999,999.98"]


def test_rounding_half_up() -> None:
    figures = CheckFigures(money=(MoneyFigure("the spend", Decimal("1050000.00")),))
    assert check("We spend £1.1 million.", figures=figures) == []
    assert quoted("We spend £1.0 million.", figures=figures) == ["£1.0 million"]
    figures = CheckFigures(money=(MoneyFigure("the spend", Decimal("1049999.99")),))
    assert check("We spend £1.0 million.", figures=figures) == []


# --- staff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "43,038 officers and staff",
        "about 43,000 officers and staff",
        "around 40,000 staff",
        "more than 40,000 officers",
        "over 43,000 people",
        "fewer than 50,000 employees",
        "up to 43,038 staff",
        "nearly 43,100 colleagues",
    ],
)
def test_staff_counts_that_agree(words: str) -> None:
    assert check(f"Together we employ {words}.") == []


@pytest.mark.parametrize(
    "words",
    [
        "about 30,000 officers and staff",
        "40,000 staff",  # two significant figures kept: to the thousand
        "more than 43,038 officers",
        "fewer than 43,038 staff",
        "up to 43,037 staff",
        "nearly 43,000 colleagues",  # nearly: at or above the figure
        "43,039 police officers",
    ],
)
def test_staff_counts_that_differ(words: str) -> None:
    found = check(f"Together we employ {words}.")
    assert [(f.kind, f.quoted) for f in found] == [(STAFF, words)]
    assert found[0].message == (
        f"‘{words}’ differs from the staff in scope in the training records, 43,038"
    )


def test_exact_and_rounded_staff_counts_at_the_thousand() -> None:
    assert check("We employ 43,000 officers and staff.") == []
    assert quoted("We employ 44,000 officers and staff.") == ["44,000 officers and staff"]


def test_staff_trained_counts_only_when_the_sentence_is_about_training() -> None:
    assert check("32,190 officers and staff completed the course.") == []
    assert quoted("We employ 32,190 officers and staff.") == ["32,190 officers and staff"]


def test_no_staff_check_without_training_records() -> None:
    assert check("We employ 30,000 staff.", figures=CheckFigures()) == []


def test_years_and_money_are_not_staff_counts() -> None:
    assert check("In 2025/26 staff were briefed. The 2025 staff survey.") == []


# --- last year ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2024/25 we assessed most of our tier A suppliers.",
        "The figures below compare 2024/25 with the year before.",
        "During 2024-25 we mapped 12 supply chains.",
        "In 2024 to 2025 we trained buyers.",
        "Our goals for 2024/2025 are these.",
    ],
)
def test_last_year_named_as_this_year_is_a_finding(sentence: str) -> None:
    found = check(sentence)
    assert [(f.kind, f.quoted) for f in found] == [(LAST_YEAR, sentence)]
    assert "as if it were this statement's year, 2025/26" in found[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        "We assessed 60% of tier A suppliers, up from 34% in 2024/25.",
        "That is more than in 2024/25.",
        "Since 2024/25 we have mapped 12 supply chains.",
        "Compared with 2024/25, more suppliers were sent guidance.",
        "In 2025/26 we assessed 60%, against 34% in 2024/25.",
        "In 2025/26 and 2024/25 we trained buyers.",
        "In 2025/26 we assessed most of our tier A suppliers.",
        "In 2023/24 we started.",
    ],
)
def test_last_year_as_a_comparison_is_fine(sentence: str) -> None:
    assert check(sentence) == []


# --- completeness ---------------------------------------------------------------------------


def test_every_officer_is_a_finding_while_not_all_were_trained() -> None:
    text = "Every member of staff completes e-learning. Training is run by HR."
    found = check(text, "training")
    assert [(f.kind, f.quoted) for f in found] == [
        (COMPLETENESS, "Every member of staff completes e-learning.")
    ]
    assert found[0].figure == "74.8% (32,190 of 43,038)"
    assert "the staff in scope who were trained, 74.8% (32,190 of 43,038)" in found[0].message


@pytest.mark.parametrize(
    "sentence",
    ["Everyone completes it.", "All officers do it.", "Each officer does it.", "All staff do."],
)
def test_claims_about_people_in_training(sentence: str) -> None:
    assert quoted(sentence, "training") == [sentence]


def test_no_training_claim_when_everyone_was_trained_or_about_other_things() -> None:
    everyone = CheckFigures(staff_in_scope=100, staff_trained=100)
    assert check("Every officer is trained.", "training", everyone) == []
    assert check("All courses are online.", "training") == []
    assert check("Every officer is trained.", "structure") == []


def test_every_category_while_some_spend_has_none() -> None:
    text = "Every category of spend is rated as high, medium or low risk."
    found = check(text, "risk")
    assert [f.kind for f in found] == [COMPLETENESS]
    assert "the spend with no category, £15.2 million" in found[0].message
    assert check(text, "risk", CheckFigures(uncategorised_spend=Decimal(0))) == []
    assert check("All high-risk suppliers get checks.", "risk") == []


def test_every_supplier_while_not_all_were_sent_guidance() -> None:
    text = "Every supplier is given guidance on modern slavery."
    found = check(text, "due-diligence")
    assert [f.kind for f in found] == [COMPLETENESS]
    assert "sent guidance, 120 of 144" in found[0].message
    all_sent = CheckFigures(suppliers_over_threshold=144, guidance_sent=144)
    assert check(text, "due-diligence", all_sent) == []
    assert check("Every contract is reviewed.", "due-diligence") == []


# --- keys and sentences ---------------------------------------------------------------------


def test_keys_are_stable_and_depend_on_section_and_words() -> None:
    one = check("We spend £250 million.")[0]
    assert one.key == check("We spend  £250 million  each year.")[0].key
    assert one.key == finding_key("structure", "£250 million")
    assert one.key != finding_key("introduction", "£250 million")
    assert one.key != finding_key("structure", "£251 million")
    assert len(one.key) == 32


def test_the_same_words_twice_are_one_finding() -> None:
    assert quoted("We spend £250 million. We spent £250 million.") == ["£250 million"]


def test_sentences_split_on_stops_and_lines_but_not_decimals() -> None:
    assert sentences("We spend £1.2m.  It is\nmuch. Yes!\n\nNo?") == [
        "We spend £1.2m.",
        "It is",
        "much.",
        "Yes!",
        "No?",
    ]


def test_empty_text_has_no_findings() -> None:
    assert check("") == []


def test_prompts_in_square_brackets_are_not_checked() -> None:
    text = "We spend about [give the total spend, for example £250 million] each year."
    assert check(text) == []
    assert quoted("We spend [prompt] £250 million.") == ["£250 million"]
