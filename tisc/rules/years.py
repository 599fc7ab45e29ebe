"""UK public-sector financial years, 1 April to 31 March."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


def long_date(day: date) -> str:
    """17 August 2022 (the GOV.UK style; strftime's %-d is not portable)."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, named by the calendar year it starts in (2024 is 2024/25)."""

    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year a date falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read "2024-25", "2024/25" or "2024/2025"; raise ValueError otherwise."""
        match = _LABEL.match(text or "")
        if not match:
            raise ValueError(f"Enter a financial year like 2024-25, not {text!r}")
        start, end = int(match[1]), match[2]
        expected = str(start + 1)
        if end not in (expected, expected[-2:]):
            raise ValueError(f"{text!r} is not a financial year: the years must follow each other")
        return cls(start)

    @property
    def starts(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def ends(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def slug(self) -> str:
        """The form used in URLs and commands: 2024-25."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """The form people write: 2024/25."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def statement_due(self) -> date:
        """A statement is due within six months of the year end: 30 September."""
        return date(self.start_year + 1, 9, 30)

    def __str__(self) -> str:
        return self.label
