"""Risk beyond Tier 1: what a sub-supplier supplies, and from which country, matched against the
lists of goods at risk of child labour or forced labour. Pure: the lists' text in, findings out,
each with its source named in words so a person can check it.

Two lists, both data files in suppliers/: the US Department of Labor's List of Goods Produced by
Child Labor or Forced Labor (goods_forced_labour.csv: a good in a country) and the commodities
the UK's PPN 009 names as higher risk (ppn009_commodities.csv: a commodity anywhere). Matching
is word by word, as in tisc.rules.auto_category: a phrase of the lists matches only as whole
words of the "supplies" text, in any case, and a plural matches its singular ("gloves" is
"glove"), so "nitrile gloves" matches gloves and "ledger" does not match "led".
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

_WORD = re.compile(r"[a-z0-9]+")
DOL = "US DoL 2024 list"
PPN = "PPN 009"


class Severity(StrEnum):
    """How a finding is shown: the GOV.UK tag's words and colour, worst first."""

    FORCED = "forced"
    CHILD = "child"
    COMMODITY = "commodity"

    @property
    def label(self) -> str:
        return {
            "forced": "Forced labour risk",
            "child": "Child labour risk",
            "commodity": "Higher-risk commodity",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "forced": "govuk-tag--red",
            "child": "govuk-tag--orange",
            "commodity": "govuk-tag--yellow",
        }[self.value]


@dataclass(frozen=True)
class Finding:
    """A match of a sub-supplier against one list: what matched, and why in words."""

    source: str
    good: str
    country: str | None
    severity: Severity
    reason: str


def singular(word: str) -> str:
    """The singular of an English plural, roughly, and the same word when it is not one: enough
    that "gloves" and "glove", "rubies" and "ruby", "tomatoes" and "tomato" meet."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")) or (
        word.endswith("oes") and len(word) > 5
    ):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _plain(text: str) -> str:
    """Lowercase, accents and apostrophes dropped, "&" read as "and"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"['’‘`]", "", text).replace("&", " and ")


def words(text: str | None) -> tuple[str, ...]:
    """The words of a text as matching sees them: plain, each in its singular."""
    return tuple(singular(w) for w in _WORD.findall(_plain(text or "")))


class Phrases:
    """Phrases (tuples of words) filed under their first word, each with a value: every phrase
    found in a text as whole words, for a dictionary lookup per word of the text."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def add(self, phrase: str, value: str) -> None:
        key = words(phrase)
        if key and (key, value) not in self._by_first.get(key[0], []):
            self._by_first.setdefault(key[0], []).append((key, value))

    def found(self, text: str | None) -> list[tuple[str, str]]:
        """(value, the words of the text that matched) for every phrase found, in the order of
        the text, each value once (its first phrase)."""
        seen: dict[str, str] = {}
        written = _WORD.findall(_plain(text or ""))
        found = tuple(singular(w) for w in written)
        for start, word in enumerate(found):
            for phrase, value in self._by_first.get(word, ()):
                if found[start : start + len(phrase)] == phrase and value not in seen:
                    seen[value] = " ".join(written[start : start + len(phrase)])
        return list(seen.items())


# Other names people write for a country, as _plain words -> the name the lists use.
COUNTRY_ALIASES: dict[str, str] = {
    "prc": "China",
    "pr china": "China",
    "p r china": "China",
    "peoples republic of china": "China",
    "mainland china": "China",
    "china prc": "China",
    "myanmar": "Burma",
    "republic of the union of myanmar": "Burma",
    "drc": "Democratic Republic of the Congo",
    "dr congo": "Democratic Republic of the Congo",
    "congo drc": "Democratic Republic of the Congo",
    "congo kinshasa": "Democratic Republic of the Congo",
    "democratic republic of congo": "Democratic Republic of the Congo",
    "ivory coast": "Côte d'Ivoire",
    "cote d ivoire": "Côte d'Ivoire",
    "dprk": "North Korea",
    "democratic peoples republic of korea": "North Korea",
    "korea dpr": "North Korea",
    "republic of korea": "South Korea",
    "korea republic of": "South Korea",
    "viet nam": "Vietnam",
    "socialist republic of vietnam": "Vietnam",
    "turkiye": "Turkey",
    "republic of turkiye": "Turkey",
    "chinese taipei": "Taiwan",
    "uk": "United Kingdom",
    "u k": "United Kingdom",
    "gb": "United Kingdom",
    "great britain": "United Kingdom",
    "britain": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "northern ireland": "United Kingdom",
    "us": "United States",
    "usa": "United States",
    "u s": "United States",
    "u s a": "United States",
    "united states of america": "United States",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "czechia": "Czech Republic",
}
# Countries a UK body's sub-suppliers often name that are not on the lists, so that they are
# written one way on the heat-map.
OTHER_COUNTRIES = (
    "United Kingdom",
    "Ireland",
    "United States",
    "Canada",
    "France",
    "Germany",
    "Italy",
    "Spain",
    "Portugal",
    "Netherlands",
    "Belgium",
    "Poland",
    "Romania",
    "Czech Republic",
    "Sweden",
    "Denmark",
    "Japan",
    "South Korea",
    "Sri Lanka",
    "Cambodia",
    "Mexico",
    "Australia",
    "New Zealand",
    "South Africa",
    "Morocco",
    "Egypt",
)
# Names and aliases shorter than this match only the whole country text ("US", "UK", "GB"),
# never as a word inside it ("bought from us").
_SHORTEST_INSIDE = 4


class Countries:
    """Free-text country names read as the name the lists use."""

    def __init__(self, names: Iterable[str]) -> None:
        self.exact: dict[tuple[str, ...], str] = {}
        self.inside = Phrases()
        for name in (*names, *OTHER_COUNTRIES, *COUNTRY_ALIASES.values()):
            self._add(name, name)
        for alias, name in COUNTRY_ALIASES.items():
            self._add(alias, name)

    def _add(self, alias: str, name: str) -> None:
        key = tuple(_WORD.findall(_plain(alias)))
        if key[:1] == ("the",):
            key = key[1:]
        self.exact.setdefault(key, name)
        if len(" ".join(key)) >= _SHORTEST_INSIDE:
            self.inside.add(" ".join(key), name)

    def normalise(self, text: str | None) -> str | None:
        """The country the text names (the whole text, else the first country named in it, as in
        "Penang, Malaysia"), or None when it names none the lists know."""
        key = tuple(_WORD.findall(_plain(text or "")))
        if key[:1] == ("the",):
            key = key[1:]
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        found = self.inside.found(" ".join(key))
        return found[0][0] if found else None


def _rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("yes", "y", "true", "x")


def _good_phrase(good: str) -> str:
    """The good's name as a phrase: without its bracketed note, "/" read as a space."""
    return re.sub(r"\([^)]*\)", " ", good).replace("/", " ")


@dataclass(frozen=True)
class _Listed:
    good: str
    country: str
    child: bool
    forced: bool


def labour_words(child: bool, forced: bool) -> str:
    """ "child labour", "forced labour" or "child labour and forced labour"."""
    return " and ".join(w for w, on in (("child labour", child), ("forced labour", forced)) if on)


class GoodsRisk:
    """Both lists, ready to match sub-suppliers against."""

    def __init__(
        self, listed: Iterable[_Listed], dol_words: dict[str, list[str]], ppn: dict[str, list[str]]
    ) -> None:
        self.listed = list(listed)
        self.countries = Countries(entry.country for entry in self.listed)
        # (good, country) -> entry
        self.by_good_country = {(e.good, e.country): e for e in self.listed}
        self.goods = Phrases()
        for good, extra in dol_words.items():
            for phrase in (_good_phrase(good), *extra):
                self.goods.add(phrase, good)
        self.commodities = Phrases()
        for commodity, extra in ppn.items():
            for phrase in (commodity, *extra):
                self.commodities.add(phrase, commodity)

    @classmethod
    def from_csv(cls, dol_text: str, ppn_text: str) -> GoodsRisk:
        """The lists from their CSV files ("#" lines are comments; words separated by ";")."""
        listed, dol_words = [], {}
        for row in _rows(dol_text):
            good, country = row["good"].strip(), row["country"].strip()
            if not good or not country:
                continue
            child, forced = _yes(row.get("child_labour")), _yes(row.get("forced_labour"))
            listed.append(_Listed(good, country, child, forced))
            extra = [w.strip() for w in (row.get("words") or "").split(";") if w.strip()]
            dol_words.setdefault(good, []).extend(extra)
        ppn = {
            row["commodity"].strip(): [w.strip() for w in row["words"].split(";") if w.strip()]
            for row in _rows(ppn_text)
            if row["commodity"].strip()
        }
        return cls(listed, dol_words, ppn)

    def country(self, text: str | None) -> str | None:
        """The country a sub-supplier's country text names, as the lists write it."""
        return self.countries.normalise(text)

    def findings(self, *, supplies: str | None, country: str | None) -> list[Finding]:
        """What the lists say of a sub-supplier: the US DoL list's goods from its country (worst
        first), then the commodities PPN 009 names (whatever the country)."""
        found: list[Finding] = []
        where = self.country(country)
        if where is not None:
            for good, _phrase in self.goods.found(supplies):
                entry = self.by_good_country.get((good, where))
                if entry is None or not (entry.child or entry.forced):
                    continue
                found.append(
                    Finding(
                        DOL,
                        good,
                        where,
                        Severity.FORCED if entry.forced else Severity.CHILD,
                        f"{DOL}: {good.lower()} from {where} — "
                        f"{labour_words(entry.child, entry.forced)}",
                    )
                )
        found.sort(key=lambda f: f.severity != Severity.FORCED)
        for commodity, phrase in self.commodities.found(supplies):
            found.append(
                Finding(
                    PPN,
                    commodity,
                    None,
                    Severity.COMMODITY,
                    f"{PPN} names {commodity} as a higher-risk commodity (‘{phrase}’)",
                )
            )
        return found


def worst(findings: Iterable[Finding]) -> Severity | None:
    """The worst severity among findings, or None when there are none."""
    order = list(Severity)
    severities = [f.severity for f in findings]
    return min(severities, key=order.index) if severities else None
