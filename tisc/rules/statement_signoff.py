"""What a body's signatories, its publication and registry submission, and the registry's
risks need. No database here.

- **Signatories**: a name and a job title (a second signatory is optional, but needs both too).
- **Publication**: an http(s) web address and a date, not in the future and not before the
  body approved the statement. The registry submission date is not in the future and not
  before the body published the statement.
- **Risks**: up to three (tisc.rules.statements.MAX_RISKS), each with a description; the
  supply-chain tier, when given, is one of the registry's values.
"""

from __future__ import annotations

from datetime import date

from tisc.rules.plans import Problem
from tisc.rules.statements import NAME_LIMIT, too_long
from tisc.rules.years import long_date

URL_LIMIT = 500
SUPPLY_CHAIN_TIERS = ("Tier 1", "Tier 2", "Tier 3 and below", "Don't know")


def signatory_problems(
    *,
    name: str | None,
    title: str | None,
    second_name: str | None = None,
    second_title: str | None = None,
) -> list[Problem]:
    """What is wrong with a body's signatories."""
    name, title = (name or "").strip(), (title or "").strip()
    second_name, second_title = (second_name or "").strip(), (second_title or "").strip()
    problems: list[Problem] = []
    if not name:
        problems.append(Problem("Enter the name of the person signing", "signatory_name"))
    if not title:
        problems.append(Problem("Enter the job title of the person signing", "signatory_title"))
    if second_title and not second_name:
        problems.append(
            Problem("Enter the name of the second person signing", "second_signatory_name")
        )
    if second_name and not second_title:
        problems.append(
            Problem("Enter the job title of the second person signing", "second_signatory_title")
        )
    for value, field, label in (
        (name, "signatory_name", "The name"),
        (title, "signatory_title", "The job title"),
        (second_name, "second_signatory_name", "The name"),
        (second_title, "second_signatory_title", "The job title"),
    ):
        if found := too_long(value, NAME_LIMIT, field, label):
            problems.append(found)
    return problems


def url_problem(url: str | None, field: str = "published_url") -> Problem | None:
    """Why a web address is not one, or None."""
    url = (url or "").strip()
    if not url:
        return Problem("Enter the web address where the statement is published", field)
    host = url.split("//", 1)[1].split("/", 1)[0] if "//" in url else ""
    if (
        not url.lower().startswith(("https://", "http://"))
        or "." not in host
        or any(c.isspace() or not c.isprintable() for c in url)
    ):
        return Problem(
            "Enter the web address in the correct format, like "
            "https://www.example.police.uk/modern-slavery-statement",
            field,
        )
    return too_long(url, URL_LIMIT, field, "The web address")


def publication_problems(
    *, url: str | None, published_on: date | None, approved_on: date | None, today: date
) -> list[Problem]:
    """What is wrong with a body's record of where and when it published the statement."""
    problems: list[Problem] = []
    if found := url_problem(url):
        problems.append(found)
    if published_on is None:
        problems.append(Problem("Enter the date the statement was published", "published_on"))
    elif published_on > today:
        problems.append(
            Problem("The publication date must be today or in the past", "published_on")
        )
    elif approved_on is not None and published_on < approved_on:
        problems.append(
            Problem(
                f"The publication date must be on or after {long_date(approved_on)}, "
                "when the statement was approved",
                "published_on",
            )
        )
    return problems


def registry_problems(
    *, submitted_on: date | None, published_on: date | None, today: date
) -> list[Problem]:
    """What is wrong with the date a body submitted the statement to the national registry."""
    if submitted_on is None:
        return [Problem("Enter the date the statement was submitted", "submitted_on")]
    if submitted_on > today:
        return [Problem("The submission date must be today or in the past", "submitted_on")]
    if published_on is not None and submitted_on < published_on:
        return [
            Problem(
                f"The submission date must be on or after {long_date(published_on)}, "
                "when the statement was published",
                "submitted_on",
            )
        ]
    return []


def risk_problems(
    *,
    description: str | None,
    area: str | None = None,
    supply_chain_tier: str | None = None,
    groups_affected: str | None = None,
    location: str | None = None,
    mitigation: str | None = None,
) -> list[Problem]:
    """What is wrong with a risk described for the registry."""
    problems: list[Problem] = []
    text = (description or "").strip()
    if not text:
        problems.append(Problem("Describe the risk", "description"))
    elif found := too_long(text, 2_000, "description", "The description"):
        problems.append(found)
    if supply_chain_tier and supply_chain_tier not in SUPPLY_CHAIN_TIERS:
        problems.append(
            Problem("Select Tier 1, Tier 2, Tier 3 and below, or Don't know", "supply_chain_tier")
        )
    for value, limit, field, label in (
        (area, 200, "area", "The area"),
        (groups_affected, 300, "groups_affected", "The groups affected"),
        (location, 200, "location", "The location"),
        (mitigation, 2_000, "mitigation", "The mitigation"),
    ):
        if found := too_long((value or "").strip(), limit, field, label):
            problems.append(found)
    return problems
