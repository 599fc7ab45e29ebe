"""What test_stale_forms.py needs besides its cases (stale_cases): the POST routes that need
no version and why, and reading a page's form as a browser would send it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import page
from tests.integration.matrix_routes import route_key
from tests.integration.stale_cases import Case
from tisc.extensions import db

# POST routes that need no version, and why.
CREATES = "makes a new record: there is nothing another person could have changed"
OUTRIGHT = "sets one value outright (no form of the record's values is loaded and sent back)"
NOT_EDITS: dict[str, str] = {
    "auth.sign_in": "signs in; simultaneous sign-ins are retried (test_concurrency)",
    "auth.sign_out": "signs out",
    "auth.change_password": "checks the current password, which a stale form cannot know",
    "admin.new_organisation": CREATES,
    "admin.new_partnership": CREATES,
    "admin.new_user": CREATES,
    "admin.password_link": CREATES,
    "auth.create_password": "sets the password once from a one-time link; a second use is refused",
    "admin.add_membership": "adds one role; the same role twice is refused",
    "admin.remove_membership": "removes one role by its id; a second removal answers 404",
    "statement_templates.upload": CREATES,
    "statement_templates.try_template": "renders a template and saves nothing",
    "statement_templates.deactivate": "a one-way switch: doing it twice changes nothing",
    "plans.start": CREATES,
    "board.keep": "keeps the figures as they are when sent, as a new pack",
    # Keeping questioned words records a reason against the words as they are now: words
    # changed since are no longer a finding, and the keep is refused.
    "statements.keep_words": "keeps words as they stand now; changed words are refused",
    "statements.keep_joint_words": "keeps words as they stand now; changed words are refused",
    "plans.new_item": CREATES,
    "plans.new_training": CREATES,
    "assessments.start": CREATES,
    "assessments.adopt": CREATES,
    "assessment_strt.upload": CREATES,
    "assessment_strt.preview": (
        "fills only the draft's blanks as they are when confirmed; answers given since are kept"
    ),
    "categories.map_text": OUTRIGHT,
    "categories.remove_mapping": "removes one mapping by its id; a second removal answers 404",
    "categories.set_threshold": OUTRIGHT,
    # Its form carries the number of the version edited, not a record's version_id: a version
    # saved since refuses it (test_category_rule_sets).
    "category_rules.rules": "saves a new version of the rules; one saved since is refused",
    "category_rules.restore": "saves an earlier version's text as a new version",
    "imports.upload": CREATES,
    "imports.preview": "imports a checked file: new lines only, already-imported ones skipped",
    "imports.undo": "a one-way switch: a second undo is refused as already undone",
    "imports.retry": "asks for a failed job again: a job that has finished leads to what it made",
    "imports.personal_payees": CREATES,
    "imports.remove_personal_payee": "removes one name by its id",
    "invitations.invite": CREATES,
    "statements.start_single": CREATES,
    "statements.start_joint": CREATES,
    "statements.new_single_risk": CREATES,
    "statements.new_joint_risk": CREATES,
    "statement_documents.single_generate": CREATES,
    "statement_documents.joint_generate": CREATES,
    "suppliers.new": CREATES,
    "exclusions.debarment_list_page": "imports a new list, which replaces the one in force",
    "exclusions.new_decision": CREATES,
    "exclusions.new_party": CREATES,
    "incidents.new": CREATES,
    "suppliers.new_contract": CREATES,
    "procurements.new": CREATES,
    "contracts.new_kpi": CREATES,
    "contracts.remove_kpi": "removes one KPI by its id; a second removal answers 404",
    "contracts.rate": "sets the year's rating outright; a second save replaces it",
    "suppliers.archive": OUTRIGHT,
    "suppliers.reviewed": "a one-way switch: marking reviewed twice changes nothing",
    "suppliers.merge": "merges the two suppliers as they are when it runs",
    "supplier_bulk.bulk_action": "sets one value on every supplier listed as it runs, after "
    "a confirmation page that lists them; it edits no form a person filled from a version",
    "questionnaires.publish": "publishes a new version, which must be higher than the last",
    "due_diligence.new_review": CREATES,
    "due_diligence.new_sub_supplier": CREATES,
}


def route_keys(app: Flask) -> set[str]:
    """Every POST route: its endpoint, with the rule's last part when it has several."""
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    return {route_key(rule, rules) for rule in rules}


def fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, list):
        return [fill(item, values) for item in template]
    return template.format(**values) if isinstance(template, str) else template


def form_data(client: FlaskClient, url: str, action: str, button: str) -> dict[str, list[str]]:
    """What a browser would send from the page's form that posts to `action`."""
    soup = page(client.get(url))
    forms = [
        form
        for form in soup.select("main form")
        if urlparse(form.get("action") or url).path == urlparse(action).path
    ]
    assert len(forms) == 1, f"{url} has {len(forms)} forms posting to {action}"
    data: dict[str, list[str]] = {}
    for element in forms[0].select("input, select, textarea"):
        name = element.get("name")
        kind = (element.get("type") or "").lower()
        if not name or element.has_attr("disabled") or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element.get("value", "on"))
        elif element.name == "select":
            chosen = element.select("option[selected]") or element.select("option")[:1]
            data.setdefault(name, []).append(chosen[0].get("value", "") if chosen else "")
        elif element.name == "textarea":
            data.setdefault(name, []).append(element.get_text())
        else:
            data.setdefault(name, []).append(element.get("value", ""))
    data[button] = ["y"]
    return data


def with_changes(data: dict[str, list[str]], changes: dict[str, Any], values: dict) -> dict:
    changed = dict(data)
    for name, value in changes.items():
        filled = fill(value, values)
        changed[name] = filled if isinstance(filled, list) else [filled]
    return changed


def version_of(app: Flask, case: Case, values: dict[str, str]) -> tuple[type, int, int]:
    with app.app_context():
        model, record_id = case.record(values)
        return model, record_id, db.session.get(model, record_id).version_id
