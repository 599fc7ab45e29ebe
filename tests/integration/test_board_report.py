"""The board pack: Word (docxtpl, sandboxed) and XLSX, from the web and the command line,
holding the same figures as the dashboard."""

from __future__ import annotations

import io
import runpy
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.conftest import attachment, page
from tests.integration.board_support import BOARD, SLUG, add_member, build_board
from tests.integration.register_support import as_user
from tests.integration.test_board import visible
from tests.pdf_support import catalog_language, keywords, needs_libreoffice, pdfinfo, xmp_title
from tests.xlsx_support import (
    COUNT,
    PERCENT,
    WIDEST,
    assert_finished,
    assert_numbers,
    assert_rag_filled,
    column,
    raw_cells,
    string_cell,
    width,
)
from tisc.extensions import db
from tisc.models import Audience, Rag, TrainingRecord
from tisc.rules.board import RAG_COLOURS
from tisc.services.accounts import organisations
from tisc.services.board.report import TEMPLATE, TemplateProblem, render_docx

ROOT = Path(__file__).resolve().parents[2]
TODAY = date.today().isoformat()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_board(app)


def report(app: Flask, file_format: str, query: str = f"year={SLUG}&date={TODAY}") -> bytes:
    response = as_user(app, "board@example.org").get(f"{BOARD}/report.{file_format}?{query}")
    assert response.status_code == 200, response.status_code
    return response.data


def tables(document) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def shading(cell) -> str | None:
    """A Word table cell's fill, as the XML holds it ("D4351C"), or None."""
    shd = cell._tc.find(f"{W}tcPr/{W}shd")
    return None if shd is None else shd.get(f"{W}fill")


def ink(cell) -> set[str]:
    """The colours of a cell's words."""
    return {c.get(f"{W}val") for c in cell._tc.iter(f"{W}color") if c.get(f"{W}val") is not None}


def test_the_pack_is_an_accessible_word_document(app: Flask, year: None) -> None:
    body = report(app, "docx")
    document = docx.Document(io.BytesIO(body))
    assert document.core_properties.title == "Board pack 2024/25: North East"
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name[:7] == "Heading"
    ]
    assert headings[0] == ("Heading 1", "Board pack: North East, 2024/25")
    day = f"{date.today().day} {date.today():%B %Y}"
    assert [text for style, text in headings if style == "Heading 2"] == [
        f"Where each body stands on each commitment, {day}",
        "KPIs against target",
        "Each body's KPIs",
        "Denominators that moved more than 25% since last year",
    ]
    # Page 1 opens with the executive summary: the summary line, then what the board reads.
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[1] == f"Executive summary, {day}. 2 member bodies."
    assert texts[2] == "2 actions overdue, 2 red; every body has a plan."
    assert [t for s, t in headings if s == "Heading 3"][:4] == [
        "Since the last board",
        "Top risks",
        "Decisions asked of the board",
        "Headline KPIs against target",
    ]
    normal = document.styles["Normal"].font
    assert normal.name == "Arial" and normal.size.pt >= 12
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].font.name == "Arial"
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(f"{W}tblHeader") is not None
        assert table._tbl.tblPr.find(f"{W}tblCaption") is not None
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    # One picture, the KPI chart, drawn for this pack, with alt text giving its values.
    assert len(document.inline_shapes) == 1
    described = document.inline_shapes[0]._inline.docPr
    assert described.get("descr").startswith(
        "Bar chart of the partnership's KPIs for 2024/25 beside 2023/24."
    )
    assert "Staff in scope who were trained: 2024/25 80.9%, 2023/24 50.0%" in described.get("descr")
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    media = [n for n in names if n.startswith("word/media")]
    assert len(media) == 1
    chart = zipfile.ZipFile(io.BytesIO(body)).read(media[0])
    assert chart.startswith(b"\x89PNG") and len(chart) > 5000  # the chart, not the stand-in
    assert not [n for n in names if n.startswith("docProps/thumbnail")]


def test_every_heat_map_cell_is_shaded_and_worded(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    document = docx.Document(io.BytesIO(report(app, "docx")))
    heat = document.tables[1]
    headers = [visible(th) for th in soup.select("#matrix thead th")]
    assert [c.text for c in heat.rows[0].cells] == headers[:-2]
    on_screen = {
        visible(tr.th): [td["data-rag"] for td in tr.select("td[data-rag]")]
        for tr in soup.select("#matrix tbody tr")
    }
    words = {"red": "Red", "amber": "Amber", "green": "Green"}
    for row in heat.rows[1:]:
        name = row.cells[0].text
        for cell, rag in zip(row.cells[1:], on_screen[name], strict=True):
            key = None if rag == "none" else Rag(rag)
            assert shading(cell) == RAG_COLOURS[key][0].lstrip("#").upper(), (name, rag)
            assert ink(cell) == {RAG_COLOURS[key][1].lstrip("#").upper()}
            if key is None:
                assert cell.text in ("No plan", "No action")
            else:
                assert cell.text.split(",")[0] == words[rag]
    alpha = next(r for r in heat.rows if r.cells[0].text == "Alpha Police")
    assert [c.text for c in alpha.cells[1:4]] == ["Red, overdue", "Amber", "Green"]
    # The key is on the page under it: every word, shaded as the cells are.
    key = document.tables[2]
    assert [c.text.split(":")[0] for c in key.rows[0].cells] == [
        "Red",
        "Amber",
        "Green",
        "No plan",
        "No action",
        "Overdue",
    ]
    assert shading(key.rows[0].cells[0]) == "D4351C"


def test_the_headline_kpis_hold_the_dashboards_figures(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    document = docx.Document(io.BytesIO(report(app, "docx")))
    headline = tables(document)[0]
    assert headline[0] == ["KPI", "2024/25", "Target", "Against target", "2023/24", "Direction"]
    on_screen = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in soup.select("#kpi-targets tbody tr")
    }
    for label, value, target, _against, _last, direction in headline[1:]:
        shown = on_screen[label]
        assert value in shown[0] and target == shown[1] and direction == shown[4]
    each = tables(document)[4]
    total = each[-1]
    assert total[0] == "Partnership total"
    assert total[-1] == "80.9% (+30.9)"  # staff trained: 89 of 110, against 50 of 100
    assert "Gamma" not in "".join(str(t) for t in tables(document))


def test_overdue_is_counted_on_the_report_date(app: Flask, year: None) -> None:
    later = docx.Document(io.BytesIO(report(app, "docx", f"year={SLUG}&date=2099-01-01")))
    heat = tables(later)[1]
    beta = next(r for r in heat if r[0] == "Beta Opcc")
    # Beta's green action was due tomorrow: by 2099 it is overdue; its red one has no date.
    assert beta[1:3] == ["Green, overdue", "Red"]
    assert "1 January 2099" in later.paragraphs[1].text


def test_names_with_ampersands_and_angle_brackets_come_out_intact(app: Flask, year: None) -> None:
    add_member(app, "a-and-b", "A & B <Police>")
    body = report(app, "docx")
    rows = tables(docx.Document(io.BytesIO(body)))[1]
    assert [row[0] for row in rows] == ["Body", "A & B <Police>", "Alpha Police", "Beta Opcc"]
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode()
    assert "A &amp; B &lt;Police&gt;" in xml and "<Police>" not in xml


def _training(app: Flask, slug: str, year: int, scope: int) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        db.session.add(
            TrainingRecord(
                organisation_id=org.id,
                financial_year=year,
                audience=Audience.ALL_STAFF,
                course="Refresher",
                staff_in_scope=scope,
                staff_trained=1,
            )
        )
        db.session.commit()


def test_denominators_that_moved_more_than_25_percent_are_flagged(app: Flask, year: None) -> None:
    # Alpha: 100 in scope last year, 100 + 25 this year: exactly 25%, not flagged.
    _training(app, "alpha-police", 2024, 25)
    # Beta: 10 this year against 7 last year: +42.9%.
    _training(app, "beta-opcc", 2023, 7)
    document = docx.Document(io.BytesIO(report(app, "docx")))
    flags = tables(document)[5]
    staff = flags[0].index("Staff in scope")
    by_body = {row[0]: row[staff] for row in flags[1:]}
    assert by_body.get("Beta Opcc") == "7 to 10 (+42.9%)"
    assert by_body.get("Alpha Police", "") == ""


def _template(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_tag_reaching_for_internals_fails_instead_of_running() -> None:
    with pytest.raises(TemplateProblem, match="unsafe"):
        render_docx(template=_template("{{ ''.__class__.__mro__ }}"), context={})
    with pytest.raises(TemplateProblem, match="unsafe"):
        render_docx(template=_template("{{ cycler.__init__.__globals__ }}"), context={})
    with pytest.raises(TemplateProblem, match="'missing' is undefined"):
        render_docx(template=_template("{{ missing }}"), context={})
    body = render_docx(template=_template("{{ name }}"), context={"name": "A & B <x>"}, title="T")
    document = docx.Document(io.BytesIO(body))
    assert document.paragraphs[0].text == "A & B <x>"
    assert document.core_properties.title == "T"


def test_the_template_is_what_the_script_builds() -> None:
    build = runpy.run_path(str(ROOT / "scripts" / "build-board-template.py"))["build"]
    assert build() == TEMPLATE.read_bytes(), "run scripts/build-board-template.py"


def test_the_workbook_has_the_same_figures_and_no_formulas(app: Flask, year: None) -> None:
    add_member(app, "formula-body", '=HYPERLINK("http://evil.example","x")')
    body = report(app, "xlsx")
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames[:3] == ["Matrix", "KPIs", "Overdue"]
    sheet = workbook["Matrix"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Body", "1. Risk at start", "2. Beyond tier 1"]
    first = sheet["A2"]
    assert first.value == '=HYPERLINK("http://evil.example","x")' and first.data_type == "s"
    assert string_cell(body, first.value).ref == "A2"
    assert not any(c.formula for c in raw_cells(body))
    assert rows[2][1:4] == [
        "Red · In progress · Overdue · 2 actions",
        "Amber · Not started",
        "Green · Done",
    ]
    assert rows[2][-1] == 2  # overdue, as a number
    kpis = [[c.value for c in row] for row in workbook["KPIs"].iter_rows()]
    header = kpis[0]
    total = next(
        dict(zip(header, r, strict=True))
        for r in kpis
        if r[0] == "Partnership total" and r[1] == "Staff in scope who were trained"
    )
    assert (total["Part"], total["Whole"]) == (89, 110)
    assert total["Percentage"] == pytest.approx(0.809)  # 80.9%, stored as a fraction
    assert total["Change in points"] == pytest.approx(30.9)
    beta = next(r for r in kpis if r[0] == "Beta Opcc" and r[1] == total["KPI"])
    assert beta[-1] == "No data"
    overdue = [[c.value for c in row] for row in workbook["Overdue"].iter_rows()]
    assert overdue[-1][:3] == ["Partnership total", 2, 1]


def test_the_workbook_is_titled_fitted_filtered_and_coloured(app: Flask, year: None) -> None:
    long_name = "The Office of the Police, Fire and Crime Commissioner for North Yorkshire"
    add_member(app, "long-body", long_name)
    body = report(app, "xlsx")
    book = assert_finished(body, title="Board pack 2024/25: North East")
    sheet = book["Matrix"]
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}4"
    # A name longer than the cap (73 characters): the column stops at the cap and wraps.
    assert width(sheet, "Body") == WIDEST < len(long_name)
    bodies = column(sheet, "Body")
    assert long_name in [c.value for c in bodies]
    assert all(c.alignment.wrap_text for c in bodies)
    rag_columns = [c.value for c in sheet[1]][1:-1]
    seen = set()
    for heading in rag_columns:
        seen |= assert_rag_filled(column(sheet, heading))
    assert seen == {"Red", "Amber", "Green"}
    # The words stay: the colour is never the only sign.
    shown = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert {"Red · In progress · Overdue · 2 actions", "Green · Done", "No action"} <= set(shown)
    overdue = assert_numbers(column(sheet, "Overdue actions"), COUNT)
    assert sorted(c.value for c in overdue) == [0, 0, 2]
    kpis = book["KPIs"]
    shares = assert_numbers(column(kpis, "Percentage"), PERCENT)
    assert shares and all(0 <= c.value <= 1 for c in shares)
    assert_numbers(column(kpis, "Last year's percentage"), PERCENT)
    changes = assert_numbers(column(kpis, "Change in points"), "+0.0;-0.0;0.0")
    assert changes
    assert_numbers(column(kpis, "Part"), COUNT)
    about = {r[0].value: r[1] for r in book["About"].iter_rows(min_row=2)}
    assert about["Report date"].is_date and about["Report date"].number_format == "dd/mm/yyyy"


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["board-report", *args])


def test_the_cli_writes_both_formats(app: Flask, year: None, tmp_path: Path) -> None:
    out = tmp_path / "board.docx"
    result = cli(
        app, "--year", SLUG, "--partnership", "north-east", "--out", str(out), "--date", TODAY
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    web = docx.Document(io.BytesIO(report(app, "docx")))
    assert tables(docx.Document(str(out))) == tables(web)
    workbook = tmp_path / "board.xlsx"
    result = cli(app, "--year", "2024/25", "--partnership", "north-east", "--out", str(workbook))
    assert result.exit_code == 0, result.output
    assert load_workbook(workbook).sheetnames[:3] == ["Matrix", "KPIs", "Overdue"]


@needs_libreoffice
def test_the_cli_writes_a_tagged_pdf_in_british_english(
    app: Flask, year: None, tmp_path: Path
) -> None:
    with app.app_context():
        # An "&" too: LibreOffice 7.4 escapes the XMP twice, and tisc mends it.
        organisations.get_partnership(slug="north-east").name = "North East & Humber"
        db.session.commit()
    out = tmp_path / "board.pdf"
    result = cli(app, "--year", SLUG, "--partnership", "north-east", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    assert out.read_bytes().startswith(b"%PDF")
    info = pdfinfo(out)
    title = "Board pack 2024/25: North East & Humber"
    assert info["Tagged"] == "yes" and info["Title"] == title
    assert catalog_language(out) == "en-GB"
    assert xmp_title(out) == title
    assert keywords(out) == ["modern slavery", "board pack", "North East & Humber", "2024/25"]


def test_the_cli_refuses_a_pdf_without_libreoffice_in_one_line(
    app: Flask, year: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli(app, "--year", SLUG, "--partnership", "north-east", "--out", f"{folder}/b.pdf")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "LibreOffice (soffice)" in lines[0] and "not installed" in lines[0]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--year", "2024-26"], "not a financial year"),
        (["--year", "soon"], "Enter a financial year like 2024-25"),
        (["--out", "{tmp}/board.txt"], "the file must end in .docx, .xlsx or .pdf"),
        (["--out", "{tmp}/missing/board.docx"], "there is no folder"),
        (["--out", "{tmp}"], "the file must end in .docx, .xlsx or .pdf"),
        (["--date", "29/11/2026"], "enter a date like 2026-11-29"),
        (
            ["--partnership", "nowhere"],
            "There is no partnership with the web address name 'nowhere'",
        ),
        (["--no-partnership"], "Give --partnership: there are 2 partnerships"),
    ],
)
def test_bad_cli_input_exits_1_with_a_one_line_reason(
    app: Flask, two_bodies: dict, tmp_path: Path, args: list[str], reason: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace("{tmp}", str(out)) for a in args]
    defaults = {"--year": SLUG, "--out": str(out / "board.docx"), "--partnership": "north-east"}
    if "--no-partnership" in args:  # two partnerships, and none named
        args, defaults = [], {k: v for k, v in defaults.items() if k != "--partnership"}
    for option, value in defaults.items():
        if option not in args:
            args += [option, value]
    result = cli(app, *args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and reason in lines[0], lines
    assert list(out.iterdir()) == []


def test_unreadable_report_dates_are_refused(app: Flask, year: None) -> None:
    client = as_user(app, "board@example.org")
    for bad in ("29-11-2026", "2026-02-30", "tomorrow"):
        response = client.get(f"{BOARD}/report.docx?year={SLUG}&date={bad}")
        assert response.status_code == 400
        assert "Enter the report date like 2026-11-29" in response.get_data(as_text=True)
    assert client.get(f"{BOARD}/report.pdf?year={SLUG}").status_code == 404
    assert client.get(f"{BOARD}/report.docx?year=2024-26").status_code == 404
    response = client.get(f"{BOARD}/report.xlsx?year={SLUG}&date=2026-11-29")
    assert attachment(response.headers) == (
        "attachment",
        {"filename": "north-east-board-report-2024-25-2026-11-29.xlsx"},
    )


def test_control_characters_in_a_name_do_not_break_the_workbook(
    app: Flask, two_bodies: dict
) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        org.name = "Alpha\x0b Police\x01"
        db.session.commit()
    client = as_user(app, "board@example.org")
    response = client.get("/partnerships/north-east/board/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    names = [cell.value for row in book.worksheets[0].iter_rows() for cell in row]
    assert "Alpha Police" in names


def test_years_the_service_cannot_hold_are_not_found(
    app: Flask, two_bodies: dict, tmp_path: Path
) -> None:
    client = as_user(app, "board@example.org")
    for url in ("report.docx", "report.xlsx", ""):
        path = f"/partnerships/north-east/board/{url}".rstrip("/")
        assert client.get(f"{path}?year=9999-00").status_code == 404, url
        assert client.get(f"{path}?year=1999-00").status_code == 404, url
    result = app.test_cli_runner().invoke(
        args=["board-report", "--year", "9999-00", "--out", str(tmp_path / "never.docx")]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "never.docx").exists()
    assert "--year: choose a year from 2000-01" in result.output
