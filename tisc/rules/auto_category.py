"""Suggesting a supplier's category when its finance text does not give one: from words in its
name, and from a reference list of well-known suppliers. Pure: the rules' text in, matchers
out; each match says why in words, so a person can check it.

The rules are data (suppliers/name_rules.csv, suppliers/reference_suppliers.csv): a name rule is
a list of words or phrases that, found as whole words in the name, point to a category ("name
contains ROOFING"); a reference entry is a company whose main business is known, matched on the
start of the supplier's normalised name. The longest phrase found wins, so "cleaning
contractors" is cleaning and "painting and decorating" is construction.

A name rule may be marked `low` confidence (a word many kinds of business use, like
"security" or "storage"): its match is only a suggestion for a person to review, never
applied by itself, and any high-confidence rule found in the name beats it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tisc.rules.names import normalise_supplier_name

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Match:
    """A suggested category (by name) and why, in words; `confident` False when a person
    should check it before it counts."""

    category: str
    reason: str
    confident: bool = True


def _rows(text: str) -> list[dict[str, str]]:
    """The rows, keyed by column names stripped and lowercase; a missing value reads as ""."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [
        {(key or "").strip().lower(): value or "" for key, value in row.items()}
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    ]


def _words(text: str) -> tuple[str, ...]:
    """The words of a name or a phrase, lowercase, "&" read as "and"."""
    return tuple(_WORD.findall(text.lower().replace("&", " and ")))


def phrase_key(text: str) -> str:
    """A phrase of a name rule as it is matched: its words, lowercase, single spaces."""
    return " ".join(_words(text))


class NameRules:
    """Words in a supplier's name that point to a category.

    Matched word by word (not a regular expression per phrase): the phrases are filed under
    their first word, so a name costs a dictionary lookup per word, whatever the number of
    rules, which keeps 100,000 suppliers within seconds."""

    def __init__(self, phrases: dict[str, str], unsure: frozenset[str] = frozenset()) -> None:
        # phrase (lowercase words, single spaces) -> category name
        self.phrases = phrases
        # the phrases of low-confidence rules
        self.unsure = unsure
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(phrase.split())
            self._by_first.setdefault(words[0], []).append(words)

    @classmethod
    def from_csv(cls, text: str) -> NameRules:
        """Rules from CSV with columns words (phrases separated by ";"), category and,
        optionally, confidence ("high", the default, or "low")."""
        phrases: dict[str, str] = {}
        unsure: set[str] = set()
        for row in _rows(text):
            low = (row.get("confidence") or "").strip().lower() == "low"
            for phrase in row.get("words", "").split(";"):
                key = phrase_key(phrase)
                if key and key not in phrases:
                    phrases[key] = row.get("category", "").strip()
                    if low:
                        unsure.add(key)
        return cls(phrases, frozenset(unsure))

    def match(self, name: str | None) -> Match | None:
        """The category of the longest phrase of the rules found in the name, or None (the
        first found wins a tie); a sure rule found anywhere beats every unsure one, so the
        generic words of low-confidence rules never hide a trade."""
        if not self.phrases or not name:
            return None
        words = _words(name)
        best: tuple[bool, int] | None = None  # (sure, length) of the best phrase so far
        key = ""
        for start, word in enumerate(words):
            for phrase in self._by_first.get(word, ()):
                if words[start : start + len(phrase)] != phrase:
                    continue
                text = " ".join(phrase)
                rank = (text not in self.unsure, len(text))
                if best is None or rank > best:
                    best, key = rank, text
        if best is None:
            return None
        return Match(self.phrases[key], f"name contains {key.upper()}", best[0])


class ReferenceList:
    """Well-known suppliers and the category of their main business, filed under the first
    word of their normalised name."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        # (normalised key, category, the name as listed), longest key first
        self.entries = sorted(entries, key=lambda e: len(e[0]), reverse=True)
        self._by_first: dict[str, list[tuple[str, str, str]]] = {}
        for entry in self.entries:
            self._by_first.setdefault(entry[0].split()[0], []).append(entry)

    @classmethod
    def from_csv(cls, text: str) -> ReferenceList:
        """Entries from CSV with columns name and category ("#" lines are comments)."""
        return cls(
            (
                normalise_supplier_name(row.get("name", "")),
                row.get("category", "").strip(),
                row.get("name", "").strip(),
            )
            for row in _rows(text)
            if normalise_supplier_name(row.get("name", ""))
        )

    def match(self, normalised_name: str | None) -> Match | None:
        """The entry whose key starts the normalised name at a word boundary, or None."""
        if not normalised_name:
            return None
        for key, category, listed in self._by_first.get(normalised_name.split(" ", 1)[0], ()):
            if normalised_name == key or normalised_name.startswith(key + " "):
                return Match(category, f"{listed} is on the reference list of well-known suppliers")
        return None


def mapping_reason(text: str) -> str:
    """Why a mapped supplier has its category."""
    return f"finance category ‘{text.strip()}’ is mapped to it by this body"


def keyword_reason(text: str, keyword: str) -> str:
    """Why a supplier has the category whose keyword is in its finance text."""
    return f"finance category ‘{text.strip()}’ contains ‘{keyword}’"


def partnership_reason(body: str) -> str:
    """Why a supplier has the category another body of the partnership gave it."""
    return f"{body} categorised this supplier"


# The texts of a supplier's payments, besides the finance category, that the categoriser reads
# (field in the spend line -> how a reason names it), in the order they are tried.
PAYMENT_TEXT_LABELS = {
    "cost_centre": "cost centre",
    "description": "description",
    "cpv_code": "CPV code",
}


PAYMENT_TEXT_MAX = 300  # characters kept of each (a description can be a paragraph)


def join_payment_texts(texts: dict[str, str | None]) -> str | None:
    """A supplier's payment texts as stored: "label<TAB>text" a line, in the order tried;
    None when there is none."""
    lines = [
        f"{label}\t{' '.join(str(texts[field]).split())[:PAYMENT_TEXT_MAX]}"
        for field, label in PAYMENT_TEXT_LABELS.items()
        if texts.get(field) and str(texts[field]).strip()
    ]
    return "\n".join(lines) or None


def split_payment_texts(stored: str | None) -> list[tuple[str, str]]:
    """The (label, text) pairs of stored payment texts."""
    pairs = []
    for line in (stored or "").splitlines():
        label, _, text = line.partition("\t")
        if text:
            pairs.append((label, text))
    return pairs


def payment_text_reason(label: str, text: str, keyword: str) -> str:
    """Why a supplier has the category whose keyword is in one of its payment texts."""
    return f"{label} ‘{text.strip()}’ contains ‘{keyword}’"


def cpv_reason(code: str, category: str, listed: str) -> str:
    """Why a supplier has the category whose CPV code contains its payments' code."""
    return f"CPV code {code} is within {category}’s code {listed}"
