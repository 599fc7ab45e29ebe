"""The largest numbers the database holds, and whole numbers read from text within them.

Ids and counts are INTEGER columns (32 bits on PostgreSQL; SQLite's 64 bits hold them too),
money is a whole number of pence in a BIGINT. A number outside these ranges makes the database
raise an error, so it is refused where it is read: an id in an address matches no page (404),
a form field says what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

# The largest id (and page number, count or year) any INTEGER column holds.
DATABASE_INT_MAX = 2**31 - 1
# The largest amount of money a form accepts: a trillion pounds is 10^14 pence, so tens of
# thousands of such amounts still add up within a BIGINT of pence (about 9.2 * 10^18).
MONEY_LIMIT = Decimal("1000000000000")
MONEY_LIMIT_MESSAGE = "Enter an amount less than £1,000,000,000,000"


def whole_number(text: str | int, *, maximum: int = DATABASE_INT_MAX) -> int:
    """The whole number `text` spells in ASCII digits, from 0 to `maximum`.

    Raises ValueError for anything else: signs, spaces, "²", "1e3", or a number too big for
    the database (read without converting a thousand-digit string).
    """
    text = str(text)
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(maximum)):
        raise ValueError(f"{text[:20]!r} is not a whole number up to {maximum}")
    number = int(text)
    if number > maximum:
        raise ValueError(f"{number} is more than {maximum}")
    return number


def optional_id(value: object) -> int | None:
    """A record id from a form's choice: None when none was chosen or it is no number; 0 (which
    no record has, so the service refuses it in words) for a whole number out of the database's
    range (negative, or too big)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= DATABASE_INT_MAX else 0
    text = str(value).strip()
    try:
        return whole_number(text)
    except ValueError:
        digits = text[1:] if text[:1] in "+-" else text
        return 0 if digits.isascii() and digits.isdigit() else None


# The most ids a list of id ranges may stand for: more than any register's bulk selection, and
# few enough that a forged "1-2000000000" is refused before it is expanded.
ID_RANGES_LIMIT = 500_000


def id_ranges(ids: Iterable[int]) -> str:
    """Ids written as sorted ranges, "3-7,9,12-13": a selection of suppliers imported together
    (consecutive ids) stays a few bytes however many there are."""
    parts: list[str] = []
    ordered = sorted(set(ids))
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[start], ordered[end]
        parts.append(str(first) if first == last else f"{first}-{last}")
        start = end + 1
    return ",".join(parts)


def parse_id_ranges(text: str) -> list[int]:
    """The ids of id_ranges' text, sorted. ValueError for anything else, or for more than
    ID_RANGES_LIMIT ids."""
    found: list[int] = []
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        first_text, dash, last_text = part.partition("-")
        first = whole_number(first_text)
        last = whole_number(last_text) if dash else first
        if last < first:
            raise ValueError(f"{part!r} is not a range of ids")
        if len(found) + (last - first + 1) > ID_RANGES_LIMIT:
            raise ValueError(f"more than {ID_RANGES_LIMIT:,} ids")
        found.extend(range(first, last + 1))
    return sorted(set(found))
