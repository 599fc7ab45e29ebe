"""What a checked or finished import says about itself: the payments it adds in each financial
year, and why a file adds nothing, in words that agree with its counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tisc.rules.years import FinancialYear


@dataclass(frozen=True)
class YearTotal:
    """The payments an import adds in one financial year, and their net total."""

    year: FinancialYear
    payments: int
    total: Decimal

    def as_json(self) -> dict[str, int]:
        """As kept on the import record: the year it starts in, a count, pence."""
        return {
            "year": self.year.start_year,
            "payments": self.payments,
            "pence": int(self.total.scaleb(2)),
        }

    @classmethod
    def from_json(cls, kept: dict[str, int]) -> YearTotal:
        return cls(
            FinancialYear(int(kept["year"])),
            int(kept["payments"]),
            Decimal(int(kept["pence"])).scaleb(-2),
        )


def year_totals(rows: Iterable[tuple[int, int, int]]) -> list[YearTotal]:
    """(start year, payments, pence) rows as year totals, oldest year first."""
    return [
        YearTotal(FinancialYear(int(year)), int(count), Decimal(int(pence)).scaleb(-2))
        for year, count, pence in sorted(rows)
    ]


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def nothing_to_import(*, rows_read: int, rejected: int, duplicates: int, excluded: int) -> str:
    """Why a file adds no payment: no rows, every row has a problem, every payment is already in
    the register, or a mix (each part with its count). For files that add nothing only."""
    if rows_read == 0:
        return "There is nothing to import: the file has no rows under its headings."
    if rejected >= rows_read:
        every = "the only row has" if rows_read == 1 else f"every one of the {rows_read:,} rows has"
        return f"Nothing can be imported: {every} a problem. The problems are listed below."
    if duplicates and not rejected and not excluded:
        return (
            "There is nothing new to import: every payment in this file is already in the register."
        )
    parts = []
    if duplicates:
        parts.append(_count(duplicates, "payment is", "payments are") + " already in the register")
    if excluded:
        parts.append(
            "1 payment to a private individual is left out"
            if excluded == 1
            else f"{excluded:,} payments to private individuals are left out"
        )
    if rejected:
        parts.append(_count(rejected, "row has a problem", "rows have problems"))
    if len(parts) > 1:
        parts[-1] = "and " + parts[-1]
    listed = ", ".join(parts) if len(parts) > 2 else " ".join(parts)
    return f"There is nothing new to import: {listed}."
