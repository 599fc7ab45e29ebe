"""The figure check: words in a statement's sections that disagree with its live figures.
No database here.

The rules, stated once (each finding quotes the words and names the figure they disagree with):

- **Money typed by hand**: an amount in pounds ("£250 million", "£137,952,656.28", "£1.2m",
  "£15.2 million", "£950,000") in a sentence about spend (it says spend, spent, spending,
  expenditure, buy, bought or purchases) is compared with every money figure that could match
  it (each body's spend and the total, this year's and last year's, uncategorised spend, each
  category's spend), each rounded half up to the precision the amount was written in. It is a
  finding when it equals none of them. The precision is the last digit written: "£138.0
  million" is to £0.1 million, "£137,952,656.28" to the penny; trailing zeros of a whole number
  are rounding, but at least two significant figures are kept: "£140 million" is to £10
  million, "£100 million" to £10 million (not £100 million), "£950,000" to £10,000.
- **Staff counted by hand**: a count of officers, staff, employees, people or colleagues ("about
  30,000 officers and staff") is compared with the staff in scope, and with the staff trained
  when the sentence is about training (trained, training, complete, completed, course). It is
  rounded as its wording implies: trailing zeros are rounding (at least two significant
  figures kept, unless it says "about", "around", "approximately", "roughly" or "some", when
  every trailing zero counts); "more than", "over" must be below the figure, "fewer than",
  "less than", "under", "up to" above it (or equal, for "up to"), "nearly", "almost" at or
  above it by less than its rounding. It is a finding when it matches neither.
- **Shares typed by hand**: a percentage ("34%", "74.8 per cent") in a sentence about what a
  KPI measures (training, assessment, mapping beyond Tier 1, guidance, contract reviews, staff
  engagement plans) is compared with that KPI's share this year and last year (and, about
  training, each audience's share), rounded as written, with the hedges of staff counts. A
  change ("up by 5%", "a 5% rise") and a sentence about what is to come ("aim", "target",
  "will", "goal") are not checked. It is a finding when it matches none of them.
- **The basis of the statement**: in a voluntary statement, words that say it is made under
  or required by section 54; in a required one, words that call it voluntary.
- **Last year's words**: a sentence that names last year ("2024/25", "2024-25" or "2024 to
  2025" in the 2025/26 statement) as the year it describes, that is, not as what this year is
  compared with ("up from 34% in 2024/25", "than in 2024/25", "since 2024/25", "compared with
  2024/25") and not beside this year's own label. "In 2024/25 we assessed most of our tier A
  suppliers" and "The figures below compare 2024/25 with the year before" are findings in the
  2025/26 statement: text carried over from last year still speaking of last year as this one.
  Tense is not parsed: naming last year as the subject of the sentence is enough.
- **Claims of completeness**: "every", "all", "each" (or "everyone", "everybody") about people
  in the training section while fewer than all the staff in scope were trained; about
  categories or spend in the risk section while some spend has no category; about suppliers in
  the due-diligence section while fewer suppliers over the threshold were sent guidance than
  there are.

Words in [square-bracket prompts] are not checked: they are examples for the editor, and the
checklist already lists every prompt left. Each finding has a stable key, a hash of the
section's key and the quoted words, so that it can be kept (explicitly, with a reason) while
those words stay in the section.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from tisc.rules.figure_words import count_in_words, money_in_words, percent_in_words, round_to
from tisc.rules.plans import Problem

MONEY = "money"
STAFF = "staff"
SHARE = "share"
BASIS = "basis"
LAST_YEAR = "last-year"
COMPLETENESS = "completeness"

TRAINING_KEY = "training"
RISK_KEY = "risk"
DUE_DILIGENCE_KEY = "due-diligence"

_MULTIPLIERS = {
    "thousand": Decimal(1_000),
    "k": Decimal(1_000),
    "million": Decimal(1_000_000),
    "m": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
}
_MONEY = re.compile(
    r"£\s?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?"
    r"(?:\s?(?P<size>million|billion|thousand|bn|m|k)\b)?",
    re.IGNORECASE,
)
_SPEND_WORDS = re.compile(
    r"\b(spend|spends|spent|spending|expenditure|buy|buys|bought|purchases?)\b", re.IGNORECASE
)
_ROUGHLY = ("about", "around", "approximately", "roughly", "some", "nearly", "almost")
_BOUNDS = ("over", "more than", "fewer than", "less than", "under", "up to")
_HEDGES = "|".join(_ROUGHLY + _BOUNDS)
_STAFF = re.compile(
    rf"(?:\b(?P<hedge>{_HEDGES})\s+)?(?<![£\d.,/])(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d+)(?![\d.,]\d)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:officers|staff|employees|people|colleagues)\b"
    r"(?:\s+and\s+(?:police\s+)?(?:officers|staff)\b)?",
    re.IGNORECASE,
)
_TRAINING_WORDS = re.compile(r"\b(trained|training|completed?|course)\b", re.IGNORECASE)
_PERCENT = re.compile(
    rf"(?:\b(?P<hedge>{_HEDGES})\s+)?(?<![\d.,])(?P<whole>\d{{1,3}})(?:\.(?P<fraction>\d+))?"
    r"\s?(?:%|per\s?cent\b)",
    re.IGNORECASE,
)
# What a KPI's share is about, as a sentence says it (keys of tisc.rules.kpis.KPIS).
SHARE_TOPICS: dict[str, re.Pattern[str]] = {
    "trained": _TRAINING_WORDS,
    "assessed": re.compile(r"\bassess(?:ed|ment|ments)?\b", re.IGNORECASE),
    "mapped": re.compile(r"\b(?:mapped|mapping|beyond tier 1)\b", re.IGNORECASE),
    "guidance": re.compile(r"\bguidance\b", re.IGNORECASE),
    "reviews": re.compile(r"\b(?:contract reviews?|review meetings?)\b", re.IGNORECASE),
    "plans": re.compile(r"\bengagement plans?\b", re.IGNORECASE),
}
# A share that is a change, not a level: "rose by 5%", "a 5% rise".
_CHANGE_BEFORE = re.compile(r"\bby\s*$", re.IGNORECASE)
_CHANGE_AFTER = re.compile(
    r"^\s*(?:increase|rise|fall|drop|decrease|more|fewer|less|higher|lower|up|down|points?)\b",
    re.IGNORECASE,
)
# A sentence about what is to come states an aim, not a result.
_AIM = re.compile(r"\b(?:aims?|targets?|goals?|will|plans? to|intends? to)\b", re.IGNORECASE)
_SAYS_VOLUNTARY = re.compile(r"\bvoluntar(?:y|ily)\b", re.IGNORECASE)
_SAYS_REQUIRED = re.compile(
    r"\b(?:made|published|produced)\s+under\s+section\s+54\b"
    r"|\brequired\s+(?:by|under)\s+section\s+54\b"
    r"|\bsection\s+54\b[^.!?]{0,60}\brequires?\s+(?:us|the|our|each|every)\b",
    re.IGNORECASE,
)
# A [square-bracket prompt] is the editor's to replace, not a claim: its example amounts are
# ignored (the checklist lists the prompt itself).
_PROMPT = re.compile(r"\[[^\[\]]*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAIM = re.compile(
    r"\b(?:(?:every|all|each)\s+(?P<noun>[\w-]+)|everyone|everybody)\b", re.IGNORECASE
)
_PEOPLE = ("member", "officer", "staff", "employee", "colleague", "person", "people", "one")
# What names last year as the year compared with, just before the label.
_COMPARED = re.compile(
    r"\b(?:from|than|since|compared\s+(?:with|to)|against|versus|vs\.?)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MoneyFigure:
    """A computed money figure and how a message names it ("the spend in the figures")."""

    label: str
    amount: Decimal


@dataclass(frozen=True)
class ShareFigure:
    """A computed share (part of whole) that a percentage about its topic could state.

    topic: a key of SHARE_TOPICS; label: how a message names it ("the staff trained")."""

    topic: str
    label: str
    part: int
    whole: int

    @property
    def exact(self) -> Decimal:
        return Decimal(self.part) * 100 / Decimal(self.whole)


@dataclass(frozen=True)
class CheckFigures:
    """The computed figures a section is checked against (for the joint total or one body).

    money: every money figure an amount could be about, the headline spend first.
    """

    money: tuple[MoneyFigure, ...] = ()
    staff_in_scope: int | None = None
    staff_trained: int | None = None
    uncategorised_spend: Decimal = Decimal(0)
    suppliers_over_threshold: int | None = None
    guidance_sent: int | None = None
    shares: tuple[ShareFigure, ...] = ()
    voluntary: bool | None = None  # the statement's basis: None, not checked


@dataclass(frozen=True)
class Finding:
    """Words in a section that disagree with a figure."""

    kind: str  # MONEY, STAFF, SHARE, BASIS, LAST_YEAR or COMPLETENESS
    section_key: str
    quoted: str
    figure: str  # the figure it disagrees with, in words
    message: str

    @property
    def key(self) -> str:
        return finding_key(self.section_key, self.quoted)


def finding_key(section_key: str, quoted: str) -> str:
    """A finding's stable key: the same words in the same section give the same key."""
    words = " ".join(quoted.split())
    return hashlib.sha256(f"{section_key}\x00{words}".encode()).hexdigest()[:32]


def sentences(text: str) -> list[str]:
    """The text's sentences, each on one line with single spaces."""
    found = (" ".join(part.split()) for part in _SENTENCE_END.split(text or ""))
    return [s for s in found if s]


def _unit(whole_digits: str, fraction: str | None, hedged: bool = False) -> Decimal:
    """The precision a written number implies: its last digit, trailing zeros as rounding
    (all of them when hedged, else keeping two significant figures)."""
    if fraction:
        return Decimal(1).scaleb(-len(fraction))
    digits = whole_digits.replace(",", "").lstrip("0") or "0"
    zeros = len(digits) - len(digits.rstrip("0")) if digits != "0" else 0
    if not hedged:
        zeros = max(0, min(zeros, len(digits) - 2))
    return Decimal(1).scaleb(zeros)


def _money_findings(section_key: str, sentence: str, figures: CheckFigures) -> list[Finding]:
    if not figures.money or not _SPEND_WORDS.search(sentence):
        return []
    found = []
    for match in _MONEY.finditer(sentence):
        whole, fraction, size = match.group("whole"), match.group("fraction"), match.group("size")
        number = Decimal(whole.replace(",", "") + (f".{fraction}" if fraction else ""))
        multiplier = _MULTIPLIERS[size.lower()] if size else Decimal(1)
        written = number * multiplier
        unit = _unit(whole, fraction) * multiplier
        if any(round_to(f.amount, unit) == written for f in figures.money):
            continue
        headline = figures.money[0]
        quoted = match.group(0).strip()
        shown = money_in_words(headline.amount)
        found.append(
            Finding(
                MONEY,
                section_key,
                quoted,
                shown,
                f"‘{quoted}’ differs from {headline.label}, {shown}",
            )
        )
    return found


def _count_agrees(count: int | Decimal, hedge: str, figure: int | Decimal, unit: Decimal) -> bool:
    if hedge in ("over", "more than"):
        return figure > count
    if hedge in ("fewer than", "less than", "under"):
        return figure < count
    if hedge == "up to":
        return figure <= count
    if hedge in ("nearly", "almost"):
        return figure <= count and count - figure < unit
    return round_to(Decimal(figure), unit) == count


def _staff_findings(section_key: str, sentence: str, figures: CheckFigures) -> list[Finding]:
    if figures.staff_in_scope is None:
        return []
    known = [figures.staff_in_scope]
    if figures.staff_trained is not None and _TRAINING_WORDS.search(sentence):
        known.append(figures.staff_trained)
    found = []
    for match in _STAFF.finditer(sentence):
        hedge = " ".join((match.group("hedge") or "").lower().split())
        written = match.group("count")
        count = int(written.replace(",", ""))
        if "," not in written and 1900 <= count <= 2099:
            continue  # a year: "the 2025 staff survey"
        unit = _unit(written, None, hedged=hedge in _ROUGHLY)
        if any(_count_agrees(count, hedge, figure, unit) for figure in known):
            continue
        quoted = match.group(0).strip()
        shown = count_in_words(figures.staff_in_scope)
        found.append(
            Finding(
                STAFF,
                section_key,
                quoted,
                shown,
                f"‘{quoted}’ differs from the staff in scope in the training records, {shown}",
            )
        )
    return found


def _share_findings(section_key: str, sentence: str, figures: CheckFigures) -> list[Finding]:
    if not figures.shares or _AIM.search(sentence):
        return []
    about = [f for f in figures.shares if f.whole > 0 and SHARE_TOPICS[f.topic].search(sentence)]
    if not about:
        return []
    found = []
    for match in _PERCENT.finditer(sentence):
        if _CHANGE_BEFORE.search(sentence[: match.start()]) or _CHANGE_AFTER.search(
            sentence[match.end() :]
        ):
            continue
        hedge = " ".join((match.group("hedge") or "").lower().split())
        whole, fraction = match.group("whole"), match.group("fraction")
        written = Decimal(whole + (f".{fraction}" if fraction else ""))
        # A whole percentage is to the point ("100%" is not "about 100%") unless hedged.
        hedged = hedge in _ROUGHLY
        unit = _unit(whole, fraction, hedged=True) if fraction or hedged else Decimal(1)
        if any(_count_agrees(written, hedge, f.exact, unit) for f in about):
            continue
        quoted = match.group(0).strip()
        first = about[0]
        shown = percent_in_words(first.part, first.whole)
        found.append(
            Finding(
                SHARE, section_key, quoted, shown, f"‘{quoted}’ differs from {first.label}, {shown}"
            )
        )
    return found


def _basis_findings(section_key: str, sentence: str, figures: CheckFigures) -> list[Finding]:
    if figures.voluntary is None:
        return []
    if figures.voluntary:
        match = _SAYS_REQUIRED.search(sentence)
        wrong, right = "required by section 54", "a voluntary statement"
    else:
        match = _SAYS_VOLUNTARY.search(sentence)
        wrong, right = "voluntary", "a statement required by section 54"
    if match is None:
        return []
    return [
        Finding(
            BASIS,
            section_key,
            sentence,
            right,
            f"‘{sentence}’ says the statement is {wrong}, but the partnership publishes {right}",
        )
    ]


def year_pattern(label: str) -> re.Pattern[str]:
    """A financial year's label as people write it: 2024/25, 2024-25 (or an en dash),
    2024/2025, 2024 to 2025."""
    start = int(label[:4])
    end = start + 1
    return re.compile(rf"\b{start}\s*(?:/|-|–|to)\s*(?:{end}|{end % 100:02d})\b", re.IGNORECASE)


def _last_year_findings(
    section_key: str, sentence: str, year_label: str, last_year_label: str
) -> list[Finding]:
    if year_pattern(year_label).search(sentence):
        return []
    for match in year_pattern(last_year_label).finditer(sentence):
        if _COMPARED.search(sentence[: match.start()]):
            continue
        return [
            Finding(
                LAST_YEAR,
                section_key,
                sentence,
                year_label,
                f"‘{sentence}’ describes {last_year_label} as if it were this statement's "
                f"year, {year_label}",
            )
        ]
    return []


def _claims(sentence: str, nouns: tuple[str, ...] | None) -> bool:
    for match in _CLAIM.finditer(sentence):
        noun = (match.group("noun") or "one").lower()
        if nouns is None or noun.startswith(nouns):
            return True
    return False


def _completeness_findings(section_key: str, sentence: str, figures: CheckFigures) -> list[Finding]:
    if section_key == TRAINING_KEY:
        trained, in_scope = figures.staff_trained, figures.staff_in_scope
        if trained is None or not in_scope or trained >= in_scope or not _claims(sentence, _PEOPLE):
            return []
        shown = f"{percent_in_words(trained, in_scope)} ({trained:,} of {in_scope:,})"
        what = f"the staff in scope who were trained, {shown}"
    elif section_key == RISK_KEY:
        if figures.uncategorised_spend <= 0 or not _claims(sentence, ("categor", "spend")):
            return []
        shown = money_in_words(figures.uncategorised_spend)
        what = f"the spend with no category, {shown}"
    elif section_key == DUE_DILIGENCE_KEY:
        sent, over = figures.guidance_sent, figures.suppliers_over_threshold
        if sent is None or over is None or sent >= over or not _claims(sentence, ("supplier",)):
            return []
        shown = f"{sent:,} of {over:,}"
        what = f"the suppliers over the threshold sent guidance, {shown}"
    else:
        return []
    return [
        Finding(
            COMPLETENESS,
            section_key,
            sentence,
            shown,
            f"‘{sentence}’ claims all, but the figures show {what}",
        )
    ]


def check_section(
    *,
    section_key: str,
    text: str | None,
    year_label: str,
    last_year_label: str,
    figures: CheckFigures,
) -> list[Finding]:
    """What in a section's text disagrees with the figures (see the module's rules), in the
    order the words appear, each key once."""
    found: list[Finding] = []
    for sentence in sentences(_PROMPT.sub("", text or "")):
        found += _money_findings(section_key, sentence, figures)
        found += _staff_findings(section_key, sentence, figures)
        found += _share_findings(section_key, sentence, figures)
        found += _basis_findings(section_key, sentence, figures)
        found += _last_year_findings(section_key, sentence, year_label, last_year_label)
        found += _completeness_findings(section_key, sentence, figures)
    unique: dict[str, Finding] = {}
    for finding in found:
        unique.setdefault(finding.key, finding)
    return list(unique.values())


# --- keeping words, and what blocks sending for approval ---------------------------------------

REASON_LIMIT = 2_000


def keep_problems(*, reason: str | None) -> list[Problem]:
    """What is wrong with the reason given for keeping questioned words."""
    text = (reason or "").strip()
    if not text:
        return [Problem("Enter why these words are right", "reason")]
    if len(text) > REASON_LIMIT:
        return [Problem(f"The reason must be {REASON_LIMIT:,} characters or fewer", "reason")]
    return []


def blocked_message(section_titles: list[str]) -> str:
    """Why a statement cannot be sent for approval: the sections (one title for each finding
    still open) whose words disagree with the figures."""
    count = len(section_titles)
    where: list[str] = []
    for title in section_titles:
        if f"“{title}”" not in where:
            where.append(f"“{title}”")
    places = where[0] if len(where) == 1 else f"{', '.join(where[:-1])} and {where[-1]}"
    words = (
        "1 place where the words disagree"
        if count == 1
        else f"{count} places where the words disagree"
    )
    return (
        f"The statement cannot be sent for approval: there {'is' if count == 1 else 'are'} "
        f"{words} with the figures, in {places}. Change the words, or keep them with a reason."
    )
