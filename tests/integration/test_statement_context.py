"""What a statement's Word template reads: one list of names for the real context, the made-up
context "Try it" uses, and the check on uploaded templates; the made-up context shaped exactly
like the real one; text cleaned of what Word cannot hold."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.integration.board_support import build_board
from tests.integration.statement_doc_support import make_statement, set_section_text
from tisc.documents.docx_checks import check_docx
from tisc.extensions import db
from tisc.models import Statement
from tisc.rules.statement_context import CONTEXT_NAMES, PLACEHOLDERS
from tisc.services.statements import templates as statement_templates
from tisc.services.statements.context import document_context
from tisc.services.statements.documents import DEFAULT_TEMPLATE
from tisc.services.statements.figures import statement_figures
from tisc.services.statements.samples import sample_context


def real_context(app: Flask, statement_id: int) -> dict[str, Any]:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        figures = statement_figures(statement=statement, today=date(2025, 8, 1))
        return document_context(
            statement=statement, figures=figures, draft=True, today=date(2025, 8, 1)
        )


@pytest.fixture
def context(app: Flask, two_bodies: dict) -> dict[str, Any]:
    build_board(app)
    make_statement(app, year=2023)  # so last year's figures are in the context too
    return real_context(app, make_statement(app))


def shape(value: Any, where: str = "") -> set[str]:
    """Every path a template can follow into the value: dict keys, and a list's items."""
    if isinstance(value, dict):
        found = set()
        for key, item in value.items():
            found |= {f"{where}.{key}"} | shape(item, f"{where}.{key}")
        return found
    if isinstance(value, list):
        return set().union(*(shape(item, f"{where}[]") for item in value)) if value else set()
    return set()


def test_the_context_has_exactly_the_names_uploaded_templates_may_use(context: dict) -> None:
    assert list(context) == list(CONTEXT_NAMES)
    assert statement_templates.KNOWN_PLACEHOLDERS == PLACEHOLDERS == set(CONTEXT_NAMES)


def test_the_sample_for_try_it_is_shaped_like_the_real_context(context: dict) -> None:
    sample = sample_context()
    assert set(sample) == set(CONTEXT_NAMES)
    # A template that fills in with the sample fills in with a real statement, and back.
    assert shape(sample) == shape(context)


def test_the_default_template_passes_the_upload_check() -> None:
    assert check_docx(DEFAULT_TEMPLATE.read_bytes(), known_names=PLACEHOLDERS) == []


def test_text_in_the_context_has_no_control_characters(app: Flask, two_bodies: dict) -> None:
    build_board(app)
    statement_id = make_statement(app)
    set_section_text(app, statement_id, "policies", "One\x07 policy.\r\n\r\nTwo\x0c policies.")
    sections = {s["key"]: s for s in real_context(app, statement_id)["sections"]}
    assert sections["policies"]["paragraphs"] == ["One policy.", "Two policies."]
