"""Which supplier records are the same business (tisc.rules.supplier_groups)."""

from __future__ import annotations

import random

import pytest

from tisc.rules.supplier_groups import (
    Business,
    SupplierKey,
    business_of,
    count_businesses,
    group_suppliers,
)


def key(supplier_id: int, name: str, number: str | None = None) -> SupplierKey:
    return SupplierKey(supplier_id, name, number)


def test_nothing_makes_no_groups() -> None:
    assert group_suppliers([]) == []


def test_the_same_company_number_is_one_business_whatever_the_names() -> None:
    groups = group_suppliers([key(1, "acme cleaning", "0123"), key(2, "acme services", "0123")])
    assert groups == [[1, 2]]


def test_the_same_name_without_numbers_is_one_business() -> None:
    assert group_suppliers([key(1, "bakers"), key(2, "bakers"), key(3, "other")]) == [
        [1, 2],
        [3],
    ]


def test_a_name_joins_a_numbered_record_when_only_one_side_has_a_number() -> None:
    assert group_suppliers([key(5, "acme", "0123"), key(2, "acme")]) == [[5, 2]]


def test_different_company_numbers_stay_apart_even_with_the_same_name() -> None:
    assert group_suppliers([key(1, "acme", "0123"), key(2, "acme", "0999")]) == [[1], [2]]


def test_sameness_is_followed_through_a_number_then_a_name() -> None:
    # 1 and 2 share a number; 3 has 2's spelling and no number: all one business.
    groups = group_suppliers(
        [key(1, "acme cleaning", "0123"), key(2, "acme services", "0123"), key(3, "acme services")]
    )
    assert groups == [[1, 2, 3]]


def test_a_group_never_holds_two_numbers_through_a_record_without_one() -> None:
    # 2 has no number and matches both by name; it joins the first, and 3 stays apart.
    groups = group_suppliers([key(1, "acme", "0123"), key(2, "acme"), key(3, "acme", "0999")])
    assert groups == [[1, 2], [3]]


def test_a_number_wins_over_a_name_shared_with_another_number() -> None:
    # 3 shares 1's name but 2's number: it belongs with 2.
    groups = group_suppliers(
        [key(1, "acme", "0111"), key(2, "zed", "0222"), key(3, "acme", "0222")]
    )
    assert groups == [[1], [2, 3]]


def test_groups_and_members_keep_the_order_given() -> None:
    groups = group_suppliers([key(9, "b"), key(4, "a"), key(7, "b"), key(1, "a")])
    assert groups == [[9, 7], [4, 1]]


# --- what the groups come to (business_of, count_businesses): what the database computes ---


def _partition(groups: list[list[int]]) -> set[frozenset[int]]:
    return {frozenset(ids) for ids in groups}


def _by_business(keys: list[SupplierKey]) -> set[frozenset[int]]:
    found: dict[Business, set[int]] = {}
    for supplier_id, business in business_of(keys).items():
        found.setdefault(business, set()).add(supplier_id)
    return {frozenset(ids) for ids in found.values()}


TRICKY = [
    # the same name with different numbers, and a record without one between them
    [key(1, "acme", "0123"), key(2, "acme"), key(3, "acme", "0999")],
    # the record without a number first
    [key(2, "acme"), key(1, "acme", "0123"), key(3, "acme", "0999")],
    # a number only in one record, its name in others
    [key(1, "bakers"), key(2, "bakers"), key(3, "bakers", "0555"), key(4, "bakers")],
    # sameness through a number then a name, and a second number on the other name
    [key(1, "acme cleaning", "0123"), key(2, "acme services", "0123"), key(3, "acme services")],
    [key(3, "acme services"), key(4, "acme services", "0777"), key(1, "acme services", "0123")],
    # a number wins over a name shared with another number
    [key(1, "acme", "0111"), key(2, "zed", "0222"), key(3, "acme", "0222"), key(4, "acme")],
    # an empty company number is no number
    [key(1, "acme", ""), key(2, "acme", "0123"), key(3, "other", "")],
    [],
]


@pytest.mark.parametrize("keys", TRICKY)
def test_businesses_are_the_groups_and_count_them(keys: list[SupplierKey]) -> None:
    groups = group_suppliers(keys)
    assert _by_business(keys) == _partition(groups)
    assert count_businesses(keys) == len(groups)


def test_the_count_does_not_depend_on_the_order() -> None:
    keys = TRICKY[0]
    assert count_businesses(keys) == count_businesses(list(reversed(keys))) == 2


def test_businesses_are_the_groups_of_many_made_up_registers() -> None:
    # Few names and numbers, so records collide in every way the rule has to settle.
    rng = random.Random(7)
    for _ in range(2000):
        keys = [
            key(
                supplier_id,
                rng.choice("abcde"),
                rng.choice([None, None, "", "01", "02", "03"]),
            )
            for supplier_id in rng.sample(range(1, 100), rng.randrange(1, 12))
        ]
        groups = group_suppliers(keys)
        assert _by_business(keys) == _partition(groups), keys
        assert count_businesses(keys) == len(groups), keys
