"""Filling a Word template in: the document says its title, its keywords and its language."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from tisc.documents.docx_render import fill_docx, keyword_list, set_default_language


def _template(*, without_defaults: bool = False) -> bytes:
    document = docx.Document()
    document.add_paragraph("For {{ who }}")
    if without_defaults:
        styles = document.styles.element
        styles.remove(styles.find(qn("w:docDefaults")))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _default_language(document: docx.document.Document) -> dict[str, str]:
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang is not None, "no default language"
    return {key.split("}")[1]: value for key, value in lang.attrib.items()}


@pytest.mark.parametrize("without_defaults", [False, True])
def test_the_document_is_in_british_english(without_defaults: bool) -> None:
    template = _template(without_defaults=without_defaults)
    filled = docx.Document(io.BytesIO(fill_docx(template=template, context={"who": "A & B"})))
    assert filled.paragraphs[0].text == "For A & B"
    assert _default_language(filled)["val"] == "en-GB"
    assert filled.core_properties.language == "en-GB"


def test_only_the_language_of_the_default_changes() -> None:
    before = docx.Document(io.BytesIO(_template()))
    assert _default_language(before)["val"] == "en-US"  # python-docx's own template
    set_default_language(before.styles.element, "en-GB")
    after = _default_language(before)
    assert after == {**_default_language(docx.Document(io.BytesIO(_template()))), "val": "en-GB"}


def test_a_new_language_comes_before_what_follows_it_in_run_properties() -> None:
    document = docx.Document(io.BytesIO(_template()))
    properties = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"
    )
    properties.remove(properties.find(qn("w:lang")))
    properties.append(docx.oxml.OxmlElement("w:eastAsianLayout"))
    set_default_language(document.styles.element, "en-GB")
    names = [child.tag.split("}")[1] for child in properties]
    assert names[-2:] == ["lang", "eastAsianLayout"]


def test_title_and_keywords_are_set_and_keywords_keep_their_words_together() -> None:
    filled = docx.Document(
        io.BytesIO(
            fill_docx(
                template=_template(),
                context={"who": "us"},
                title="North East & Humber statement",
                keywords=("modern slavery", "  North  East ", "", "2025/26"),
            )
        )
    )
    assert filled.core_properties.title == "North East & Humber statement"
    # No-break spaces, as LibreOffice would otherwise split "modern slavery" in two.
    assert filled.core_properties.keywords == "modern\xa0slavery; North\xa0East; 2025/26"
    assert keyword_list(()) == ""


def _grid(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.find(qn("w:tblGrid"))]


def _table_template(cells_cm: list[float], tagged: bool) -> bytes:
    """A table of 2 rows whose cells have widths. With `tagged`, columns 2 and 4 hold the
    {%tc if show %} and {%tc endif %} tags around column 3, as the builders make them."""
    from docx.shared import Cm

    document = docx.Document()
    table = document.add_table(rows=2, cols=len(cells_cm))
    tags = {2: "{%tc if show %}", 4: "{%tc endif %}"} if tagged else {}
    for row_index, row in enumerate(table.rows):
        for column, (cell, width) in enumerate(zip(row.cells, cells_cm, strict=True)):
            cell.width = Cm(width)
            cell.paragraphs[0].add_run(tags.get(column, f"r{row_index}c{column}"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_dropped_column_leaves_the_grid_in_the_proportions_of_the_cells_left() -> None:
    template = _table_template([8.0, 4.0, 0.2, 3.0, 0.2, 2.0], tagged=True)
    total = sum(_grid(docx.Document(io.BytesIO(template)).tables[0]))
    filled = docx.Document(io.BytesIO(fill_docx(template=template, context={"show": False})))
    grid = _grid(filled.tables[0])
    assert len(grid) == 3
    assert abs(sum(grid) - total) <= 3  # the table keeps its width
    # 8 : 4 : 2, not the widths of the grid's first three columns that docxtpl leaves.
    assert [round(g * 14 / total) for g in grid] == [8, 4, 2]


def test_a_table_with_all_its_columns_keeps_its_grid_at_the_cells_proportions() -> None:
    template = _table_template([8.0, 4.0, 1.0, 2.0], tagged=False)
    total = sum(_grid(docx.Document(io.BytesIO(template)).tables[0]))
    filled = docx.Document(io.BytesIO(fill_docx(template=template, context={})))
    grid = _grid(filled.tables[0])
    assert abs(sum(grid) - total) <= 4
    assert [round(g * 15 / total) for g in grid] == [8, 4, 1, 2]
