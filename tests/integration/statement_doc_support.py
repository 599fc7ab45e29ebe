"""Statements for the document and registry tests, made straight from the models (the
statement service is written separately).

make_statement(app) gives north-east's joint statement for 2024/25 over the year of
board_support.build_board (alpha-police's spend and due diligence, plans, training), with:
- joint sections: an introduction and the six recommended areas; "goals" still has a
  "[...]" placeholder unless written=True, and the due-diligence text holds "{{ 7*7 }}";
- alpha-police: its own paragraph, two signatories, approved with a decision reference,
  published; beta-opcc: one signatory, not approved;
- risks: one for all bodies, one for alpha-police.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.register_support import as_user
from tisc.extensions import db
from tisc.models import (
    Category,
    Statement,
    StatementBody,
    StatementRisk,
    StatementSection,
    StatementState,
)
from tisc.services.accounts import organisations

YEAR = 2024
JOINT = "/partnerships/north-east/statements"
COORDINATOR = "coordinator@example.org"
TEMPLATE_TAG = "{{ 7*7 }}"
SECTIONS = (
    ("introduction", "Introduction", "We are 14 bodies.\n\nWe publish one statement."),
    ("structure", "Our structure, business and supply chains", "Police & crime <bodies>."),
    ("policies", "Our policies", "We have a policy."),
    ("risk", "Assessing risk", "We rate categories."),
    ("due-diligence", "Due diligence", f"We check suppliers. Not a tag: {TEMPLATE_TAG}"),
    ("training", "Training", "All staff are trained."),
    ("goals", "Goals and KPIs", "[Describe your goals]"),
)
ALPHA_PART = "Alpha Police buys through the regional hub.\n\nIt has 2,000 staff."


def make_statement(
    app: Flask,
    *,
    year: int = YEAR,
    state: StatementState = StatementState.DRAFT,
    org: str | None = None,
    written: bool = False,
) -> int:
    """A joint statement of north-east (or org's own) for the year; its id."""
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        single = organisations.get_organisation(slug=org) if org else None
        owner = single.name if single else partnership.name
        statement = Statement(
            partnership_id=None if single else partnership.id,
            organisation_id=single.id if single else None,
            financial_year=year,
            title=f"{owner} modern slavery statement {year}/{(year + 1) % 100:02d}",
            state=state,
        )
        db.session.add(statement)
        db.session.flush()
        for position, (key, title, text) in enumerate(SECTIONS, 1):
            if key == "goals" and written:
                text = "We aim to assess every tier A supplier."
            db.session.add(
                StatementSection(
                    statement_id=statement.id, key=key, position=position, title=title, text=text
                )
            )
        members = [single] if single else list(partnership.organisations)
        for member in members:
            body = StatementBody(statement_id=statement.id, organisation_id=member.id)
            if member.slug == "alpha-police":
                body.signatory_name, body.signatory_title = "Pat Lee", "Police & Crime Commissioner"
                body.second_signatory_name = "Sam Roe"
                body.second_signatory_title = "Chief Constable"
                body.approved_on, body.decision_reference = date(2025, 6, 30), "PCC 2025/17"
                body.published_url = "https://alpha.example.org/modern-slavery"
                db.session.add(
                    StatementSection(
                        statement_id=statement.id,
                        key="body",
                        organisation_id=member.id,
                        position=100,
                        title=member.name,
                        text=ALPHA_PART,
                    )
                )
            elif member.slug == "beta-opcc":
                body.signatory_name = "Jo Bloggs"
            db.session.add(body)
        alpha = organisations.get_organisation(slug="alpha-police")
        for position, (org_id, area) in enumerate(((None, "Cleaning"), (alpha.id, "Uniforms")), 1):
            db.session.add(
                StatementRisk(
                    statement_id=statement.id,
                    organisation_id=org_id,
                    position=position,
                    description=f"Exploitation in {area.lower()}",
                    area=area,
                    supply_chain_tier="Tier 2",
                    groups_affected="Migrant workers",
                    location="United Kingdom",
                    mitigation="Audits & training",
                )
            )
        db.session.commit()
        return statement.id


def rename_category(app: Flask, old_start: str, new: str) -> None:
    """Give a partnership category a new name (e.g. with "&" and "<")."""
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        category = db.session.scalar(
            select(Category).where(
                Category.partnership_id == partnership.id, Category.name.startswith(old_start)
            )
        )
        category.name = new
        db.session.commit()


def set_section_text(app: Flask, statement_id: int, key: str, text: str) -> None:
    with app.app_context():
        section = db.session.scalar(
            select(StatementSection).where(
                StatementSection.statement_id == statement_id, StatementSection.key == key
            )
        )
        section.text = text
        db.session.commit()


def set_state(app: Flask, statement_id: int, state: StatementState) -> None:
    with app.app_context():
        db.session.get(Statement, statement_id).state = state
        db.session.commit()


# --- generating and reading documents ------------------------------------------------------


def generate(app: Flask, statement_id: int, email: str = COORDINATOR, **form: str) -> Any:
    """Generate the joint statement's document through the page, as a coordinator."""
    return as_user(app, email).post(f"{JOINT}/{statement_id}/documents", data=form)


def newest(app: Flask, statement_id: int, email: str = COORDINATOR) -> bytes:
    """Generate (as the coordinator) and download the newest document."""
    assert generate(app, statement_id).status_code == 302
    client = as_user(app, email)
    link = page(client.get(f"{JOINT}/{statement_id}/documents")).select_one("#documents tbody a")
    response = client.get(link["href"])
    assert response.status_code == 200, response.status_code
    return response.data


def paragraphs(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def headings(document: Any, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def tables(document: Any) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def table_headed(document: Any, *header: str) -> list[list[str]]:
    """The document's first table whose header row starts with these cells."""
    found = [t for t in tables(document) if t[0][: len(header)] == list(header)]
    assert found, f"no table headed {header}"
    return found[0]
