"""The STRT mapping: finding questions by their words and mapping answers to the options."""

from __future__ import annotations

from pathlib import Path

import pytest

from tisc.rules.questionnaire import parse_questionnaire
from tisc.rules.strt import (
    Outcome,
    StrtMappingError,
    StrtRow,
    normalise,
    parse_mapping,
    read_answers,
)

ROOT = Path(__file__).resolve().parents[2]
MAPPING = (ROOT / "suppliers" / "strt_mapping.csv").read_text(encoding="utf-8")
STANDARD = parse_questionnaire(
    (ROOT / "suppliers" / "questionnaires" / "standard.toml").read_text(encoding="utf-8")
)
SHORT = parse_questionnaire(
    (ROOT / "suppliers" / "questionnaires" / "short.toml").read_text(encoding="utf-8")
)
RULES = parse_mapping(MAPPING)


def rows(*pairs: tuple[str, str], sheet: str = "Q") -> list[StrtRow]:
    return [StrtRow(sheet, n, ("", q, a)) for n, (q, a) in enumerate(pairs, start=1)]


def test_the_shipped_mapping_names_only_questions_and_options_its_forms_have() -> None:
    forms = {"standard": STANDARD, "short": SHORT}
    for rule in RULES:
        question = forms[rule.form].question(rule.question)
        assert question is not None, (rule.form, rule.topic)
        for _said, option in rule.answers:
            assert question.option(option) is not None, (rule.topic, option)


def test_the_shipped_mapping_carries_a_source_note_that_asks_for_a_check() -> None:
    note = " ".join(line for line in MAPPING.splitlines() if line.startswith("#"))
    assert "PUBLISHED DESCRIPTION" in note
    assert "CHECK EVERY ROW AGAINST A REAL COMPLETED" in note


def test_normalise_ignores_case_spacing_and_punctuation() -> None:
    assert normalise("  Third-Party   AUDITS? ") == "third party audits"
    assert normalise("N/A") == "n a"


def test_a_question_is_found_whatever_its_case_and_spacing() -> None:
    found = read_answers(
        rows(("  DOES your company have a   Policy on SLAVERY?", " yes ")), RULES, STANDARD
    )
    (answer,) = found.answers
    assert (answer.question_key, answer.option_key) == ("policy", "yes-internal")
    assert answer.outcome is Outcome.MAPPED
    assert answer.question_text == "DOES your company have a Policy on SLAVERY?"


def test_an_answer_that_starts_with_a_listed_answer_maps() -> None:
    question = "Do workers pay recruitment fees to you or your agencies?"
    found = read_answers(rows((question, "No - we pay every cost")), RULES, STANDARD)
    assert found.option_map() == {"recruitment-fees": "no-not-checked"}


def test_a_word_that_only_starts_like_an_answer_does_not_map() -> None:
    question = "Do workers pay recruitment fees to you or your agencies?"
    found = read_answers(rows((question, "Nothing known")), RULES, STANDARD)
    assert found.answers[0].outcome is Outcome.NO_EQUIVALENT
    assert found.option_map() == {}


def test_the_most_specific_rule_wins() -> None:
    question = "Do you require your suppliers by contract to follow your slavery policy?"
    found = read_answers(rows((question, "Yes")), RULES, STANDARD)
    assert found.answers[0].question_key == "supplier-code"
    assert found.answers[0].option_key == "yes-some-contracts"


def test_on_a_tie_the_earlier_rule_wins_so_a_prohibition_reads_the_right_way_round() -> None:
    question = "Does your policy prohibit charging workers recruitment fees?"
    found = read_answers(rows((question, "Yes")), RULES, STANDARD)
    assert found.option_map() == {"recruitment-fees": "no-not-checked"}
    question = "Are workers charged recruitment fees?"
    found = read_answers(rows((question, "Yes")), RULES, STANDARD)
    assert found.option_map() == {"recruitment-fees": "yes"}


def test_unknown_questions_unanswered_ones_and_odd_answers_are_listed_with_reasons() -> None:
    found = read_answers(
        rows(
            ("Has your company been sued over conflict minerals?", "No"),
            ("Does your company audit its suppliers?", ""),
            ("Does your company have a grievance mechanism?", "An inbox"),
        ),
        RULES,
        STANDARD,
    )
    assert [a.outcome for a in found.unmapped] == [
        Outcome.NO_QUESTION,
        Outcome.NOT_ANSWERED,
        Outcome.NO_EQUIVALENT,
    ]
    assert found.mapped == ()
    assert found.recognised  # the audit and grievance questions are the template's
    assert all(a.outcome.reason for a in found.unmapped)


def test_a_statement_without_a_question_mark_counts_only_with_an_answer_beside_it() -> None:
    intro = "This template asks about your policy on slavery and trafficking"
    found = read_answers(rows((intro, "")), RULES, STANDARD)
    assert found.answers == ()
    found = read_answers(rows((intro, "Yes")), RULES, STANDARD)
    assert found.option_map() == {"policy": "yes-internal"}


def test_short_cells_are_never_questions() -> None:
    found = read_answers([StrtRow("Q", 1, ("Policy?", "Yes"))], RULES, STANDARD)
    assert found.answers == ()
    assert not found.recognised


def test_the_first_answer_to_a_question_wins_and_a_later_one_is_listed() -> None:
    found = read_answers(
        rows(
            ("Does your company have a policy on slavery?", "Yes"),
            ("Is your policy on forced labour published?", "No"),
        ),
        RULES,
        STANDARD,
    )
    assert found.option_map() == {"policy": "yes-internal"}
    assert found.answers[1].outcome is Outcome.ALREADY


def test_a_drafts_own_answers_are_kept() -> None:
    found = read_answers(
        rows(("Does your company have a policy on slavery?", "No")),
        RULES,
        STANDARD,
        answered={"policy": "yes-published"},
    )
    assert found.answers[0].outcome is Outcome.KEPT
    assert found.option_map() == {}


def test_the_short_form_uses_its_own_rows() -> None:
    found = read_answers(rows(("Does your company have a policy on slavery?", "Yes")), RULES, SHORT)
    assert found.option_map() == {"policy": "in-other-policy"}


def test_a_rule_for_a_question_the_form_lacks_says_so() -> None:
    rules = parse_mapping("form,topic,keywords,question,answers\nstandard,T,policy,gone,yes=x\n")
    found = read_answers(rows(("Is there a policy on this, please?", "Yes")), rules, STANDARD)
    assert found.answers[0].outcome is Outcome.NOT_IN_FORM


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("form,topic,keywords,question,answers\n", "no rows"),
        ("form,topic,keywords,question,answers\nlong,T,a,b,yes=c\n", "standard or short"),
        ("form,topic,keywords,question,answers\nshort,T,a+,b,yes=c\n", "group is empty"),
        ("form,topic,keywords,question,answers\nshort,T,a,b,yes\n", "strt answer=option"),
        ("form,topic,keywords,question,answers\nshort,,a,b,yes=c\n", "topic and the question"),
        ("form,topic\nshort,T\n", "give form, topic"),
    ],
)
def test_a_broken_mapping_is_refused_with_its_row(text: str, message: str) -> None:
    with pytest.raises(StrtMappingError, match=message):
        parse_mapping(text)
