"""Payloads typed in as people would: a browser that fills in each form as it stands and
checks every page it sees (stored_script_support.page_problems), and the whole round of
entering a payload into every text field of alpha-police's records in the security tests'
world (matrix_world.build_world) and of its partnership's joint statement.

Fields of 100 characters at most get a short label ("xss-ref"); all others are labelled
"xss-<area>-<field>" so the form field is read off the label.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import page
from tests.fixtures.templates.builders import docx_bytes
from tests.integration.assessment_support import best_answers, definition
from tests.integration.matrix_world import YEAR as SPEND_YEAR
from tests.integration.matrix_world import World
from tests.integration.register_support import CLEANING_TEXT, UNKNOWN_TEXT
from tests.integration.security_support import (
    ADMIN,
    COORDINATOR,
    PROCUREMENT,
    STATEMENT,
    client_for,
    user_id,
)
from tests.integration.statement_support import keep_all_findings, section
from tests.integration.stored_script_support import page_problems, payload
from tisc.extensions import db
from tisc.models import Invitation, Supplier
from tisc.rules.years import FinancialYear

A = "/organisations/alpha-police"
P = "/partnerships/north-east"
YEAR = FinancialYear(SPEND_YEAR).slug


def fields_of(form: BeautifulSoup) -> dict[str, list[str]]:
    """What a browser would send for the form as it stands (without any button)."""
    data: dict[str, list[str]] = {}
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(element.get("value", default))
        elif element.name == "textarea":
            text = element.get_text()
            data.setdefault(name, []).append(
                text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            )
        else:
            chosen = element.select_one("option[selected]") or element.select_one("option")
            if chosen is not None:
                data.setdefault(name, []).append(chosen.get("value", chosen.get_text()))
    return data


class Browser:
    """One person's client that fills in forms and checks every page it sees."""

    def __init__(self, client: FlaskClient, who: str) -> None:
        self.client, self.who = client, who
        self.seen: dict[str, set[str]] = {}
        self.problems: list[str] = []

    def look(self, response: Any, url: str) -> Any:
        if response.mimetype == "text/html":
            labels, problems = page_problems(response, f"{url} ({self.who})")
            self.problems += problems
            for label in labels:
                self.seen.setdefault(label, set()).add(url)
        return response

    def get(self, url: str) -> Any:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return self.look(response, url)

    def submit(
        self,
        url: str,
        values: dict[str, Any],
        *,
        form: str = "main form[method=post]",
        button: str | None = None,
        files: dict[str, tuple[bytes, str]] | None = None,
    ) -> Any:
        """Open the page, fill in the form as it stands with the values, press the button
        (the first one unless named), follow the redirect; the page it ends on."""
        shown = self.get(url)
        found = page(shown).select_one(form)
        assert found is not None, (url, form)
        data: dict[str, Any] = fields_of(found)
        data.update({k: v if isinstance(v, list) else [v] for k, v in values.items()})
        pressed = (
            found.select_one(f"button[name={button}]")
            if button
            else found.select_one("button[name]")
        )
        if pressed is not None:
            data[pressed["name"]] = [pressed.get("value", "y") or "y"]
        for name, (body, file_name) in (files or {}).items():
            data[name] = (io.BytesIO(body), file_name)
        action = found.get("action") or url
        response = self.client.post(action, data=data, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
        errors = [
            a.get_text(" ", strip=True) for a in page(response).select(".govuk-error-summary li")
        ]
        assert errors == [], (url, errors)
        return self.look(response, f"{action} (after saving)")


def _fields(*labels: str, **short: str) -> dict[str, str]:
    """Form field -> payload, for labels "xss-<prefix>-<field with hyphens>", and for fields
    of 100 characters at most, field=short label."""
    found = {label.split("-", 2)[2].replace("-", "_"): payload(label) for label in labels}
    return found | {field: payload(label) for field, label in short.items()}


def _spend_file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Supplier Name", "Payment Date", "Amount", "Category"])
    writer.writerow([payload("xss-import-name"), "02/05/2024", "70000.00", CLEANING_TEXT])
    writer.writerow(
        ["Plain Kennels Ltd", "03/05/2024", "20.00", payload("xss-import-finance-text")]
    )
    writer.writerow([payload("xss-import-problem"), "04/05/2024", "not money", UNKNOWN_TEXT])
    return buffer.getvalue().encode()


def enter_payloads(app: Flask, world: World) -> tuple[dict[str, Browser], dict[str, Any]]:
    """Every text field gets its payload, typed into its own form: each person's browser, and
    the pages, records and files this makes along the way."""
    people = {
        who: Browser(client_for(app, who, world), who)
        for who in (ADMIN, COORDINATOR, PROCUREMENT, STATEMENT)
    }
    admin, coordinator = people[ADMIN], people[COORDINATOR]
    buyer, owner = people[PROCUREMENT], people[STATEMENT]
    made: dict[str, Any] = {}
    values = world.values("alpha")
    s = f"{A}/suppliers/{values['supplier_id']}"
    dd = f"{s}/due-diligence/{YEAR}"

    # The register: an upload, its preview and problems, the import; the supplier, its
    # contract and due diligence, payees, the body's own assessment.
    preview = buyer.submit(f"{A}/imports/new", {}, files={"file": (_spend_file(), "spend.csv")})
    made["preview"] = preview.request.path
    made["upload problems.csv"] = buyer.client.get(f"{made['preview']}/problems.csv").data
    imported = buyer.submit(made["preview"], {}, button="submit")
    made["import"] = imported.request.path
    made["import problems.csv"] = buyer.client.get(f"{made['import']}/problems.csv").data
    buyer.submit(f"{s}/edit", _fields("xss-supplier-name", "xss-supplier-notes"))
    buyer.submit(
        f"{s}/contracts/{values['contract_id']}", _fields("xss-contract-title", reference="xss-ref")
    )
    buyer.submit(f"{dd}/guidance-and-plan", _fields("xss-dd-plan-note"))
    buyer.submit(
        f"{dd}/sub-suppliers/{values['sub_supplier_id']}",
        _fields("xss-sub-name", "xss-sub-supplies", "xss-sub-risk-notes", country="xss-country"),
    )
    buyer.submit(
        f"{dd}/contract-reviews/{values['review_id']}",
        _fields("xss-review-notes", "xss-review-actions"),
    )
    buyer.submit(f"{A}/personal-payees", _fields("xss-payee-name"))
    form = definition(app)
    first = form.questions[0].key
    best = best_answers(form)
    for part in form.sections:  # the buyer answers one section per page
        given = {f"q-{q.key}": best[f"q-{q.key}"] for q in part.questions}
        if part is form.sections[0]:
            given[f"evidence-{first}"] = payload("xss-buyer-evidence")
        buyer.submit(
            f"{A}/assessments/{values['assessment_id']}/answers?section={part.key}",
            given,
            button="save",
        )
    with app.app_context():
        invitation = db.session.get(Invitation, int(values["invitation_id"]))
        made["sent"], made["invited"] = invitation.assessment_id, invitation.supplier_id
        made["imported"] = db.session.scalar(
            select(Supplier.id).where(Supplier.name == payload("xss-import-name"))
        )
    buyer.submit(  # a supplier not yet invited
        f"{A}/suppliers/{values['small_supplier_id']}/invite",
        {**_fields("xss-invite-contact-name"), "days": "30"},
    )

    # The supplier answers through the link, lists its own suppliers, and sends.
    supplier = people["supplier"] = Browser(client_for(app, "supplier", world), "supplier")
    link = f"/respond/{values['token']}"
    answers = {
        **best_answers(form),
        f"evidence-{first}": payload("xss-supplier-evidence"),
        "subs-0-name": payload("xss-supplier-sub-name"),
        "subs-0-tier": "2",
        "subs-0-country": payload("xss-cty"),
        "subs-0-supplies": payload("xss-supplier-sub-supplies"),
    }
    supplier.submit(link, answers, button="save")  # back to the answers, as saved
    supplier.submit(link, {}, button="finish")
    supplier.submit(
        f"{link}/check",
        {**_fields("xss-check-respondent-name", "xss-check-respondent-role"), "acknowledged": "y"},
    )
    option = next(
        o.key for o in form.questions[0].options if o.key != best_answers(form)[f"q-{first}"]
    )
    buyer.submit(
        f"{A}/assessments/{made['sent']}/answers/{first}/change",
        {"option": option, **_fields("xss-adjust-reason")},
    )

    # The action plan, a progress update and training.
    item = f"{A}/action-plan/items/{values['item_id']}"
    owner.submit(
        f"{item}/edit",
        _fields(
            "xss-item-title",
            "xss-item-description",
            "xss-item-owner",
            "xss-item-kpi",
            "xss-item-kpi-target",
        ),
    )
    owner.submit(
        item,
        {
            "status": "in_progress",
            "rag": "red",
            **_fields("xss-update-note", "xss-update-rag-reason"),
        },
        form="#update-form",
    )
    owner.submit(f"{A}/training/{values['record_id']}/edit", _fields("xss-training-course"))

    # The partnership's words: commitments, categories, the joint statement and its sign-off.
    coordinator.submit(
        f"{P}/commitments/{values['commitment_id']}/edit",
        _fields(
            "xss-commitment-title", "xss-commitment-description", "xss-commitment-default-action"
        ),
    )
    with app.app_context():
        cleaning = db.session.get(Supplier, int(values["supplier_id"])).category_id
    coordinator.submit(
        f"{P}/categories/{cleaning}", _fields("xss-category-name", "xss-category-reason")
    )
    coordinator.submit(f"{P}/categories/{values['category_id']}", _fields("xss-category-keywords"))
    statement = values["joint_statement_id"]
    joint, body = f"{P}/statements/{statement}", f"{A}/statements/{statement}"
    coordinator.submit(
        f"{joint}/sections/{values['joint_section_id']}", _fields("xss-section-text")
    )
    own_part = section(app, int(statement), "body", "alpha-police").id
    owner.submit(f"{body}/sections/{own_part}", _fields("xss-body-text"))
    coordinator.submit(
        f"{joint}/risks/{values['joint_risk_id']}",
        _fields(
            "xss-risk-description",
            "xss-risk-area",
            "xss-risk-groups-affected",
            "xss-risk-location",
            "xss-risk-mitigation",
        ),
    )
    owner.submit(
        f"{body}/signatories",
        _fields(
            "xss-sign-signatory-name",
            "xss-sign-signatory-title",
            "xss-sign-second-signatory-name",
            "xss-sign-second-signatory-title",
        ),
    )
    keep_all_findings(app, int(statement))
    coordinator.submit(joint, {}, form="form[action$='/send-for-approval']")
    owner.submit(
        f"{body}/approval",
        {
            "approved_on": [values[f"yesterday_{part}"] for part in ("day", "month", "year")],
            **_fields("xss-approval-decision-reference"),
        },
    )

    # Names the administrators type: the organisation, the partnership, people, a template.
    admin.submit(
        "/admin/organisations/alpha-police/edit",
        _fields(
            "xss-org-name",
            "xss-org-region",
            "xss-org-senior-lead-name",
            "xss-org-senior-lead-title",
            "xss-org-address",
        ),
    )
    admin.submit(
        "/admin/partnerships/north-east/edit",
        _fields("xss-partnership-name", "xss-partnership-description"),
    )
    admin.submit(f"/admin/users/{user_id(app, PROCUREMENT)}", _fields("xss-user-name"))
    admin.submit(
        "/admin/users/new",
        {
            "email": "new.person@example.org",
            "password": "a long new pass phrase",
            "role": "viewer",
            "scope": "organisation:alpha-police",
            **_fields("xss-new-name"),
        },
    )
    admin.submit(
        "/admin/statement-templates/new",
        _fields("xss-template-name"),
        files={"file": (docx_bytes("{{ title }}"), "t.docx")},
    )
    coordinator.submit(
        f"{joint}/documents", {"file_format": "docx"}, form="form[action$='/documents']"
    )
    return people, made
