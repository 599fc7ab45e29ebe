from dataclasses import dataclass

from tisc.rules.categories import match_keyword, resolve, text_key


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
