"""Statement templates: upload (checked, nothing stored on refusal), download, deactivate, try
it, admins only; and filling a template in a separate process with time and memory limits."""

from __future__ import annotations

import hashlib
import io
import signal
import subprocess
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import page, sign_in
from tests.fixtures.templates.builders import (
    MAIN,
    docx_bytes,
    paragraph,
    rezip,
    with_body,
    with_content_type,
    with_relationship,
)
from tests.integration.board_support import build_board
from tests.integration.statement_doc_support import make_statement
from tisc.extensions import db
from tisc.models import Statement, StatementTemplate
from tisc.services.statements import templates as service
from tisc.services.statements.documents import generate_statement_document
from tisc.services.statements.samples import sample_context
from tisc.services.statements.templates import TemplateRenderError, render_in_subprocess

BASE = "/admin/statement-templates"
GOOD = docx_bytes(
    "{{ title }} for {{ year }}", "{% for body in bodies %}{{ body.name }}{% endfor %}"
)


def text_of(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def upload(client: FlaskClient, data: bytes, *, name: str = "Joint", file_name: str = "t.docx"):
    return client.post(
        f"{BASE}/new",
        data={"name": name, "file": (io.BytesIO(data), file_name)},
        content_type="multipart/form-data",
    )


def template_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StatementTemplate)) or 0


def stored(app: Flask) -> StatementTemplate:
    with app.app_context():
        template = db.session.scalars(select(StatementTemplate)).one()
        db.session.expunge(template)
        return template


@pytest.fixture
def admin(client: FlaskClient, two_bodies: dict) -> FlaskClient:
    sign_in(client, "admin@example.org")
    return client


def store_unchecked(app: Flask, data: bytes, name: str = "Broken") -> int:
    """A template put straight into the table, as if the checks had been different."""
    with app.app_context():
        template = StatementTemplate(
            name=name, file_name="b.docx", content=data, sha256="0" * 64, active=True
        )
        db.session.add(template)
        db.session.commit()
        return template.id


# --- uploading --------------------------------------------------------------------------------


def test_an_admin_uploads_a_template_and_it_is_stored_as_uploaded(
    app: Flask, admin: FlaskClient
) -> None:
    response = upload(admin, GOOD, name="  Joint   statement ", file_name="../My template.docx")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/")
    template = stored(app)
    assert template.name == "Joint statement"
    assert template.file_name == "My_template.docx"
    assert template.content == GOOD
    assert template.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert template.active is True
    listing = page(admin.get(f"{BASE}/"))
    row = listing.select_one(f"#template-{template.id}")
    assert "Joint statement" in row.text
    assert template.sha256[:12] in row.text
    assert "Test Person" in row.text  # who uploaded it


def test_the_upload_page_lists_the_placeholders(admin: FlaskClient) -> None:
    items = [li.text for li in page(admin.get(f"{BASE}/new")).select("#placeholders li")]
    assert "{{ title }}" in items
    assert "{{ bodies }}" in items


LINKED = with_relationship(
    docx_bytes("x"), "word/_rels/document.xml.rels", "image", "http://evil.example/p.png"
)
DOCM = with_content_type(
    rezip(docx_bytes("x"), replace={"word/vbaProject.bin": bytes(64)}),
    "word/document.xml",
    MAIN.replace("wordprocessingml.document.main", "ms-word.document.macroEnabled.main"),
)
LAUGHS = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
REFUSED = {
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(100), "This is not a Word .docx file"),
    "docm": (DOCM, "Templates with macros are not accepted"),
    "external link": (LINKED, "The template links to something outside the file"),
    "entity bomb": (with_body(paragraph("&b;"), prolog=LAUGHS), "XML declarations"),
    "unknown placeholder": (docx_bytes("{{ colour }}"), "Unknown placeholder: {{ colour }}"),
    "dunder": (docx_bytes("{{ title.__class__ }}"), "Placeholders cannot start with _"),
    "zip bomb": (
        rezip(docx_bytes("x"), replace={f"word/z{n}.bin": bytes(2**19) for n in range(40)}),
        "expands to far more data",
    ),
    "syntax": (docx_bytes("{{ bad tag }}"), "near '{{ bad tag }}'"),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_each_refusal_shows_an_error_summary_and_stores_nothing(
    app: Flask, admin: FlaskClient, kind: str
) -> None:
    data, message = REFUSED[kind]
    response = upload(admin, data)
    assert response.status_code == 200
    html = page(response)
    assert html.title.text.startswith("Error: ")
    summary = html.select_one(".govuk-error-summary")
    assert message in summary.text
    assert summary.select_one("a")["href"] == "#file"
    assert template_count(app) == 0


def test_a_name_and_a_file_are_required(app: Flask, admin: FlaskClient) -> None:
    html = page(admin.post(f"{BASE}/new", data={"name": ""}, content_type="multipart/form-data"))
    summary = html.select_one(".govuk-error-summary").text
    assert "Enter a name for the template" in summary
    assert "Select a Word .docx file" in summary
    assert template_count(app) == 0


# --- download, deactivate, try it -------------------------------------------------------------


def test_download_gives_the_file_byte_for_byte(app: Flask, admin: FlaskClient) -> None:
    upload(admin, GOOD, file_name="joint.docx")
    template = stored(app)
    response = admin.get(f"{BASE}/{template.id}/download")
    assert response.status_code == 200
    assert response.data == GOOD
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "filename=joint.docx" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_missing_template_is_404(admin: FlaskClient) -> None:
    assert admin.get(f"{BASE}/999/download").status_code == 404
    assert admin.get(f"{BASE}/999/deactivate").status_code == 404
    assert admin.post(f"{BASE}/999/deactivate").status_code == 404
    assert admin.post(f"{BASE}/999/try").status_code == 404


def test_deactivating_stops_offering_it(app: Flask, admin: FlaskClient) -> None:
    upload(admin, GOOD)
    template = stored(app)
    response = admin.post(f"{BASE}/{template.id}/deactivate", data={"confirmed": "yes"})
    assert response.status_code == 302
    assert stored(app).active is False
    with app.app_context():
        assert service.list_templates(active_only=True) == []
        assert len(service.list_templates()) == 1


def test_try_it_fills_the_template_with_sample_figures(app: Flask, admin: FlaskClient) -> None:
    upload(admin, GOOD, file_name="joint.docx")
    response = admin.post(f"{BASE}/{stored(app).id}/try")
    assert response.status_code == 200
    assert "filename=joint-sample.docx" in response.headers["Content-Disposition"]
    text = text_of(response.data)
    assert "Joint Modern Slavery Statement 2024/25 for 2024/25" in text
    assert "Example Police" in text


def test_try_it_names_the_tag_at_fault(app: Flask, admin: FlaskClient) -> None:
    template_id = store_unchecked(
        app, docx_bytes("{% for b in bodies %}{{ b.colour }}{% endfor %}")
    )
    response = admin.post(f"{BASE}/{template_id}/try")
    assert response.status_code == 400
    html = page(response)
    assert html.title.text.startswith("Error: ")
    assert "The template uses {{ b.colour }}, which the statement does not have" in (
        html.select_one(".govuk-error-summary").text
    )


def test_the_admin_page_links_to_the_templates(admin: FlaskClient) -> None:
    links = [a["href"] for a in page(admin.get("/admin/")).select("a")]
    assert f"{BASE}/" in links


# --- access -----------------------------------------------------------------------------------


ROUTES = [
    ("GET", f"{BASE}/"),
    ("GET", f"{BASE}/new"),
    ("POST", f"{BASE}/new"),
    ("GET", f"{BASE}/{{id}}/download"),
    ("GET", f"{BASE}/{{id}}/deactivate"),
    ("POST", f"{BASE}/{{id}}/deactivate"),
    ("POST", f"{BASE}/{{id}}/try"),
]


@pytest.mark.parametrize(
    "email",
    [
        "coordinator@example.org",
        "board@example.org",
        "procurement.alpha-police@example.org",
        "statement.alpha-police@example.org",
        "viewer.alpha-police@example.org",
    ],
)
def test_everyone_but_admins_is_refused_on_every_route(
    app: Flask, client: FlaskClient, two_bodies: dict, email: str
) -> None:
    template_id = store_unchecked(app, GOOD)
    sign_in(client, email)
    for method, url in ROUTES:
        response = client.open(url.format(id=template_id), method=method)
        assert response.status_code == 403, (method, url)
    assert stored(app).active is True


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get(f"{BASE}/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- filling in, in a separate process --------------------------------------------------------


def render(*paragraphs: str, **limits: Any) -> bytes:
    return render_in_subprocess(
        template_bytes=docx_bytes(*paragraphs), context=sample_context(), **limits
    )


def refusal(*paragraphs: str, **limits: Any) -> str:
    with pytest.raises(TemplateRenderError) as caught:
        render(*paragraphs, **limits)
    return caught.value.message


def test_a_good_template_renders_with_escaping_intact() -> None:
    text = text_of(render("{{ title }} – {{ sections[0].paragraphs[0] }}", "<b>{{ year }}</b>"))
    assert "Joint Modern Slavery Statement 2024/25 – Our aims & steps." in text
    assert "<b>2024/25</b>" in text


def test_reaching_into_python_is_refused_with_the_tag() -> None:
    assert refusal("{{ ''.__class__.__mro__ }}") == (
        "The template tries to reach inside the service: '{{ ''.__class__.__mro__ }}' "
        "is not allowed"
    )


def test_an_undefined_name_is_named() -> None:
    assert refusal("Hello {{ colour }}") == (
        "The template uses {{ colour }}, which the statement does not have"
    )


def test_a_syntax_mistake_is_named() -> None:
    assert refusal("Intro", "{{ bad tag }}").startswith(
        "There is a mistake in the template near '{{ bad tag }}' (the main text, paragraph 2)"
    )


def test_an_endless_loop_is_stopped_by_the_timeout() -> None:
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    assert refusal(loop, timeout_seconds=3) == (
        "The template took too long to fill: it may loop forever"
    )


def test_a_huge_range_is_refused_by_the_sandbox() -> None:
    message = refusal("{% for i in range(10**12) %}{{ i }}{% endfor %}", timeout_seconds=10)
    assert message.startswith("The template repeats something too many times near '{% for i")


@pytest.mark.parametrize(
    "hog",
    [
        "{{ 'x' * 10**10 }}",
        "{{ ([0] * 10**9)|length }}",
        "{% set n = namespace(s='x') %}{% for i in range(40) %}{% set n.s = n.s ~ n.s %}"
        "{% endfor %}{{ n.s|length }}",
    ],
)
def test_a_memory_hog_is_refused(hog: str) -> None:
    assert refusal(hog, memory_mb=400) == "The template needed too much memory"


def test_the_context_must_be_plain_data() -> None:
    with pytest.raises(TypeError, match="plain data"):
        render_in_subprocess(template_bytes=GOOD, context={"title": object()})


def test_secrets_in_the_environment_do_not_reach_the_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", "do-not-leak")
    environment = service._child_environment()
    assert "SECRET_KEY" not in environment
    assert environment["PYTHONPATH"]


@pytest.mark.parametrize(
    ("returncode", "stderr", "message"),
    [
        (-signal.SIGXCPU, b"", "The template took too long to fill: it may loop forever"),
        (-signal.SIGKILL, b"", "The template needed too much memory"),
        (1, b"Traceback...\nMemoryError", "The template needed too much memory"),
        (1, b"Traceback...\nSomethingElse", service.FAILED),
    ],
)
def test_a_child_that_dies_gives_a_plain_message(
    monkeypatch: pytest.MonkeyPatch, returncode: int, stderr: bytes, message: str
) -> None:
    def died(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess:
        return subprocess.CompletedProcess(args, returncode, stdout=b"", stderr=stderr)

    monkeypatch.setattr(subprocess, "run", died)
    with pytest.raises(TemplateRenderError) as caught:
        render_in_subprocess(template_bytes=GOOD, context={})
    assert caught.value.message == message


def test_the_sample_has_every_known_placeholder() -> None:
    assert not service.KNOWN_PLACEHOLDERS - set(sample_context())


def test_the_child_sets_the_title_and_the_service_never_opens_the_result(
    app: Flask, two_bodies: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A template can make a file that expands to far more than it weighs: only the limited
    # child process may open what it made.
    build_board(app)
    statement_id = make_statement(app)
    template_id = store_unchecked(app, docx_bytes("{{ title }} for {{ year }}"))

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the service opened a filled-in document")

    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        template = db.session.get(StatementTemplate, template_id)
        monkeypatch.setattr(docx, "Document", refuse)
        kept = generate_statement_document(statement=statement, user=None, template=template)
        monkeypatch.undo()
        document = docx.Document(io.BytesIO(kept.content))
    assert document.core_properties.title == "North East modern slavery statement 2024/25"
    assert text_of(kept.content).startswith("North East modern slavery statement 2024/25 for")
