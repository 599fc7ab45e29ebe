"""Questionnaire definitions: the default files, each rule the reader enforces, and scoring."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from tisc.rules.questionnaire import (
    BEST_SCORE,
    MAX_SOURCE_BYTES,
    Definition,
    QuestionnaireError,
    parse_questionnaire,
    score_answers,
)

DEFAULTS = Path(__file__).resolve().parents[2] / "suppliers" / "questionnaires"

# A small valid definition; each refusal below changes one thing in it.
MINIMAL = """\
key = "standard"
version = 2
title = "Test form"
description = "About the form."

[[sections]]
key = "policies"
title = "Policies"

[[sections.questions]]
key = "policy"
text = "Do you have a policy?"
weight = 3
options = [
  {key = "yes", label = "Yes", score = 4},
  {key = "no", label = "No", score = 0, recommendation = "Write one."},
]

[[sections]]
key = "workers"
title = "Workers"

[[sections.questions]]
key = "fees"
text = "Do workers pay fees?"
weight = 5
options = [
  {key = "never", label = "Never", score = 4},
  {key = "sometimes", label = "Sometimes", score = 0, recommendation = "Stop.", critical = "Fees"},
  {key = "no-workers", label = "We employ nobody", not_applicable = true},
]
"""

POLICY = "Section 'policies' question 'policy'"
FEES = "Section 'workers' question 'fees'"


def changed(change: str) -> str:
    """MINIMAL with one exact piece replaced, written "old => new" (old must be there once)."""
    old, new = change.split(" => ")
    old, new = old.replace("\\n", "\n"), new.replace("\\n", "\n")
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


def refusal(source: str) -> str:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(source)
    return str(caught.value)


# --- the default files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "sections", "questions", "short_form"),
    [("standard", 10, 27, False), ("short", 6, 9, True)],
)
def test_the_default_files_parse_with_their_counts(
    key: str, sections: int, questions: int, short_form: bool
) -> None:
    source = (DEFAULTS / f"{key}.toml").read_text(encoding="utf-8")
    definition = parse_questionnaire(source)
    assert (definition.key, definition.version) == (key, 1)
    assert (len(definition.sections), len(definition.questions)) == (sections, questions)
    assert definition.short_form is short_form
    # Checked on the raw file too, not only through the reader under test.
    raw = tomllib.loads(source)["sections"]
    question_keys = [q["key"] for s in raw for q in s["questions"]]
    assert len(raw) == len({s["key"] for s in raw}) == sections
    assert len(question_keys) == len(set(question_keys)) == questions
    for question in (q for s in raw for q in s["questions"]):
        assert 1 <= question["weight"] <= 5, question["key"]
        assert len({o["key"] for o in question["options"]}) == len(question["options"])
        for option in question["options"]:
            if option.get("not_applicable"):
                assert "score" not in option, (question["key"], option["key"])
            elif option["score"] < BEST_SCORE:
                assert option["recommendation"].strip(), (question["key"], option["key"])
            else:
                assert "recommendation" not in option, (question["key"], option["key"])
            if "critical" in option:
                assert option["score"] == 0, (question["key"], option["key"])


def test_the_minimal_definition_reads_as_written() -> None:
    definition = parse_questionnaire(MINIMAL)
    assert [s.key for s in definition.sections] == ["policies", "workers"]
    fees = definition.question("fees")
    assert fees is not None and fees.weight == 5
    assert [(o.key, o.score) for o in fees.options] == [
        ("never", 4),
        ("sometimes", 0),
        ("no-workers", None),
    ]
    assert fees.option("sometimes").critical == "Fees"
    assert fees.option("no-workers").not_applicable
    assert definition.short_form is False


# --- refusals ------------------------------------------------------------------------------

WEIGHT = f"{POLICY}: weight must be a whole number from 1 to 5"
KEY_RULE = "the key must be lowercase letters, digits and hyphens (60 at most)"
YES, NO = f"{POLICY} option 'yes'", f"{POLICY} option 'no'"
SOMETIMES, NOBODY = f"{FEES} option 'sometimes'", f"{FEES} option 'no-workers'"

# (what is wrong, "old => new" in MINIMAL, the message); \n in a change is a new line.
REFUSALS = [
    ("bad TOML", 'label = "Yes", => label = "Yes,', "The file is not valid TOML: "),
    # Fields are checked before the key is read, so the message names the section.
    (
        "unknown field",
        r"weight = 3\n => weight = 3\ncolour = 1\n",
        "Section 'policies': unknown field colour",
    ),
    (
        "unknown top field",
        r"version = 2\n => version = 2\nauthor = 1\n",
        "The questionnaire: unknown field author",
    ),
    ("bad question key", 'key = "policy" => key = "Policy 1"', f"Section 'policies': {KEY_RULE}"),
    ("bad section key", 'key = "workers" => key = "workers-"', f"The questionnaire: {KEY_RULE}"),
    ("weight above 5", "weight = 3 => weight = 6", WEIGHT),
    ("weight 0", "weight = 3 => weight = 0", WEIGHT),
    ("weight not whole", "weight = 3 => weight = 2.5", WEIGHT),
    ("weight true", "weight = 3 => weight = true", WEIGHT),
    (
        "score above 4",
        '"Yes", score = 4 => "Yes", score = 5',
        f"{YES}: score must be a whole number from 0 to 4",
    ),
    (
        "score below 0",
        '"No", score = 0 => "No", score = -1',
        f"{NO}: score must be a whole number from 0 to 4",
    ),
    (
        "no recommendation",
        ', recommendation = "Write one." => ',
        f"{NO}: an answer scoring below 4 needs a recommendation",
    ),
    (
        "recommendation on best",
        '"Yes", score = 4} => "Yes", score = 4, recommendation = "X"}',
        f"{YES}: the best answer has no recommendation",
    ),
    (
        "critical above 0",
        '"Sometimes", score = 0 => "Sometimes", score = 1',
        f"{SOMETIMES}: a critical answer must score 0",
    ),
    (
        "not applicable scored",
        "not_applicable = true} => not_applicable = true, score = 0}",
        f"{NOBODY}: a not applicable answer has no score, recommendation or critical",
    ),
    (
        "not applicable not boolean",
        'not_applicable = true => not_applicable = "yes"',
        f"{NOBODY}: not_applicable must be true or false",
    ),
    (
        "question key repeated across sections",
        'key = "fees" => key = "policy"',
        "Two questions have the key 'policy'",
    ),
    (
        "section key repeated",
        'key = "workers" => key = "policies"',
        "Two sections have the key 'policies'",
    ),
    (
        "option key repeated",
        'key = "never" => key = "sometimes"',
        f"{FEES}: two answer options have the same key",
    ),
    (
        "fewer than 2 options",
        '{key = "no", label = "No", score = 0, recommendation = "Write one."}, => ',
        f"{POLICY}: give from 2 to 6 answer options",
    ),
    (
        "no best answer",
        '"Never", score = 4} => "Never", score = 3, recommendation = "X"}',
        f"{FEES}: give one answer scoring 4 and at least one scoring less",
    ),
    (
        "HTML in a question",
        "a policy? => a <b>policy</b>?",
        f"{POLICY}: text must be plain text, not HTML",
    ),
    (
        "HTML in a recommendation",
        '"Stop." => "<script>x</script>"',
        f"{SOMETIMES}: recommendation must be plain text, not HTML",
    ),
    (
        "blank description",
        '"About the form." => "  "',
        "The questionnaire: give description as text",
    ),
    (
        "wrong questionnaire key",
        'key = "standard" => key = "long"',
        'The questionnaire key must be "standard" or "short"',
    ),
    (
        "version 0",
        "version = 2 => version = 0",
        "The questionnaire: version must be a whole number from 1 to 10000",
    ),
    (
        "short_form not boolean",
        r"version = 2\n => version = 2\nshort_form = 1\n",
        "The questionnaire: short_form must be true or false",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_each_rule_refuses_with_its_message(change: str, message: str) -> None:
    found = refusal(changed(change))
    if message.endswith(": "):
        assert found.startswith(message)
    else:
        assert found == message


def test_a_definition_with_no_sections_is_refused() -> None:
    source = 'key = "standard"\nversion = 2\ntitle = "T"\ndescription = "D"\n'
    assert refusal(source) == "The questionnaire: add at least one [[sections]] table"


def test_nesting_too_deep_for_the_reader_is_refused_not_a_crash() -> None:
    source = MINIMAL + "deep = " + "[" * 3000 + "]" * 3000 + "\n"
    assert refusal(source).startswith("The file is not valid TOML: ")


def test_a_file_of_exactly_the_size_limit_is_read() -> None:
    padding = MAX_SOURCE_BYTES - len(MINIMAL.encode()) - 3
    source = MINIMAL + "# " + "x" * padding + "\n"
    assert len(source.encode()) == MAX_SOURCE_BYTES
    assert parse_questionnaire(source).version == 2
    assert refusal(source + "\n") == "The questionnaire file must be smaller than 200 KB"


def test_the_size_limit_counts_bytes_not_characters() -> None:
    # "é" is two bytes in UTF-8: 100,001 of them is over the limit though fewer characters.
    source = MINIMAL + "# " + "é" * (MAX_SOURCE_BYTES // 2) + "\n"
    assert len(source) < MAX_SOURCE_BYTES
    assert refusal(source) == "The questionnaire file must be smaller than 200 KB"


# --- scoring -------------------------------------------------------------------------------


def form(*questions: tuple[str, int]) -> Definition:
    """Questions (key, weight), each with options s4, s2, s1, s0 and na (not applicable)."""
    options = (
        '{key = "s4", label = "Four", score = 4}, '
        '{key = "s2", label = "Two", score = 2, recommendation = "Improve"}, '
        '{key = "s1", label = "One", score = 1, recommendation = "More"}, '
        '{key = "s0", label = "Zero", score = 0, recommendation = "Start"}, '
        '{key = "na", label = "N/A", not_applicable = true}'
    )
    blocks = "".join(
        f'[[sections.questions]]\nkey = "{key}"\ntext = "Q {key}"\nweight = {weight}\n'
        f"options = [{options}]\n"
        for key, weight in questions
    )
    head = 'key = "short"\nversion = 1\ntitle = "T"\ndescription = "D"\n'
    return parse_questionnaire(head + '[[sections]]\nkey = "s"\ntitle = "S"\n' + blocks)


def three_questions() -> Definition:
    """Questions a, b, c with weights 3, 2, 5."""
    return form(("a", 3), ("b", 2), ("c", 5))


def test_the_score_is_the_weighted_points_as_a_percentage() -> None:
    # (3 x 4/4 + 2 x 2/4 + 5 x 0/4) / (3 + 2 + 5) = (3 + 1 + 0) / 10 = 40.0%
    score = score_answers(three_questions(), {"a": "s4", "b": "s2", "c": "s0"})
    assert score.percent == Decimal("40.0")
    assert [(a.question.key, a.points, a.possible, a.lost) for a in score.answers] == [
        ("a", Decimal(3), Decimal(3), Decimal(0)),
        ("b", Decimal(1), Decimal(2), Decimal(1)),
        ("c", Decimal(0), Decimal(5), Decimal(5)),
    ]
    assert score.unanswered == ()
    assert score.complete


def test_recommendations_come_most_points_lost_first() -> None:
    score = score_answers(three_questions(), {"a": "s4", "b": "s2", "c": "s0"})
    # c lost 5 points, b lost 1; a was the best answer and has none.
    assert [(a.question.key, a.option.recommendation) for a in score.recommendations] == [
        ("c", "Start"),
        ("b", "Improve"),
    ]


def five_questions() -> Definition:
    """three_questions plus e and d (in that order), weight 5 each."""
    return form(("a", 3), ("b", 2), ("c", 5), ("e", 5), ("d", 5))


def test_equal_losses_are_listed_by_question_key() -> None:
    best = {"a": "s4", "b": "s4", "c": "s4"}
    # d and e each lose 5 x 3/4 = 3.75 points; b at 2 of 4 loses 1.
    score = score_answers(five_questions(), {**best, "e": "s1", "d": "s1", "b": "s2"})
    assert [a.question.key for a in score.answers] == ["a", "b", "c", "e", "d"]
    assert [a.question.key for a in score.recommendations] == ["d", "e", "b"]


def test_the_score_rounds_half_up_to_one_decimal_place() -> None:
    # The weights are 3, 2, 5, 5, 5: 20 points possible.
    definition = five_questions()
    zeros = {"a": "s0", "b": "s0", "c": "s0", "d": "s0", "e": "s0"}
    # b at 2 of 4 wins 1 point: 1 / 20 = 5.0% exactly.
    assert score_answers(definition, {**zeros, "b": "s2"}).percent == Decimal("5.0")
    # d at 1 of 4 wins 1.25 points: 6.25% -> 6.3 (half up; half even would give 6.2).
    assert score_answers(definition, {**zeros, "d": "s1"}).percent == Decimal("6.3")
    # d at 1 of 4 and b at 2 of 4: 2.25 / 20 = 11.25% -> 11.3.
    assert score_answers(definition, {**zeros, "d": "s1", "b": "s2"}).percent == Decimal("11.3")
    # d and e at 1 of 4 and a at 4 of 4: (1.25 + 1.25 + 3) / 20 = 27.5% exactly.
    assert score_answers(definition, {**zeros, "d": "s1", "e": "s1", "a": "s4"}).percent == (
        Decimal("27.5")
    )


def test_a_repeating_fraction_rounds_to_one_decimal_place() -> None:
    definition = three_questions()
    # a not applicable, b at 4 of 4, c at 0: 2 / (2 + 5) = 28.571...% -> 28.6
    assert score_answers(definition, {"a": "na", "b": "s4", "c": "s0"}).percent == Decimal("28.6")
    # a at 2 of 4, b not applicable, c at 0: 1.5 / 8 = 18.75% -> 18.8
    assert score_answers(definition, {"a": "s2", "b": "na", "c": "s0"}).percent == Decimal("18.8")


def test_not_applicable_answers_are_left_out_of_both_sides() -> None:
    definition = three_questions()
    # c not applicable: (3 x 4/4 + 2 x 2/4) / (3 + 2) = 4 / 5 = 80.0%
    score = score_answers(definition, {"a": "s4", "b": "s2", "c": "na"})
    assert score.percent == Decimal("80.0")
    not_applicable = score.answers[2]
    assert (not_applicable.points, not_applicable.possible, not_applicable.lost) == (0, 0, 0)
    assert score.complete
    assert [a.question.key for a in score.recommendations] == ["b"]


def test_all_not_applicable_has_no_percentage() -> None:
    score = score_answers(three_questions(), {"a": "na", "b": "na", "c": "na"})
    assert score.percent is None
    assert score.complete
    assert score.recommendations == ()


def test_unanswered_questions_are_listed_and_left_out() -> None:
    score = score_answers(three_questions(), {"b": "s2"})
    assert [q.key for q in score.unanswered] == ["a", "c"]
    assert not score.complete
    # Only b counts: 1 of 2 points.
    assert score.percent == Decimal("50.0")
    assert score_answers(three_questions(), {}).percent is None


def test_an_unknown_option_or_question_key_counts_as_unanswered() -> None:
    score = score_answers(three_questions(), {"a": "s4", "b": "maybe", "c": "s4", "zzz": "s0"})
    assert [q.key for q in score.unanswered] == ["b"]
    assert [a.question.key for a in score.answers] == ["a", "c"]
    assert score.percent == Decimal("100.0")


def test_critical_answers_are_collected() -> None:
    definition = parse_questionnaire(MINIMAL)
    score = score_answers(definition, {"policy": "yes", "fees": "sometimes"})
    assert [a.option.critical for a in score.critical] == ["Fees"]
    # (3 x 4/4 + 5 x 0) / 8 = 37.5%
    assert score.percent == Decimal("37.5")
    clean = score_answers(definition, {"policy": "no", "fees": "no-workers"})
    assert clean.critical == ()
    assert clean.percent == Decimal("0.0")
