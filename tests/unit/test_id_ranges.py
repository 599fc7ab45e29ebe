"""Ids written as ranges for a confirmation page to carry: round trips, compact for ids
imported together, and refusals for what a forged form could send."""

from __future__ import annotations

import pytest

from tisc.rules.numbers import ID_RANGES_LIMIT, id_ranges, parse_id_ranges


@pytest.mark.parametrize(
    ("ids", "text"),
    [
        ([3, 4, 5, 6, 7, 9, 12, 13], "3-7,9,12-13"),
        ([9, 3, 4, 3], "3-4,9"),  # sorted, each once
        ([1], "1"),
        ([], ""),
        (list(range(1, 10_001)), "1-10000"),
    ],
)
def test_ids_are_written_as_sorted_ranges_and_read_back(ids: list[int], text: str) -> None:
    assert id_ranges(ids) == text
    assert parse_id_ranges(text) == sorted(set(ids))


def test_single_ids_a_browser_sends_one_per_field_read_as_they_are() -> None:
    assert parse_id_ranges("42") == [42]
    assert parse_id_ranges(" 7 , 5 ") == [5, 7]


@pytest.mark.parametrize(
    "text", ["7-5", "a", "1-b", "-3", "1--2", "2147483648", "1.5", "1-2-3", "²"]
)
def test_what_is_not_ids_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_id_ranges(text)


def test_a_forged_range_too_long_to_expand_is_refused_before_expanding() -> None:
    assert len(parse_id_ranges(f"1-{ID_RANGES_LIMIT}")) == ID_RANGES_LIMIT
    with pytest.raises(ValueError, match="more than"):
        parse_id_ranges("1-2000000000")
    with pytest.raises(ValueError, match="more than"):
        parse_id_ranges(f"1-{ID_RANGES_LIMIT},{ID_RANGES_LIMIT + 5}")
