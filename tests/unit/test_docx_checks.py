"""Checks on uploaded Word templates, on files built in memory: good ones and hostile ones."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.fixtures.templates.builders import (
    MAIN,
    docx_bytes,
    paragraph,
    rezip,
    with_body,
    with_content_type,
    with_relationship,
    zip_of,
)
from tisc.documents import docx_checks
from tisc.documents.docx_checks import check_docx, template_sources
from tisc.documents.docx_tags import find_tag
from tisc.documents.zipcheck import ZipBomb, ZipLimits, zip_entries

KNOWN = frozenset({"title", "bodies", "draft", "figures"})
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def problems(data: bytes) -> list[str]:
    return check_docx(data, known_names=KNOWN)


def refusal(data: bytes) -> str:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


# --- good templates ---------------------------------------------------------------------------


def test_a_plain_template_with_known_placeholders_passes() -> None:
    assert problems(docx_bytes("Statement: {{ title }}", "{% if draft %}DRAFT{% endif %}")) == []


def test_loop_variables_and_their_attributes_are_allowed() -> None:
    data = docx_bytes("{% for body in bodies %}{{ body.name }}: {{ loop.index }}{% endfor %}")
    assert problems(data) == []


def test_table_rows_and_paragraph_tags_as_docxtpl_patches_them() -> None:
    table = [
        ["{%tr for b in bodies %}", ""],
        ["{{ b.name }}", "{{ b.spend }}"],
        ["{%tr endfor %}", ""],
    ]
    data = docx_bytes("{%p if draft %}", "Draft", "{%p endif %}", table=table)
    assert problems(data) == []


def test_jinja_globals_such_as_range_are_allowed() -> None:
    assert problems(docx_bytes("{% for i in range(3) %}{{ i }}{% endfor %}")) == []


def test_ordinary_web_links_are_allowed() -> None:
    data = with_relationship(
        docx_bytes("{{ title }}"), "word/_rels/document.xml.rels", "hyperlink", "https://gov.uk"
    )
    assert problems(data) == []


def test_template_sources_are_the_parts_docxtpl_fills() -> None:
    data = docx_bytes("{{ title }}", header="{{ draft }}", footer="{{ figures }}")
    labels = {source.label for source in template_sources(data)}
    assert {"the main text", "a header", "a footer", "the document properties"} <= labels


# --- not a Word document ----------------------------------------------------------------------


def test_a_file_over_5_mb_is_refused_before_it_is_opened() -> None:
    data = b"PK" + b"\0" * (5 * 1024 * 1024)
    assert refusal(data).startswith("The file is larger than 5 MB")


def test_a_png_renamed_docx_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + bytes(64)
    assert refusal(png).startswith("This is not a Word .docx file")


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 broken", b"hello, world"])
def test_empty_and_broken_files_are_refused(data: bytes) -> None:
    assert refusal(data).startswith("This is not a Word .docx file")


def test_a_zip_without_a_word_document_is_refused() -> None:
    assert refusal(zip_of({"notes.txt": b"hello"})).startswith("This is not a Word .docx file")


def test_a_package_without_word_document_xml_is_refused() -> None:
    data = rezip(docx_bytes("x"), drop=("word/document.xml",))
    assert refusal(data).startswith("This is not a Word .docx file")


def test_a_wrong_main_content_type_is_refused() -> None:
    data = with_content_type(docx_bytes("x"), "word/document.xml", "application/xml")
    assert refusal(data).startswith("This is not a Word .docx file")


def test_a_word_template_dotx_is_refused_with_advice() -> None:
    dotx = MAIN.replace("document.main", "template.main")
    data = with_content_type(docx_bytes("x"), "word/document.xml", dotx)
    assert refusal(data).startswith("This is a Word template (.dotx)")


def test_a_damaged_part_is_refused() -> None:
    data = rezip(docx_bytes("x"), replace={"word/document.xml": b"<w:document><w:body>"})
    assert refusal(data).startswith("The file is damaged (word/document.xml")


# --- macros and active content ----------------------------------------------------------------


def test_a_docm_with_a_vba_project_and_macro_content_type_is_refused() -> None:
    data = rezip(docx_bytes("x"), replace={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)})
    data = with_content_type(data, "word/document.xml", MACRO_MAIN)
    assert refusal(data) == docx_checks.MACROS
    assert refusal(data).startswith("Templates with macros are not accepted")


def test_a_vba_project_alone_is_refused() -> None:
    data = rezip(docx_bytes("x"), replace={"word/vbaProject.bin": bytes(64)})
    assert refusal(data) == docx_checks.MACROS


def test_a_macro_enabled_content_type_alone_is_refused() -> None:
    data = with_content_type(docx_bytes("x"), "word/document.xml", MACRO_MAIN)
    assert refusal(data) == docx_checks.MACROS


def test_activex_controls_are_refused() -> None:
    data = rezip(docx_bytes("x"), replace={"word/activeX/activeX1.xml": b"<ax/>"})
    assert "ActiveX" in refusal(data)


def test_embedded_ole_objects_are_refused() -> None:
    data = rezip(docx_bytes("x"), replace={"word/embeddings/oleObject1.bin": bytes(64)})
    data = with_content_type(data, "word/embeddings/oleObject1.bin", docx_checks.OLE_TYPE)
    assert "embedded objects" in refusal(data)


# --- zip bombs --------------------------------------------------------------------------------


def test_many_highly_compressible_entries_are_refused() -> None:
    # 40 entries of 512 KB of zeros: 20 MB, under the 50 MB and 500-entry limits, but the
    # archive is ~1,000 times smaller than what it expands to.
    zeros = bytes(512 * 1024)
    data = rezip(docx_bytes("x"), replace={f"word/media/blank{n}.xml": zeros for n in range(40)})
    assert len(data) < 200_000
    assert refusal(data).startswith("The file expands to far more data")


def test_more_than_500_entries_are_refused() -> None:
    data = rezip(docx_bytes("x"), replace={f"word/media/{n}.png": b"" for n in range(500)})
    assert refusal(data).startswith("The file expands to far more data")


def test_more_than_50_mb_uncompressed_is_refused() -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/big.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(51):
            entry.write(bytes(1024 * 1024))
    assert refusal(out.getvalue()).startswith("The file expands to far more data")


def test_the_archive_ratio_is_optional_so_spreadsheets_keep_their_rules() -> None:
    data = zip_of({"a.xml": bytes(3 * 1024 * 1024)})
    limits = ZipLimits(
        max_entries=10, max_uncompressed_bytes=10**9, max_ratio=100, entry_ratio_from_bytes=10**8
    )
    assert len(zip_entries(data, limits)) == 1
    with pytest.raises(ZipBomb):
        zip_entries(data, ZipLimits(**{**limits.__dict__, "archive_ratio_from_bytes": 1024}))


# --- XML --------------------------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_an_xml_entity_bomb_in_the_document_is_refused() -> None:
    data = with_body(paragraph("&lol3;"), prolog=LAUGHS)
    assert refusal(data).startswith("The file contains XML declarations Word never writes")
    assert "word/document.xml" in refusal(data)


def test_an_external_entity_is_refused() -> None:
    prolog = '<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    data = with_body(paragraph("&secret;"), prolog=prolog)
    assert refusal(data).startswith("The file contains XML declarations")


def test_a_doctype_without_entities_is_refused_too() -> None:
    assert refusal(with_body(paragraph("x"), prolog="<!DOCTYPE d>")).startswith(
        "The file contains XML declarations"
    )


def test_an_entity_bomb_in_a_relationships_part_is_refused() -> None:
    rels = f'<?xml version="1.0"?>{LAUGHS}<Relationships>&lol3;</Relationships>'.encode()
    data = rezip(docx_bytes("x"), replace={"word/_rels/document.xml.rels": rels})
    assert "word/_rels/document.xml.rels" in refusal(data)


# --- links to the outside ---------------------------------------------------------------------


def test_an_external_image_link_is_refused_naming_it() -> None:
    data = with_relationship(
        docx_bytes("x"), "word/_rels/document.xml.rels", "image", "http://evil.example/pixel.png"
    )
    assert refusal(data) == (
        "The template links to something outside the file "
        "(a linked picture, http://evil.example/pixel.png): remove it"
    )


def test_a_remote_attached_template_is_refused() -> None:
    base = rezip(
        docx_bytes("x"),
        replace={
            "word/_rels/settings.xml.rels": (
                b'<?xml version="1.0"?><Relationships xmlns='
                b'"http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
            )
        },
    )
    data = with_relationship(
        base, "word/_rels/settings.xml.rels", "attachedTemplate", "\\\\server\\share\\t.dotm"
    )
    assert "a template kept elsewhere" in refusal(data)


def test_an_ole_link_is_refused() -> None:
    data = with_relationship(
        docx_bytes("x"), "word/_rels/document.xml.rels", "oleObject", "file:///C:/data.xlsx"
    )
    assert "a linked object" in refusal(data)


def test_a_dde_field_is_refused() -> None:
    field = '<w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\cmd.exe &quot;/c calc&quot; "/>'
    data = with_body(f"<w:p>{field}</w:p>")
    assert refusal(data) == (
        "The template has a field that reaches outside the file (DDEAUTO): remove it"
    )


def test_an_include_picture_field_split_across_runs_is_refused() -> None:
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> INCLUDEPIC</w:instrText></w:r>'
        '<w:r><w:instrText xml:space="preserve">TURE "http://evil.example/a.png"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    assert "(INCLUDEPICTURE)" in refusal(with_body(body))


def test_ordinary_fields_such_as_page_numbers_are_fine() -> None:
    assert problems(with_body('<w:p><w:fldSimple w:instr=" PAGE "/></w:p>')) == []


# --- placeholders -----------------------------------------------------------------------------


def test_an_unknown_placeholder_is_refused_naming_it() -> None:
    assert refusal(docx_bytes("The {{ colour }} of {{ title }}")) == (
        "Unknown placeholder: {{ colour }}"
    )


def test_several_unknown_placeholders_are_named_together() -> None:
    data = docx_bytes("{{ size }}", "{% for c in colours %}{{ c }}{% endfor %}")
    assert refusal(data) == "Unknown placeholders: {{ colours }}, {{ size }}"


def test_placeholders_in_headers_footers_and_properties_are_checked() -> None:
    assert refusal(docx_bytes("x", header="{{ logo }}")) == "Unknown placeholder: {{ logo }}"
    assert refusal(docx_bytes("x", footer="{{ page }}")) == "Unknown placeholder: {{ page }}"
    assert refusal(docx_bytes("x", title="{{ secret }}")) == "Unknown placeholder: {{ secret }}"


def test_a_placeholder_split_across_runs_is_still_recognised() -> None:
    assert problems(docx_bytes("x", runs=["{{ ti", "tle }}"])) == []
    assert refusal(docx_bytes("x", runs=["{{ col", "our", " }}"])) == (
        "Unknown placeholder: {{ colour }}"
    )
    assert refusal(with_body(paragraph("{", "{ colour }", "}"))) == (
        "Unknown placeholder: {{ colour }}"
    )


def test_a_placeholder_hidden_in_character_references_is_still_seen() -> None:
    # Word's XML reader turns &#123; into "{", and so does docxtpl's: so must the check.
    assert refusal(with_body(paragraph("&#123;&#123; colour }}"))) == (
        "Unknown placeholder: {{ colour }}"
    )


@pytest.mark.parametrize(
    "tag",
    [
        "{{ title.__class__ }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ _secret }}",
        "{{ title['__class__'] }}",
        "{{ title|attr('__class__') }}",
        "{% for _x in bodies %}{% endfor %}",
    ],
)
def test_placeholders_starting_with_an_underscore_are_refused(tag: str) -> None:
    found = problems(docx_bytes(tag))
    assert found and found[0].startswith("Placeholders cannot start with _")


def test_the_underscore_message_shows_the_tag() -> None:
    assert refusal(docx_bytes("{{ title.__class__ }}")) == (
        "Placeholders cannot start with _ (found '{{ title.__class__ }}')"
    )


def test_a_syntax_mistake_names_the_tag_and_paragraph() -> None:
    message = refusal(docx_bytes("Intro", "{{ title }}", "Here {{ bad tag }} is"))
    assert message.startswith(
        "There is a mistake in the template near '{{ bad tag }}' (the main text, paragraph 3)"
    )


def test_an_unclosed_loop_names_its_opening_tag() -> None:
    message = refusal(docx_bytes("{% for b in bodies %}", "{{ b.name }}", "The end"))
    assert "near '{% for b in bodies %}'" in message
    assert "endfor" in message


def test_an_unknown_docxtpl_prefix_outside_a_table_is_a_mistake() -> None:
    assert refusal(docx_bytes("{%tr for b in bodies %}")).startswith(
        "There is a mistake in the template"
    )


def test_find_tag_finds_the_tag_that_mentions_a_word() -> None:
    sources = template_sources(docx_bytes("{{ title }}", "{{ bodies|length }}"))
    assert find_tag(sources, "bodies") == "{{ bodies|length }}"
    assert find_tag(sources, "nothing") is None


def test_template_sources_refuses_a_bad_file() -> None:
    with pytest.raises(ValueError, match=r"not a Word \.docx file"):
        template_sources(b"nope")
