"""From a table of text to typed spend lines, with every problem in every row reported.

Everything is done a column at a time. Python code runs only once per distinct value (there
are ~20,000 supplier names in a million lines, and ~30 dates in a month), never once per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from tisc.documents.spendfiles import amounts, dates
from tisc.documents.spendfiles.columns import (
    FIELD_LABELS,
    FIELD_MAX_LENGTHS,
    FIELDS,
    REQUIRED_FIELDS,
)
from tisc.documents.spendfiles.model import MappingError, ParsedFile, Problem, RawTable
from tisc.rules.names import normalise_supplier_name

OPTIONAL_FIELDS: tuple[str, ...] = tuple(name for name in FIELDS if name not in REQUIRED_FIELDS)
LINE_COLUMNS: tuple[str, ...] = (
    "row",
    "supplier_name",
    "amount_pence",
    "payment_date",
    "financial_year",
    *OPTIONAL_FIELDS,
)
# A payee named like this is a person whose name was withheld, not a supplier.
REDACTED_NAMES = frozenset(
    {
        "personal data",
        "personal information",
        "private individual",
        "individual",
        "name withheld",
        "withheld",
    }
)
# What finance systems write in an identifier column when there is no identifier.
NOT_GIVEN = frozenset({"", "N/A", "NA", "N.A.", "-", "--", "0", "NONE", "NIL", "NULL"})
# Bad values longer than this are cut short in messages.
SHOWN_CHARS = 60

_WORDS = re.compile(r"[^\W_]+")
_REDACTED_WORDS = ("individual", "personal", "withheld")


def parse_rows(
    table: RawTable,
    mapping: dict[str, str | None],
    *,
    personal_names: frozenset[str] = frozenset(),
) -> ParsedFile:
    """Typed spend lines from a table, given which column holds each field.

    `personal_names` are supplier names (in any spelling; they are normalised here) known to
    be private individuals: like redacted payees, their rows go to `excluded`, not `lines`.
    """
    columns = mapped_columns(table, mapping)
    count = len(table.rows)
    numbers = np.asarray(table.row_numbers, dtype=np.int64)

    supplier_values = _text(table, columns["supplier_name"])
    names, redacted = _supplier_names(supplier_values, personal_names)
    amount_values = _text(table, columns["amount"])
    pence, amount_status = amounts.parse_amounts(amount_values)
    date_values = _text(table, columns["payment_date"])
    paid, date_status = dates.parse_dates(date_values)

    # Redacted payees are out of scope: not lines, and not problems either.
    live = ~redacted
    no_name = live & (names == "")
    bad_amount = live & (amount_status != amounts.OK)
    bad_date = live & (date_status != dates.OK)
    extras = {name: _optional(table, name, columns[name]) for name in OPTIONAL_FIELDS}
    too_long = [
        (live & _longer_than(values, FIELD_MAX_LENGTHS[name]), columns[name], _too_long(name))
        for name, values in (("supplier_name", names), *extras.items())
        if name in FIELD_MAX_LENGTHS
    ]
    good = live & ~(no_name | bad_amount | bad_date)
    for failed, _column, _message in too_long:
        good &= ~failed

    problems = _problems(
        numbers,
        [
            (no_name, columns["supplier_name"], _constant("The supplier name is empty")),
            (bad_amount, columns["amount"], _amount_message(amount_values, amount_status)),
            (bad_date, columns["payment_date"], _date_message(date_values, date_status)),
            *too_long,
        ],
    )
    lines = _frame(
        {
            "row": numbers,
            "supplier_name": names,
            "amount_pence": pence,
            "payment_date": paid,
            "financial_year": financial_years(paid),
            **extras,
        },
        good,
    )
    excluded = _frame(
        {
            "row": numbers,
            "amount_pence": np.where(amount_status == amounts.OK, pence, 0),
        },
        redacted,
    )
    return ParsedFile(lines=lines, excluded=excluded, problems=problems, rows_read=count)


def mapped_columns(table: RawTable, mapping: dict[str, str | None]) -> dict[str, str | None]:
    """Every field -> its column, checked; MappingError if a required field has none."""
    columns: dict[str, str | None] = {}
    for name in FIELDS:
        column = mapping.get(name) or None
        label = field_in_sentence(name)
        if column is not None and column not in table.columns:
            raise MappingError(
                f"The file has no column called '{column}' for the {label}. "
                "Choose the column that holds it."
            )
        if column is None and name in REQUIRED_FIELDS:
            raise MappingError(
                f"The file has no column for the {label}. Choose the column that holds it."
            )
        columns[name] = column
    return columns


def field_in_sentence(name: str) -> str:
    """A field's label for the middle of a sentence: "payment date", but "VAT number"."""
    first, _, rest = FIELD_LABELS[name].partition(" ")
    return " ".join(part for part in (first if first.isupper() else first.lower(), rest) if part)


def financial_years(days: np.ndarray) -> np.ndarray:
    """The UK financial year (April to March) of each date, named by its starting year."""
    index = pd.DatetimeIndex(days)
    years = index.year.to_numpy(dtype=np.int64, na_value=0)
    return years - (index.month.to_numpy(dtype=np.int64, na_value=0) < 4)


def is_redacted(name: str, personal_names: frozenset[str] = frozenset()) -> bool:
    """True when a payee name stands for a private individual rather than a supplier.

    `personal_names` holds names already normalised by `normalise_supplier_name`.
    """
    folded = name.casefold()
    if "redacted" in folded:
        return True
    # Punctuation aside ("Personal Data."); the cheap test first, as most names are suppliers.
    cheap_hint = any(word in folded for word in _REDACTED_WORDS)
    if cheap_hint and " ".join(_WORDS.findall(folded)) in REDACTED_NAMES:
        return True
    return bool(personal_names) and normalise_supplier_name(name) in personal_names


def company_number(text: str) -> str:
    """A Companies House number: upper case, no spaces, numeric ones padded to 8 digits."""
    number = identifier(text)
    if number.isascii() and number.isdigit():
        return "" if not number.strip("0") else number.zfill(8)
    return number


def identifier(text: str) -> str:
    """A VAT, charity or company number without spaces, in upper case; "" for N/A and the like."""
    compact = "".join(text.split()).upper()
    return "" if compact in NOT_GIVEN else compact


def _supplier_names(
    values: np.ndarray, personal_names: frozenset[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Names with whitespace collapsed, and which are redacted individuals."""
    keys = frozenset(normalise_supplier_name(name) for name in personal_names)
    codes, uniques = factorize_objects(values)
    collapsed = [" ".join(name.split()) for name in uniques]
    flags = [is_redacted(name, keys) for name in collapsed]
    return _array(collapsed)[codes], np.array(flags, dtype=bool)[codes]


def factorize_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same as `pd.factorize(values)` for an object array, faster for long columns of
    many distinct strings (supplier names) as pandas' CSV parser makes them.

    The parser hands out one str object per distinct value per chunk of rows, so a million
    supplier names are ~300,000 objects. Factorising the objects' ids (plain integers) first
    leaves only one object per (value, chunk) to hash and compare as text: a million names
    with 20,000 distinct take ~0.35 s instead of ~0.5 s, as comparing text means fetching
    strings scattered all over memory.
    """
    object_codes, objects = pd.factorize(np.fromiter(map(id, values), np.uint64, len(values)))
    one_of_each = np.empty(len(objects), dtype=np.intp)
    one_of_each[object_codes] = np.arange(len(values))  # any position holding that object
    codes, uniques = pd.factorize(values[one_of_each])
    return codes[object_codes], uniques


def _optional(table: RawTable, name: str, column: str | None) -> np.ndarray:
    if column is None:
        return np.full(len(table.rows), "", dtype=object)
    values = _text(table, column)
    if name == "company_number":
        return _per_unique(values, company_number)
    if name in ("vat_number", "charity_number"):
        return _per_unique(values, identifier)
    return values


def _text(table: RawTable, column: str | None) -> np.ndarray:
    """A column's cells (Python str, as read_table makes them) as an object array."""
    return table.rows[column].to_numpy(dtype=object)


def _per_unique(values: np.ndarray, convert: Callable[[str], str]) -> np.ndarray:
    codes, uniques = pd.factorize(values)
    return _array([convert(value) for value in uniques])[codes]


def _array(texts: list[str]) -> np.ndarray:
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


def _frame(columns: dict[str, np.ndarray], keep: np.ndarray) -> pd.DataFrame:
    """A DataFrame of the kept rows; text stays in object columns (no per-cell conversion)."""
    everything = bool(keep.all())
    # copy=False also skips consolidating same-typed columns into one 2-D block, a full copy.
    return pd.DataFrame(
        {
            name: pd.Series(values if everything else values[keep], dtype=values.dtype)
            for name, values in columns.items()
        },
        copy=False,
    )


MessageMaker = Callable[[np.ndarray], list[str]]


def _problems(
    numbers: np.ndarray, checks: list[tuple[np.ndarray, str | None, MessageMaker]]
) -> list[Problem]:
    """Every failed check as a Problem, in row order, then in the order of the checks."""
    positions, order, columns, messages = [], [], [], []
    for rank, (failed, column, make_messages) in enumerate(checks):
        where = np.flatnonzero(failed)
        positions.append(where)
        order.append(np.full(len(where), rank))
        columns.extend([column] * len(where))
        messages.extend(make_messages(where))
    if not messages:
        return []
    at = np.concatenate(positions)
    sequence = np.lexsort((np.concatenate(order), at))
    rows = numbers[at].tolist()
    return [Problem(rows[i], columns[i], messages[i]) for i in sequence.tolist()]


def _longer_than(values: np.ndarray, limit: int) -> np.ndarray:
    """Which values have more than `limit` characters (len runs in C: ~30 ms a million)."""
    return np.fromiter(map(len, values), dtype=np.int64, count=len(values)) > limit


def _too_long(name: str) -> MessageMaker:
    label = field_in_sentence(name)
    return _constant(f"The {label} is longer than {FIELD_MAX_LENGTHS[name]} characters")


def _constant(message: str) -> MessageMaker:
    return lambda where: [message] * len(where)


def _amount_message(values: np.ndarray, status: np.ndarray) -> MessageMaker:
    def make(where: np.ndarray) -> list[str]:
        return [
            "The amount is empty"
            if state == amounts.EMPTY
            else f"Enter an amount like 1234.56: '{_shown(value)}' is not an amount"
            for value, state in zip(values[where], status[where], strict=True)
        ]

    return make


def _date_message(values: np.ndarray, status: np.ndarray) -> MessageMaker:
    def make(where: np.ndarray) -> list[str]:
        return [
            "The payment date is empty"
            if state == dates.EMPTY
            else f"The payment date '{_shown(value)}' is not a real date"
            if state == dates.IMPOSSIBLE
            else f"Enter a payment date like 17/08/2022: '{_shown(value)}' is not a date"
            for value, state in zip(values[where], status[where], strict=True)
        ]

    return make


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 1] + "…"
