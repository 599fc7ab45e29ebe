"""Which of the partnership's supplier records are the same business. No database here.

The rule, stated once: two records are the same business when they carry the same company
number, or when their normalised names (tisc.rules.names) are equal and they do not carry
different company numbers. Sameness is followed through: a record without a number whose name
matches a numbered record joins that record's group. A group never holds two different company
numbers, so two companies that happen to share a name stay apart. Records are taken in the
order given (the services give a stable order), so the same records always make the same groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SupplierKey:
    """What a supplier record is matched on: its id, normalised name and company number."""

    supplier_id: int
    normalised_name: str
    company_number: str | None


class _Groups:
    """Union-find over record ids, each group keeping the company number it carries."""

    def __init__(self, order: dict[int, int]) -> None:
        self.order = order  # supplier id -> its place in the order given
        self.parent: dict[int, int] = {}
        self.number: dict[int, str | None] = {}

    def add(self, key: SupplierKey) -> None:
        self.parent[key.supplier_id] = key.supplier_id
        self.number[key.supplier_id] = key.company_number or None

    def root(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, first: int, second: int) -> None:
        """Join two records' groups, unless they carry different company numbers."""
        a, b = self.root(first), self.root(second)
        if a == b:
            return
        numbers = {self.number[a], self.number[b]} - {None}
        if len(numbers) > 1:
            return
        # The earlier record stays the root, so a group is named by its first record.
        if self.order[b] < self.order[a]:
            a, b = b, a
        self.parent[b] = a
        self.number[a] = self.number[a] or self.number[b]


def group_suppliers(keys: Iterable[SupplierKey]) -> list[list[int]]:
    """The records grouped into businesses: lists of supplier ids, each in the order given,
    the groups in the order of their first record."""
    found = list(keys)
    groups = _Groups({key.supplier_id: index for index, key in enumerate(found)})
    first_by_number: dict[str, int] = {}
    for key in found:
        groups.add(key)
        if key.company_number:
            first = first_by_number.setdefault(key.company_number, key.supplier_id)
            groups.join(first, key.supplier_id)
    # Names second: a shared number always wins over a name shared with another number.
    by_name: dict[str, list[int]] = {}
    for key in found:
        for other in by_name.setdefault(key.normalised_name, []):
            groups.join(other, key.supplier_id)
        by_name[key.normalised_name].append(key.supplier_id)
    members: dict[int, list[int]] = {}
    for key in found:
        members.setdefault(groups.root(key.supplier_id), []).append(key.supplier_id)
    return sorted(members.values(), key=lambda ids: groups.order[ids[0]])


# What group_suppliers' groups come to, stated so a database can compute it without grouping
# record by record. Company numbers are joined first, and a group never takes a second
# number, so every number is exactly one group. A record without a number joins, by name, the
# group of the first record with its name; that group carries the number of the first
# numbered record with that name (the first record's own, or one it was joined by before
# anything else could give it another). So a record's business is its number; else the number
# of the first numbered record with its name; else its name alone (no record with the name has
# a number, so all of them are one group, which nothing else joins).


@dataclass(frozen=True)
class Business:
    """Which business a record is: a company number, or a name no numbered record has."""

    company_number: str | None
    normalised_name: str | None


def business_of(keys: Iterable[SupplierKey]) -> dict[int, Business]:
    """Each record's business by supplier id: records with the same Business are exactly
    group_suppliers' groups of the same records in the same order."""
    found = list(keys)
    first_number: dict[str, str] = {}
    for key in found:
        if key.company_number:
            first_number.setdefault(key.normalised_name, key.company_number)
    businesses = {}
    for key in found:
        number = key.company_number or first_number.get(key.normalised_name)
        businesses[key.supplier_id] = Business(number, None if number else key.normalised_name)
    return businesses


def count_businesses(keys: Iterable[SupplierKey]) -> int:
    """How many groups group_suppliers makes of the records, in whatever order: each company
    number once, and each name that no record with a number has once."""
    numbers: set[str] = set()
    names: dict[str, bool] = {}  # name -> whether a record with it has a number
    for key in keys:
        if key.company_number:
            numbers.add(key.company_number)
        names[key.normalised_name] = names.get(key.normalised_name, False) or bool(
            key.company_number
        )
    return len(numbers) + sum(1 for numbered in names.values() if not numbered)
