"""The life-cycle table is what the routes and the services use: each step's route ends in its
URL word and needs its side's permission, every endpoint named in full exists, and every one of
the statement's own steps has a service."""

from __future__ import annotations

from flask import Flask

from tisc.rules.statement_lifecycle import Side, steps_of
from tisc.services.statements import signoff
from tisc.views.statements import documents, pages
from tisc.web.access import access_rule_of


def _rules(app: Flask, endpoint: str) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]


def test_each_of_the_statements_own_steps_has_a_route_on_each_side(app: Flask) -> None:
    for endpoints, access in (
        (pages.JOINT, f"partnership:{Side.SHARED.permission(joint=True)}"),
        (pages.SINGLE, f"organisation:{Side.SHARED.permission(joint=False)}"),
    ):
        rules = _rules(app, endpoints.change_state)
        assert sorted((r.rule.rsplit("/", 1)[1], r.defaults["action"]) for r in rules) == sorted(
            (step.url_word, step.name) for step in steps_of(Side.SHARED)
        )
        view = app.view_functions[endpoints.change_state]
        assert access_rule_of(view) == access


def test_each_of_a_bodys_steps_has_its_form(app: Flask) -> None:
    assert list(pages.BODY_STEPS) == list(steps_of(Side.BODY))
    for step, endpoint in pages.BODY_STEPS.items():
        (rule,) = _rules(app, endpoint)
        assert rule.rule.endswith(f"/statements/<int:statement_id>/{step.url_word}")
        view = app.view_functions[endpoint]
        assert access_rule_of(view) == f"organisation:{step.who.permission()}"


def test_every_endpoint_named_in_full_exists(app: Flask) -> None:
    named = [
        *vars(pages.JOINT).values(),
        *vars(pages.SINGLE).values(),
        *pages.BODY_STEPS.values(),
        *vars(documents.JOINT_PAGES).values(),
        *vars(documents.SINGLE_PAGES).values(),
    ]
    assert len(named) == len(set(named)) == 22
    assert [name for name in named if name not in app.view_functions] == []


def test_each_of_the_statements_own_steps_has_its_service() -> None:
    assert list(signoff.STATE_CHANGES) == list(steps_of(Side.SHARED))
