"""Who reaches a statement's documents and registry summary: the partnership's readers and
coordinators for a joint statement; a body's readers for its own statement and for a joint one
that covers it (its own registry row only); generating is for coordinators (joint) and the
body's statement role (its own). The views pass the documents panel to the pages."""

from __future__ import annotations

import csv
import io

import docx
import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import page
from tests.integration.register_support import as_user
from tests.integration.statement_doc_support import (
    COORDINATOR,
    JOINT,
    generate,
    headings,
    make_statement,
    paragraphs,
)
from tisc.extensions import db
from tisc.models import Statement, StatementDocument, StatementState
from tisc.services.accounts import organisations
from tisc.services.statements.documents import generate_statement_document

STATEMENT_A = "statement.alpha-police@example.org"
A = "/organisations/alpha-police"


def keep_document(app: Flask, statement_id: int) -> int:
    with app.app_context():
        found = db.session.get(Statement, statement_id)
        document = generate_statement_document(statement=found, user=None)
        db.session.commit()
        return document.id


def kept(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StatementDocument))


def registry_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_who_may_generate_and_read(app: Flask, statement: int) -> None:
    url = f"{JOINT}/{statement}/documents"
    for email, status in (("board@example.org", 403), ("viewer.alpha-police@example.org", 404)):
        assert generate(app, statement, email).status_code == status
    assert as_user(app, "board@example.org").get(url).status_code == 200
    assert page(as_user(app, "board@example.org").get(url)).select_one("#generate") is None
    for email in ("statement.gamma-police@example.org", "viewer.gamma-police@example.org"):
        assert as_user(app, email).get(url).status_code == 404
        assert as_user(app, email).get(f"{JOINT}/{statement}/registry.csv").status_code == 404
    with app.app_context():  # another partnership's statement, asked for through north-east
        other = Statement(
            partnership_id=organisations.get_partnership(slug="elsewhere").id,
            financial_year=2024,
            title="Elsewhere",
            state=StatementState.DRAFT,
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert as_user(app, COORDINATOR).get(f"{JOINT}/{other_id}/documents").status_code == 404
    assert generate(app, other_id).status_code == 404


def test_a_bodys_own_statement(app: Flask, statement: int) -> None:
    own = make_statement(app, org="alpha-police")
    url = f"{A}/statements/{own}/documents"
    assert as_user(app, "viewer.alpha-police@example.org").post(url).status_code == 403
    assert as_user(app, "statement.beta-opcc@example.org").get(url).status_code == 404
    assert as_user(app, STATEMENT_A).post(url).status_code == 302
    viewer = as_user(app, "viewer.alpha-police@example.org")
    link = page(viewer.get(url)).select_one("#documents tbody a")["href"]
    document = docx.Document(io.BytesIO(viewer.get(link).data))
    # In the body's own words: its own part and annex, nothing of the joint statement.
    assert "Our own part" in headings(document, 1)
    assert "Annex: our figures" in headings(document, 1)
    assert "The bodies and their part" not in headings(document, 1)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "Alpha Police" in cells and "All bodies" not in cells
    assert not [t for t in paragraphs(document) if "bodies" in t.split()]
    assert as_user(app, COORDINATOR).get(f"{JOINT}/{own}/documents").status_code == 404


# --- every route, every role ----------------------------------------------------------------

ROLES = (
    "admin@example.org",
    COORDINATOR,
    "board@example.org",
    "procurement.alpha-police@example.org",
    STATEMENT_A,
    "viewer.alpha-police@example.org",
    "statement.beta-opcc@example.org",
    "statement.gamma-police@example.org",
)


def expected(email: str, side: str, which: str, method: str) -> int:
    """What a role gets: side "joint" (the partnership's pages) or a body's slug; which
    statement: "joint" or "alpha" (alpha-police's own)."""
    role, _, home = email.partition("@")[0].partition(".")
    if side == "joint":
        if role not in ("coordinator", "board"):
            return 404
        if method == "POST" and role == "board":
            return 403
        if which != "joint":
            return 404  # a body's own statement is on the body's pages
        return 302 if method == "POST" else 200
    if not (role in ("coordinator", "board") or home == side):
        return 404  # may not read the body at all
    if method == "POST" and role != "statement":
        return 403  # may not generate for the body, whichever statement is asked for
    if not (which == "joint" or side == "alpha-police"):
        return 404  # the statement does not cover the body
    if method == "GET":
        return 200
    return 302 if which == "alpha" else 403  # the joint one is the coordinators' to generate


@pytest.mark.parametrize("email", ROLES)
def test_every_document_route_for_every_role(app: Flask, statement: int, email: str) -> None:
    ids = {"joint": statement, "alpha": make_statement(app, org="alpha-police")}
    documents = {which: keep_document(app, statement_id) for which, statement_id in ids.items()}
    client = as_user(app, email)
    seen = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("statement_documents."):
            continue
        sides = ["joint"] if "<partnership_slug>" in rule.rule else ["alpha-police", "beta-opcc"]
        for side in sides:
            for which, statement_id in ids.items():
                url = (
                    rule.rule.replace("<partnership_slug>", "north-east")
                    .replace("<org_slug>", side)
                    .replace("<int:statement_id>", str(statement_id))
                    .replace("<int:document_id>", str(documents[which]))
                )
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    before = kept(app)
                    response = client.open(url, method=method, data={"file_format": "docx"})
                    want = expected(email, side, which, method)
                    assert response.status_code == want, (email, method, url)
                    assert kept(app) == before + (1 if want == 302 else 0), (method, url)
                    seen.append(rule.endpoint)
    assert len(set(seen)) == 8


# --- a body's page --------------------------------------------------------------------------


def test_a_body_reads_the_joint_statement_and_gets_its_own_registry_row(
    app: Flask, statement: int
) -> None:
    keep_document(app, statement)
    own = make_statement(app, org="alpha-police")
    client = as_user(app, STATEMENT_A)
    soup = page(client.get(f"{A}/statement?year=2024-25"))
    joint = soup.select_one(f"#statement-documents-{statement}")
    assert joint.select_one("form") is None  # the coordinators generate the joint one
    link = joint.select_one(f"#documents-{statement} tbody a")["href"]
    assert link.startswith(f"{A}/statements/{statement}/documents/")
    coordinator = as_user(app, COORDINATOR)
    listed = page(coordinator.get(f"{JOINT}/{statement}/documents"))
    same = coordinator.get(listed.select_one("#documents tbody a")["href"]).data
    assert client.get(link).data == same  # byte for byte the coordinators' copy
    registry = joint.select_one(f"#registry-csv-{statement}")["href"]
    assert registry == f"{A}/statements/{statement}/registry.csv"
    rows = registry_rows(client.get(registry).data)
    assert [r["OrganisationName"] for r in rows] == ["Alpha Police"]
    assert rows[0]["ParentName"] == "North East"
    everyone = registry_rows(coordinator.get(f"{JOINT}/{statement}/registry.csv").data)
    assert [r["OrganisationName"] for r in everyone] == ["Alpha Police", "Beta Opcc"]
    # Its own statement's panel, on the same page, is the one with the button.
    mine = soup.select_one("#statement-documents")
    assert mine.select_one("#generate-form")["action"] == f"{A}/statements/{own}/documents"
    assert len(soup.select("[id]")) == len({tag["id"] for tag in soup.select("[id]")})


def test_the_views_pass_the_panel_and_the_page_comes_back_to_it(app: Flask, statement: int) -> None:
    # No service is called from a template: the panel is the views' to pass.
    assert "documents_panel" not in app.jinja_env.globals
    client = as_user(app, COORDINATOR)
    home = f"{JOINT}/{statement}"
    soup = page(client.get(home))
    form = soup.select_one("#statement-documents #generate-form")
    assert form is not None and form.select_one("input[name=back]")["value"] == "statement"
    response = client.post(form["action"], data={"back": "statement"})
    assert response.headers["Location"] == f"{home}#statement-documents"
    assert len(page(client.get(home)).select("#documents tbody tr")) == 1
