"""Checks on a Word template (.docx with docxtpl tags), on its bytes alone.

A template is refused before it is stored if it is not a real .docx, carries macros, ActiveX
or embedded objects, links to anything outside itself (a linked picture, a remote template, a
DDE or INCLUDE field), is a zip or XML bomb, or uses placeholders the statement does not
provide. Every XML part goes through defusedxml first (no DTDs, no entities), so nothing
else ever parses a part with entities in it. Messages are plain English, for the
administrator who uploaded it.

The Jinja source is what docxtpl renders: the same parts, serialised and patched by
docxtpl's own `patch_xml`, so a tag split across Word runs is seen as docxtpl sees it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import fromstring as defused_fromstring
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from tisc.documents.docx_tags import TemplateSource, placeholder_problems
from tisc.documents.zipcheck import NotAZip, ZipBomb, ZipLimits, holds_vba_project, zip_entries

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
DOCX_LIMITS = ZipLimits(
    max_entries=500,
    max_uncompressed_bytes=50 * 1024 * 1024,
    max_ratio=100,
    entry_ratio_from_bytes=1024 * 1024,
    archive_ratio_from_bytes=2 * 1024 * 1024,
)

TOO_BIG = "The file is larger than 5 MB: make it smaller (compress its pictures) and try again"
NOT_DOCX = (
    "This is not a Word .docx file: save it from Word as a Word Document (.docx) and "
    "upload it again"
)
DOTX = (
    "This is a Word template (.dotx), not a document: open it in Word, save it as a "
    "Word Document (.docx) and upload that"
)
DAMAGED = "The file is damaged ({part} cannot be read): open it in Word, save it again and retry"
BOMB = "The file expands to far more data than a Word template holds, so it has not been opened"
MACROS = "Templates with macros are not accepted: save it as a Word Document (.docx) without them"
ACTIVE = "Templates with ActiveX controls or embedded objects are not accepted: remove {what}"
ENTITIES = (
    "The file contains XML declarations Word never writes ({part}), so it has not been opened"
)
EXTERNAL = "The template links to something outside the file ({what}): remove it"
FIELD = "The template has a field that reaches outside the file ({field}): remove it"

MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
OLE_TYPE = "application/vnd.openxmlformats-officedocument.oleObject"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Fields that fetch or run something when Word opens or updates the document.
OUTSIDE_FIELDS = frozenset(
    {"DDE", "DDEAUTO", "INCLUDE", "INCLUDEPICTURE", "INCLUDETEXT", "IMPORT", "LINK"}
)
EXTERNAL_KINDS = {
    "image": "a linked picture",
    "attachedTemplate": "a template kept elsewhere",
    "oleObject": "a linked object",
    "subDocument": "a linked sub-document",
    "frame": "a linked frame",
    "package": "a linked file",
}
# Parts docxtpl fills in, by content type, with how a message names them.
RENDERED_PARTS = {
    MAIN_TYPE: "the main text",
    WML + "header+xml": "a header",
    WML + "footer+xml": "a footer",
    WML + "footnotes+xml": "the footnotes",
}


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_docx(data: bytes, *, known_names: frozenset[str]) -> list[str]:
    """Every reason this file cannot be a statement template; [] when it can be used.

    The file's structure is checked first and stops at its first problem (nothing more is
    opened); then each part's placeholders, which may give several problems.
    """
    try:
        sources = _checked_sources(data)
    except _Refused as refused:
        return [refused.message]
    return placeholder_problems(sources, known_names=known_names)


def template_sources(data: bytes) -> list[TemplateSource]:
    """The Jinja sources docxtpl renders; ValueError with the reason for a bad file."""
    try:
        return _checked_sources(data)
    except _Refused as refused:
        raise ValueError(refused.message) from None


def _checked_sources(data: bytes) -> list[TemplateSource]:
    package = _open(data)
    try:
        return _sources(package)
    finally:
        package.archive.close()


# --- the package ---------------------------------------------------------------------------


@dataclass
class _Package:
    archive: zipfile.ZipFile
    types: dict[str, str]  # part name -> content type
    xml: set[str]  # parts defusedxml has accepted
    trees: dict[str, Element]  # the small parts about the package: types, relationships
    main: str

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(name)
        except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError):
            raise _Refused(DAMAGED.format(part=name)) from None


def _open(data: bytes) -> _Package:
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _Refused(TOO_BIG)
    try:
        entries = zip_entries(data, DOCX_LIMITS)
    except NotAZip:
        raise _Refused(NOT_DOCX) from None
    except ZipBomb:
        raise _Refused(BOMB) from None
    names = [entry.filename for entry in entries]
    if holds_vba_project(names) or any("vbadata" in name.lower() for name in names):
        raise _Refused(MACROS)
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise _Refused(NOT_DOCX)
    package = _Package(zipfile.ZipFile(BytesIO(data)), {}, set(), {}, "")
    try:
        _check_parts(package, names)
    except BaseException:
        package.archive.close()
        raise
    return package


def _check_parts(package: _Package, names: list[str]) -> None:
    for name in names:
        if name.lower().endswith((".xml", ".rels")):
            blob = package.read(name)
            _vet(name, blob)
            package.xml.add(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                package.trees[name] = _tree(name, blob)
    package.types = _content_types(package.trees["[Content_Types].xml"], names)
    for name, content_type in package.types.items():
        lowered = content_type.lower()
        if "macroenabled" in lowered or "vba" in lowered:
            raise _Refused(MACROS)
        if "activex" in lowered or name.lower().startswith("word/activex/"):
            raise _Refused(ACTIVE.format(what="the ActiveX controls"))
        if content_type == OLE_TYPE:
            raise _Refused(ACTIVE.format(what="the embedded objects"))
    package.main = _main_part(package)
    for name, root in package.trees.items():
        if name.endswith(".rels"):
            _check_relationships(root)
    for name in sorted(package.xml):
        if name.startswith("word/") and not name.endswith(".rels"):
            _check_fields(_lxml(name, package.read(name)))


class _NoTree:
    def close(self) -> None:
        return None


def _vet(name: str, blob: bytes) -> None:
    """Refuse a part with a DTD, an entity or broken XML, at expat's own speed."""
    parser = DefusedXMLParser(target=_NoTree(), forbid_dtd=True)
    # Without a Python handler for text and markup, expat runs at C speed; defusedxml's own
    # handlers for DTDs and entities stay in place.
    parser.parser.DefaultHandlerExpand = None
    try:
        parser.feed(blob)
        parser.close()
    except DefusedXmlException:
        raise _Refused(ENTITIES.format(part=name)) from None
    except (ParseError, ValueError):
        raise _Refused(DAMAGED.format(part=name)) from None


def _tree(name: str, blob: bytes) -> Element:
    try:
        return defused_fromstring(blob, forbid_dtd=True)
    except DefusedXmlException:
        raise _Refused(ENTITIES.format(part=name)) from None
    except (ParseError, ValueError):
        raise _Refused(DAMAGED.format(part=name)) from None


def _lxml(name: str, blob: bytes) -> etree._Element:
    """A part defusedxml has accepted, as python-docx (and so docxtpl) parses it."""
    try:
        return parse_xml(blob)  # lxml, entities off
    except (etree.XMLSyntaxError, ValueError):
        raise _Refused(DAMAGED.format(part=name)) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _content_types(root: Element, names: list[str]) -> dict[str, str]:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in root:
        if _local(element.tag) == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif _local(element.tag) == "Override":
            overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
    return {
        name: overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        for name in names
    }


def _main_part(package: _Package) -> str:
    for relationship in package.trees["_rels/.rels"]:
        if relationship.get("Type", "").endswith("/officeDocument"):
            main = relationship.get("Target", "").lstrip("/")
            break
    else:
        raise _Refused(NOT_DOCX)
    content_type = package.types.get(main, "")
    if content_type == WML + "template.main+xml":
        raise _Refused(DOTX)
    if content_type != MAIN_TYPE or main not in package.xml:
        raise _Refused(NOT_DOCX)
    return main


def _check_relationships(root: Element) -> None:
    for relationship in root:
        if relationship.get("TargetMode", "").lower() != "external":
            continue
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        if kind == "hyperlink":
            continue  # a link a reader may follow; Word fetches nothing by itself
        target = relationship.get("Target", "")
        target = target if len(target) <= 60 else target[:57] + "..."
        what = EXTERNAL_KINDS.get(kind, f"a link of type '{kind}'")
        raise _Refused(EXTERNAL.format(what=f"{what}, {target}"))


def _check_fields(root: etree._Element) -> None:
    """Refuse DDE and INCLUDE-like fields, whether simple or built from runs."""
    instructions: list[str] = []
    open_fields: list[list[str]] = []
    for element in root.iter(f"{W}fldSimple", f"{W}fldChar", f"{W}instrText"):
        if element.tag == f"{W}fldSimple":
            instructions.append(element.get(f"{W}instr", ""))
        elif element.tag == f"{W}fldChar":
            kind = element.get(f"{W}fldCharType")
            if kind == "begin":
                open_fields.append([])
            elif kind == "end" and open_fields:
                instructions.append("".join(open_fields.pop()))
        elif element.tag == f"{W}instrText" and open_fields:
            open_fields[-1].append(element.text or "")
    instructions += ["".join(parts) for parts in open_fields]
    for instruction in instructions:
        words = instruction.split()
        if words and words[0].upper() in OUTSIDE_FIELDS:
            raise _Refused(FIELD.format(field=words[0].upper()))


# --- the Jinja source ----------------------------------------------------------------------


def _patched(xml: str) -> str:
    # patch_xml does not touch the template's own state; the object is never opened.
    text = DocxTemplate(BytesIO()).patch_xml(xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", text)  # as docxtpl's render_xml_part does


def _serialised(blob: bytes, *, body_only: bool) -> str:
    element = parse_xml(blob)  # lxml without entities, after defusedxml accepted the part
    if body_only:
        body = element.find(f"{W}body")
        element = body if body is not None else element
    return etree.tostring(element, encoding="unicode")


def _sources(package: _Package) -> list[TemplateSource]:
    sources: list[TemplateSource] = []
    for name, content_type in package.types.items():
        label = RENDERED_PARTS.get(content_type)
        if label is None or name not in package.xml:
            continue
        blob = package.read(name)
        try:
            texts = {_serialised(blob, body_only=name == package.main)}
            if label == "the footnotes":
                texts.add(blob.decode("utf-8"))  # docxtpl fills footnotes from the raw part
        except (etree.XMLSyntaxError, UnicodeDecodeError, ValueError):
            raise _Refused(DAMAGED.format(part=name)) from None
        sources += [TemplateSource(label, _patched(text)) for text in sorted(texts)]
    for name, content_type in package.types.items():
        if content_type == CORE_TYPE and name in package.xml:
            for element in _tree(name, package.read(name)).iter():
                if element.text and element.text.strip():
                    sources.append(TemplateSource("the document properties", element.text))
    return sources
