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
