"""Finding a category for a piece of finance category text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

_SPACES = re.compile(r"\s+")


class HasKeywords(Protocol):
    """A category as far as keyword matching is concerned."""

    @property
    def keyword_list(self) -> list[str]: ...


C = TypeVar("C", bound=HasKeywords)


def text_key(text: str | None) -> str:
    """Finance category text lowercased with spaces collapsed: the key mappings are saved under."""
    return _SPACES.sub(" ", (text or "").strip().lower())


def match_keyword(text: str | None, categories: Iterable[C]) -> C | None:
    """The category whose keyword appears in the text (the longest keyword wins), or None.

    Finance text like "CLEANING & JANITORIAL.CLEANING MATERIALS" reads as words; keywords
    match at the start of a word so "waste" does not match "toothpaste".
    """
    found = keyword_match(text, categories)
    return found[0] if found else None


def keyword_match(text: str | None, categories: Iterable[C]) -> tuple[C, str] | None:
    """The category whose keyword appears in the text and the keyword (the longest wins)."""
    key = text_key(text)
    if not key:
        return None
    best: tuple[str, C] | None = None
    for category in categories:
        for keyword in category.keyword_list:
            if re.search(rf"(?<![a-z0-9]){re.escape(keyword)}", key) and (
                best is None or len(keyword) > len(best[0])
            ):
                best = (keyword, category)
    return (best[1], best[0]) if best else None


def resolve(
    text: str | None, mappings: Mapping[str, C], categories: Iterable[C]
) -> tuple[C | None, str]:
    """The category for finance text and how it was found: 'mapping', 'keyword' or 'none'."""
    key = text_key(text)
    if key in mappings:
        return mappings[key], "mapping"
    found = match_keyword(key, categories)
    return (found, "keyword") if found else (None, "none")


class HasCpvCodes(Protocol):
    """A category as far as CPV matching is concerned."""

    @property
    def cpv_list(self) -> list[str]: ...


K = TypeVar("K", bound=HasCpvCodes)

_CPV = re.compile(r"\d{8}")


def cpv_code(text: str | None) -> str | None:
    """The 8-digit CPV code in a cell ("45261000-1", "CPV 45261000 Roof works"), or None."""
    found = _CPV.search(text or "")
    return found.group(0) if found else None


def cpv_match(code: str | None, categories: Iterable[K]) -> tuple[K, str] | None:
    """The category one of whose CPV codes contains the code, and that code.

    A CPV code's trailing zeros widen it: 45000000 is the whole construction division, so
    45261000 (roof works) falls in it; 50700000 (building installation repairs) is narrower
    than 50000000. The most specific code that contains it wins.
    """
    found = cpv_code(code)
    if found is None:
        return None
    best: tuple[int, str, K] | None = None
    for category in categories:
        for listed in category.cpv_list:
            listed_code = cpv_code(listed)
            if listed_code is None:
                continue
            # At least the division (two digits) must agree: "00000000" contains nothing.
            prefix = listed_code.rstrip("0").ljust(2, "0")
            if found.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), listed_code, category)
    return (best[2], best[1]) if best else None
