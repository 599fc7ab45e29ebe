"""Which supplier records are the same business (tisc.rules.supplier_groups)."""

from __future__ import annotations

from tisc.rules.supplier_groups import SupplierKey, group_suppliers


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
