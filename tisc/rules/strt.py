"""Reading a supplier's Slavery and Trafficking Risk Template (STRT) into questionnaire answers.

Pure: the mapping's text (suppliers/strt_mapping.csv) and the workbook's rows of text in, each
STRT question found with what became of its answer out. Questions are found by their words, not
by cell addresses, because the template's layout moves between versions and suppliers paste
answers where they like: a row's first cell that reads as a question (it ends with "?", or it
matches a mapping row and has an answer beside it) is a question, and the first filled cell to
its right is the answer.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tisc.rules.questionnaire import Definition

_NOT_WORD = re.compile(r"[^a-z0-9]+")
FORMS = ("standard", "short")
# Shorter than this, a cell is a heading, a number or an answer, never a question.
MIN_QUESTION_CHARACTERS = 15
MAX_SHOWN_CHARACTERS = 500


class StrtMappingError(ValueError):
    """The mapping file breaks a rule; the message says which row and how."""


def normalise(text: str) -> str:
    """Lowercase words and single spaces: "Third-Party  AUDITS?" -> "third party audits"."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


@dataclass(frozen=True)
class StrtRule:
    """One mapping row: how to recognise an STRT question and where its answer goes."""

    form: str
    topic: str
    groups: tuple[tuple[str, ...], ...]  # every group must be found; any word of a group
    question: str
    answers: tuple[tuple[str, str], ...]  # (normalised STRT answer, option key), longest first

    def matches(self, text: str) -> bool:
        """Whether normalised question text holds every group."""
        padded = f" {text} "
        return all(any(word in padded for word in group) for group in self.groups)

    def option_for(self, answer: str) -> str | None:
        """The option key for a normalised answer that says, or starts with, a listed answer."""
        for said, option in self.answers:
            if answer == said or answer.startswith(f"{said} "):
                return option
        return None


def _groups(keywords: str, where: str) -> tuple[tuple[str, ...], ...]:
    groups = []
    for part in keywords.split("+"):
        words = tuple(w for w in (normalise(a) for a in part.split("|")) if w)
        if not words:
            raise StrtMappingError(f"{where}: a keyword group is empty")
        groups.append(words)
    return tuple(groups)


def _answers(text: str, where: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in text.split(";"):
        said, _, option = part.partition("=")
        said, option = normalise(said), option.strip()
        if not said or not option:
            raise StrtMappingError(f"{where}: write each answer as strt answer=option key")
        pairs.append((said, option))
    if not pairs:
        raise StrtMappingError(f"{where}: give at least one answer")
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def parse_mapping(text: str) -> tuple[StrtRule, ...]:
    """The mapping's rows; lines starting with "#" are its source note."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rules = []
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(lines))), start=1):
        where = f"Mapping row {number}"
        try:
            form, topic = row["form"].strip(), row["topic"].strip()
            keywords, question, answers = row["keywords"], row["question"].strip(), row["answers"]
        except (KeyError, AttributeError):
            raise StrtMappingError(
                f"{where}: give form, topic, keywords, question and answers"
            ) from None
        if form not in FORMS:
            raise StrtMappingError(f"{where}: the form must be standard or short")
        if not topic or not question:
            raise StrtMappingError(f"{where}: give the topic and the question key")
        groups, said = _groups(keywords, where), _answers(answers, where)
        rules.append(StrtRule(form, topic, groups, question, said))
    if not rules:
        raise StrtMappingError("The mapping has no rows")
    return tuple(rules)


# --- reading a workbook's rows ---------------------------------------------------------------


@dataclass(frozen=True)
class StrtRow:
    """One non-blank row of the workbook: its sheet, number and cells' text."""

    sheet: str
    row: int
    cells: tuple[str, ...]


class Outcome(StrEnum):
    """What became of one STRT question's answer."""

    MAPPED = "mapped"
    NO_EQUIVALENT = "no_equivalent"
    NOT_ANSWERED = "not_answered"
    NO_QUESTION = "no_question"
    ALREADY = "already"
    KEPT = "kept"
    NOT_IN_FORM = "not_in_form"

    @property
    def reason(self) -> str:
        """Why the answer was not used, in words (empty when it was)."""
        return {
            "mapped": "",
            "no_equivalent": "This answer has no equivalent in the questionnaire",
            "not_answered": "Not answered in the file",
            "no_question": "No question of the questionnaire asks this",
            "already": "An earlier STRT question gave this answer",
            "kept": "Already answered in the draft assessment, which is kept",
            "not_in_form": "This questionnaire has no such question",
        }[self.value]


@dataclass(frozen=True)
class StrtAnswer:
    """One STRT question found in the file and what became of its answer."""

    sheet: str
    row: int
    question_text: str
    answer_text: str
    outcome: Outcome
    topic: str | None = None
    question_key: str | None = None
    option_key: str | None = None

    @property
    def mapped(self) -> bool:
        return self.outcome is Outcome.MAPPED


@dataclass(frozen=True)
class StrtReading:
    """Every STRT question found, in the order of the file."""

    answers: tuple[StrtAnswer, ...]

    @property
    def mapped(self) -> tuple[StrtAnswer, ...]:
        return tuple(a for a in self.answers if a.mapped)

    @property
    def unmapped(self) -> tuple[StrtAnswer, ...]:
        return tuple(a for a in self.answers if not a.mapped)

    @property
    def recognised(self) -> bool:
        """Whether any question of the file is one the mapping knows: an STRT at all."""
        return any(a.topic is not None for a in self.answers)

    def option_map(self) -> dict[str, str]:
        """{question key: option key} of the mapped answers."""
        return {
            a.question_key: a.option_key for a in self.mapped if a.question_key and a.option_key
        }


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN_CHARACTERS else text[: MAX_SHOWN_CHARACTERS - 1] + "…"


def _best_rule(text: str, rules: Sequence[StrtRule]) -> StrtRule | None:
    """The matching rule with the most groups (the most specific); the earlier on a tie."""
    best = None
    for rule in rules:
        if rule.matches(text) and (best is None or len(rule.groups) > len(best.groups)):
            best = rule
    return best


def _question_in(
    row: StrtRow, rules: Sequence[StrtRule]
) -> tuple[str, str, StrtRule | None] | None:
    """(question, answer, rule) when the row holds a question, else None."""
    for index, cell in enumerate(row.cells):
        text = normalise(cell)
        if len(text) < MIN_QUESTION_CHARACTERS:
            continue
        answer = next((c for c in row.cells[index + 1 :] if c.strip()), "")
        rule = _best_rule(text, rules)
        if cell.rstrip().endswith("?") or (rule is not None and answer):
            return cell, answer, rule
    return None


def read_answers(
    rows: Iterable[StrtRow],
    rules: Sequence[StrtRule],
    definition: Definition,
    *,
    answered: Mapping[str, str] | None = None,
) -> StrtReading:
    """Each question of the workbook with its answer mapped to `definition`'s options, or why not.

    `answered`: the draft's answers so far ({question key: option key}); they are kept.
    """
    form_rules = [rule for rule in rules if rule.form == definition.key]
    answered = answered or {}
    filled: set[str] = set()
    found = []
    for row in rows:
        question = _question_in(row, form_rules)
        if question is None:
            continue
        text, answer, rule = question
        outcome, option = _outcome(rule, answer, definition, answered, filled)
        if outcome is Outcome.MAPPED and rule is not None:
            filled.add(rule.question)
        found.append(
            StrtAnswer(
                sheet=row.sheet,
                row=row.row,
                question_text=_shown(text),
                answer_text=_shown(answer),
                outcome=outcome,
                topic=rule.topic if rule else None,
                question_key=rule.question if rule else None,
                option_key=option,
            )
        )
    return StrtReading(tuple(found))


def _outcome(
    rule: StrtRule | None,
    answer: str,
    definition: Definition,
    answered: Mapping[str, str],
    filled: set[str],
) -> tuple[Outcome, str | None]:
    if rule is None:
        return (Outcome.NO_QUESTION if answer else Outcome.NOT_ANSWERED), None
    if not answer:
        return Outcome.NOT_ANSWERED, None
    question = definition.question(rule.question)
    option = rule.option_for(normalise(answer))
    if question is None:
        return Outcome.NOT_IN_FORM, None
    if option is None or question.option(option) is None:
        return Outcome.NO_EQUIVALENT, None
    if rule.question in answered:
        return Outcome.KEPT, option
    if rule.question in filled:
        return Outcome.ALREADY, option
    return Outcome.MAPPED, option
