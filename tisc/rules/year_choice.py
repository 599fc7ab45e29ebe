"""Which financial year a page opens on when none is asked for, and what to say about it.

A page of records opens on the year we are in when it has any, else on the latest year that
has them (up to now, else any), so a reader never lands on an empty year while another has
data; the page says which year it chose and why, and an empty year points to those with data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tisc.rules.years import FinancialYear


@dataclass(frozen=True)
class YearChoice:
    """The year a page shows, whether the reader asked for it, and the years with data."""

    year: FinancialYear
    asked: bool
    current: FinancialYear
    with_data: tuple[FinancialYear, ...]  # newest first

    @property
    def has_data(self) -> bool:
        """Whether the year shown has any of what the page shows."""
        return self.year in self.with_data

    @property
    def reason(self) -> str | None:
        """Why the page opened on this year: "latest" (the latest year with data), "current"
        (the year we are in, though a later year has data too), "so far" (the latest year with
        data up to now, though a later one has some), or None when the reader asked for it or
        the year is empty."""
        if self.asked or not self.has_data:
            return None
        if self.year == self.with_data[0]:
            return "latest"
        return "current" if self.year == self.current else "so far"

    @property
    def others(self) -> tuple[FinancialYear, ...]:
        """The other years with data, nearest to the year shown first (at most three): where
        an empty year points the reader."""
        others = [y for y in self.with_data if y != self.year]
        others.sort(key=lambda y: (abs(y.start_year - self.year.start_year), -y.start_year))
        return tuple(others[:3])


def choose_year(
    *, asked: FinancialYear | None, with_data: Iterable[int], current: FinancialYear
) -> YearChoice:
    """The year to show: the one asked for; else the year we are in (`current`) when it has
    data; else the latest year with data up to now; else the nearest later year with data;
    else (nothing anywhere) the year we are in."""
    years = tuple(FinancialYear(y) for y in sorted(set(with_data), reverse=True))
    if asked is not None:
        year = asked
    elif current in years:
        year = current
    else:
        past = [y for y in years if y < current]
        year = past[0] if past else years[-1] if years else current
    return YearChoice(year=year, asked=asked is not None, current=current, with_data=years)
