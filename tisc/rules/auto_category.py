"""Suggesting a supplier's category when its finance text does not give one: from words in its
name, and from a reference list of well-known suppliers. Pure: the rules' text in, matchers
out; each match says why in words, so a person can check it.

The rules are data (suppliers/name_rules.csv, suppliers/reference_suppliers.csv): a name rule is
a list of words or phrases that, found as whole words in the name, point to a category ("name
contains ROOFING"); a reference entry is a company whose main business is known, matched on the
start of the supplier's normalised name. The longest phrase found wins, so "cleaning
contractors" is cleaning and "painting and decorating" is construction.
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
    """A suggested category (by name) and why, in words."""

    category: str
    reason: str


def _rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _words(text: str) -> tuple[str, ...]:
    """The words of a name or a phrase, lowercase, "&" read as "and"."""
    return tuple(_WORD.findall(text.lower().replace("&", " and ")))


class NameRules:
    """Words in a supplier's name that point to a category.

    Matched word by word (not a regular expression per phrase): the phrases are filed under
    their first word, so a name costs a dictionary lookup per word, whatever the number of
    rules, which keeps 100,000 suppliers within seconds."""

    def __init__(self, phrases: dict[str, str]) -> None:
        # phrase (lowercase words, single spaces) -> category name
        self.phrases = phrases
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(phrase.split())
            self._by_first.setdefault(words[0], []).append(words)

    @classmethod
    def from_csv(cls, text: str) -> NameRules:
        """Rules from CSV with columns words (phrases separated by ";") and category."""
        phrases: dict[str, str] = {}
        for row in _rows(text):
            for phrase in row["words"].split(";"):
                key = " ".join(_words(phrase))
                if key:
                    phrases.setdefault(key, row["category"].strip())
        return cls(phrases)

    def match(self, name: str | None) -> Match | None:
        """The category of the longest phrase of the rules found in the name, or None (the
        first found wins a tie)."""
        if not self.phrases or not name:
            return None
        words = _words(name)
        best: tuple[str, ...] | None = None
        for start, word in enumerate(words):
            for phrase in self._by_first.get(word, ()):
                if words[start : start + len(phrase)] == phrase and (
                    best is None or len(" ".join(phrase)) > len(" ".join(best))
                ):
                    best = phrase
        if best is None:
            return None
        key = " ".join(best)
        return Match(self.phrases[key], f"name contains {key.upper()}")


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
            (normalise_supplier_name(row["name"]), row["category"].strip(), row["name"].strip())
            for row in _rows(text)
            if normalise_supplier_name(row["name"])
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
