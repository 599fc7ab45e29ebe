"""Choosing a spend file's supplier, amount and payment date columns by header words and content.

The curated aliases (suppliers/column_aliases.csv) come first; this rule is for the required
fields no alias found. Each remaining column is scored from two things together:

- the words of its header (whole words, case and accents ignored): "Invoice Line Value (net of
  VAT)" says value and net of VAT; "Updated" says when the payment was last changed;
- its content, measured by the caller (documents/spendfiles) over the first non-blank cells:
  the share that parse as money, as dates, or as names (text with letters, neither money nor
  a date).

A column is a candidate only when its header has a word for the field and its content fits
(at least CONTENT_THRESHOLD of its cells): a numeric id column parses as money but its header
says nothing of an amount, and "Value" full of words is no amount. Candidates are ordered by
the strength of their header words, then by content; the runner-up is kept as the
alternative the preview offers.

Amounts: a header saying net / excluding VAT / net of VAT beats one saying gross / including
VAT (VAT is recoverable, so net is what the body spent), and a header saying VAT alone is the
VAT itself, never the payment.

Payment dates: paid / payment / cleared first, then posted / processed / updated / transaction
(the day the finance system recorded the payment: a real export's "Updated" was its payment
date), then a bare "Date", then created / invoice / entered / received / raised (the start of
the invoice's life, not its payment); "due" is no payment date at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The share of a column's non-blank cells that must fit the field.
CONTENT_THRESHOLD = 0.8

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ColumnContent:
    """What a column's first non-blank cells look like (the shares are 0 to 1)."""

    name: str
    filled: int
    money: float = 0.0
    dates: float = 0.0
    names: float = 0.0


@dataclass(frozen=True)
class Choice:
    """The column chosen for a field, why in words, and the runner-up if there was one."""

    field: str
    column: str
    reason: str
    alternative: str | None = None
    alternative_reason: str | None = None


@dataclass(frozen=True)
class _Candidate:
    column: str
    strength: int
    share: float
    position: int
    reason: str


def header_words(name: str) -> tuple[str, ...]:
    """The header's words, lowercase, accents and punctuation gone: "Total (excludes VAT)" ->
    ("total", "excludes", "vat")."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return tuple(_WORD.findall(text))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_AMOUNT_WORDS = _words(
    "amount value total net gross cost costs spend spent expenditure sum paid payment gbp sterling"
)
_NOT_AMOUNT = _words(
    "id no number code ref reference date year period month qty quantity count percent rate "
    "name account"
)
_EXCLUDING = _words("excl excluding excludes exclusive ex exc before pre less")
_INCLUDING = _words("incl including includes inclusive inc with")
_VAT = frozenset({"vat", "tax"})

_PAID_WORDS = _words("paid payment pay cleared clearing")
_RECORDED_WORDS = _words("posted posting processed updated transaction effective")
_EARLY_WORDS = _words("created invoice entered received raised document creation")
# "Amount Paid" is no date, whatever its numbers look like (Excel serials are numbers too).
_NOT_PAYMENT_DATE = _words("due expiry birth start end amount value total sum net gross")

_SUPPLIER_WORDS = _words(
    "supplier payee beneficiary vendor creditor merchant recipient contractor trader"
)
_NOT_SUPPLIER = _words(
    "id no number code ref reference type category address postcode vat site town city "
    "county country status group class"
)


def _amount_header(words: tuple[str, ...], name: str) -> tuple[int, str] | None:
    """(strength, what the header says) for an amount, or None when it names no payment."""
    present = set(words)
    if present & _NOT_AMOUNT:
        return None
    said = sorted(present & _AMOUNT_WORDS, key=words.index)
    if not said and "£" not in name:
        return None
    mentions_vat = bool(present & _VAT)
    net = "net" in present or (mentions_vat and bool(present & _EXCLUDING))
    gross = "gross" in present or (mentions_vat and bool(present & _INCLUDING))
    if mentions_vat and not net and not gross:
        return None  # "VAT", "VAT Amount", "Total VAT": the tax, not the payment
    base = [word for word in said if word not in {"net", "gross"}]
    what = f"says {' and '.join(base)}" if base else "says" if said else "is in pounds (£)"
    if net and not gross:
        return 3, f"{what}, excluding VAT" if base else f"{what} net (excluding VAT)"
    if gross:
        return 1, f"{what}, including VAT" if base else f"{what} gross (including VAT)"
    return 2, what


def _date_header(words: tuple[str, ...]) -> tuple[int, str] | None:
    present = set(words)
    if present & _NOT_PAYMENT_DATE:
        return None
    if present & _PAID_WORDS:
        return 4, f"says {_first(words, _PAID_WORDS)}"
    if present & _RECORDED_WORDS:
        return 3, f"says {_first(words, _RECORDED_WORDS)} (when the payment was recorded)"
    if present & _EARLY_WORDS:
        return 1, f"says {_first(words, _EARLY_WORDS)} (earlier than the payment)"
    if "date" in present:
        return 2, "says date"
    return None


def _supplier_header(words: tuple[str, ...]) -> tuple[int, str] | None:
    present = set(words)
    if present & _NOT_SUPPLIER or not present & _SUPPLIER_WORDS:
        return None
    strength = 3 if "name" in present else 2
    return strength, f"says {_first(words, _SUPPLIER_WORDS)}"


def _first(words: tuple[str, ...], wanted: frozenset[str]) -> str:
    return next(word for word in words if word in wanted)


_CONTENT_NOUN = {"amount": "amounts", "payment_date": "dates", "supplier_name": "names"}


def _share(field: str, content: ColumnContent) -> float:
    if field == "amount":
        return content.money
    if field == "payment_date":
        return content.dates
    return content.names


def _header(field: str, name: str) -> tuple[int, str] | None:
    words = header_words(name)
    if field == "amount":
        return _amount_header(words, name)
    if field == "payment_date":
        return _date_header(words)
    if field == "supplier_name":
        return _supplier_header(words)
    raise ValueError(f"No scoring for {field!r}")


SCORED_FIELDS: tuple[str, ...] = ("supplier_name", "amount", "payment_date")


def header_fits(field: str, name: str) -> bool:
    """Whether a header has a word for `field`: only such columns need their content read."""
    return _header(field, name) is not None


def candidates(field: str, columns: list[ColumnContent]) -> list[_Candidate]:
    """The columns that could hold `field`, best first."""
    found = []
    for position, content in enumerate(columns):
        if content.filled == 0:
            continue
        header = _header(field, content.name)
        share = _share(field, content)
        if header is None or share < CONTENT_THRESHOLD:
            continue
        strength, said = header
        percent = f"{share:.0%}".replace("100%", "all")
        cells = "of its cells are" if percent != "all" else "its cells are"
        reason = f"‘{content.name}’: the header {said}; {percent} {cells} {_CONTENT_NOUN[field]}"
        found.append(_Candidate(content.name, strength, share, position, reason))
    return sorted(found, key=lambda c: (-c.strength, -c.share, c.position))


def choose(field: str, columns: list[ColumnContent]) -> Choice | None:
    """The best column for `field` (one of SCORED_FIELDS) with the reason, or None."""
    ranked = candidates(field, columns)
    if not ranked:
        return None
    best = ranked[0]
    reason = best.reason
    other = ranked[1] if len(ranked) > 1 else None
    if field == "amount" and other and best.strength == 3 and other.strength == 1:
        reason += f". It is preferred to ‘{other.column}’, which includes VAT"
    return Choice(
        field=field,
        column=best.column,
        reason=reason,
        alternative=other.column if other else None,
        alternative_reason=other.reason if other else None,
    )


def choose_columns(
    columns: list[ColumnContent], fields: tuple[str, ...], taken: frozenset[str] = frozenset()
) -> dict[str, Choice]:
    """A choice for each of `fields` a column fits, never a column in `taken` (already chosen
    by its alias) nor one column for two fields (the field listed first keeps it)."""
    chosen: dict[str, Choice] = {}
    used = set(taken)
    for field in fields:
        free = [content for content in columns if content.name not in used]
        choice = choose(field, free)
        if choice is not None:
            chosen[field] = choice
            used.add(choice.column)
    return chosen


def net_over_gross(chosen: str, others: list[str]) -> Choice | None:
    """When a known amount heading that is net was chosen over known ones that include VAT
    ("Net Amount" over "Gross Amount"), that choice in words with the gross one as the other;
    else None."""
    said = _amount_header(header_words(chosen), chosen)
    if said is None or said[0] != 3:
        return None
    gross = [
        other
        for other in others
        if (found := _amount_header(header_words(other), other)) and found[0] == 1
    ]
    if not gross:
        return None
    return Choice(
        field="amount",
        column=chosen,
        reason=(
            f"‘{chosen}’ is a known amount heading, excluding VAT. It is preferred to "
            f"‘{gross[0]}’, which includes VAT"
        ),
        alternative=gross[0],
        alternative_reason=f"‘{gross[0]}’ is a known amount heading, including VAT",
    )
