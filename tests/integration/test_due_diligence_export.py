"""The due-diligence workbook, in the browser and from the command line."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from tests.conftest import attachment
from tests.integration.due_diligence_support import EXPECTED, SLUG, YEAR, A, build_year
from tests.integration.register_support import as_user, supplier_id
from tests.xlsx_support import (
    COUNT,
    MONEY,
    PERCENT,
    assert_dates,
    assert_finished,
    assert_numbers,
    assert_rag_filled,
    column,
    raw_cells,
    string_cell,
    width,
)
from tisc.extensions import db
from tisc.models import Supplier
from tisc.services.accounts import organisations
from tisc.services.due_diligence import overview as dd

SHEETS = ["Figures", "Due diligence", "Assessments", "Sub-suppliers", "Contract reviews"]


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_year(app)
    # A name that would be a formula if written as it is.
    sid = supplier_id(app, "alpha-police", "Clean A3 Ltd")
    with app.app_context():
        dd.add_sub_supplier(
            org=organisations.get_organisation(slug="alpha-police"),
            supplier=db.session.get(Supplier, sid),
            financial_year=YEAR,
            user=None,
            name='=HYPERLINK("http://evil.example","x")',
            tier=2,
            country="-1+1",
            supplies="@SUM(A1)",
        )
        db.session.commit()


def sheets(body: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(body))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in workbook}


def figures(app: Flask, slug: str):
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        return dd.due_diligence_figures(org=org, financial_year=YEAR)


def as_dicts(rows: list[list]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_body_export_has_every_sheet_and_the_service_figures(app: Flask, year: None) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    response = client.get(f"{A}/due-diligence/export.xlsx?year={SLUG}")
    assert response.status_code == 200
    assert attachment(response.headers) == (
        "attachment",
        {"filename": "alpha-police-due-diligence-2024-25.xlsx"},
    )
    found = sheets(response.data)
    assert list(found) == SHEETS
    [row] = as_dicts(found["Figures"])
    expected = figures(app, "alpha-police")
    assert row["Organisation"] == "Alpha Police" and row["Financial year"] == "2024/25"
    assert {key: row[label] for key, label in dd.FIGURE_LABELS} == {
        k: v for k, v in asdict(expected).items() if k != "financial_year"
    }
    # The formula-like sub-supplier of this fixture maps Clean A3 Ltd too.
    assert row["Tier A suppliers mapped beyond Tier 1"] == EXPECTED["mapped_beyond_tier1"] + 1
    listed = as_dicts(found["Due diligence"])
    assert [r["Supplier"] for r in listed] == [
        "Clean A3 Ltd",
        "Clean A2 Ltd",
        "Kennels A Ltd",
        "Clean A1 Ltd",
        "Hotel B Ltd",
        "Clean B Ltd",
    ]
    a1 = next(r for r in listed if r["Supplier"] == "Clean A1 Ltd")
    assert (a1["Priority tier"], a1["Assessed"], a1["Guidance sent"], a1["Missing"]) == (
        "A",
        "Yes",
        "Yes",
        "Nothing",
    )
    assert a1["Annual spend"] == pytest.approx(50000.01)
    assert a1["Assessment score"] == pytest.approx(0.85)  # 85%, stored as a fraction
    assert a1["Guidance sent on"] == datetime(2024, 6, 1)
    assert a1["Guidance sent by"] == "Email"
    assert a1["Sub-suppliers mapped"] == 1 and a1["Reviews discussing modern slavery"] == 1
    assert listed[0]["Assessed"] == "No" and listed[0]["Rating"] == "Red"
    assessed = {
        (r["Supplier"], r["Status"], r["Score (%)"]) for r in as_dicts(found["Assessments"])
    }
    assert assessed == {
        ("Clean A1 Ltd", "Complete", 0.85),
        ("Clean A2 Ltd", "Draft", None),
        ("Clean B Ltd", "Complete", 0.3),
    }
    reviews = as_dicts(found["Contract reviews"])
    assert [(r["Supplier"], r["Modern slavery discussed"]) for r in reviews] == [
        ("Clean A1 Ltd", "Yes"),
        ("Clean A2 Ltd", "No"),
        ("Software C Ltd", "Yes"),
    ]
    assert len(reviews) == expected.contract_reviews


def test_text_in_the_export_never_becomes_a_formula(app: Flask, year: None) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    body = client.get(f"{A}/due-diligence/export.xlsx?year={SLUG}").data
    sheet = load_workbook(io.BytesIO(body))["Sub-suppliers"]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value}
    # Formula-like text as string cells, exactly as typed (no apostrophe), never an <f>.
    for text in ('=HYPERLINK("http://evil.example","x")', "-1+1", "@SUM(A1)"):
        assert cells[text] == "s"
        string_cell(body, text)
    assert not any(c.formula for c in raw_cells(body))
    rows = as_dicts([[c.value for c in row] for row in sheet.iter_rows()])
    counts = {
        r["Sub-supplier"]: (r["From the supplier's assessment"], r["Counts as mapped"])
        for r in rows
    }
    assert counts["Draft Chemicals Ltd"] == ("Yes", "No")
    assert counts["Cloth Mill Ltd"] == ("No", "Yes")


def test_the_partnership_export_has_each_body_and_a_total(app: Flask, year: None) -> None:
    client = as_user(app, "board@example.org")
    response = client.get(f"/partnerships/north-east/due-diligence/export.xlsx?year={SLUG}")
    assert response.status_code == 200
    found = sheets(response.data)
    rows = {r["Organisation"]: r for r in as_dicts(found["Figures"])}
    assert list(rows) == ["Alpha Police", "Beta Opcc", "Total"]
    alpha, beta = figures(app, "alpha-police"), figures(app, "beta-opcc")
    for key, label in dd.FIGURE_LABELS:
        assert rows["Alpha Police"][label] == getattr(alpha, key)
        assert rows["Total"][label] == getattr(alpha, key) + getattr(beta, key)
    assert {r["Organisation"] for r in as_dicts(found["Due diligence"])} == {
        "Alpha Police",
        "Beta Opcc",
    }
    # In a year without spend the figures say so instead of showing zeros.
    empty = client.get("/partnerships/north-east/due-diligence/export.xlsx?year=2019-20")
    rows = as_dicts(sheets(empty.data)["Figures"])
    assessed = dict(dd.FIGURE_LABELS)["assessed"]
    assert [(r["Organisation"], r[assessed], r["Note"]) for r in rows] == [
        ("Alpha Police", None, "No spend recorded this year"),
        ("Beta Opcc", None, "No spend recorded this year"),
        ("Total", None, "No spend recorded this year"),
    ]


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["export-due-diligence", *args])


def test_the_cli_writes_the_same_workbook_as_the_web(
    app: Flask, year: None, tmp_path: Path
) -> None:
    out = tmp_path / "alpha.xlsx"
    result = cli(app, "--org", "alpha-police", "--year", "2024-25", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    web = as_user(app, "coordinator@example.org").get(f"{A}/due-diligence/export.xlsx?year={SLUG}")
    assert sheets(out.read_bytes()) == sheets(web.data)
    both = tmp_path / "north-east.xlsx"
    result = cli(app, "--partnership", "north-east", "--year", "2024/25", "--out", str(both))
    assert result.exit_code == 0, result.output
    figures_sheet = as_dicts(sheets(both.read_bytes())["Figures"])
    assert [r["Organisation"] for r in figures_sheet] == ["Alpha Police", "Beta Opcc", "Total"]
    total = figures_sheet[2]["Suppliers over the threshold"]
    assert total == EXPECTED["suppliers_over_threshold"] + 1
    assert_finished(both.read_bytes(), title="Due diligence \u2013 North East \u2013 2024/25")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["--org", "alpha-police", "--partnership", "north-east"],
            "Give exactly one of --org or --partnership",
        ),
        ([], "Give exactly one of --org or --partnership"),
        (["--org", "alpha-police", "--year", "2024-26"], "not a financial year"),
        (["--org", "alpha-police", "--year", "soon"], "Enter a financial year like 2024-25"),
        (["--org", "alpha-police", "--out", "{tmp}/figures.csv"], "the file must end in .xlsx"),
        (
            ["--org", "no-such-body"],
            "There is no organisation with the web address name 'no-such-body'",
        ),
        (
            ["--partnership", "nowhere"],
            "There is no partnership with the web address name 'nowhere'",
        ),
    ],
)
def test_bad_cli_input_exits_1_with_a_one_line_reason_and_writes_nothing(
    app: Flask, two_bodies: dict, tmp_path: Path, args: list[str], reason: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [a.replace("{tmp}", str(out)) for a in args]
    defaults = {"--year": "2024-25", "--out": str(out / "due-diligence.xlsx")}
    for option, value in defaults.items():
        if option not in args:
            args += [option, value]
    result = cli(app, *args)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and reason in lines[0], lines
    assert list(out.iterdir()) == []


def test_the_workbook_is_titled_fitted_filtered_in_pounds_percentages_and_colours(
    app: Flask, year: None
) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    body = client.get(f"{A}/due-diligence/export.xlsx?year={SLUG}").data
    book = assert_finished(body, title="Due diligence \u2013 Alpha Police \u2013 2024/25")
    listed = book["Due diligence"]
    assert listed.auto_filter.ref == f"A1:U{1 + 6}"  # 21 columns, six suppliers
    spend = assert_numbers(column(listed, "Annual spend"), MONEY)
    names = [c.value for c in column(listed, "Supplier")]
    assert len(spend) == 6
    assert spend[names.index("Clean A1 Ltd")].value == pytest.approx(50000.01)
    scores = assert_numbers(column(listed, "Assessment score"), PERCENT)
    assert all(0 <= c.value <= 1 for c in scores) and len(scores) >= 2
    assert assert_rag_filled(column(listed, "Rating")) >= {"Red"}
    assert assert_dates(column(listed, "Guidance sent on"))
    assert_numbers(column(listed, "Sub-suppliers mapped"), COUNT)
    assert width(listed, "Supplier") >= max(len(n) for n in names)
    assessments = book["Assessments"]
    assert assert_numbers(column(assessments, "Score (%)"), PERCENT)
    assert_rag_filled(column(assessments, "Rating"))
    assert assert_dates(column(assessments, "Completed on"))
    assert assert_dates(column(book["Contract reviews"], "Reviewed on"))
    figures_sheet = book["Figures"]
    assert assert_numbers(column(figures_sheet, "Contract reviews"), COUNT)
    subs = book["Sub-suppliers"]
    assert width(subs, "Sub-supplier") >= len('=HYPERLINK("http://evil.example","x")')
    partnership = as_user(app, "board@example.org")
    body = partnership.get(f"/partnerships/north-east/due-diligence/export.xlsx?year={SLUG}").data
    assert_finished(body, title="Due diligence \u2013 North East \u2013 2024/25")
