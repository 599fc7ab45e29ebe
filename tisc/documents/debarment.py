"""Reading the central debarment list (CSV or XLSX) into entries, or the reasons it cannot be.

The bytes go through the spend files' reader (`spendfiles.read_table`: the type decided by
content, the zip checks and size limits before an .xlsx is opened, the header found under any
title rows); the columns are found by the headers `rules/debarment.LIST_HEADERS` knows, dates
are read as spend files' payment dates are (day first, Excel serial numbers too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tisc.documents.spendfiles import Problem, RefusedFile, read_table
from tisc.documents.spendfiles.dates import EMPTY, OK, parse_dates
from tisc.documents.spendfiles.reading import display_name
from tisc.rules.debarment import list_columns, mandatory_from_text, missing_columns_message

MAX_ROWS = 100_000
# The longest text each field may hold (the columns of debarment_entries).
MAX_LENGTHS = {"name": 300, "company_number": 20, "ppon": 40}
_WORDS = {"name": "supplier name", "company_number": "company number", "ppon": "PPON"}


@dataclass(frozen=True)
class ListedEntry:
    """One supplier on the list, as the list gives it (identifiers as written)."""

    row: int
    name: str
    company_number: str | None
    ppon: str | None
    ground: str
    mandatory: bool
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class ReadList:
    """The entries read, and every problem found (by row)."""

    entries: list[ListedEntry]
    problems: list[Problem]


def read_debarment_list(data: bytes, *, filename: str, max_rows: int = MAX_ROWS) -> ReadList:
    """The list's entries and problems; RefusedFile when the whole file cannot be used (empty,
    not a spreadsheet, a column missing)."""
    name = display_name(filename)
    try:
        table = read_table(data, filename=filename, max_rows=max_rows)
    except RefusedFile as refused:
        if refused.message.endswith("has no rows of spend under its header."):
            raise RefusedFile(f"{name} has no suppliers under its header.") from None
        raise
    mapping = list_columns(table.columns)
    missing = missing_columns_message(mapping)
    if missing is not None:
        raise RefusedFile(missing)

    def column(field: str) -> list[str]:
        chosen = mapping[field]
        if chosen is None:
            return [""] * len(table.rows)
        return [str(value).strip() for value in table.rows[chosen].to_numpy(dtype=object)]

    starts, start_status = _dates(column("start_date"))
    ends, end_status = _dates(column("end_date"))
    texts = {field: column(field) for field in ("name", "company_number", "ppon", "ground")}
    kinds = column("mandatory")
    entries: list[ListedEntry] = []
    problems: list[Problem] = []
    for index, row in enumerate(table.row_numbers.tolist()):
        values = {field: texts[field][index] for field in texts}
        mandatory = mandatory_from_text(kinds[index])
        start = starts[index] if start_status[index] == OK else None
        end = ends[index] if end_status[index] == OK else None
        found = [
            Problem(row, mapping.get(field), message)
            for field, message in _row_problems(
                values, kinds[index], mandatory, start_status[index], end_status[index], start, end
            )
        ]
        if found or start is None or mandatory is None:
            problems.extend(found)
            continue
        entries.append(
            ListedEntry(
                row=row,
                name=" ".join(values["name"].split()),
                company_number=values["company_number"] or None,
                ppon=values["ppon"] or None,
                ground=values["ground"],
                mandatory=mandatory,
                start_date=start,
                end_date=end,
            )
        )
    return ReadList(entries, problems)


def _row_problems(
    values: dict[str, str],
    kind: str,
    mandatory: bool | None,
    start_status: int,
    end_status: int,
    start: date | None,
    end: date | None,
) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with one row."""
    found: list[tuple[str, str]] = []
    if not values["name"]:
        found.append(("name", "Enter the supplier name"))
    if not values["ground"]:
        found.append(("ground", "Enter the exclusion ground"))
    for field, limit in MAX_LENGTHS.items():
        if len(values[field]) > limit:
            found.append((field, f"The {_WORDS[field]} must be {limit} characters or fewer"))
    if mandatory is None:
        found.append(
            (
                "mandatory",
                f"“{kind}” is neither mandatory nor discretionary"
                if kind
                else "Say whether the ground is mandatory or discretionary",
            )
        )
    if start_status == EMPTY:
        found.append(("start_date", "Enter the start date"))
    elif start_status != OK:
        found.append(("start_date", "The start date is not a real date: write it like 31/03/2026"))
    if end_status not in (OK, EMPTY):
        found.append(("end_date", "The end date is not a real date: write it like 31/03/2026"))
    if start is not None and end is not None and end < start:
        found.append(("end_date", "The end date must be the same as or after the start date"))
    return found


def _dates(values: list[str]) -> tuple[list[date | None], np.ndarray]:
    parsed, status = parse_dates(np.array(values, dtype=object))
    days = [None if pd.isna(day) else pd.Timestamp(day).date() for day in parsed]
    return days, status
