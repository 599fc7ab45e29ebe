"""The board report: Word (docxtpl, sandboxed) and XLSX, from the web and the command line,
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
from tests.integration.test_board import matrix, visible
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


def test_the_report_is_an_accessible_word_document(app: Flask, year: None) -> None:
    document = docx.Document(io.BytesIO(report(app, "docx")))
    assert document.core_properties.title == "Board report 2024/25: North East"
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name[:7] == "Heading"
    ]
    assert headings[0] == ("Heading 1", "Board report: North East")
    assert [text for style, text in headings if style == "Heading 2"] == [
        "Contents",
        "Where each body stands on each commitment",
        "Red, amber and green by commitment",
        "Overdue actions",
        "KPIs against last year",
    ]
    texts = [p.text for p in document.paragraphs]
    assert f"Report date: {date.today().day} {date.today():%B %Y}" in texts
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
    assert not document.inline_shapes
    names = zipfile.ZipFile(io.BytesIO(report(app, "docx"))).namelist()
    assert not [n for n in names if n.startswith(("word/media", "docProps/thumbnail"))]


def test_the_report_holds_the_dashboards_figures(app: Flask, year: None) -> None:
    soup = page(as_user(app, "board@example.org").get(BOARD))
    document = docx.Document(io.BytesIO(report(app, "docx")))
    found = tables(document)
    on_screen = matrix(soup)
    headers = [visible(th) for th in soup.select("#matrix thead th")]
    assert found[0][0] == headers[:-2]  # the report has overdue counts in their own table
    for row in found[0][1:]:
        assert [cell.replace(" · ", " ") for cell in row[1:]] == on_screen[row[0]][:-2]
    assert found[0][1][1] == "Red · In progress · Overdue · 2 actions"
    assert [row[:3] for row in found[2]] == [
        ["Body", "Overdue actions", "Own actions"],
        ["Alpha Police", "2", "1"],
        ["Beta Opcc", "0", "0"],
    ]
    assert found[1][1] == ["1. Risk at start", "1", "0", "1", "0"]
    shown = {
        visible(tr.th): {td["data-kpi"]: td for td in tr.find_all("td")}
        for tr in soup.select("#kpis tbody tr")
    }
    kpi_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    keys = [th["data-kpi"] for th in soup.select("#kpis tbody tr:first-child td")]
    assert len(kpi_headings) == len(keys) == 6
    for key, kpi_table in zip(keys, found[3:], strict=True):
        assert kpi_table[0] == ["Body", "2024/25", "2023/24", "Change since last year"]
        for name, value, _last, change in kpi_table[1:]:
            assert value == shown[name][key].select_one(".app-kpi-value").text
            assert change == shown[name][key].select_one(".app-kpi-change").text
    assert found[-1][-1] == [
        "Partnership total",
        "89 of 110 (80.9%)",
        "50 of 100 (50.0%)",
        "+30.9 points",
    ]
    assert "Gamma" not in "".join(str(t) for t in found)


def test_overdue_is_counted_on_the_report_date(app: Flask, year: None) -> None:
    later = docx.Document(io.BytesIO(report(app, "docx", f"year={SLUG}&date=2099-01-01")))
    overdue = tables(later)[2]
    # Every action not done with a due date is overdue by then.
    assert [row[:2] for row in overdue[1:]] == [["Alpha Police", "3"], ["Beta Opcc", "1"]]
    assert "Report date: 1 January 2099" in [p.text for p in later.paragraphs]


def test_names_with_ampersands_and_angle_brackets_come_out_intact(app: Flask, year: None) -> None:
    add_member(app, "a-and-b", "A & B <Police>")
    body = report(app, "docx")
    rows = tables(docx.Document(io.BytesIO(body)))[0]
    assert [row[0] for row in rows] == ["Body", "A & B <Police>", "Alpha Police", "Beta Opcc"]
    xml = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode()
    assert "A &amp; B &lt;Police&gt;" in xml and "<Police>" not in xml


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
    book = assert_finished(body, title="Board report 2024/25: North East")
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
    assert {"Red · In progress · Overdue · 2 actions", "Green · Done", "Not in plan"} <= set(shown)
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
    title = "Board report 2024/25: North East & Humber"
    assert info["Tagged"] == "yes" and info["Title"] == title
    assert catalog_language(out) == "en-GB"
    assert xmp_title(out) == title
    assert keywords(out) == ["modern slavery", "board report", "North East & Humber", "2024/25"]


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
