"""Reading what a PDF says about itself, with poppler's pdfinfo: tagged or not, its catalog's
language, its XMP title and its keywords."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET  # for the Element type only
from pathlib import Path

import pytest
from defusedxml import ElementTree

# Tests that make a PDF need LibreOffice, and pdfinfo (poppler-utils) to read it.
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) or pdfinfo (poppler-utils) not installed",
)
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
PDF = "{http://ns.adobe.com/pdf/1.3/}"


def pdfinfo(path: Path) -> dict[str, str]:
    """pdfinfo's fields ("Tagged", "Title", "Keywords", ...) as text."""
    output = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    fields = (line.split(":", 1) for line in output.splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in fields}


def xmp(path: Path) -> ET.Element:
    """The PDF's XMP metadata, parsed (an error when it has none or it is not XML)."""
    packet = subprocess.run(
        ["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True
    ).stdout
    body = packet[packet.index("<x:xmpmeta") : packet.index("</x:xmpmeta>") + len("</x:xmpmeta>")]
    return ElementTree.fromstring(body)


def xmp_title(path: Path) -> str | None:
    """The XMP's dc:title, as a reader would show it."""
    found = xmp(path).find(f".//{DC}title/{RDF}Alt/{RDF}li")
    return None if found is None else found.text


def catalog_language(path: Path) -> str | None:
    """The /Lang of the document catalog (LibreOffice writes the catalog uncompressed)."""
    catalog = re.search(rb"<<\s*/Type\s*/Catalog\b(.*?)>>\s*endobj", path.read_bytes(), re.DOTALL)
    assert catalog is not None, "no document catalog found"
    language = re.search(rb"/Lang\s*\(([^)]*)\)", catalog.group(1))
    return None if language is None else language.group(1).decode("latin-1")


def keywords(path: Path) -> list[str]:
    """The keywords pdfinfo reads, one item each (no-break spaces read as spaces)."""
    return [k.replace("\u00a0", " ").strip() for k in pdfinfo(path)["Keywords"].split(",")]
