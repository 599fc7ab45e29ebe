"""Why a file adds nothing, in words that agree with its counts; an import's year totals kept
and read back to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tisc.rules.import_outcome import YearTotal, nothing_to_import, year_totals
from tisc.rules.years import FinancialYear


@pytest.mark.parametrize(
    ("counts", "said"),
    [
        (
            dict(rows_read=0, rejected=0, duplicates=0, excluded=0),
            "There is nothing to import: the file has no rows under its headings.",
        ),
        (
            dict(rows_read=1, rejected=1, duplicates=0, excluded=0),
            "Nothing can be imported: the only row has a problem. The problems are listed below.",
        ),
        (
            dict(rows_read=1200, rejected=1200, duplicates=0, excluded=0),
            "Nothing can be imported: every one of the 1,200 rows has a problem. "
            "The problems are listed below.",
        ),
        (
            dict(rows_read=7, rejected=0, duplicates=7, excluded=0),
            "There is nothing new to import: every payment in this file is already in the "
            "register.",
        ),
        (
            dict(rows_read=5, rejected=2, duplicates=3, excluded=0),
            "There is nothing new to import: 3 payments are already in the register and 2 rows "
            "have problems.",
        ),
        (
            dict(rows_read=4, rejected=1, duplicates=2, excluded=1),
            "There is nothing new to import: 2 payments are already in the register, 1 payment "
            "to a private individual is left out, and 1 row has a problem.",
        ),
        (
            dict(rows_read=3, rejected=0, duplicates=0, excluded=3),
            "There is nothing new to import: 3 payments to private individuals are left out.",
        ),
        (
            dict(rows_read=2, rejected=0, duplicates=1, excluded=1),
            "There is nothing new to import: 1 payment is already in the register and 1 "
            "payment to a private individual is left out.",
        ),
    ],
)
def test_why_a_file_adds_nothing(counts: dict, said: str) -> None:
    assert nothing_to_import(**counts) == said


def test_every_row_with_a_problem_is_never_called_already_in_the_register() -> None:
    said = nothing_to_import(rows_read=3, rejected=3, duplicates=0, excluded=0)
    assert "already in the register" not in said


def test_year_totals_are_oldest_first_and_exact() -> None:
    totals = year_totals([(2024, 3, 5_022_000), (2023, 1, 3_000_000)])
    assert totals == [
        YearTotal(FinancialYear(2023), 1, Decimal("30000.00")),
        YearTotal(FinancialYear(2024), 3, Decimal("50220.00")),
    ]


@pytest.mark.parametrize("total", ["0.01", "-12.34", "123456789012.99", "0.00"])
def test_a_year_total_is_kept_and_read_back_to_the_penny(total: str) -> None:
    kept = YearTotal(FinancialYear(2022), 2, Decimal(total))
    assert YearTotal.from_json(kept.as_json()) == kept
    assert isinstance(kept.as_json()["pence"], int)
