"""Questionnaires as data: reading and checking a definition, and scoring a set of answers.

A questionnaire is a TOML file (suppliers/questionnaires/*.toml): sections of questions, each
question with a weight and answer options scored 0 to 4. An option below 4 carries the
recommendation shown to the supplier; an option may be "not applicable" (left out of the
score) or "critical" (an indicator of forced labour in itself, which makes the rating red).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

BEST_SCORE = 4
KEYS = ("standard", "short")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HTML = re.compile(r"<[a-zA-Z/!]")
MAX_SOURCE_BYTES = 200_000
MAX_TEXT = 4000
MAX_TITLE = 200


class QuestionnaireError(ValueError):
    """The definition breaks a rule; the message says where, in plain words."""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    score: int | None  # None when not applicable
    recommendation: str | None = None
    critical: str | None = None

    @property
    def not_applicable(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    weight: int
    options: tuple[Option, ...]
    help: str | None = None
    # The question as the buyer asks it of itself ("Does the supplier have..."); the text
    # above speaks to the supplier ("Does your organisation have...").
    buyer_text: str | None = None
    buyer_help: str | None = None

    def option(self, key: str | None) -> Option | None:
        """The option with this key, or None."""
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: tuple[Question, ...]
    help: str | None = None
    buyer_title: str | None = None
    buyer_help: str | None = None


class SectionStatus(StrEnum):
    """How far the answers to one section have got (GOV.UK task list words)."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


def section_status(section: Section, answers: Mapping[str, str]) -> SectionStatus:
    """Completed when every question of the section has an answer, in progress when some."""
    given = sum(1 for q in section.questions if q.option(answers.get(q.key)) is not None)
    if given == len(section.questions):
        return SectionStatus.COMPLETED
    return SectionStatus.IN_PROGRESS if given else SectionStatus.NOT_STARTED


@dataclass(frozen=True)
class Definition:
    key: str
    version: int
    title: str
    short_form: bool
    sub_suppliers: bool
    description: str
    sections: tuple[Section, ...]
    buyer_description: str | None = None

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, key: str) -> Question | None:
        """The question with this key, or None."""
        return next((q for q in self.questions if q.key == key), None)

    def section(self, key: str | None) -> Section | None:
        """The section with this key, or None."""
        return next((s for s in self.sections if s.key == key), None)


# --- reading ----------------------------------------------------------------------------------

_TOP = {
    "key",
    "version",
    "title",
    "short_form",
    "sub_suppliers",
    "description",
    "buyer_description",
    "sections",
}
_SECTION = {"key", "title", "help", "buyer_title", "buyer_help", "questions"}
_QUESTION = {"key", "text", "help", "buyer_text", "buyer_help", "weight", "options"}
_OPTION = {"key", "label", "score", "recommendation", "critical", "not_applicable"}


def _text(table: Mapping[str, Any], name: str, where: str, *, required: bool = True) -> str | None:
    value = table.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise QuestionnaireError(f"{where}: give {name} as text")
    if _HTML.search(value):
        raise QuestionnaireError(f"{where}: {name} must be plain text, not HTML")
    if len(value) > MAX_TEXT:
        raise QuestionnaireError(f"{where}: {name} must be {MAX_TEXT:,} characters or fewer")
    return value.strip()


def _key(table: Mapping[str, Any], where: str) -> str:
    key = table.get("key")
    if not isinstance(key, str) or not _KEY.match(key) or len(key) > 60:
        raise QuestionnaireError(
            f"{where}: the key must be lowercase letters, digits and hyphens (60 at most)"
        )
    return key


def _int(table: Mapping[str, Any], name: str, where: str, low: int, high: int) -> int:
    value = table.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise QuestionnaireError(f"{where}: {name} must be a whole number from {low} to {high}")
    return value


def _only(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise QuestionnaireError(f"{where}: unknown field {', '.join(unknown)}")


def _list(table: Mapping[str, Any], name: str, where: str) -> list[Mapping[str, Any]]:
    value = table.get(name)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise QuestionnaireError(f"{where}: add at least one [[{name}]] table")
    return value


def _option(table: Mapping[str, Any], where: str) -> Option:
    _only(table, _OPTION, where)
    key = _key(table, where)
    where = f"{where} option {key!r}"
    label = _text(table, "label", where)
    recommendation = _text(table, "recommendation", where, required=False)
    critical = _text(table, "critical", where, required=False)
    not_applicable = table.get("not_applicable", False)
    if not isinstance(not_applicable, bool):
        raise QuestionnaireError(f"{where}: not_applicable must be true or false")
    if not_applicable:
        if "score" in table or recommendation or critical:
            raise QuestionnaireError(
                f"{where}: a not applicable answer has no score, recommendation or critical"
            )
        return Option(key, label, None)
    score = _int(table, "score", where, 0, BEST_SCORE)
    if score < BEST_SCORE and not recommendation:
        raise QuestionnaireError(
            f"{where}: an answer scoring below {BEST_SCORE} needs a recommendation"
        )
    if score == BEST_SCORE and recommendation:
        raise QuestionnaireError(f"{where}: the best answer has no recommendation")
    if critical and score != 0:
        raise QuestionnaireError(f"{where}: a critical answer must score 0")
    return Option(key, label, score, recommendation, critical)


def _question(table: Mapping[str, Any], where: str) -> Question:
    _only(table, _QUESTION, where)
    key = _key(table, where)
    where = f"{where} question {key!r}"
    options = tuple(_option(o, where) for o in _list(table, "options", where))
    if not 2 <= len(options) <= 6:
        raise QuestionnaireError(f"{where}: give from 2 to 6 answer options")
    if len({o.key for o in options}) != len(options):
        raise QuestionnaireError(f"{where}: two answer options have the same key")
    scores = [o.score for o in options if o.score is not None]
    if BEST_SCORE not in scores or min(scores) == BEST_SCORE:
        raise QuestionnaireError(
            f"{where}: give one answer scoring {BEST_SCORE} and at least one scoring less"
        )
    return Question(
        key,
        _text(table, "text", where) or "",
        _int(table, "weight", where, 1, 5),
        options,
        _text(table, "help", where, required=False),
        _text(table, "buyer_text", where, required=False),
        _text(table, "buyer_help", where, required=False),
    )


def _section(table: Mapping[str, Any], where: str) -> Section:
    _only(table, _SECTION, where)
    key = _key(table, where)
    where = f"Section {key!r}"
    questions = tuple(_question(q, where) for q in _list(table, "questions", where))
    return Section(
        key,
        _text(table, "title", where) or "",
        questions,
        _text(table, "help", where, required=False),
        _text(table, "buyer_title", where, required=False),
        _text(table, "buyer_help", where, required=False),
    )


def _title(data: Mapping[str, Any]) -> str:
    title = _text(data, "title", "The questionnaire") or ""
    if len(title) > MAX_TITLE:
        raise QuestionnaireError(
            f"The questionnaire: title must be {MAX_TITLE} characters or fewer"
        )
    return title


def parse_questionnaire(source: str) -> Definition:
    """Read and check a questionnaire definition; QuestionnaireError says what is wrong."""
    if len(source.encode()) > MAX_SOURCE_BYTES:
        raise QuestionnaireError("The questionnaire file must be smaller than 200 KB")
    try:
        data = tomllib.loads(source)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise QuestionnaireError(f"The file is not valid TOML: {error}") from None
    _only(data, _TOP, "The questionnaire")
    key = data.get("key")
    if key not in KEYS:
        raise QuestionnaireError('The questionnaire key must be "standard" or "short"')
    for flag in ("short_form", "sub_suppliers"):
        if not isinstance(data.get(flag, False), bool):
            raise QuestionnaireError(f"The questionnaire: {flag} must be true or false")
    sections = tuple(
        _section(s, "The questionnaire") for s in _list(data, "sections", "The questionnaire")
    )
    for kind, keys in (
        ("sections", [s.key for s in sections]),
        ("questions", [q.key for s in sections for q in s.questions]),
    ):
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise QuestionnaireError(f"Two {kind} have the key {repeated[0]!r}")
    return Definition(
        key=key,
        version=_int(data, "version", "The questionnaire", 1, 10_000),
        title=_title(data),
        short_form=data.get("short_form", False),
        sub_suppliers=data.get("sub_suppliers", False),
        description=_text(data, "description", "The questionnaire") or "",
        sections=sections,
        buyer_description=_text(data, "buyer_description", "The questionnaire", required=False),
    )


@lru_cache(maxsize=64)
def cached_definition(source: str) -> Definition:
    """parse_questionnaire, once per process for each text: stored definitions, and the default
    files every new partnership publishes. (A refusal is not kept: it is raised every time.)"""
    return parse_questionnaire(source)


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoredAnswer:
    """One answer's part in the score."""

    question: Question
    option: Option
    points: Decimal  # weight x score / 4
    possible: Decimal  # weight, or 0 when not applicable

    @property
    def lost(self) -> Decimal:
        return self.possible - self.points

    @property
    def lost_text(self) -> str:
        """Points lost for pages: "1.5", "0.75", "3" (exact: weights x quarters)."""
        return f"{self.lost.normalize():f}"


@dataclass(frozen=True)
class Score:
    """A percentage of the weighted answers, with each answer's part and the weak ones."""

    percent: Decimal | None  # None when nothing applicable was answered
    answers: tuple[ScoredAnswer, ...]
    unanswered: tuple[Question, ...]

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def critical(self) -> tuple[ScoredAnswer, ...]:
        return tuple(a for a in self.answers if a.option.critical)

    @property
    def recommendations(self) -> tuple[ScoredAnswer, ...]:
        """Answers with a recommendation, most points lost first (the answers that held it down)."""
        weak = [a for a in self.answers if a.option.recommendation]
        return tuple(sorted(weak, key=lambda a: (-a.lost, a.question.key)))


def score_answers(definition: Definition, answers: Mapping[str, str]) -> Score:
    """Score answers given as {question key: option key}; unknown keys are ignored.

    The score is the sum of weight x option score / 4 over the answered, applicable
    questions, as a percentage of the sum of their weights, rounded half up to 0.1.
    """
    scored: list[ScoredAnswer] = []
    unanswered: list[Question] = []
    for question in definition.questions:
        option = question.option(answers.get(question.key))
        if option is None:
            unanswered.append(question)
            continue
        if option.score is None:
            scored.append(ScoredAnswer(question, option, Decimal(0), Decimal(0)))
            continue
        weight = Decimal(question.weight)
        scored.append(ScoredAnswer(question, option, weight * option.score / BEST_SCORE, weight))
    possible = sum((a.possible for a in scored), Decimal(0))
    percent = None
    if possible:
        points = sum((a.points for a in scored), Decimal(0))
        percent = (points * 100 / possible).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Score(percent, tuple(scored), tuple(unanswered))
