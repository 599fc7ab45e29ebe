"""Helpers for the statement tests: statements through the real services, reading the
statement pages back, snapshots that show a refused request saved nothing, and every route."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration import table_snapshot
from tisc.extensions import db
from tisc.models import Statement, StatementBody, StatementSection
from tisc.services.accounts import organisations
from tisc.services.statements import figure_checks, signoff
from tisc.services.statements import records as statements

P = "/partnerships/north-east/statements"
A = "/organisations/alpha-police"
B = "/organisations/beta-opcc"
COORDINATOR = "coordinator@example.org"
STATEMENT_A = "statement.alpha-police@example.org"
STATEMENT_B = "statement.beta-opcc@example.org"
JOINT_KEYS = [
    "introduction",
    "structure",
    "policies",
    "principles",
    "risk",
    "due-diligence",
    "training",
    "goals",
]
TABLES = ("statements", "statement_bodies", "statement_sections", "statement_risks")
TODAY = date(2026, 11, 29)
STALE = (
    "Someone else changed this statement while you were editing. "
    "Your changes were not saved: check the statement below and try again."
)


def set_today(monkeypatch: Any, day: date) -> None:
    """Move the statement pages' clock (they read today in one place)."""
    monkeypatch.setattr("tisc.views.statements.pages.today", lambda: day)


def joint_url(statement_id: int) -> str:
    return f"{P}/{statement_id}"


def statement_id_for(app: Flask, year: int) -> int:
    """The id of the north-east joint statement for the year."""
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        return statements.find_statement(financial_year=year, partnership=partnership).id


def post_text(client: Any, url: str, text: str) -> Any:
    """Send a section's new text with the version the edit page carries now."""
    return client.post(url, data={"text": text, "version": form_version(client.get(url))})


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of the statement tables."""
    return table_snapshot.snapshot(app, TABLES)


def create(app: Flask, year: int, *, org: str | None = None, from_last_year: bool = True) -> int:
    """The north-east joint statement for the year (or the body's single one); its id."""
    with app.app_context():
        owner = (
            {"org": organisations.get_organisation(slug=org)}
            if org
            else {"partnership": organisations.get_partnership(slug="north-east")}
        )
        statement = statements.create_statement(
            financial_year=year, user=None, from_last_year=from_last_year, **owner
        )
        db.session.commit()
        return statement.id


@dataclass(frozen=True)
class SectionRow:
    id: int
    key: str
    body: str | None
    title: str
    text: str
    version: int


def sections(app: Flask, statement_id: int) -> list[SectionRow]:
    """The statement's sections in order (body: the slug of a body's own paragraph)."""
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        slugs = {b.organisation_id: b.organisation.slug for b in statement.bodies}
        return [
            SectionRow(s.id, s.key, slugs.get(s.organisation_id), s.title, s.text, s.version_id)
            for s in statement.sections
        ]


def section(app: Flask, statement_id: int, key: str, body: str | None = None) -> SectionRow:
    return next(s for s in sections(app, statement_id) if (s.key, s.body) == (key, body))


def body(app: Flask, statement_id: int, slug: str) -> StatementBody:
    """The body's sign-off record, detached (read its columns only)."""
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        found = db.session.scalar(
            select(StatementBody).where(
                StatementBody.statement_id == statement_id,
                StatementBody.organisation_id == org.id,
            )
        )
        db.session.expunge(found)
        return found


def state(app: Flask, statement_id: int) -> str:
    with app.app_context():
        return db.session.get(Statement, statement_id).state.value


def set_text(app: Flask, statement_id: int, key: str, text: str, body: str | None = None) -> None:
    """Change a section through the service (at its current version), as the system."""
    target = section(app, statement_id, key, body)
    with app.app_context():
        found = db.session.get(StatementSection, target.id)
        statements.update_section(
            section=found, text=text, user=None, expected_version=found.version_id, today=TODAY
        )
        db.session.commit()


def _body_record(statement_id: int, slug: str) -> StatementBody:
    org = organisations.get_organisation(slug=slug)
    statement = db.session.get(Statement, statement_id)
    return statements.get_body(statement=statement, org=org)


def submit(app: Flask, statement_id: int) -> None:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        signoff.submit_for_approval(
            statement=statement, user=None, expected_version=statement.version_id
        )
        db.session.commit()


def approve(app: Flask, statement_id: int, slug: str, on: date = date(2025, 7, 15)) -> None:
    """Record the body's signatory and approval through the services."""
    with app.app_context():
        record = _body_record(statement_id, slug)
        signoff.record_signatories(
            statement_body=record,
            user=None,
            expected_version=record.version_id,
            signatory_name=f"Signer of {slug}",
            signatory_title="Chief Constable",
        )
        signoff.record_approval(
            statement_body=record,
            user=None,
            expected_version=record.version_id,
            approved_on=on,
            decision_reference=f"DR-{slug}",
            today=TODAY,
        )
        db.session.commit()


def mark_approved(app: Flask, statement_id: int) -> None:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        signoff.mark_approved(statement=statement, user=None, expected_version=statement.version_id)
        db.session.commit()


def publish(app: Flask, statement_id: int, slug: str, on: date = date(2025, 9, 1)) -> None:
    with app.app_context():
        record = _body_record(statement_id, slug)
        signoff.record_publication(
            statement_body=record,
            user=None,
            expected_version=record.version_id,
            url=f"https://www.{slug}.example.org/modern-slavery",
            published_on=on,
            today=TODAY,
        )
        db.session.commit()


def add_risk(app: Flask, statement_id: int, description: str = "Cleaning staff agencies") -> int:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        risk = signoff.add_risk(
            statement=statement,
            user=None,
            description=description,
            supply_chain_tier="Tier 2",
            today=TODAY,
        )
        db.session.commit()
        return risk.id


def approved_statement(app: Flask, year: int = 2024) -> int:
    """A joint statement both bodies have approved, marked approved; its id."""
    statement_id = create(app, year)
    submit(app, statement_id)
    approve(app, statement_id, "alpha-police")
    approve(app, statement_id, "beta-opcc")
    mark_approved(app, statement_id)
    return statement_id


# --- reading pages --------------------------------------------------------------------------


def missing(response: Any) -> list[str]:
    """The checklist's "still missing" lines."""
    return [
        li.get_text(" ", strip=True) for li in page(response).select(".app-checklist-missing li")
    ]


def areas(response: Any) -> dict[str, str]:
    """Registry area -> "yes" (written) or "no", from the checklist."""
    return {
        li.get_text(" ", strip=True).split(" ", 1)[1]: li["data-done"]
        for li in page(response).select(".app-checklist-areas li")
    }


def bodies_table(response: Any) -> dict[str, list[str]]:
    """Body slug -> its cells (signatories, approval, published, registry), without the
    links to change them."""
    found = {}
    for tr in page(response).select("table.app-statement-bodies tbody tr"):
        for link in tr.select("a.app-body-action"):
            link.decompose()
        found[tr["data-body"]] = [" ".join(td.get_text(" ").split()) for td in tr.select("td")]
    return found


def body_actions(response: Any, slug: str) -> list[str]:
    """The links to change a body's sign-off that the page offers."""
    row = page(response).select_one(f"table.app-statement-bodies tr[data-body={slug}]")
    return [" ".join(a.get_text(" ").split()) for a in row.select("a.app-body-action")]


def section_texts(response: Any) -> dict[tuple[str, str | None], str]:
    """(key, body name) -> the section's text as shown."""
    return {
        (s["data-section"], s.get("data-body")): "\n\n".join(
            p.get_text() for p in s.select("p.app-preserve-lines")
        )
        for s in page(response).select("section.app-statement-section")
    }


def edit_links(response: Any) -> set[tuple[str, str | None]]:
    """The sections the page offers to change."""
    return {
        (s["data-section"], s.get("data-body"))
        for s in page(response).select("section.app-statement-section")
        if s.select_one("a.app-edit-section")
    }


def form_version(response: Any) -> str:
    return page(response).select_one("form input[name=version]")["value"]


# --- every route ----------------------------------------------------------------------------

# Form data each route would save if it let the request through.
POSTS: dict[str, dict[str, Any]] = {
    "statements.start_joint": {"start_from": "default"},
    "statements.start_single": {"start_from": "default"},
    "statements.edit_joint_section": {"text": "Sneaky", "version": "1"},
    "statements.edit_section": {"text": "Sneaky", "version": "1"},
    "statements.new_joint_risk": {"description": "Sneaky"},
    "statements.edit_joint_risk": {"description": "Sneaky", "version": "1"},
    "statements.remove_joint_risk": {"version": "1"},
    "statements.new_single_risk": {"description": "Sneaky"},
    "statements.edit_single_risk": {"description": "Sneaky", "version": "1"},
    "statements.remove_single_risk": {"version": "1"},
    "statements.change_joint_state": {"version": "1"},
    "statements.change_single_state": {"version": "1"},
    "statements.signatories": {
        "signatory_name": "Sneaky",
        "signatory_title": "Sneaky",
        "version": "1",
    },
    "statements.approval": {
        "approved_on": ["1", "7", "2026"],
        "decision_reference": "X",
        "version": "1",
    },
    "statements.publication": {
        "published_url": "https://sneaky.example.org/s",
        "published_on": ["1", "8", "2026"],
        "version": "1",
    },
    "statements.registry": {"submitted_on": ["1", "8", "2026"], "version": "1"},
    "statements.registry_answers": {
        "sectors": ["Public sector"],
        **{key: ["none"] for key in ("policies", "training", "engagement", "audits", "grievance")},
        "ilo_indicators": ["none"],
        "version": "1",
    },
}
READ_ENDPOINTS = {
    "statements.partnership_statements",
    "statements.joint_statement",
    "statements.body_statement",
}


def statement_routes(
    app: Flask, *, org: str, statement_id: int, section_id: int, risk_id: int
) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """(endpoint, method, url, data) for every method of every statements.* route."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("statements."):
            continue
        url = (
            rule.rule.replace("<partnership_slug>", "north-east")
            .replace("<org_slug>", org)
            .replace("<int:statement_id>", str(statement_id))
            .replace("<int:section_id>", str(section_id))
            .replace("<int:risk_id>", str(risk_id))
        )
        if rule.endpoint.startswith("statements.start_"):
            url += "?year=2026-27"  # a year without a statement, so a missing check would start one
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url, POSTS.get(rule.endpoint)))
    return found


def send(client: Any, method: str, url: str, data: dict | None) -> Any:
    return client.get(url) if method == "GET" else client.post(url, data=data or {})


def keep_all_findings(app: Flask, statement_id: int, reason: str = "Checked") -> None:
    """Keep, as the system, every open finding of the figure check (the default text claims
    more than a test world's figures show), so the statement can be sent for approval."""
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        for found in figure_checks.statement_findings(statement=statement):
            if found.is_open:
                figure_checks.keep_words(
                    statement=statement,
                    section=found.section,
                    finding_key=found.finding.key,
                    reason=reason,
                    user=None,
                )
        db.session.commit()
