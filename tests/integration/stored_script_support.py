"""Stored script for the stored-script tests: the payload of each text field, and checks that
a page, a Word document, a workbook or a CSV shows each payload as plain text
(payload_entry_support types them in).

Every payload carries all four attacks and a label naming its field ("xss-supplier-notes"),
so a page that shows it is found by its label and must show the whole of it, unchanged:
a script element, an image with an error handler (breaking out of an attribute), a template
tag that must not become 49, and a spreadsheet formula that must stay text.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import docx
from bs4 import NavigableString
from openpyxl import load_workbook

from tests.conftest import page

LABEL = re.compile(r"xss-[a-z0-9-]+")
ATTACKS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def payload(label: str) -> str:
    """The text typed into the field the label names: a formula first, so a spreadsheet
    would run it, then the label and the three HTML and template attacks."""
    assert LABEL.fullmatch(label), label
    return f'=HYPERLINK("http://x") {label} {" ".join(ATTACKS)}'


def _normal(text: str) -> str:
    return " ".join(text.split())


def _intact(label: str, flat: str, *, cut: str | None) -> bool:
    whole = _normal(payload(label))
    # Lower case is not an attack: category keywords are kept in lower case to match them.
    if whole in flat or whole.lower() in flat:
        return True
    # Shortened text: a page title before its dash and the service name, a summary before an
    # ellipsis. What is shown must be the payload's start, as text, past its script element.
    # Payloads of several labels can share their start (a list of examples from one file):
    # any place that shows this one's start far enough will do.
    start = flat.find(whole[:20])
    while start >= 0:
        shown = flat[start:]
        for marker in (cut, "…", "..."):
            if marker and marker in shown:
                before = shown.split(marker, 1)[0]
                enough = whole.index(ATTACKS[0]) + len(ATTACKS[0])
                if len(before) >= enough and whole.startswith(before):
                    return True
        start = flat.find(whole[:20], start + 1)
    return False


def text_problems(text: str, where: str, *, cut: str | None = None) -> tuple[set[str], list[str]]:
    """The labels in one piece of text, and how their payloads were changed (a label whose
    whole payload is not there: escaped twice, a template tag evaluated, or cut short without
    saying so)."""
    found = set(LABEL.findall(text))
    flat = _normal(text)
    return found, [
        f"{where}: {label} not intact in {flat[:200]!r}"
        for label in found
        if not _intact(label, flat, cut=cut)
    ]


# --- HTML pages -----------------------------------------------------------------------------


def page_problems(response: Any, where: str) -> tuple[set[str], list[str]]:
    """The labels a page shows, and anything in it that an attack made: an element, an event
    handler, a javascript: address, or a payload shown other than as its plain text."""
    html = page(response)
    problems: list[str] = []
    for script in html.find_all("script"):
        if "alert" in script.get_text() or not (script.get("src") or script.get("nonce")):
            problems.append(f"{where}: injected {script}")
    for tag in html.find_all(True):
        for name, value in tag.attrs.items():
            if (
                name.startswith("on")
                or name in ('"', "'")
                or not re.fullmatch(r"[a-z:_-][a-z0-9:_.-]*", name)
            ):
                problems.append(f"{where}: <{tag.name} {name}=...> made by an attack")
            if name in ("href", "src", "action") and str(value).strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                problems.append(f"{where}: <{tag.name} {name}={value}>")
        if tag.name == "img" and tag.get("src") == "x":
            problems.append(f"{where}: injected {tag}")
    labels: set[str] = set()
    for string in html.find_all(string=True):
        if isinstance(string, NavigableString) and LABEL.search(string):
            parent = string.parent.name if string.parent else "?"
            cut = " – " if parent == "title" else None
            found, wrong = text_problems(str(string), f"{where} <{parent}>", cut=cut)
            labels |= found
            problems += wrong
    for tag in html.find_all(True):
        for name, value in tag.attrs.items():
            if name in ("href", "action", "src"):
                continue  # addresses carry names URL-encoded (a search), never shown as text
            text = " ".join(value) if isinstance(value, list) else str(value)
            if LABEL.search(text):
                found, wrong = text_problems(text, f"{where} <{tag.name} {name}>")
                labels |= found
                problems += wrong
    return labels, problems


# --- documents and exports ------------------------------------------------------------------


def docx_problems(body: bytes, where: str) -> tuple[set[str], list[str]]:
    """Labels in a Word document (body, tables, headers and footers) and broken payloads."""
    document = docx.Document(io.BytesIO(body))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    for section in document.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    labels: set[str] = set()
    problems: list[str] = []
    for paragraph in paragraphs:
        found, wrong = text_problems(paragraph.text, where)
        labels |= found
        problems += wrong
    return labels, problems


def xlsx_problems(body: bytes, where: str) -> tuple[set[str], list[str]]:
    """Labels in a workbook and any cell that is a formula, or text that would start one
    written other than as a string cell."""
    workbook = load_workbook(io.BytesIO(body))
    labels: set[str] = set()
    problems: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(
                        f"{where} {sheet.title}!{cell.coordinate}: formula {cell.value!r}"
                    )
                if not isinstance(cell.value, str):
                    continue
                if cell.value.startswith(FORMULA_START) and cell.data_type != "s":
                    # Formula-like text is safe only as a string cell (never calculated).
                    problems.append(f"{where} {sheet.title}!{cell.coordinate}: {cell.value!r}")
                found, wrong = text_problems(cell.value, f"{where} {sheet.title}!{cell.coordinate}")
                if found and cell.data_type != "s":
                    problems.append(
                        f"{where} {sheet.title}!{cell.coordinate}: type {cell.data_type}"
                    )
                labels |= found
                problems += wrong
    return labels, problems


def csv_problems(body: bytes, where: str) -> tuple[set[str], list[str]]:
    """Labels in a CSV file and any cell a spreadsheet would read as a formula."""
    labels: set[str] = set()
    problems: list[str] = []
    for number, row in enumerate(csv.reader(io.StringIO(body.decode("utf-8-sig"))), 1):
        for cell in row:
            if cell.startswith(FORMULA_START):
                problems.append(f"{where} row {number}: {cell!r}")
            found, wrong = text_problems(cell, f"{where} row {number}")
            labels |= found
            problems += wrong
    return labels, problems
