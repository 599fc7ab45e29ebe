import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tisc.documents.spendfiles.amounts import EMPTY, INVALID, MAX_AMOUNT_CHARS, OK, parse_amounts


def parse_one(text: str) -> tuple[int, int]:
    pence, status = parse_amounts(np.array([text], dtype=object))
    return int(pence[0]), int(status[0])


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("£1,234.56", 123456),
        ("1 234.56", 123456),
        ("1\xa0234.56", 123456),  # Excel's no-break space between thousands
        ("£ 1,234.56", 123456),
        ("-12.00", -1200),
        ("(12.00)", -1200),
        ("(£12.00)", -1200),
        ("£-12.00", -1200),
        ("-£12.00", -1200),
        ("12.00-", -1200),
        ("12.5", 1250),
        ("12", 1200),
        ("0.01", 1),
        ("-0.01", -1),
        ("0", 0),
        (".5", 50),
        ("12.", 1200),
        ("12,345,678.90", 1234567890),
        ("9999999999999.99", 999999999999999),
        ("1000000", 100000000),
    ],
)
def test_amounts_in_every_accepted_style(text: str, pence: int) -> None:
    assert parse_one(text) == (pence, OK)


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("12.345", 1235),
        ("12.344", 1234),
        ("12.3449999", 1234),
        ("0.005", 1),
        ("0.0049", 0),
        ("-0.005", -1),  # half up means away from zero, as Decimal's ROUND_HALF_UP
        ("-12.345", -1235),
        ("(1,234.5678)", -123457),
    ],
)
def test_more_than_two_decimal_places_round_half_up(text: str, pence: int) -> None:
    assert parse_one(text) == (pence, OK)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12..5",
        "1,2,3.4.5",
        "1,23",  # commas must group digits in threes
        "1234,567",
        ",123",
        "12,",
        "--12",
        "-12-",
        "(12",
        "12)",
        "-(12)",
        "(-12)",
        "££12",
        "£",
        "-",
        ".",
        "()",
        "12 34",
        "£12£",
        "12.5.",
        "1e5",
        "12p",
        "GBP 12",
        "+12",
        "12 000 00",
        "99999999999999",  # 14 digits of pounds is a mistake
        "1" * 30,  # would overflow int64 if it were ever accumulated
        "1,111,111,111,111,111,111,111.11",
        "1" * (MAX_AMOUNT_CHARS + 1),
        "١٢",  # digits, but not ours
        "\u0660",
    ],
)
def test_anything_else_is_not_an_amount(text: str) -> None:
    assert parse_one(text) == (0, INVALID)


def test_an_empty_cell_is_empty_not_invalid() -> None:
    pence, status = parse_amounts(np.array(["", "12", ""], dtype=object))
    assert pence.tolist() == [0, 1200, 0]
    assert status.tolist() == [EMPTY, OK, EMPTY]


def test_a_column_of_only_long_junk_and_blanks() -> None:
    _pence, status = parse_amounts(np.array(["x" * 100, ""], dtype=object))
    assert status.tolist() == [INVALID, EMPTY]
    assert parse_amounts(np.array([], dtype=object))[0].dtype == np.int64


def test_long_junk_does_not_stop_the_rest_parsing() -> None:
    values = np.array(["x" * 500, "1,234.56", "(12.00)", ""], dtype=object)
    pence, status = parse_amounts(values)
    assert pence.tolist() == [0, 123456, -1200, 0]
    assert status.tolist() == [INVALID, OK, OK, EMPTY]


def _grouped(digits: str, separator: str) -> str:
    groups = []
    while len(digits) > 3:
        digits, group = digits[:-3], digits[-3:]
        groups.insert(0, group)
    return separator.join([digits, *groups])


STYLES = {
    "plain": lambda sign, whole, pence: f"{sign}{whole}.{pence}",
    "commas": lambda sign, whole, pence: f"{sign}{_grouped(whole, ',')}.{pence}",
    "spaces": lambda sign, whole, pence: f"{sign}{_grouped(whole, ' ')}.{pence}",
    "pound first": lambda sign, whole, pence: f"£{sign}{_grouped(whole, ',')}.{pence}",
    "sign first": lambda sign, whole, pence: f"{sign}£{_grouped(whole, ',')}.{pence}",
    "brackets": lambda sign, whole, pence: (
        f"(£{_grouped(whole, ',')}.{pence})" if sign else f"£{_grouped(whole, ',')}.{pence}"
    ),
    "trailing minus": lambda sign, whole, pence: f"{whole}.{pence}{sign}",
    "short pence": lambda sign, whole, pence: (
        f"{sign}{whole}" + ("" if pence == "00" else f".{pence.rstrip('0')}")
    ),
}


@settings(max_examples=300)
@given(
    amount=st.decimals(
        min_value=Decimal("-99999999999.99"),
        max_value=Decimal("99999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    style=st.sampled_from(sorted(STYLES)),
)
@example(amount=Decimal("-0.01"), style="brackets")
@example(amount=Decimal("1000.00"), style="spaces")
def test_any_two_place_amount_round_trips_in_every_style(amount: Decimal, style: str) -> None:
    sign = "-" if amount < 0 else ""
    whole, pence = f"{abs(amount):.2f}".split(".")
    text = STYLES[style](sign, whole, pence)
    assert parse_one(text) == (int(amount * 100), OK), text


# An independent statement of the grammar, as one regular expression and Decimal arithmetic,
# to check the vectorised state machine against on arbitrary strings.
_REFERENCE = re.compile(
    r"(?:[-£(][-£( \xa0]*)?"
    r"(?:(?:\d{1,3}(?:[, \xa0]\d{3})+|\d+)(?:\.\d*)?|\.\d+)"
    r"[ \xa0-]*\)?"
)


def reference_parse(text: str) -> tuple[int, int]:
    if text == "":
        return 0, EMPTY
    if len(text) > MAX_AMOUNT_CHARS or not _REFERENCE.fullmatch(text):
        return 0, INVALID
    minus, pounds, opened, closed = (text.count(ch) for ch in "-£()")
    digits = sum(ch.isdigit() for ch in text)
    if minus > 1 or pounds > 1 or opened != closed or opened > 1 or digits > 18:
        return 0, INVALID
    if opened and (not text.startswith("(") or minus):
        return 0, INVALID
    number = "".join(ch for ch in text if ch.isdigit() or ch == ".")
    whole = number.split(".")[0]
    if len(whole.lstrip("0")) > 13:
        return 0, INVALID
    value = Decimal(number if number[-1] != "." else number[:-1])
    pence = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return (-pence if minus or opened else pence), OK


@settings(max_examples=1000)
@given(st.lists(st.text(alphabet="0123456789.,-()£ \xa0x", max_size=14), max_size=20))
@example(["1,234.56", "(£12.00)", "12.00-", "1 234", "12 -", "", "£ 1", ".5", "5."])
def test_the_state_machine_agrees_with_a_plain_reference(texts: list[str]) -> None:
    texts = [text.strip() for text in texts]  # cells arrive stripped
    pence, status = parse_amounts(np.array(texts, dtype=object))
    got = list(zip(pence.tolist(), status.tolist(), strict=True))
    assert got == [reference_parse(text) for text in texts]
