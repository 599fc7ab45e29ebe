"""The values the spend file reader hands back: tables, problems, parsed lines and refusals."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


class RefusedFile(Exception):
    """The whole file cannot be used. `.message` is one plain-English sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MappingError(RefusedFile):
    """A required field has no column, or is mapped to a column the file does not have."""


@dataclass
class RawTable:
    """The cells of a spend file under its header, as text, with their row numbers in the file.

    `rows` holds Python `str` in object-dtype columns (the same on pandas 2 and 3, and it
    saves converting a million cells to the newer `str` dtype for no gain).
    """

    columns: list[str]
    rows: pd.DataFrame
    row_numbers: np.ndarray
    sheet_names: list[str] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None  # the 1-based row number of the header in the file

    def examples_by_column(self, *, count: int = 3, within: int = 50) -> dict[str, list[str]]:
        """Up to `count` different non-blank values of each column from its first `within`
        rows, each cut to 80 characters: what the column-mapping page shows beside a choice."""
        head = self.rows.head(within)
        examples: dict[str, list[str]] = {}
        for position, column in enumerate(self.columns):
            if position >= head.shape[1] or column in examples:
                continue
            found: list[str] = []
            for value in head.iloc[:, position]:
                text = str(value).strip() if value is not None else ""
                if text and text.lower() != "nan" and text not in found:
                    found.append(text if len(text) <= 80 else text[:79] + "…")
                    if len(found) == count:
                        break
            examples[column] = found
        return examples


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one row (or in the whole file when `row` is None)."""

    row: int | None
    column: str | None
    message: str


@dataclass
class ParsedFile:
    """Clean spend lines, the rows left out as redacted individuals, and every problem found."""

    lines: pd.DataFrame
    excluded: pd.DataFrame
    problems: list[Problem]
    rows_read: int

    @property
    def rows_with_problems(self) -> int:
        """How many distinct rows have at least one problem."""
        return len({problem.row for problem in self.problems if problem.row is not None})
