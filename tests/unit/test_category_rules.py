from dataclasses import dataclass

import pytest

from tisc.rules.categories import cpv_code, cpv_match, match_keyword, resolve, text_key


@dataclass(frozen=True)
class Cat:
    name: str
    keywords: tuple[str, ...]

    @property
    def keyword_list(self) -> list[str]:
        return list(self.keywords)


CLEANING = Cat("Cleaning", ("cleaning", "janitorial"))
WASTE = Cat("Waste", ("waste",))
GROUNDS = Cat("Grounds", ("grounds maintenance",))
BUILDING = Cat("Building", ("maintenance", "construction"))
ALL = [CLEANING, WASTE, GROUNDS, BUILDING]


def test_text_key_ignores_case_and_spacing() -> None:
    assert text_key("  CLEANING &  Janitorial.Materials ") == "cleaning & janitorial.materials"
    assert text_key(None) == ""


def test_keywords_match_at_word_starts_only() -> None:
    assert match_keyword("CLEANING & JANITORIAL.CLEANING MATERIALS", ALL) is CLEANING
    assert match_keyword("Toothpaste and toiletries", ALL) is None  # "waste" inside a word
    assert match_keyword("WASTE MANAGEMENT", ALL) is WASTE


def test_the_longest_keyword_wins() -> None:
    assert match_keyword("PROPERTY.GROUNDS MAINTENANCE", ALL) is GROUNDS
    assert match_keyword("PROPERTY.REPAIRS & MAINTENANCE", ALL) is BUILDING


def test_a_saved_mapping_beats_keywords() -> None:
    mappings = {"property.grounds maintenance": BUILDING}
    assert resolve("Property.Grounds  Maintenance", mappings, ALL) == (BUILDING, "mapping")
    assert resolve("WASTE", mappings, ALL) == (WASTE, "keyword")
    assert resolve("Subscriptions", mappings, ALL) == (None, "none")


@dataclass(frozen=True)
class CpvCat:
    name: str
    codes: tuple[str, ...]

    @property
    def cpv_list(self) -> list[str]:
        return list(self.codes)


CONSTRUCTION = CpvCat("Construction", ("45000000", "50700000"))
REPAIRS = CpvCat("Repairs", ("50000000",))
SOLAR = CpvCat("Solar", ("09331100",))
NOTHING = CpvCat("Nothing", ("00000000", "not a code"))
CPV_ALL = [REPAIRS, CONSTRUCTION, SOLAR, NOTHING]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("45261000-1", ("Construction", "45000000")),  # roof works: in the division
        ("CPV 45261000 Roof works", ("Construction", "45000000")),
        ("50710000", ("Construction", "50700000")),  # the narrower code beats 50000000
        ("50100000", ("Repairs", "50000000")),
        ("09331100", ("Solar", "09331100")),
        ("09331000", None),  # wider than the category's code: not inside it
        ("90500000", None),
        ("4526100", None),  # seven digits: no CPV code
        ("", None),
        (None, None),
    ],
)
def test_a_cpv_code_falls_in_the_most_specific_category_code_that_contains_it(
    cell: str | None, expected: tuple[str, str] | None
) -> None:
    found = cpv_match(cell, CPV_ALL)
    assert (None if found is None else (found[0].name, found[1])) == expected


def test_cpv_code_reads_the_first_eight_digits_in_a_cell() -> None:
    assert cpv_code("45261000-1") == "45261000"
    assert cpv_code("Works 45261000 and 45262000") == "45261000"
    assert cpv_code("no code") is None
