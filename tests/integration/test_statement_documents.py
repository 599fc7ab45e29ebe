"""The statement as a Word document (and a tagged PDF): accessible, holding the same figures as
the pages, safe with any text, kept exactly as generated, from the web and the command line."""

from __future__ import annotations

import hashlib
import io
import runpy
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from flask import Flask

from tests.conftest import attachment, page
from tests.integration.board_support import add_member, build_board
from tests.integration.due_diligence_support import EXPECTED
from tests.integration.register_support import as_user
from tests.integration.statement_doc_support import (
    ALPHA_PART,
    COORDINATOR,
    JOINT,
    SECTIONS,
    TEMPLATE_TAG,
    generate,
    headings,
    make_statement,
    newest,
    paragraphs,
    rename_category,
    set_section_text,
    set_state,
    table_headed,
)
from tests.pdf_support import (
    catalog_language,
    keywords,
    needs_libreoffice,
    pdfinfo,
    xmp_title,
)
from tisc.extensions import db
from tisc.models import Statement, StatementState
from tisc.rules.money import format_whole_pounds
from tisc.services.accounts import organisations
from tisc.services.board.report import TemplateProblem
from tisc.services.due_diligence.overview import due_diligence_figures
from tisc.services.plans.kpis import body_kpis
from tisc.services.register import rows as register
from tisc.services.statements import documents
from tisc.services.statements.figures import statement_figures
from tisc.services.statements.figures_data import kpi_share

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_document_is_accessible(app: Flask, statement: int) -> None:
    body = newest(app, statement)
    document = docx.Document(io.BytesIO(body))
    assert document.core_properties.title == "North East modern slavery statement 2024/25"
    assert headings(document, 1)[0] == "North East modern slavery statement 2024/25"
    assert headings(document, 1)[1] == "The year at a glance"
    assert document.styles["Normal"].font.name == "Arial"
    assert document.styles["Normal"].font.size.pt >= 12
    for name in ("Heading 1", "Heading 2", "Heading 3", "Header", "Footer"):
        assert document.styles[name].font.name == "Arial"
        assert document.styles[name].font.size.pt >= 12
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert len(document.tables) >= 8
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(f"{W}tblHeader") is not None
        assert table._tbl.tblPr.find(f"{W}tblCaption") is not None
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "TOC \\o" not in document.element.xml  # no contents field left for Word to fill
    # One picture, the chart, with alt text that says what it shows.
    (chart,) = document.inline_shapes
    described = chart._inline.docPr.get("descr")
    assert described.startswith("Bar chart of the headline shares for 2024/25")
    glance = {row[0]: row[1] for row in table_headed(document, "Figure")}
    said = described.rstrip(".") + ";"
    for label in ("Tier A and B suppliers assessed", "Staff in scope who were trained"):
        assert f"{label}: 2024/25 {glance[label]};" in said  # as the table says
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert [n for n in names if n.startswith(("word/media", "docProps/thumbnail"))] == [
        "word/media/image1.png"
    ]


def test_the_record_comes_out_in_order_with_its_signatories(app: Flask, statement: int) -> None:
    document = docx.Document(io.BytesIO(newest(app, statement)))
    assert headings(document, 1)[1:] == [
        "The year at a glance",
        *(title for _, title, _ in SECTIONS),
        "Procurement, contracts and exclusions",
        "Our goals for 2025/26",
        "Training by audience",
        "About these figures",
        "Risks",
        "The bodies and their part",
        "Approval and sign-off",
        "Annex: figures by body",
    ]
    texts = paragraphs(document)
    assert ALPHA_PART.split("\n\n") == texts[texts.index("Alpha Police") + 1 :][:2]
    assert (
        "Approved by Alpha Police on 30 June 2025; decision reference PCC 2025/17; signed by "
        "Pat Lee, Police & Crime Commissioner and Sam Roe, Chief Constable." in texts
    )
    assert "To be approved by Beta Opcc (Jo Bloggs)." in texts
    # One body of two has approved: nothing says the statement is approved.
    waiting = (
        "This statement is to be approved by each of the 2 bodies it covers: 1 of the 2 have "
        "approved it so far."
    )
    assert texts.count(waiting) == 2  # under the title, and under Approval and sign-off
    assert not [t for t in texts if "has approved it" in t or "approved this statement" in t]
    assert [h for h in headings(document, 2) if h.startswith("Risk ")] == [
        "Risk 1: Cleaning",
        "Risk 2: Uniforms",
    ]
    assert table_headed(document, "Body", "Signed by") == [
        ["Body", "Signed by", "Approved on", "Decision reference"],
        [
            "Alpha Police",
            "Pat Lee, Police & Crime Commissioner and Sam Roe, Chief Constable",
            "30 June 2025",
            "PCC 2025/17",
        ],
        ["Beta Opcc", "Jo Bloggs", "Not yet", "Not yet approved"],
    ]


def test_once_every_body_approves_the_statement_says_so(app: Flask, statement: int) -> None:
    with app.app_context():
        for body in db.session.get(Statement, statement).bodies:
            body.approved_on = body.approved_on or date(2025, 7, 2)
        db.session.commit()
    texts = paragraphs(docx.Document(io.BytesIO(newest(app, statement))))
    assert (
        texts.count(
            "Each body covered by this statement has approved it: the dates and decision "
            "references are under Approval and sign-off."
        )
        == 2
    )
    assert "Approved by Beta Opcc on 2 July 2025; signed by Jo Bloggs." in texts


def test_the_figures_are_the_pages_figures(app: Flask, statement: int) -> None:
    document = docx.Document(io.BytesIO(newest(app, statement)))
    with app.app_context():
        alpha = organisations.get_organisation(slug="alpha-police")
        summary = register.year_summary(org=alpha, financial_year=2024)
        dd = due_diligence_figures(org=alpha, financial_year=2024)
        kpis = body_kpis(org=alpha, financial_year=2024)
        figures = statement_figures(statement=db.session.get(Statement, statement))
    assert {k: getattr(dd, k) for k in EXPECTED} == EXPECTED
    spend = table_headed(document, "Body", "Non-pay spend")
    assert spend[1] == ["Alpha Police", "£416,110", "9", "6", str(summary.high_risk_suppliers)]
    assert spend[3][:2] == ["All bodies", "£506,110"]  # to the pound in tables
    assert summary.total_spend == figures.bodies[0].this_year.spend == Decimal("416110.02")
    categories_ = figures.bodies[0].categories
    assert sum(c.spend for c in categories_) == summary.total_spend
    assert sum(c.suppliers for c in categories_) == summary.suppliers
    assert sum(c.over_threshold for c in categories_) == summary.suppliers_over_threshold
    assert figures.total.this_year.spend == sum(b.this_year.spend for b in figures.bodies)
    shares = table_headed(document, "Body", "Assessed")
    assert shares[1] == ["Alpha Police", *(kpi_share(v) for v in kpis.values())]
    assert table_headed(document, "Body", "Actions")[1:] == [
        ["Alpha Police", "6", "1", "2", "3", "2", "2"],
        ["Beta Opcc", "2", "1", "0", "1", "0", "0"],
        ["All bodies", "8", "2", "2", "4", "2", "2"],
    ]
    glance = table_headed(document, "Figure")
    assert glance[0] == ["Figure", "2024/25"]  # nothing recorded for 2023/24: no last year
    assert ["Non-pay spend", "£506,110"] in glance
    total = figures.total.this_year
    assert ["Suppliers over the threshold", f"{total.over_threshold:,}"] in glance
    assert ["Staff in scope who were trained", kpi_share(total.kpis["trained"])] in glance
    categories = {row[0]: row[2] for row in table_headed(document, "Category", "Risk level")[1:]}
    assert categories == {c.name: format_whole_pounds(c.spend) for c in figures.total.categories}
    assert categories["Cleaning services and materials"] == "£325,000"  # both bodies
    assert "Last year beside this year" not in headings(document, 2)


def test_last_year_stands_beside_this_year_when_there_was_a_statement(
    app: Flask, statement: int
) -> None:
    make_statement(app, year=2023)
    document = docx.Document(io.BytesIO(newest(app, statement)))
    assert "Last year beside this year" in headings(document, 2)
    assert table_headed(document, "Body", "Spend 2024/25")[0][1:3] == [
        "Spend 2024/25",
        "Spend 2023/24",
    ]
    glance = table_headed(document, "Figure")
    assert glance[0] == ["Figure", "2024/25", "2023/24", "Change"]
    # No spend was imported for 2023/24: "No data", never £0.
    assert ["Non-pay spend", "£506,110", "No data", "No data"] in glance
    trained = next(row for row in glance if row[0] == "Staff in scope who were trained")
    now, then = (Decimal(v.removesuffix("%")) for v in trained[1:3])
    assert then == Decimal("50.0")  # Alpha Police trained 50 of 100 last year
    assert trained[3] == f"{now - then:+} points"  # the difference of the values printed


def test_draft_header_until_approved(app: Flask, statement: int) -> None:
    draft = docx.Document(io.BytesIO(newest(app, statement)))
    assert draft.sections[0].header.paragraphs[0].text == "DRAFT – not approved"
    set_state(app, statement, StatementState.APPROVED)
    final = docx.Document(io.BytesIO(newest(app, statement)))
    assert final.sections[0].header.paragraphs[0].text == ""
    assert "DRAFT" not in " ".join(paragraphs(final))
    soup = page(as_user(app, COORDINATOR).get(f"{JOINT}/{statement}/documents"))
    tags = [row.select("td")[3].text.strip() for row in soup.select("#documents tbody tr")]
    assert tags == ["Final", "Draft"]


def test_names_and_text_come_out_intact_never_run(app: Flask, two_bodies: dict) -> None:
    build_board(app)
    add_member(app, "a-and-b", "A & B <Police>")
    rename_category(app, "Cleaning", "Cleaning & <janitorial>")
    statement = make_statement(app)
    # Control characters XML cannot hold, and docxtpl's paragraph and page markers, go.
    set_section_text(app, statement, "policies", "Bell\x07 and\x01 form\x0cfeed.\r\nNext line")
    body = newest(app, statement)
    document = docx.Document(io.BytesIO(body))
    texts = paragraphs(document)
    assert "Bell and formfeed.\nNext line" in texts
    assert "A & B <Police>" in headings(document, 2)
    assert "Police & crime <bodies>." in texts
    assert f"We check suppliers. Not a tag: {TEMPLATE_TAG}" in texts
    assert not any("49" in t for t in texts)
    categories = table_headed(document, "Category", "Risk level")
    assert [row[0] for row in categories].count("Cleaning & <janitorial>") == 1
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode()
    assert "A &amp; B &lt;Police&gt;" in xml and "<Police>" not in xml


def test_a_template_reaching_for_internals_fails_clearly(
    app: Flask, statement: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = docx.Document()
    bad.add_paragraph("{{ title.__class__.__mro__ }}")
    bad.save(tmp_path / "bad.docx")
    monkeypatch.setattr(documents, "DEFAULT_TEMPLATE", tmp_path / "bad.docx")
    with app.app_context(), pytest.raises(TemplateProblem, match=r"statement template.*unsafe"):
        documents.generate_statement_document(
            statement=db.session.get(Statement, statement), user=None
        )
    client = as_user(app, COORDINATOR)
    soup = page(client.post(f"{JOINT}/{statement}/documents", follow_redirects=True))
    assert "could not be filled in" in soup.text and "unsafe" in soup.text
    assert soup.select_one("#no-documents") is not None


def test_a_kept_document_downloads_byte_for_byte(app: Flask, statement: int) -> None:
    first = newest(app, statement)
    client = as_user(app, COORDINATOR)
    soup = page(client.get(f"{JOINT}/{statement}/documents"))
    row = soup.select_one("#documents tbody tr")
    again = client.get(row.select_one("a")["href"])
    assert again.data == first
    name = f"north-east-modern-slavery-statement-2024-25-draft-{row['data-document']}.docx"
    assert attachment(again.headers) == ("attachment", {"filename": name})
    assert again.mimetype == documents.MIMETYPES["docx"]
    with app.app_context():
        kept = db.session.get(documents.StatementDocument, int(row["data-document"]))
        assert kept.sha256 == hashlib.sha256(first).hexdigest() and kept.size == len(first)
        assert again.headers["ETag"] == f'"{kept.sha256}"'
        assert kept.template_name == documents.DEFAULT_TEMPLATE_NAME and kept.draft
        assert row.select("td")[1].text.strip() == "Test Person"
        assert row.select_one("code").text == kept.sha256[:12]
        expected = statement_figures(statement=db.session.get(Statement, statement))
        assert kept.figures == expected.as_json()


def test_pdf_is_hidden_with_the_reason_without_libreoffice(
    app: Flask, statement: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    soup = page(as_user(app, COORDINATOR).get(f"{JOINT}/{statement}/documents"))
    assert "LibreOffice (soffice) is not installed" in soup.select_one("#pdf-unavailable").text
    assert soup.select_one("#file-format-pdf") is None
    client = as_user(app, COORDINATOR)
    url = f"{JOINT}/{statement}/documents"
    response = client.post(url, data={"file_format": "pdf"}, follow_redirects=True)
    assert "not installed" in page(response).select_one(".govuk-notification-banner").text
    with app.app_context():
        assert documents.list_documents(statement=db.session.get(Statement, statement)) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_tagged_pdf_is_made_and_kept_with_the_word_document(app: Flask, statement: int) -> None:
    client = as_user(app, COORDINATOR)
    assert page(client.get(f"{JOINT}/{statement}/documents")).select_one("#file-format-pdf")
    assert generate(app, statement, file_format="pdf").status_code == 302
    links = page(client.get(f"{JOINT}/{statement}/documents")).select("#documents tbody a")
    assert [a.text.split(" generated")[0] for a in links] == [
        "Download PDF",
        "Download Word document",
    ]
    pdf = client.get(links[0]["href"])
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert b"StructTreeRoot" in pdf.data  # tagged


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["generate-statement", *args])


def test_the_cli_generates_and_keeps_the_document(app: Flask, statement: int, tmp_path) -> None:
    out = tmp_path / "statement.docx"
    result = cli(app, "--year", "2024-25", "--partnership", "north-east", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and "draft" in result.output
    with app.app_context():
        kept = documents.list_documents(statement=db.session.get(Statement, statement))
    assert len(kept) == 1 and kept[0].generated_by == "Command line"
    assert hashlib.sha256(out.read_bytes()).hexdigest() == kept[0].sha256
    assert docx.Document(str(out)).core_properties.title.startswith("North East")


@needs_libreoffice
def test_the_cli_writes_a_tagged_pdf_in_british_english(
    app: Flask, statement: int, tmp_path: Path
) -> None:
    out = tmp_path / "statement.pdf"
    result = cli(app, "--year", "2024-25", "--partnership", "north-east", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and "with the Word document" in result.output
    assert out.read_bytes().startswith(b"%PDF")
    info = pdfinfo(out)
    title = "North East modern slavery statement 2024/25"
    assert info["Tagged"] == "yes" and info["Title"] == title
    assert catalog_language(out) == "en-GB"
    assert xmp_title(out) == title
    assert keywords(out) == ["modern slavery", "transparency statement", "North East", "2024/25"]
    with app.app_context():
        kept = documents.list_documents(statement=db.session.get(Statement, statement))
    assert [k.file_format for k in kept] == ["pdf", "docx"]
    assert hashlib.sha256(out.read_bytes()).hexdigest() == kept[0].sha256


def test_the_cli_refuses_a_pdf_without_libreoffice_in_one_line(
    app: Flask, statement: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "statement.pdf"
    result = cli(app, "--year", "2024-25", "--partnership", "north-east", "--out", str(out))
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "LibreOffice (soffice)" in lines[0] and "not installed" in lines[0]
    assert list(folder.iterdir()) == []
    with app.app_context():
        assert documents.list_documents(statement=db.session.get(Statement, statement)) == []


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--year", "soon"], "Enter a financial year like 2024-25"),
        (["--year", "2023-24"], "There is no 2023/24 statement for North East"),
        (["--out", "{tmp}/statement.txt"], "the file must end in .docx or .pdf"),
        (["--out", "{tmp}/missing/s.docx"], "there is no folder"),
        (["--org", "alpha-police"], "Give --partnership or --org, not both"),
        (
            ["--partnership", "nowhere"],
            "There is no partnership with the web address name 'nowhere'",
        ),
        (["--template", "{tmp}/none.docx"], "--template: there is no file"),
    ],
)
def test_bad_cli_input_exits_1(app: Flask, statement: int, tmp_path, args, reason) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    defaults = {
        "--year": "2024-25",
        "--out": str(tmp_path / "s.docx"),
        "--partnership": "north-east",
    }
    for option, value in defaults.items():
        if option not in args:
            args += [option, value]
    result = cli(app, *args)
    assert result.exit_code == 1, result.output
    assert reason in result.output
    assert not (tmp_path / "s.docx").exists()


def test_the_cli_uses_the_template_checks_and_the_separate_renderer(
    app: Flask, statement: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = tmp_path / "ours.docx"
    template.write_bytes(b"template bytes")
    out = tmp_path / "s.docx"
    args = ["--year", "2024-25", "--partnership", "north-east", "--template", str(template)]
    calls: list = []
    blank = docx.Document()
    blank.add_paragraph("rendered")
    buffer = io.BytesIO()
    blank.save(buffer)

    def render(
        *, template_bytes: bytes, context: dict, title: str, keywords: tuple, pictures: dict
    ) -> bytes:
        assert list(pictures) == [documents.CHART_PICTURE]  # the chart goes to the child too
        name = context["figures"]["bodies"][0]["name"]
        calls.append(("render", template_bytes, name, title, keywords))
        return buffer.getvalue()

    monkeypatch.setattr(
        "tisc.services.statements.templates.check_template",
        lambda data: calls.append(("check", data)),
    )
    monkeypatch.setattr("tisc.services.statements.documents.render_in_subprocess", render)
    result = cli(app, *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    title = "North East modern slavery statement 2024/25"
    assert calls == [
        ("check", b"template bytes"),
        (
            "render",
            b"template bytes",
            "Alpha Police",
            title,
            ("modern slavery", "transparency statement", "North East", "2024/25"),
        ),
    ]
    assert out.read_bytes() == buffer.getvalue()
    with app.app_context():
        kept = documents.list_documents(statement=db.session.get(Statement, statement))
    assert [(k.template_name, k.draft) for k in kept] == [("ours.docx", True)]


def test_the_template_is_what_the_script_builds() -> None:
    build = runpy.run_path(str(ROOT / "scripts" / "build-statement-template.py"))["build"]
    assert build() == documents.DEFAULT_TEMPLATE.read_bytes(), "run the build script"
    assert build() == build()


def test_an_uploaded_template_is_filled_in_a_separate_process(app: Flask, statement: int) -> None:
    from tisc.services.statements.templates import upload_template

    with app.app_context():
        template = upload_template(
            name="Our own & better",
            file_name="ours.docx",
            data=documents.DEFAULT_TEMPLATE.read_bytes(),
            user=None,
        )
        db.session.commit()
        template_id = template.id
    client = as_user(app, COORDINATOR)
    url = f"{JOINT}/{statement}/documents"
    options = page(client.get(url)).select("#template-id option")
    assert [o.text for o in options] == ["The default template", "Our own & better"]
    assert client.post(url, data={"template_id": "999"}).status_code == 404
    assert client.post(url, data={"template_id": str(template_id)}).status_code == 302
    with app.app_context():
        (kept,) = documents.list_documents(statement=db.session.get(Statement, statement))
        content = documents.get_document(
            statement=db.session.get(Statement, statement), document_id=kept.id
        ).content
    assert kept.template_name == "Our own & better"
    document = docx.Document(io.BytesIO(content))
    assert document.core_properties.title == "North East modern slavery statement 2024/25"
    assert "To be approved by Beta Opcc (Jo Bloggs)." in paragraphs(document)
    (chart,) = document.inline_shapes  # the child put this document's chart in
    assert chart._inline.docPr.get("descr").startswith("Bar chart of the headline shares")
