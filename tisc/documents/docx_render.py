"""Filling a docxtpl Word template in safely: a sandboxed, autoescaping, StrictUndefined Jinja.
The filled-in document says what it is: its title, its keywords and its language (British
English), which Word's spelling check, screen readers and the PDF (tisc.documents.pdf) read.

Used in the web process for the tool's own templates (the board report, the default statement)
and in the limited child process (tisc.documents.docx_render_child) for uploaded ones. A bad or
unsafe tag raises Jinja's own TemplateError, for the caller to put in its own words.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

LANGUAGE = "en-GB"
# What may follow w:lang in a w:rPr (ECMA-376's order), so a new w:lang goes before them.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def fill_docx(
    *,
    template: bytes,
    context: Mapping[str, Any],
    title: str | None = None,
    keywords: Sequence[str] = (),
    pictures: Mapping[str, bytes] | None = None,
) -> bytes:
    """The template filled in with the context; the title and keywords set as the document's,
    and its default language British English.

    `pictures` replaces the template's pictures of those names (a chart drawn for this
    document in place of the template's stand-in); a template without them is filled in all
    the same."""
    document = DocxTemplate(io.BytesIO(template))
    document.allow_missing_pics = True
    for name, content in (pictures or {}).items():
        document.replace_pic(name, io.BytesIO(content))
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    document.render(dict(context), jinja_env=environment)
    # Set here, not by a tag: core properties are plain text, not escaped XML.
    properties = document.docx.core_properties
    if title is not None:
        properties.title = title
    if keywords:
        properties.keywords = keyword_list(keywords)
    properties.language = LANGUAGE
    set_default_language(document.docx.styles.element, LANGUAGE)
    for table in document.docx.element.body.iter(qn("w:tbl")):
        fit_grid_to_cells(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def keyword_list(keywords: Sequence[str]) -> str:
    """The keywords as one property, "modern slavery; board report; North East; 2024/25".

    Spaces inside a keyword are no-break spaces: LibreOffice splits a Word document's keywords at
    every space, comma, semicolon and colon, and would otherwise give the PDF "modern, slavery".
    """
    return "; ".join("\u00a0".join(k.split()) for k in keywords if k.strip())


def set_default_language(styles: BaseOxmlElement, language: str) -> None:
    """Make `language` the document's default (w:docDefaults), which LibreOffice writes as the
    PDF's /Lang and Word uses for text no style gives another language."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_default = defaults.find(qn("w:rPrDefault"))
    if run_default is None:
        run_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_default)
    properties = run_default.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_default.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        later = [properties.find(qn(tag)) for tag in _AFTER_LANG]
        following = next((element for element in later if element is not None), None)
        if following is None:
            properties.append(lang)
        else:
            following.addprevious(lang)
    lang.set(qn("w:val"), language)


def fit_grid_to_cells(table: BaseOxmlElement) -> None:
    """Give the table's grid the proportions of its first row's cell widths, at the grid's
    own total width.

    LibreOffice lays a table out by its grid, Word by its cells. When docxtpl drops a {%tc %}
    column it drops the grid's last column and spreads that width evenly, so the grid no
    longer matches the columns left. A table whose first row has a width in twips for every
    cell, one cell per grid column, gets its grid back from its cells; any other is left as
    it is."""
    grid = table.find(qn("w:tblGrid"))
    rows = table.findall(qn("w:tr"))
    if grid is None or not rows:
        return
    columns = grid.findall(qn("w:gridCol"))
    widths = []
    for cell in rows[0].findall(qn("w:tc")):
        properties = cell.find(qn("w:tcPr"))
        width = None if properties is None else properties.find(qn("w:tcW"))
        if (
            width is None
            or width.get(qn("w:type")) != "dxa"
            or properties.find(qn("w:gridSpan")) is not None
        ):
            return
        widths.append(int(width.get(qn("w:w"), "0")))
    total = sum(int(float(c.get(qn("w:w"), "0"))) for c in columns)
    if len(widths) != len(columns) or not total or not all(widths):
        return
    cells = sum(widths)
    for column, width in zip(columns, widths, strict=True):
        column.set(qn("w:w"), str(width * total // cells))
