"""PPN 009 (Tackling Modern Slavery in Government Supply Chains, February 2025): a procurement's
modern slavery risk rated low, medium or high on six characteristics before its tender notice,
the mitigations chosen in proportion, and a suggestion drawn from what tisc already knows (the
category's risk, the PPN's higher-risk commodities, the countries on the US Department of
Labor's list). Pure: plain values in, plain values out. The suggestion is shown, never forced."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tisc.rules.risk import RiskLevel
from tisc.rules.years import long_date


class Level(StrEnum):
    """A PPN 009 risk level."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "low": "govuk-tag--green",
            "medium": "govuk-tag--yellow",
            "high": "govuk-tag--red",
        }[self.value]


class Characteristic(StrEnum):
    """The six characteristics PPN 009 rates, in its order."""

    INDUSTRY = "industry"
    WORKFORCE = "workforce"
    LOCATION = "location"
    CONTEXT = "context"
    COMMODITY = "commodity"
    BUSINESS_MODEL = "business_model"

    @property
    def label(self) -> str:
        return {
            "industry": "Industry",
            "workforce": "Workforce",
            "location": "Location",
            "context": "Context",
            "commodity": "Commodity",
            "business_model": "Business model",
        }[self.value]

    @property
    def hint(self) -> str:
        return {
            "industry": "Is the sector known for modern slavery (cleaning, construction, "
            "textiles, electronics, logistics, hospitality)?",
            "workforce": "Low-skilled, temporary, seasonal, agency or migrant workers; "
            "recruitment fees; workers who cannot speak up.",
            "location": "Where the work is done and the goods come from: countries with "
            "weak labour protection or state-imposed forced labour.",
            "context": "Conflict, disaster, economic crisis or weak rule of law where the "
            "supply chain runs.",
            "commodity": "Goods PPN 009 names as higher risk: cotton, garments, gloves and "
            "PPE, solar panels, electronics, minerals.",
            "business_model": "Long or hidden supply chains, subcontracting, franchising, "
            "pressure on price and delivery times.",
        }[self.value]


class Mitigation(StrEnum):
    """What PPN 009 asks a buyer to set in proportion to the risk."""

    SPECIFICATION = "specification"
    SELECTION = "selection"
    AWARD = "award"
    CLAUSES = "clauses"
    KPIS = "kpis"
    MARKET = "market"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return {
            "specification": "Specification",
            "selection": "Selection questions",
            "award": "Award criteria",
            "clauses": "Contract clauses",
            "kpis": "KPIs",
            "market": "Market engagement (tested so it does not shut out small suppliers)",
            "review": "Ongoing review through the contract's life",
        }[self.value]


# What PPN 009 expects at each overall level, at least: more for a higher risk.
EXPECTED_MITIGATIONS: dict[Level, frozenset[Mitigation]] = {
    Level.LOW: frozenset({Mitigation.CLAUSES}),
    Level.MEDIUM: frozenset({Mitigation.SELECTION, Mitigation.CLAUSES, Mitigation.REVIEW}),
    Level.HIGH: frozenset(
        {
            Mitigation.SPECIFICATION,
            Mitigation.SELECTION,
            Mitigation.AWARD,
            Mitigation.CLAUSES,
            Mitigation.KPIS,
            Mitigation.REVIEW,
        }
    ),
}

_FROM_CATEGORY = {
    RiskLevel.HIGH: Level.HIGH,
    RiskLevel.MEDIUM: Level.MEDIUM,
    RiskLevel.LOW: Level.LOW,
}


@dataclass(frozen=True)
class CountryRisk:
    """A country named for a procurement, and what the US DoL list says of it: `goods` are
    the goods of the procurement's title listed for that country; `listed` is whether the
    country is on the list for any good."""

    country: str
    listed: bool
    forced_labour: bool
    goods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A suggested level for some characteristics and overall, with the reasons in words and
    what the suggestion was based on. `overall` is None when there was nothing to go on."""

    characteristics: Mapping[Characteristic, Level]
    overall: Level | None
    reasons: tuple[str, ...]
    based_on: tuple[str, ...]


def highest(levels: Iterable[Level]) -> Level | None:
    """The highest of some levels, or None when there are none."""
    found = list(levels)
    return max(found, key=lambda level: level.rank) if found else None


def suggest(
    *,
    category_name: str | None,
    category_risk: RiskLevel | None,
    commodities: Iterable[str] = (),
    countries: Iterable[CountryRisk] = (),
) -> Suggestion:
    """A suggestion from the category's risk (industry), the PPN 009 commodities named in the
    title (commodity) and the countries given (location): each characteristic it can speak
    for, and overall the highest of them."""
    levels: dict[Characteristic, Level] = {}
    reasons: list[str] = []
    based_on: list[str] = []
    if category_name and category_risk is not None:
        based_on.append(f"the category {category_name} ({category_risk.label.lower()} risk)")
        levels[Characteristic.INDUSTRY] = _FROM_CATEGORY[category_risk]
        reasons.append(
            f"Industry: the category {category_name} is {category_risk.label.lower()} risk"
        )
    else:
        based_on.append("no category (choose one on the procurement to use its risk)")
    named = list(dict.fromkeys(commodities))
    based_on.append("the title, against the commodities PPN 009 names")
    if named:
        levels[Characteristic.COMMODITY] = Level.HIGH
        reasons.append(f"Commodity: PPN 009 names {', '.join(named)} as higher risk")
    given = list(countries)
    if given:
        based_on.append("the countries given, against the US Department of Labor's 2024 list")
        location = _location(given, reasons)
        levels[Characteristic.LOCATION] = location
    else:
        based_on.append("no countries (give them on the procurement to use the country lists)")
    overall = highest(levels.values())
    return Suggestion(levels, overall, tuple(reasons), tuple(based_on))


def _location(countries: list[CountryRisk], reasons: list[str]) -> Level:
    level = Level.LOW
    for country in countries:
        if country.goods:
            labour = "forced labour" if country.forced_labour else "child labour"
            reasons.append(
                f"Location: the US DoL list names {', '.join(country.goods)} from "
                f"{country.country} for {labour}"
            )
            level = Level.HIGH
        elif country.listed:
            reasons.append(f"Location: {country.country} is on the US DoL list for other goods")
            level = highest((level, Level.MEDIUM)) or level
    if level is Level.LOW:
        names = ", ".join(c.country for c in countries)
        reasons.append(f"Location: {names} not on the US DoL list")
    return level


def overall_problem(levels: Mapping[Characteristic, Level], overall: Level | None) -> str | None:
    """Why an overall level does not fit the characteristics, in words; None when it does.
    The overall risk may be set above the highest characteristic (with reasons), not below
    it by two steps: a procurement high on any characteristic is not low risk overall."""
    if overall is None:
        return "Select the overall risk"
    top = highest(levels.values())
    if top is not None and top.rank - overall.rank >= 2:
        rated = ", ".join(c.label.lower() for c, level in levels.items() if level is top)
        return (
            f"The overall risk cannot be low when a characteristic is rated high ({rated}): "
            "choose medium or high"
        )
    return None


def below_highest(levels: Mapping[Characteristic, Level], overall: Level) -> bool:
    """True when the overall risk is below the highest characteristic (allowed, with the
    reasons saying why; the page points it out)."""
    top = highest(levels.values())
    return top is not None and overall.rank < top.rank


def missing_mitigations(overall: Level, chosen: Iterable[Mitigation]) -> list[Mitigation]:
    """The mitigations PPN 009 expects at this level that were not chosen, in their order."""
    have = set(chosen)
    return [m for m in Mitigation if m in EXPECTED_MITIGATIONS[overall] and m not in have]


def is_late(*, assessed_on: date | None, tender_notice_on: date | None) -> bool:
    """True when the assessment was recorded after the tender notice (PPN 009 asks for it
    before): both dates known and the assessment's later."""
    return (
        assessed_on is not None and tender_notice_on is not None and assessed_on > tender_notice_on
    )


def late_warning(*, assessed_on: date | None, tender_notice_on: date | None) -> str | None:
    """The warning shown for a late assessment, or None."""
    if not is_late(assessed_on=assessed_on, tender_notice_on=tender_notice_on):
        return None
    assert assessed_on is not None and tender_notice_on is not None
    return (
        f"This assessment was recorded on {long_date(assessed_on)} after the tender notice on "
        f"{long_date(tender_notice_on)}; PPN 009 asks for it before the tender notice"
    )


def parse_mitigations(values: Iterable[str]) -> list[Mitigation]:
    """The mitigations among form values, in their order (unknown values are ignored)."""
    given = set(values)
    return [m for m in Mitigation if m.value in given]


def join_mitigations(chosen: Iterable[Mitigation]) -> str:
    """Mitigations as kept in the database: their values, comma-separated, in their order."""
    have = set(chosen)
    return ",".join(m.value for m in Mitigation if m in have)
