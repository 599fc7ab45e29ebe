"""A statement's default text (statements/sections.toml), filled in for one statement: the
partnership's or body's name, the year and the period, the basis it is made on (voluntary or
required: the partnership's choice) and the body's senior lead."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from tisc.config import ROOT
from tisc.database import db
from tisc.models import Organisation, OrganisationKind, Statement, StatementSection
from tisc.rules.statement_wording import about_us, in_sentence
from tisc.rules.statements import possessive
from tisc.rules.years import FinancialYear, long_date
from tisc.services.statements.access import organisation_of, owner_name, statement_basis

SECTIONS_FILE = ROOT / "statements" / "sections.toml"


@dataclass(frozen=True)
class SectionDefault:
    """A section's default title and text from statements/sections.toml."""

    key: str
    title: str
    short: str
    text: str
    single_title: str
    single_text: str


def section_defaults() -> tuple[list[SectionDefault], SectionDefault]:
    """The joint sections in order, and a body's own paragraph (read again when the file
    changes)."""
    return _read_defaults(SECTIONS_FILE.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_defaults(_changed: int) -> tuple[list[SectionDefault], SectionDefault]:
    data = tomllib.loads(SECTIONS_FILE.read_text(encoding="utf-8"))

    def one(entry: dict) -> SectionDefault:
        text = entry["text"].strip()
        return SectionDefault(
            key=entry["key"],
            title=entry["title"],
            short=entry.get("short", f"“{entry['title']}”"),
            text=text,
            single_title=entry.get("single_title", entry["title"]),
            single_text=entry.get("single_text", text).strip(),
        )

    return [one(e) for e in data["sections"]], one(data["body"])


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def values_for(statement: Statement, org: Organisation | None) -> dict[str, str]:
    year = FinancialYear(statement.financial_year)
    values = {
        "partnership": owner_name(statement),
        "year": year.label,
        "next_year": FinancialYear(statement.financial_year + 1).label,
        "period": f"{long_date(year.starts)} to {long_date(year.ends)}",
        "basis": statement_basis(statement).sentence,
    }
    if org is not None:
        lead = ", ".join(p for p in (org.senior_lead_name, org.senior_lead_title) if p)
        values |= {
            "organisation": org.name,
            "organisation_in_sentence": in_sentence(org.name),
            "about_us": about_us(name=org.name, force=org.kind is OrganisationKind.FORCE),
            "senior_lead": lead or "[name and job title]",
        }
    return values


def default_text(statement: Statement, section: StatementSection) -> str:
    """The text the section would start with by default (to tell untouched text)."""
    joint, body = section_defaults()
    if section.organisation_id is not None:
        org = db.session.get(Organisation, section.organisation_id)
        return fill(body.text, values_for(statement, org))
    found = next((d for d in joint if d.key == section.key), None)
    if found is None:
        return ""
    text = found.text if statement.is_joint else found.single_text
    return fill(text, values_for(statement, organisation_of(statement)))


def short_name(section: StatementSection) -> str:
    """How an approval note names the section: "the introduction"."""
    if section.organisation_id is not None:
        org = db.session.get(Organisation, section.organisation_id)
        return f"{possessive(org.name)} own paragraph" if org else "a body's own paragraph"
    joint, _ = section_defaults()
    found = next((d for d in joint if d.key == section.key), None)
    return found.short if found else f"“{section.title}”"
