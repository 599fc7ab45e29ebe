"""Which of the Home Office's disclosures (statutory guidance of March 2025) a statement makes:
for each of the six areas of section 54(5), a basic disclosure (Level 1) and a fuller one
(Level 2), each judged from what the records show, never from a box someone ticked.

The wording of each disclosure is tisc's short reading of the guidance for police bodies, not
the guidance's own text. Pure: facts gathered by tisc.services.statements.disclosures in, the
list out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The six areas of section 54(5), in the Act's order.
AREAS: tuple[str, ...] = (
    "Organisation structure and supply chains",
    "Policies",
    "Due diligence",
    "Risk assessment and management",
    "Key performance indicators",
    "Training",
)


@dataclass(frozen=True)
class StatementFacts:
    """What a statement and the records behind it hold, as plain values."""

    written: frozenset[str]  # keys of the shared sections written in full (no [prompt] left)
    texts: dict[str, str]  # the shared sections' text by key
    has_spend: bool
    high_risk_suppliers: int
    mapped_beyond_tier1: int
    assessed: int
    contract_reviews_discussed: int
    risks: int  # risks described in the statement
    risks_located: int  # of them, with a location and a supply-chain tier
    trained_audiences: frozenset[str]  # audiences with anyone trained ("all_staff", …)
    has_last_year: bool
    procurements_assessed: int = 0  # procurements of the year risk-assessed under PPN 009


@dataclass(frozen=True)
class Disclosure:
    """One disclosure of one area: made or not, and what in the records shows it."""

    area: str
    level: int
    text: str
    made: bool
    shown_by: str


def _mentions(text: str, words: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in words)


def disclosures(facts: StatementFacts) -> list[Disclosure]:
    """The twelve disclosures, two for each area, in the Act's order of the areas."""
    written = facts.written
    # Only text written in full counts: a default text's words are not the statement's yet.
    texts = {key: text for key, text in facts.texts.items() if key in written}
    risk_text = texts.get("risk", "")
    diligence_text = texts.get("due-diligence", "")
    specialist = facts.trained_audiences & {"procurement", "senior_leaders", "front_line"}
    found = [
        Disclosure(
            AREAS[0],
            1,
            "Who the bodies are and what they buy",
            "structure" in written and facts.has_spend,
            "the section on structure, and spend from the supplier registers",
        ),
        Disclosure(
            AREAS[0],
            2,
            "Where the supply chains carry risk, beyond the bodies' own suppliers",
            "structure" in written
            and facts.high_risk_suppliers > 0
            and facts.mapped_beyond_tier1 > 0,
            "suppliers in high-risk categories, and supply chains mapped beyond Tier 1",
        ),
        Disclosure(
            AREAS[1],
            1,
            "The policies that deal with modern slavery, and how to raise a concern",
            "policies" in written,
            "the section on policies",
        ),
        Disclosure(
            AREAS[1],
            2,
            "How the policies reach suppliers: contract terms and the Procurement Act's "
            "exclusion grounds",
            "policies" in written
            and _mentions(risk_text + texts.get("policies", ""), ("procurement act", "exclu")),
            "the sections on policies and risk",
        ),
        Disclosure(
            AREAS[2],
            1,
            "The checks made on suppliers",
            "due-diligence" in written and facts.assessed > 0,
            "the section on due diligence, and suppliers assessed",
        ),
        Disclosure(
            AREAS[2],
            2,
            "What was found, and remediation that puts the people affected first",
            "due-diligence" in written
            and facts.contract_reviews_discussed > 0
            and _mentions(diligence_text, ("remediat", "referral", "national referral")),
            "the section on due diligence, and contract reviews that discussed modern slavery",
        ),
        Disclosure(
            AREAS[3],
            1,
            "How risk is assessed: categories of spend rated high, medium or low",
            "risk" in written and facts.has_spend,
            "the section on risk, and the register's ratings",
        ),
        Disclosure(
            AREAS[3],
            2,
            "The main risks, where they sit and who they affect; each procurement's risk "
            "assessed (PPN 009)",
            facts.risks_located > 0
            and facts.procurements_assessed > 0
            and _mentions(risk_text, ("ppn 009", "procurement policy note 009")),
            "risks with a location and supply-chain tier, procurements risk-assessed under "
            "PPN 009, and the section on risk",
        ),
        Disclosure(
            AREAS[4],
            1,
            "Key performance indicators from the records",
            facts.has_spend,
            "the year at a glance",
        ),
        Disclosure(
            AREAS[4],
            2,
            "Progress against last year, and goals for next year",
            facts.has_last_year and "goals" in written,
            "last year beside this year, and the section on goals",
        ),
        Disclosure(
            AREAS[5],
            1,
            "Awareness training for staff and officers",
            "all_staff" in facts.trained_audiences,
            "training records for all staff",
        ),
        Disclosure(
            AREAS[5],
            2,
            "Specialist training for those who buy, lead and police",
            len(specialist) >= 2,
            "training records for procurement staff, senior leaders or front-line officers",
        ),
    ]
    return found
