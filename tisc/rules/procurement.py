"""Procurement and contract management rules: which regime a procurement runs under, CPV codes,
the order of its key dates, the KPIs the Procurement Act 2023 asks of a contract over £5m, and
the yearly performance ratings. Pure: plain values in, plain values out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from tisc.rules.money import format_whole_pounds

ACT_IN_FORCE = date(2025, 2, 24)
"""New procurements started on or after this day run under the Procurement Act 2023."""

KPI_VALUE_THRESHOLD = Decimal("5000000.00")
"""A contract worth more than this needs at least MIN_KPIS KPIs (Procurement Act 2023, s.52)."""
MIN_KPIS = 3

_CPV = re.compile(r"^\d{8}-\d$")
_CPV_SEPARATORS = re.compile(r"[\s,;]+")


class Regime(StrEnum):
    """The law a procurement (and the contract it awards) runs under."""

    PCR_2015 = "pcr2015"
    PA_2023 = "pa2023"

    @property
    def label(self) -> str:
        return {
            "pcr2015": "Public Contracts Regulations 2015",
            "pa2023": "Procurement Act 2023",
        }[self.value]

    @property
    def short(self) -> str:
        return {"pcr2015": "PCR 2015", "pa2023": "Procurement Act 2023"}[self.value]


class PerformanceRating(StrEnum):
    """A contract's yearly performance rating, in the Procurement Act's words."""

    GOOD = "good"
    APPROACHING = "approaching"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "good": "Good",
            "approaching": "Approaching target",
            "requires_improvement": "Requires improvement",
            "inadequate": "Inadequate",
            "other": "Other",
        }[self.value]


def suggested_regime(tender_notice_on: date | None) -> Regime | None:
    """The Act for a tender notice on or after 24 February 2025, PCR 2015 before; None when
    there is no tender notice date to go by (the person chooses)."""
    if tender_notice_on is None:
        return None
    return Regime.PA_2023 if tender_notice_on >= ACT_IN_FORCE else Regime.PCR_2015


def parse_cpv_codes(text: str | None) -> tuple[list[str], list[str]]:
    """The CPV codes in a text (separated by spaces, commas, semicolons or new lines), each
    once in the order given, and the pieces that are not a code like 79710000-4."""
    codes: list[str] = []
    wrong: list[str] = []
    for piece in _CPV_SEPARATORS.split((text or "").strip()):
        if not piece:
            continue
        if _CPV.match(piece):
            if piece not in codes:
                codes.append(piece)
        else:
            wrong.append(piece)
    return codes, wrong


def cpv_problem(text: str | None) -> str | None:
    """What is wrong with a CPV codes field, in words; None when it holds one or more codes."""
    codes, wrong = parse_cpv_codes(text)
    if wrong:
        shown = ", ".join(wrong[:3])
        return f"Enter CPV codes like 79710000-4, with 8 digits, a hyphen and 1 digit ({shown})"
    if not codes:
        return "Enter at least one CPV code, like 79710000-4"
    return None


@dataclass(frozen=True)
class KeyDates:
    """A procurement's key dates; any may be unknown yet."""

    tender_notice_on: date | None = None
    award_on: date | None = None
    start_on: date | None = None
    end_on: date | None = None


def date_problems(dates: KeyDates) -> dict[str, str]:
    """Field -> message for key dates out of order: the award before the tender notice, the
    end before the start, the start before the award."""
    found: dict[str, str] = {}
    if dates.award_on and dates.tender_notice_on and dates.award_on < dates.tender_notice_on:
        found["award_on"] = "The award date must be the same as or after the tender notice date"
    if dates.end_on and dates.start_on and dates.end_on < dates.start_on:
        found["end_on"] = "The end date must be the same as or after the start date"
    if dates.start_on and dates.award_on and dates.start_on < dates.award_on:
        found["start_on"] = "The start date must be the same as or after the award date"
    return found


@dataclass(frozen=True)
class KpiCheck:
    """Whether a contract needs more KPIs, on which value, and why in words."""

    value: Decimal | None
    basis: str | None  # "total value" or "annual value"; None when neither is known
    over: bool
    kpis: int
    missing: bool
    reason: str


def kpi_check(*, total_value: Decimal | None, annual_value: Decimal | None, kpis: int) -> KpiCheck:
    """A contract worth over £5m (its total value, else its annual value when the total is not
    known) with fewer than three KPIs is missing KPIs."""
    if total_value is not None:
        value, basis = total_value, "total value"
    elif annual_value is not None:
        value, basis = annual_value, "annual value"
    else:
        return KpiCheck(None, None, False, kpis, False, "No value recorded")
    over = value > KPI_VALUE_THRESHOLD
    missing = over and kpis < MIN_KPIS
    worth = f"Its {basis} is {format_whole_pounds(value)}"
    if missing:
        reason = (
            f"{worth}, over £5,000,000, and it has {kpis} "
            f"{'KPI' if kpis == 1 else 'KPIs'}: the Procurement Act 2023 asks for at least "
            f"{MIN_KPIS}"
        )
    elif over:
        reason = f"{worth}, over £5,000,000, and it has {kpis} KPIs"
    else:
        reason = f"{worth}, not over £5,000,000"
    return KpiCheck(value, basis, over, kpis, missing, reason)


def latest_rating(
    ratings: Iterable[tuple[int, PerformanceRating]],
) -> tuple[int, PerformanceRating] | None:
    """The rating of the latest financial year among (year, rating) pairs, or None."""
    found = sorted(ratings, key=lambda pair: pair[0])
    return found[-1] if found else None


def clause_words(clause: bool | None) -> str:
    """Yes, No or Not recorded, for a contract's modern slavery clause."""
    return {True: "Yes", False: "No", None: "Not recorded"}[clause]
