"""Payment dates, read day first (UK), for a whole column at once.

A column of dates has few distinct values (a month's file has about 30), so each distinct
value is parsed once and the results are mapped back. Formats are tried in a fixed order with
`pd.to_datetime(..., format=..., errors="coerce")`, each over the values not yet parsed: no
guessing (dateutil would read 08/12/2022 as 12 August), so every accepted form is listed here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

OK, EMPTY, IMPOSSIBLE, UNREADABLE = 0, 1, 2, 3

# Accepted formats, most common first. Two-digit years are handled below.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%b-%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d/%b/%Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y%m%d",
)
TWO_DIGIT_YEAR_FORMATS: tuple[str, ...] = (
    "%d/%m/%y",
    "%d-%b-%y",
    "%d-%m-%y",
    "%d.%m.%y",
    "%d %b %y",
    "%d/%b/%y",
)
# Python reads two-digit years 69-99 as 19xx; we read 00-69 as 20xx, so only 69 differs.
_PYTHON_1969 = 1969
# Dates outside these years are typing mistakes (0022 for 2022), and they keep every date
# inside the range of datetime64[ns].
FIRST_YEAR, LAST_YEAR = 1900, 2199
# Excel stores dates as days since 1899-12-30; in a column formatted as General they arrive
# as plain numbers. 20000 is 1954-10-03 and 80000 is 2119-01-10.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIAL_RANGE = (20_000, 80_000)

# The shapes of dates: a value of one of these shapes that no format accepts is not a real
# date (31/02/2022, 17/13/2022); anything else cannot be read as a date at all.
_DATE_SHAPES = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T].*)?"
    r"|\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}(?: .*)?"
    r"|\d{1,2}[-/. ][A-Za-z]{3,9}\.?[-/. ]\d{2,4}"
    r"|\d{8}"
)


def parse_dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse stripped date strings.

    Returns (dates, status): datetime64[ns] at midnight (NaT where not parsed) and uint8
    status per value, OK, EMPTY, IMPOSSIBLE or UNREADABLE.
    """
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    unique_dates, unique_status = _parse_unique(pd.Series(uniques, dtype=object))
    if len(codes) == 0:
        return np.array([], dtype="datetime64[ns]"), np.array([], dtype=np.uint8)
    return unique_dates[codes], unique_status[codes]


def _parse_unique(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    found = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    out_of_range = pd.Series(False, index=text.index)
    todo = text != ""
    formats = [(fmt, False) for fmt in DATE_FORMATS]
    formats += [(fmt, True) for fmt in TWO_DIGIT_YEAR_FORMATS]
    for fmt, two_digit_year in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        parsed = parsed[parsed.notna()]
        if parsed.empty:
            continue
        if two_digit_year:
            late = parsed.dt.year == _PYTHON_1969
            parsed[late] = parsed[late] + pd.DateOffset(years=100)
        plausible = parsed.dt.year.between(FIRST_YEAR, LAST_YEAR)
        # Left to do: a later format may still read it, and if none does it is not real.
        out_of_range[parsed.index[~plausible]] = True
        good = parsed[plausible]
        found[good.index] = good.dt.normalize().astype("datetime64[ns]")
        todo[good.index] = False

    if todo.any():
        serials = pd.to_numeric(text[todo], errors="coerce")
        low, high = EXCEL_SERIAL_RANGE
        serials = serials[(serials >= low) & (serials <= high)]
        days = pd.to_timedelta(np.floor(serials.to_numpy(dtype=np.float64)), unit="D")
        found[serials.index] = (EXCEL_EPOCH + days).astype("datetime64[ns]")
        todo[serials.index] = False

    status = np.full(len(text), OK, dtype=np.uint8)
    status[(text == "").to_numpy()] = EMPTY
    failed = todo.to_numpy()
    if failed.any():
        shaped = text[todo].str.fullmatch(_DATE_SHAPES).to_numpy(dtype=bool)
        status[np.flatnonzero(failed)] = np.where(shaped, IMPOSSIBLE, UNREADABLE)
    status[failed & out_of_range.to_numpy()] = IMPOSSIBLE
    return found.to_numpy(dtype="datetime64[ns]"), status


def iso_dates(days: np.ndarray | pd.Series) -> np.ndarray:
    """Dates (datetime64) as ISO text, "2024-04-01", in an object array (None for NaT).

    Each distinct day is formatted once: a million lines hold a few hundred days, and
    `Series.dt.strftime` formats every cell (~0.4 s a million).
    """
    values = np.asarray(days, dtype="datetime64[D]")
    codes, uniques = pd.factorize(values.view(np.int64))
    texts = np.datetime_as_string(uniques.view("datetime64[D]"), unit="D")
    missing = uniques == np.datetime64("NaT").view(np.int64)
    out = np.empty(len(uniques), dtype=object)
    out[:] = [None if gone else text for text, gone in zip(texts.tolist(), missing, strict=True)]
    return out[codes]
