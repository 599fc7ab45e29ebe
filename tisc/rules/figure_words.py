"""Live figures in a statement's words: named placeholders like ((spend)) and money in words.
No database here.

The rules, stated once:

- **The syntax**: a live figure is written as its name in double round brackets,
  ``((spend))``, ``((staff in scope))``, ``((% trained))``. It is distinct from the {braces}
  filled in once when a statement is started (tisc.services.statements.text) and from the
  [square-bracket prompts] an editor must replace (tisc.rules.statements.placeholders).
  Names are matched without regard to case or to spaces around and between the words:
  ``(( Staff  in scope ))`` is ``((staff in scope))``.
- **The names** are the fixed list FIGURES; nothing else is filled. An unknown name is left
  as it was typed, so it shows in the document, and unknown_figures lists it for the checklist.
- **Money in words** (money_in_words): a million pounds or more in millions to one decimal
  place, "£138.0 million"; under a million to the nearest thousand pounds, "£950,000"; under a
  thousand to the pound, "£740". Rounding is half up, and an amount that rounds up to a million
  is written in millions: £999,999.99 is "£1.0 million". A negative amount has a minus sign.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)
MINUS = "\u2212"


@dataclass(frozen=True)
class FigureName:
    """A live figure an editor can insert: its name and what it means."""

    name: str
    meaning: str

    @property
    def placeholder(self) -> str:
        return f"(({self.name}))"


FIGURES: tuple[FigureName, ...] = (
    FigureName("spend", "Non-pay spend in the year, in words (£138.0 million)"),
    FigureName("suppliers", "Suppliers paid in the year"),
    FigureName(
        "distinct suppliers",
        "Suppliers paid in the year, each business once however many bodies paid it"
        " (the same company number, or the same name)",
    ),
    FigureName("suppliers over threshold", "Suppliers paid more than the spend threshold"),
    FigureName("high-risk suppliers", "Suppliers in high-risk categories"),
    FigureName("staff in scope", "Officers and staff in scope for training"),
    FigureName("staff trained", "Officers and staff in scope who were trained"),
    FigureName("% trained", "Share of the staff in scope who were trained"),
    FigureName("% assessed", "Share of tier A and B suppliers assessed"),
    FigureName("uncategorised spend", "Spend with suppliers that have no category"),
    FigureName("bodies", "How many bodies the statement covers"),
    FigureName("year", "The financial year of the statement (2025/26)"),
    FigureName("last year", "The financial year before (2024/25)"),
)
FIGURE_NAMES: tuple[str, ...] = tuple(f.name for f in FIGURES)
# ((name)): anything but brackets and line breaks between the double brackets.
PLACEHOLDER = re.compile(r"\(\(([^()\n]{1,60})\)\)")


def normal_name(name: str) -> str:
    """A placeholder's name as matched: lower case, single spaces, trimmed."""
    return " ".join(name.lower().split())


def fill_figures(text: str, values: Mapping[str, str]) -> str:
    """The text with every known ((name)) replaced by its value from `values` (keyed by the
    names in FIGURE_NAMES). A name not in FIGURES, or without a value, is left as typed."""

    def replace(match: re.Match[str]) -> str:
        name = normal_name(match.group(1))
        if name in FIGURE_NAMES and name in values:
            return values[name]
        return match.group(0)

    return PLACEHOLDER.sub(replace, text or "")


def unknown_figures(text: str | None) -> list[str]:
    """The ((placeholders)) in the text whose names are not live figures, as typed, in order,
    each once."""
    found: list[str] = []
    for match in PLACEHOLDER.finditer(text or ""):
        if normal_name(match.group(1)) not in FIGURE_NAMES and match.group(0) not in found:
            found.append(match.group(0))
    return found


def figures_used(text: str | None) -> list[str]:
    """The known figure names the text uses, each once, in order."""
    found: list[str] = []
    for match in PLACEHOLDER.finditer(text or ""):
        name = normal_name(match.group(1))
        if name in FIGURE_NAMES and name not in found:
            found.append(name)
    return found


def round_to(amount: Decimal, unit: Decimal) -> Decimal:
    """The amount rounded half up to a whole number of units (unit 0.1 million, 1,000, ...)."""
    return (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def money_in_words(amount: Decimal) -> str:
    """An amount of money as prose writes it (see the module's rules): "£138.0 million",
    "£950,000", "£740"."""
    sign = MINUS if amount < 0 else ""
    size = abs(amount)
    pounds = size.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if pounds < THOUSAND:
        return f"{sign}£{pounds:,.0f}" if pounds else "£0"
    thousands = round_to(size, THOUSAND)
    if thousands < MILLION:
        return f"{sign}£{thousands:,.0f}"
    millions = (size / MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{sign}£{millions:,} million"


def count_in_words(count: int) -> str:
    """A count as prose writes it: 43,038."""
    return f"{count:,}"


def percent_in_words(part: int, whole: int) -> str:
    """A share to one decimal place, half up: "74.8%"; "0%" of nothing."""
    if whole <= 0:
        return "0%"
    share = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{share}%"
