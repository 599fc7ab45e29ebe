"""Stored script in every text field people can type is shown as text: on every page that shows
it, in the Word documents (statement, board report) and in every export (XLSX and CSV).

Each field gets a payload (stored_script_support.payload) typed into its own form by the person
who would type it: supplier names and finance text through the upload and its preview, the
supplier's answers through the invitation link, names of organisations, partnerships and
people through the admin pages, and so on. Then every GET route of the url_map is opened by
someone it serves, and every document and export is downloaded and read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from tests.conftest import database_url, make_app, page
from tests.integration.matrix_world import YEAR as SPEND_YEAR
from tests.integration.matrix_world import World, build_world
from tests.integration.payload_entry_support import YEAR, A, Browser, P, enter_payloads
from tests.integration.plan_support import this_year
from tests.integration.security_support import (
    COORDINATOR,
    PROCUREMENT,
    client_for,
    url_for_rule,
    who_may_use,
)
from tests.integration.stored_script_support import csv_problems, docx_problems, xlsx_problems
from tisc.extensions import db
from tisc.rules.years import FinancialYear
from tisc.web.access import access_rule_of


@dataclass
class Stored:
    """The world with every payload typed in: each person's browser, and what the typing
    made (pages, records, files)."""

    app: Flask
    world: World
    people: dict[str, Browser]
    made: dict[str, Any]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    """One world for the module (typing everything in takes a while), payloads entered. Its
    statements are of the spend's year, so a statement's figures show the spend's categories."""
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(tmp_path_factory.mktemp("stored")))
    with app.app_context():
        db.drop_all()
        db.create_all()
    try:
        world = build_world(app, statement_year=SPEND_YEAR)
        yield Stored(app, world, *enter_payloads(app, world))
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def expected_pages(stored: Stored) -> dict[str, list[str]]:
    """Pages that must show each payload (besides its own form): where people read it."""
    made, values = stored.made, stored.world.values("alpha")
    s = f"{A}/suppliers/{values['supplier_id']}"
    dd = f"{s}/due-diligence/{YEAR}"
    sent = f"{A}/assessments/{made['sent']}"
    invited_dd = f"{A}/suppliers/{made['invited']}/due-diligence/{YEAR}"
    item = f"{A}/action-plan/items/{values['item_id']}"
    joint = f"{P}/statements/{values['joint_statement_id']}"
    statement_parts = [joint, f"{A}/statement?year={values['statement_year']}"]
    return {
        "xss-import-name": [f"{A}/suppliers", f"{A}/due-diligence", f"{P}/suppliers"],
        "xss-import-finance-text": [f"{A}/finance-categories", f"{A}/suppliers"],
        "xss-import-problem": [made["preview"]],
        "xss-supplier-name": [f"{A}/suppliers", s, dd, f"{A}/assessments", f"{P}/suppliers"],
        "xss-supplier-notes": [s],
        "xss-contract-title": [s],
        "xss-ref": [s],
        "xss-dd-plan-note": [dd],
        "xss-sub-name": [s, dd],
        "xss-country": [dd],
        "xss-sub-supplies": [dd],
        "xss-sub-risk-notes": [dd],
        "xss-review-notes": [dd],
        "xss-review-actions": [dd],
        "xss-payee-name": [f"{A}/personal-payees"],
        "xss-buyer-evidence": [f"{A}/assessments/{values['assessment_id']}"],
        "xss-invite-contact-name": [f"{A}/invitations"],
        "xss-supplier-evidence": [sent, f"/respond/{values['token']}"],
        "xss-supplier-sub-name": [sent, invited_dd, f"/respond/{values['token']}"],
        "xss-cty": [sent, invited_dd],
        "xss-supplier-sub-supplies": [sent, invited_dd],
        "xss-check-respondent-name": [sent],
        "xss-check-respondent-role": [sent],
        "xss-adjust-reason": [sent],
        "xss-item-title": [f"{A}/action-plan", item],
        "xss-item-description": [item],
        "xss-item-owner": [f"{A}/action-plan", item],
        "xss-item-kpi": [f"{A}/action-plan", item],
        "xss-item-kpi-target": [f"{A}/action-plan", item],
        "xss-update-note": [item],
        "xss-update-rag-reason": [f"{A}/action-plan", item],
        "xss-training-course": [f"{A}/training"],
        "xss-commitment-title": [f"{P}/commitments", f"{P}/board", f"{A}/action-plan"],
        "xss-commitment-description": [f"{P}/commitments"],
        "xss-commitment-default-action": [f"{P}/commitments"],
        "xss-category-name": [f"{P}/categories", f"{A}/suppliers", s],
        "xss-category-reason": [f"{P}/categories"],
        "xss-category-keywords": [f"{P}/categories"],
        "xss-section-text": statement_parts,
        "xss-body-text": statement_parts,
        "xss-risk-description": statement_parts,
        "xss-risk-area": statement_parts,
        "xss-risk-groups-affected": statement_parts,
        "xss-risk-location": statement_parts,
        "xss-risk-mitigation": statement_parts,
        "xss-sign-signatory-name": statement_parts,
        "xss-sign-signatory-title": statement_parts,
        "xss-sign-second-signatory-name": statement_parts,
        "xss-sign-second-signatory-title": statement_parts,
        "xss-approval-decision-reference": statement_parts,
        "xss-org-name": ["/admin/organisations", f"{A}/suppliers", f"{P}/board", joint],
        "xss-org-region": [f"{A}"],
        "xss-org-senior-lead-name": [f"{A}"],
        "xss-org-senior-lead-title": [f"{A}"],
        "xss-org-address": ["/admin/organisations/alpha-police/edit"],
        "xss-partnership-name": ["/admin/partnerships", f"{P}", f"{P}/board"],
        "xss-partnership-description": [f"{P}"],
        "xss-user-name": ["/admin/users"],
        "xss-new-name": ["/admin/users"],
        "xss-template-name": ["/admin/statement-templates/", f"{joint}/documents"],
    }


# Routes whose page no longer answers once the world is complete, and their status: the upload
# was imported (404), the world's own upload and its check went when the payloads' file was
# uploaded (404), and the supplier's link stops working once the answers are sent (410, a
# page that says so). The pages were checked while they worked, as the payloads went in.
GONE = {
    "imports.preview": 404,
    "imports.upload_problems": 404,
    "imports.job": 404,
    "imports.job_status": 404,
    "respond.answer": 410,
    "respond.check": 410,
}


def test_every_page_shows_stored_script_as_text(stored: Stored) -> None:
    """Every GET page of the url_map, opened by someone it serves, and the pages shown while
    the payloads were typed in: no element, handler or address made from a payload, and
    each payload shown whole, as text."""
    app, world, people, made = stored.app, stored.world, stored.people, stored.made
    extra = {
        f"{A}/assessments/{made['sent']}",
        f"{A}/suppliers/{made['imported']}",
        f"{A}/suppliers/{made['imported']}/due-diligence/{YEAR}",
        f"{A}/suppliers/{made['invited']}",
        f"{A}/suppliers/{made['invited']}/due-diligence/{YEAR}",
        f"{A}/statement?year={world.values('alpha')['statement_year']}",
    }
    unexpected = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        who = who_may_use(rule, access_rule_of(app.view_functions[rule.endpoint]))
        if who not in people:
            people[who] = Browser(client_for(app, who, world), who)
        url = url_for_rule(app, rule, world)
        response = people[who].look(people[who].client.get(url), url)
        if response.status_code != GONE.get(rule.endpoint, 200):
            unexpected.append(f"{url}: {response.status_code}")
    for url in sorted(extra):
        people[PROCUREMENT].get(url)
    problems = [p for person in people.values() for p in person.problems]
    assert not problems, "\n".join(problems)
    assert unexpected == []
    seen: dict[str, set[str]] = {}
    for person in people.values():
        for label, urls in person.seen.items():
            seen.setdefault(label, set()).update(urls)
    missing = [
        f"{label} not on {url}"
        for label, urls in expected_pages(stored).items()
        for url in urls
        if url not in seen.get(label, set())
    ]
    assert not missing, "\n".join(missing)
    assert set(seen) == set(expected_pages(stored))  # every payload typed in was looked for


# What each document and export must show (it may show more); each is checked whole.
EXPECTED_FILES = {
    "statement.docx": {
        "xss-section-text",
        "xss-body-text",
        "xss-risk-description",
        "xss-risk-mitigation",
        "xss-sign-signatory-name",
        "xss-sign-second-signatory-title",
        "xss-approval-decision-reference",
        "xss-org-name",
        "xss-partnership-name",
        "xss-category-name",
    },
    "board report.docx": {"xss-org-name", "xss-partnership-name", "xss-commitment-title"},
    "board report.xlsx": {"xss-org-name", "xss-partnership-name", "xss-commitment-title"},
    "register.xlsx": {"xss-supplier-name", "xss-import-name", "xss-category-name", "xss-org-name"},
    "register.csv": {"xss-supplier-name", "xss-import-name", "xss-category-name", "xss-org-name"},
    "partnership register.xlsx": {"xss-supplier-name", "xss-import-name", "xss-org-name"},
    "partnership register.csv": {"xss-supplier-name", "xss-import-name", "xss-org-name"},
    "due diligence.xlsx": {
        "xss-supplier-name",
        "xss-dd-plan-note",
        "xss-sub-name",
        "xss-country",
        "xss-sub-supplies",
        "xss-sub-risk-notes",
        "xss-review-notes",
        "xss-review-actions",
        "xss-supplier-sub-name",
        "xss-cty",
        "xss-supplier-sub-supplies",
    },
    "partnership due diligence.xlsx": {"xss-supplier-name", "xss-dd-plan-note", "xss-sub-name"},
    "registry.csv": {
        "xss-org-name",
        "xss-org-address",
        "xss-partnership-name",
        "xss-risk-description",
        "xss-risk-area",
        "xss-risk-groups-affected",
        "xss-risk-location",
        "xss-risk-mitigation",
        "xss-sign-signatory-name",
        "xss-sign-signatory-title",
    },
    "upload problems.csv": {"xss-import-problem"},
    "import problems.csv": {"xss-import-problem"},
}


def _download(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.data


def test_every_document_and_export_keeps_stored_script_as_text(stored: Stored) -> None:
    """Word: the text whole and {{7*7}} not made 49. XLSX: no formula, formula-like text only
    in string cells, payloads whole. CSV: no text that starts a formula (the rule of
    DESIGN.md: a leading apostrophe), payloads whole."""
    made, people = stored.made, stored.people
    coordinator, buyer = people[COORDINATOR].client, people[PROCUREMENT].client
    joint = f"{P}/statements/{stored.world.values('alpha')['joint_statement_id']}"
    newest = page(coordinator.get(f"{joint}/documents")).select_one("#documents tbody a")["href"]
    files: dict[str, tuple[Any, bytes]] = {
        "statement.docx": (docx_problems, _download(coordinator, newest)),
        "registry.csv": (csv_problems, _download(coordinator, f"{joint}/registry.csv")),
        "upload problems.csv": (csv_problems, made["upload problems.csv"]),
        "import problems.csv": (csv_problems, made["import problems.csv"]),
    }
    for kind, check in (("docx", docx_problems), ("xlsx", xlsx_problems)):
        # The spend year and this year's plans: every sheet of both.
        for year in (YEAR, FinancialYear(this_year()).slug):
            body = _download(coordinator, f"{P}/board/report.{kind}?year={year}")
            name = f"board report.{kind}"
            files[name if year == YEAR else f"{name} ({year})"] = (check, body)
    for kind, check in (("xlsx", xlsx_problems), ("csv", csv_problems)):
        query = f"export.{kind}?year={YEAR}"
        files[f"register.{kind}"] = (check, _download(buyer, f"{A}/suppliers/{query}"))
        files[f"partnership register.{kind}"] = (
            check,
            _download(coordinator, f"{P}/suppliers/{query}"),
        )
    dd_query = f"due-diligence/export.xlsx?year={YEAR}"
    files["due diligence.xlsx"] = (xlsx_problems, _download(buyer, f"{A}/{dd_query}"))
    files["partnership due diligence.xlsx"] = (
        xlsx_problems,
        _download(coordinator, f"{P}/{dd_query}"),
    )
    problems, missing = [], []
    for name, (check, body) in files.items():
        labels, wrong = check(body, name)
        problems += wrong
        missing += [f"{name}: {label}" for label in EXPECTED_FILES.get(name, set()) - labels]
    assert not problems, "\n".join(problems)
    assert not missing, "\n".join(missing)
