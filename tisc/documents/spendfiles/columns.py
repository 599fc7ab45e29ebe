"""The fields of a spend line, and matching a finance export's column names to them."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from tisc.config import ROOT
from tisc.documents.spendfiles import amounts, dates
from tisc.rules.column_scoring import (
    SCORED_FIELDS,
    Choice,
    ColumnContent,
    choose_columns,
    header_fits,
    net_over_gross,
)

FIELDS: tuple[str, ...] = (
    "supplier_name",
    "amount",
    "payment_date",
    "reference",
    "category_text",
    "company_number",
    "vat_number",
    "charity_number",
    "description",
    "cost_centre",
    "cpv_code",
)
REQUIRED_FIELDS: tuple[str, ...] = ("supplier_name", "amount", "payment_date")
FIELD_LABELS: dict[str, str] = {
    "supplier_name": "Supplier name",
    "amount": "Amount",
    "payment_date": "Payment date",
    "reference": "Transaction reference",
    "category_text": "Category",
    "company_number": "Company number",
    "vat_number": "VAT number",
    "charity_number": "Charity number",
    "description": "Description",
    "cost_centre": "Cost centre",
    "cpv_code": "CPV code",
}
# The longest text each field may hold (the register's column sizes; a test checks they agree).
# Longer values are a problem in their row, not a database error at the end of the import.
FIELD_MAX_LENGTHS: dict[str, int] = {
    "supplier_name": 300,
    "reference": 100,
    "category_text": 300,
    "company_number": 20,
    "vat_number": 30,
    "charity_number": 30,
    "cost_centre": 200,
}

# The header is looked for among this many non-blank rows at the top of a file.
HEADER_SEARCH_ROWS = 30

# The alias file lists each field's names most preferred first. Choices the three real files
# in ../shared/data/spend/ force:
# - reference: Calderdale has "Internal Ref Number" (the council's own number, unique per
#   line) and "Invoice Number" (supplier text such as "08AUG-04SEP" that repeats): invoice
#   numbers are the last resort. North Tyneside's "Local Supplier Internal Reference" is a
#   supplier id, not a payment reference, so it is no alias at all.
# - category_text: "Procurement Classification" ("CLEANING & JANITORIAL.CLEANING MATERIALS")
#   says more than a SeRCOP/BVACOP expenditure category ("Supplies and Services").
# - description: "Extended Description" first, but Calderdale's is empty throughout, which is
#   why guess_mapping can look at the rows; Harrogate's "Narrative" beats its "Expenditure
#   Code" ("Fuel/Oil"), which is last.
# - amount: net before gross; "Irrecoverable VAT" is no amount and no VAT number.
ALIASES_PATH = ROOT / "suppliers" / "column_aliases.csv"

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")

# Scoring a column's content looks at this many of its first non-blank cells.
CONTENT_SAMPLE = 200
_LETTERS = re.compile(r"[^\W\d_]{2}")


def column_key(name: str) -> str:
    """A column name reduced to lowercase letters and digits, so spacing, case and punctuation
    never stop a match: "Supplier(Beneficiary) Name" and "supplier (beneficiary) name" agree."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NOT_ALPHANUMERIC.sub("", text)


@lru_cache(maxsize=1)
def _alias_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The alias file, read once, checked, in file order (which is the order of preference)."""
    aliases: dict[str, list[str]] = {name: [] for name in FIELDS}
    owner: dict[str, str] = {}
    with ALIASES_PATH.open(encoding="utf-8", newline="") as handle:
        for line_number, record in enumerate(csv.DictReader(handle), start=2):
            name, alias = (record.get("field") or "").strip(), (record.get("alias") or "").strip()
            if name not in aliases or not alias:
                raise ValueError(f"{ALIASES_PATH.name} line {line_number}: bad field or alias")
            key = column_key(alias)
            # One column name must mean one field, or guess_mapping could not be unambiguous.
            if owner.setdefault(key, name) != name:
                raise ValueError(f"{ALIASES_PATH.name}: {alias!r} is listed for two fields")
            aliases[name].append(alias)
    return tuple((name, tuple(found)) for name, found in aliases.items())


@lru_cache(maxsize=1)
def _alias_ranks() -> dict[str, tuple[str, int]]:
    """column_key(alias) -> (field, preference rank; 0 is the most preferred)."""
    ranks: dict[str, tuple[str, int]] = {}
    for name, aliases in _alias_table():
        for rank, alias in enumerate(aliases):
            ranks.setdefault(column_key(alias), (name, rank))
    return ranks


def load_aliases() -> dict[str, list[str]]:
    """Each field's known column names, most preferred first, from suppliers/column_aliases.csv."""
    return {name: list(aliases) for name, aliases in _alias_table()}


def field_for_column(name: str) -> str | None:
    """The field a column name is a known alias of, if any."""
    match = _alias_ranks().get(column_key(name))
    return match[0] if match else None


def header_fields(cells: Iterable[str]) -> set[str]:
    """The fields named by the cells of a candidate header row."""
    found = (field_for_column(cell) for cell in cells if cell)
    return {name for name in found if name}


@dataclass(frozen=True)
class ColumnGuess:
    """The guessed mapping, and why for each field chosen by header words and content (and for
    an amount whose alias, net, beat a gross one), with the other column if there was one."""

    mapping: dict[str, str | None]
    scored: dict[str, Choice]


def guess_mapping(columns: list[str], rows: pd.DataFrame | None = None) -> dict[str, str | None]:
    """Every field -> the file column that best matches it, or None (see guess_columns)."""
    return guess_columns(columns, rows).mapping


def guess_columns(columns: list[str], rows: pd.DataFrame | None = None) -> ColumnGuess:
    """Every field -> its column, by alias first, then (with `rows`) by header words and content.

    When several columns match a field's aliases, the one whose alias comes first in the alias
    file wins (so "Net Amount" beats "Gross Amount"), then the leftmost. Alias names belong to
    one field each, so a column is never used for two fields. Pass `rows` to skip columns that
    are entirely empty (Calderdale publishes an "Extended Description" column with nothing in
    it) and to let a required field no alias found be chosen by `rules/column_scoring`.
    """
    ranks = _alias_ranks()
    best: dict[str, tuple[int, int, str]] = {}
    amounts_named: list[str] = []
    for position, column in enumerate(columns):
        match = ranks.get(column_key(column))
        if match is None:
            continue
        name, rank = match
        if rows is not None and column in rows.columns and _is_empty(rows[column]):
            continue
        if name == "amount":
            amounts_named.append(column)
        candidate = (rank, position, column)
        if name not in best or candidate < best[name]:
            best[name] = candidate
    mapping = {name: (best[name][2] if name in best else None) for name in FIELDS}
    unfound = tuple(name for name in SCORED_FIELDS if mapping[name] is None)
    if rows is None or not unfound:
        return ColumnGuess(mapping, _net_over_gross(mapping["amount"], amounts_named))
    # A column an alias names belongs to that field, even to one no alias chose.
    taken = frozenset(column for column in columns if column_key(column) in ranks)
    # Reading content costs a parse per column: only columns whose header could fit are read.
    hopeful = [
        position
        for position, column in enumerate(columns[: rows.shape[1]])
        if column not in taken and any(header_fits(name, column) for name in unfound)
    ]
    contents = column_contents([columns[p] for p in hopeful], rows.iloc[:, hopeful])
    scored = choose_columns(contents, unfound)
    mapping.update({name: choice.column for name, choice in scored.items()})
    return ColumnGuess(mapping, {**_net_over_gross(mapping["amount"], amounts_named), **scored})


def _net_over_gross(chosen: str | None, named: list[str]) -> dict[str, Choice]:
    """Say so when the aliases chose a net amount over a gross one that is also in the file."""
    note = chosen and net_over_gross(chosen, [column for column in named if column != chosen])
    return {"amount": note} if note else {}


def column_contents(columns: list[str], rows: pd.DataFrame) -> list[ColumnContent]:
    """What each column's first CONTENT_SAMPLE non-blank cells look like: the share that are
    amounts, dates, and names (two letters or more, neither an amount nor a date)."""
    found = []
    for position, column in enumerate(columns):
        if position >= rows.shape[1]:
            found.append(ColumnContent(column, filled=0))
            continue
        cells = rows.iloc[:, position].to_numpy(dtype=object)
        sample = [
            text for text in (str(cell).strip() for cell in cells[: CONTENT_SAMPLE * 5]) if text
        ][:CONTENT_SAMPLE]
        if not sample:
            found.append(ColumnContent(column, filled=0))
            continue
        values = np.array(sample, dtype=object)
        money = amounts.parse_amounts(values)[1] == amounts.OK
        when = dates.parse_dates(values)[1] == dates.OK
        named = np.array([bool(_LETTERS.search(text)) for text in sample]) & ~money & ~when
        count = len(sample)
        found.append(
            ColumnContent(
                column,
                filled=count,
                money=float(money.sum()) / count,
                dates=float(when.sum()) / count,
                names=float(named.sum()) / count,
            )
        )
    return found


def _is_empty(values: pd.Series) -> bool:
    cells = values.to_numpy(dtype=object)
    # Most columns have something in their first rows; only look further when they do not.
    return not (cells[:100] != "").any() and not (cells != "").any()


def find_header_row(rows: list[list[str]]) -> tuple[int, bool] | None:
    """Which of the first non-blank rows is the header, and whether it names spend columns.

    The first row naming at least two known columns, one of them the supplier or the amount,
    is the header (strong). Failing that, the first row as full as the fullest row is (a
    title row above a header is shorter than the header). None when there are no rows.
    """
    top = rows[:HEADER_SEARCH_ROWS]
    for index, cells in enumerate(top):
        named = header_fields(cells)
        if len(named) >= 2 and named & {"supplier_name", "amount"}:
            return index, True
    filled = [sum(1 for cell in cells if cell) for cells in top]
    if not filled or max(filled) == 0:
        return None
    return filled.index(max(filled)), False
