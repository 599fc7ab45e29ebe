"""Fixtures shared by the integration tests (tests/conftest.py has the app, the client, the
factory and two_bodies)."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.integration.board_support import build_board
from tests.integration.statement_doc_support import make_statement
from tests.integration.statement_support import TODAY, set_today


@pytest.fixture
def bodies(two_bodies: dict, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Two bodies of a partnership and one outside it; today is 29 November 2026."""
    set_today(monkeypatch, TODAY)
    return two_bodies


@pytest.fixture
def statement(app: Flask, two_bodies: dict) -> int:
    """North-east's joint statement for 2024/25 over board_support's year (its id): see
    statement_doc_support.make_statement."""
    build_board(app)
    return make_statement(app)
