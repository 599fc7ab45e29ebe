from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tisc.documents.spendfiles.dates import (
    EMPTY,
    IMPOSSIBLE,
    OK,
    UNREADABLE,
    iso_dates,
    parse_dates,
)


def parse_one(text: str) -> tuple[date | None, int]:
    days, status = parse_dates(np.array([text], dtype=object))
    return (None if np.isnat(days[0]) else days[0].astype("datetime64[D]").item()), int(status[0])


AUGUST_17 = date(2022, 8, 17)


@pytest.mark.parametrize(
    "text",
    [
        "2022-08-17",
        "17/08/2022",
        "17/8/2022",
        "17-08-2022",
        "17.08.2022",
        "17-Aug-2022",
        "17 Aug 2022",
        "17-AUG-2022",
        "17-aug-22",
        "17-AUG-22",
        "17/08/22",
        "17 August 2022",
        "2022/08/17",
        "2022-08-17 00:00:00",
        "2022-08-17T10:00:00",
        "2022-08-17 23:59",
        "2022-08-17T10:00:00.250",
        "17/08/2022 00:00",
        "17/08/2022 13:45:10",
        "20220817",
        "44790",  # an Excel serial number: days since 1899-12-30
        "44790.0",
        "44790.75",  # 6pm on the day: the time is dropped
    ],
)
def test_dates_in_every_accepted_format(text: str) -> None:
    assert parse_one(text) == (AUGUST_17, OK)


def test_dates_are_read_day_first() -> None:
    assert parse_one("08/12/2022") == (date(2022, 12, 8), OK)
    assert parse_one("1/2/2023") == (date(2023, 2, 1), OK)


@pytest.mark.parametrize(
    ("text", "year"),
    [("17/08/00", 2000), ("17/08/69", 2069), ("17/08/70", 1970), ("17-Aug-99", 1999)],
)
def test_two_digit_years_00_to_69_are_this_century(text: str, year: int) -> None:
    assert parse_one(text) == (date(year, 8, 17), OK)


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2022",
        "29/02/2023",
        "17/13/2022",
        "08/17/2022",
        "2022-02-30",
        "32-Aug-2022",
        "17/08/0022",
        "0022-08-17",
        "31-Feb-22",
    ],
)
def test_impossible_dates_are_not_real(text: str) -> None:
    assert parse_one(text) == (None, IMPOSSIBLE)


@pytest.mark.parametrize(
    "text",
    [
        "next tuesday",
        "August",
        "2022",
        "17th August 2022",
        "12.5",
        "19999",
        "80001",
        "-44790",
        "2022-08",
        "TBC",
        "N/A",
    ],
)
def test_unreadable_dates(text: str) -> None:
    assert parse_one(text) == (None, UNREADABLE)


def test_empty_dates_are_empty() -> None:
    assert parse_one("") == (None, EMPTY)


def test_a_column_maps_each_value_back_to_its_row() -> None:
    values = np.array(["17/08/2022", "", "2022-08-18", "17/08/2022", "nope"], dtype=object)
    days, status = parse_dates(values)
    assert days.dtype == np.dtype("datetime64[ns]")
    assert [str(day)[:10] for day in days] == [
        "2022-08-17",
        "NaT",
        "2022-08-18",
        "2022-08-17",
        "NaT",
    ]
    assert status.tolist() == [OK, EMPTY, OK, OK, UNREADABLE]


def test_no_values() -> None:
    days, status = parse_dates(np.array([], dtype=object))
    assert len(days) == len(status) == 0


EXCEL_EPOCH = date(1899, 12, 30)
FORMATS = {
    "iso": lambda day: day.isoformat(),
    "slashes": lambda day: day.strftime("%d/%m/%Y"),
    "unpadded": lambda day: f"{day.day}/{day.month}/{day.year}",
    "dashes": lambda day: day.strftime("%d-%m-%Y"),
    "dots": lambda day: day.strftime("%d.%m.%Y"),
    "month name": lambda day: day.strftime("%d-%b-%Y"),
    "month name spaced": lambda day: day.strftime("%d %b %Y"),
    "shouting short year": lambda day: day.strftime("%d-%b-%y").upper(),
    "short year": lambda day: day.strftime("%d/%m/%y"),
    "iso with time": lambda day: day.strftime("%Y-%m-%d 00:00:00"),
    "iso T": lambda day: day.strftime("%Y-%m-%dT10:30:00"),
    "excel serial": lambda day: str((day - EXCEL_EPOCH).days),
    "excel serial with time": lambda day: f"{(day - EXCEL_EPOCH).days}.5",
}


@settings(max_examples=300)
@given(
    day=st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)),
    style=st.sampled_from(sorted(FORMATS)),
)
def test_any_date_round_trips_in_every_format(day: date, style: str) -> None:
    text = FORMATS[style](day)
    if style.startswith("excel") and not 20_000 <= (day - EXCEL_EPOCH).days <= 80_000:
        return
    assert parse_one(text) == (day, OK), text


@settings(max_examples=50)
@given(st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), max_size=50))
def test_mixed_formats_in_one_column(days: list[date]) -> None:
    styles = sorted(FORMATS)
    texts = [FORMATS[styles[i % len(styles)]](day) for i, day in enumerate(days)]
    parsed, status = parse_dates(np.array(texts, dtype=object))
    assert (status == OK).all()
    assert [value.astype("datetime64[D]").item() for value in parsed] == days


def test_serial_numbers_cover_the_years_of_any_spend() -> None:
    assert parse_one("20000") == (EXCEL_EPOCH + timedelta(days=20_000), OK)
    assert parse_one("80000") == (EXCEL_EPOCH + timedelta(days=80_000), OK)


@settings(max_examples=50)
@given(st.lists(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)), max_size=50))
def test_iso_dates_write_each_day_as_iso_text(days: list[date]) -> None:
    values = np.array(days, dtype="datetime64[ns]")
    assert iso_dates(values).tolist() == [day.isoformat() for day in days]


def test_iso_dates_leave_a_missing_date_out() -> None:
    values = np.array(["2025-03-31", "NaT", "2025-03-31"], dtype="datetime64[ns]")
    assert iso_dates(values).tolist() == ["2025-03-31", None, "2025-03-31"]
