"""Supplier name normalisation: the key that matches "ACME LTD" to "Acme Limited."."""

from __future__ import annotations

import re
import unicodedata

# Longest first, so "public limited company" wins over "limited".
_SUFFIXES = [
    (re.compile(rf"\b{long}\b"), short)
    for long, short in [
        ("public limited company", "plc"),
        ("limited liability partnership", "llp"),
        ("limited", "ltd"),
        ("company", "co"),
    ]
]
_NON_WORD = re.compile(r"[^a-z0-9]+")
# The key is stored in a column of this size. "&" becomes " and " and NFKD can turn one
# character into several, so a name that fits can make a longer key; the cut is harmless,
# as 300 characters of a name tell suppliers apart.
KEY_LENGTH = 300


def normalise_supplier_name(name: str) -> str:
    """A lowercase matching key: punctuation, "The", "&"/"and" and company suffixes unified."""
    text = name or ""
    if not text.isascii():  # plain ASCII has no accents to drop (most names: skip the loop)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("&", " and ")
    text = _NON_WORD.sub(" ", text).strip()
    for long, short in _SUFFIXES:
        text = long.sub(short, text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)[:KEY_LENGTH].rstrip()


WEB_ADDRESS_NAME_LENGTH = 80
_NOT_WEB_ADDRESS = re.compile(r"[^a-z0-9]+")


def web_address_name(name: str, max_length: int = WEB_ADDRESS_NAME_LENGTH) -> str:
    """The part of a web address made from a name: "West Yorkshire Police" gives
    "west-yorkshire-police" (lowercase letters and numbers, single hyphens, accents dropped,
    "&" as "and"); cut at a hyphen to fit. Empty when the name has no letters or numbers."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _NOT_WEB_ADDRESS.sub("-", text.replace("&", " and ")).strip("-")
    if len(text) > max_length:
        text = text[: max_length + 1]
        text = text[: text.rfind("-")] if "-" in text else text[:max_length]
    return text.strip("-")
