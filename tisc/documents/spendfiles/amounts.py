"""Amounts of money as exact integer pence, parsed for a whole column at once.

Accepted: `1234.56`, `1,234.56`, `1 234.56`, `£1,234.56`, `-12.00`, `£-12.00`, `-£12.00`,
`12.00-` (trailing minus, as SAP writes credits), `(12.00)` and `(£12.00)` for credits, `12.5`,
`12`, `.5`, `12.`. Thousands separators must group digits in threes. More than two decimal
places round half up (away from zero) to the penny, as `tisc.rules.money.to_pounds` does.

Why a state machine over a matrix: a million amounts are mostly unique, so parsing only the
unique values saves nothing, and a regular expression per value costs ~1 s per million. Here
each value becomes a row of code points, and one small deterministic automaton is stepped a
character position at a time for every row together; digits are accumulated into int64 as the
automaton reads them (Horner's rule), so no amount ever passes through a float.
"""

from __future__ import annotations

import numpy as np

# A value longer than this is not an amount (the longest sane one, "(£1,234,567,890.12)", is
# 20), and capping the width keeps the character matrix small.
MAX_AMOUNT_CHARS = 32
# £10 trillion: more integer digits than this is a mistake, and int64 pence stay exact.
MAX_INTEGER_DIGITS = 13

OK, EMPTY, INVALID = 0, 1, 2

# Character classes.
_D, _DOT, _COMMA, _SPACE, _MINUS, _OPEN, _CLOSE, _POUND, _END, _OTHER = range(10)
_N_CLASSES = 10
_CLASS_OF = np.full(256, _OTHER, dtype=np.uint8)
_CLASS_OF[ord("0") : ord("9") + 1] = _D
_CLASS_OF[ord(".")] = _DOT
_CLASS_OF[ord(",")] = _COMMA
_CLASS_OF[ord(" ")] = _SPACE
_CLASS_OF[0xA0] = _SPACE  # no-break space, which Excel uses as a thousands separator
_CLASS_OF[ord("-")] = _MINUS
_CLASS_OF[ord("(")] = _OPEN
_CLASS_OF[ord(")")] = _CLOSE
_CLASS_OF[ord("£")] = _POUND
_CLASS_OF[0] = _END  # numpy pads shorter strings with NUL

# States. 0 is "rejected" so that every transition not listed below rejects.
(
    _REJECT,
    _START,
    _PREFIX,  # after "-", "£", "(" or spaces between them
    _I1,
    _I2,
    _I3,  # 1-3 digits of the first group
    _INT,  # 4 or more digits with no separators
    _AFTER_COMMA,  # a comma separator: a group of three digits must follow
    _AFTER_SPACE,  # a space after a group: a separator, or the start of the suffix
    _G1,
    _G2,
    _G3,  # digits of a later group
    _DOT_AFTER_INT,
    _DOT_ONLY,  # "." with no digits before it: a digit must follow
    _F1,
    _F2,
    _F3,  # 1-3 decimal places, the third only deciding the rounding
    _F_MORE,  # further decimal places, which cannot change a half-up rounding to the penny
    _SUFFIX,  # after the number: spaces, a trailing "-", ")"
    _CLOSED,  # after ")": nothing may follow
    _ACCEPT,
) = range(21)
_N_STATES = 21

_ENDINGS = {_SPACE: _SUFFIX, _MINUS: _SUFFIX, _CLOSE: _CLOSED, _END: _ACCEPT}
_GROUPED = {_COMMA: _AFTER_COMMA, _DOT: _DOT_AFTER_INT, **_ENDINGS, _SPACE: _AFTER_SPACE}
_PREFIXES = {_MINUS: _PREFIX, _OPEN: _PREFIX, _POUND: _PREFIX}
_RULES: dict[int, dict[int, int]] = {
    _START: {_D: _I1, _DOT: _DOT_ONLY, **_PREFIXES},
    _PREFIX: {_D: _I1, _DOT: _DOT_ONLY, **_PREFIXES, _SPACE: _PREFIX},
    _I1: {_D: _I2, **_GROUPED},
    _I2: {_D: _I3, **_GROUPED},
    _I3: {_D: _INT, **_GROUPED},
    _INT: {_D: _INT, _DOT: _DOT_AFTER_INT, **_ENDINGS},
    _AFTER_COMMA: {_D: _G1},
    _AFTER_SPACE: {_D: _G1, **_ENDINGS},
    _G1: {_D: _G2},
    _G2: {_D: _G3},
    _G3: _GROUPED,
    _DOT_AFTER_INT: {_D: _F1, **_ENDINGS},
    _DOT_ONLY: {_D: _F1},
    _F1: {_D: _F2, **_ENDINGS},
    _F2: {_D: _F3, **_ENDINGS},
    _F3: {_D: _F_MORE, **_ENDINGS},
    _F_MORE: {_D: _F_MORE, **_ENDINGS},
    _SUFFIX: {_SPACE: _SUFFIX, _MINUS: _SUFFIX, _CLOSE: _CLOSED, _END: _ACCEPT},
    _CLOSED: {_END: _ACCEPT},
    _ACCEPT: {_END: _ACCEPT},
}
# Both tables are flat, indexed by state * classes + class (at most 209, so uint8 will do).
_NEXT = np.zeros(_N_STATES * _N_CLASSES, dtype=np.uint8)
for _state, _moves in _RULES.items():
    for _cls, _target in _moves.items():
        _NEXT[_state * _N_CLASSES + _cls] = _target
# What a digit read in each state is: 1 a digit of the whole pounds, 2 one of the first three
# decimal places (kept), 0 anything else (not a digit, or a decimal place beyond the third).
_KIND = np.zeros(_N_STATES * _N_CLASSES, dtype=np.uint8)
for _state in (_START, _PREFIX, _I1, _I2, _I3, _INT, _AFTER_COMMA, _AFTER_SPACE, _G1, _G2):
    _KIND[_state * _N_CLASSES + _D] = 1
for _state in (_DOT_AFTER_INT, _DOT_ONLY, _F1, _F2):
    _KIND[_state * _N_CLASSES + _D] = 2
# Per-value counts of some classes, packed 6 bits apart into one int32 (a value is at most
# 32 characters, so no count can spill into the next).
_COUNTED = (_MINUS, _POUND, _OPEN, _CLOSE, _D)
_WEIGHT = np.zeros(_N_CLASSES, dtype=np.int32)
for _shift, _cls in enumerate(_COUNTED):
    _WEIGHT[_cls] = 1 << (6 * _shift)
# More digits than this could overflow int64 while accumulating (13 + 3 kept is far below).
_MAX_DIGITS = 18


def parse_amounts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse stripped amount strings.

    Returns (pence, status): int64 pence (0 where not parsed) and uint8 status per value,
    OK, EMPTY or INVALID.
    """
    values = np.asarray(values, dtype=object)
    count = len(values)
    pence = np.zeros(count, dtype=np.int64)
    status = np.full(count, INVALID, dtype=np.uint8)
    width = max(map(len, values), default=0)
    too_long = np.zeros(count, dtype=bool)
    if width > MAX_AMOUNT_CHARS:
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=count)
        too_long = lengths > MAX_AMOUNT_CHARS
        values = np.where(too_long, "", values)
        width = int(lengths[~too_long].max(initial=0))
    if width == 0:
        status[~too_long] = EMPTY
        return pence, status

    # One row of code points per value, transposed so each character position is contiguous.
    codes = np.array(values, dtype=f"<U{width}").view(np.uint32).reshape(count, width)
    codes = np.ascontiguousarray(codes.T)
    classes = _CLASS_OF[np.minimum(codes, 255)]  # beyond Latin-1 is never part of an amount
    digits = (codes - ord("0")).astype(np.uint8)  # garbage where not a digit; never kept then

    state = np.full(count, _START, dtype=np.uint8)
    value = np.zeros(count, dtype=np.int64)
    kept_decimals = np.zeros(count, dtype=np.uint8)
    counts = np.zeros(count, dtype=np.int32)
    for position in range(width):
        cls = classes[position]
        index = state * np.uint8(_N_CLASSES) + cls
        kind = _KIND[index]
        state = _NEXT[index]
        kept = kind != 0
        np.multiply(value, 10, out=value, where=kept)
        np.add(value, digits[position], out=value, where=kept)
        kept_decimals += kind == 2
        counts += _WEIGHT[cls]
    state = _NEXT[state * np.uint8(_N_CLASSES) + np.uint8(_END)]  # the longest have no padding

    minus, pounds, opened, closed, digit_count = (
        (counts >> (6 * shift)) & 63 for shift in range(len(_COUNTED))
    )
    # One minus at most, one "£" at most, and "(...)" only as a matching pair round the lot.
    valid = (
        (state == _ACCEPT)
        & (minus <= 1)
        & (pounds <= 1)
        & (opened == closed)
        & (opened <= 1)
        & ((opened == 0) | ((classes[0] == _OPEN) & (minus == 0)))
        & (digit_count <= _MAX_DIGITS)
    )
    # Whole pounds within MAX_INTEGER_DIGITS, checked before scaling so nothing can overflow.
    decimals = kept_decimals.astype(np.int64)
    valid &= value < np.power(10, MAX_INTEGER_DIGITS + decimals)
    # value holds pounds and up to three decimal places; half up on the third.
    magnitude = (np.where(valid, value, 0) * np.power(10, 3 - decimals) + 5) // 10
    pence[valid] = np.where((minus + opened) > 0, -magnitude, magnitude)[valid]
    status[valid] = OK
    status[(codes[0] == 0) & ~too_long] = EMPTY
    return pence, status
