"""Build statements/board-report.docx, the docxtpl template of the board report.

Usage: .venv/bin/python scripts/build-board-template.py [OUT]   (default: the statements folder)

The template is made here with python-docx rather than by hand in Word, so that it is
reviewable and the same bytes come out every time (fixed dates in the properties and in the
zip). It is an accessible document (DOMAIN.md, "Accessibility and documents"): real Heading
styles, a document title, Arial at 12pt or more, table header rows that repeat on each page,
alt text on tables, page numbers, a contents list, and no images at all.

The tags are docxtpl's: {{ }} for values, {%p %} for a paragraph loop, {%tr %} for a table row
loop and {%tc %} for a column loop (the matrix has one column per joint commitment). The
context they read is made by tisc.services.board.report.report_context.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

OUT = Path(__file__).resolve().parents[1] / "statements" / "board-report.docx"
FIXED = datetime(2025, 1, 1, tzinfo=UTC)
FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
TOTAL = "Partnership total"
SIZES = {"Normal": 12, "Heading 1": 24, "Heading 2": 18, "Heading 3": 14, "Footer": 12}


def _fonts(element) -> None:
    """Arial for every script, with no theme font that would win over it."""
    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    rpr.insert(0, fonts)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    rpr.append(lang)


def _styles(doc) -> None:
    for name, size in SIZES.items():
        style = doc.styles[name]
        _fonts(style.element)
        style.font.size = Pt(size)
        if name.startswith("Heading"):
            style.font.bold = True
            style.font.color.rgb = BLACK
            style.paragraph_format.space_before = Pt(18)
            style.paragraph_format.space_after = Pt(6)
    for name in ("List Bullet", "Table Grid"):
        _fonts(doc.styles[name].element)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""

    def mark(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(char)

    mark("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    mark("separate")
    paragraph.add_run("1")
    mark("end")


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("{{ partnership }} board report {{ year_label }}. Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _table(doc, rows: list[list[str]], widths: list[float], caption: str) -> Table:
    """A grid table whose first row is a header that repeats on every page.

    A row whose first cell starts with {%tr is a docxtpl loop tag and vanishes on rendering.
    """
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    properties = table._tbl.tblPr
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", caption)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), text)
        properties.append(element)
    for index, texts in enumerate(rows):
        row = table.rows[index]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = Cm(width)
            run = cell.paragraphs[0].add_run(text)
            run.bold = (index == 0 or texts[0] == TOTAL) or None
    return table


def _heading(doc, text: str, level: int) -> None:
    doc.add_heading(text, level=level)


def _paragraph(doc, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def _content(doc) -> None:
    _heading(doc, "Board report: {{ partnership }}", 1)
    _paragraph(doc, "Partnership: {{ partnership }}")
    _paragraph(doc, "Financial year: {{ year_label }} ({{ year_span }})")
    _paragraph(doc, "Report date: {{ report_date }}")
    _paragraph(
        doc,
        "Where each member body stands on each joint commitment, from the bodies' action "
        "plans, with their KPIs against last year. Actions are counted as overdue when they "
        "are past their due date on the report date and not done.",
    )
    _heading(doc, "Contents", 2)
    for line in (
        "Where each body stands on each commitment",
        "Red, amber and green by commitment",
        "Overdue actions",
        "KPIs against last year",
    ):
        _paragraph(doc, line, "List Bullet")

    _heading(doc, "Where each body stands on each commitment", 2)
    _paragraph(
        doc,
        "Each cell gives the worst rating (Red, Amber or Green) among the body's actions for "
        "the commitment, that action's status, and Overdue when one of them is overdue. "
        "No plan: the body has no action plan for the year. Not in plan: its plan has no "
        "action for the commitment.",
    )
    _table(
        doc,
        [
            ["Body", "{%tc for c in commitments %}", "{{ c.heading }}", "{%tc endfor %}"],
            ["{%tr for row in matrix %}", "", "", ""],
            ["{{ row.name }}", "{%tc for cell in row.cells %}", "{{ cell }}", "{%tc endfor %}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [5.0, 0.5, 2.8, 0.5],
        "Member bodies by joint commitment, with the rating of each",
    )
    _paragraph(doc, "The commitments:")
    _paragraph(doc, "{%p for c in commitments %}")
    _paragraph(doc, "{{ c.heading }}: {{ c.title }}", "List Bullet")
    _paragraph(doc, "{%p endfor %}")

    _heading(doc, "Red, amber and green by commitment", 2)
    _paragraph(doc, "How many of the {{ body_count }} member bodies are at each rating.")
    _table(
        doc,
        [
            ["Commitment", "Red", "Amber", "Green", "No action"],
            ["{%tr for count in rag_counts %}", "", "", "", ""],
            [
                "{{ count.heading }}",
                "{{ count.red }}",
                "{{ count.amber }}",
                "{{ count.green }}",
                "{{ count.none }}",
            ],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        [9.0, 3.5, 3.5, 3.5, 3.5],
        "Number of member bodies at each rating, by commitment",
    )

    _heading(doc, "Overdue actions", 2)
    _paragraph(
        doc, "Overdue actions across the partnership on {{ report_date }}: {{ overdue_total }}."
    )
    _table(
        doc,
        [
            ["Body", "Overdue actions", "Own actions", "Actions in the plan", "Plan for the year"],
            ["{%tr for row in overdue %}", "", "", "", ""],
            [
                "{{ row.name }}",
                "{{ row.overdue }}",
                "{{ row.own_actions }}",
                "{{ row.actions }}",
                "{{ row.has_plan }}",
            ],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        [8.0, 4.0, 4.0, 4.0, 4.0],
        "Overdue actions and own actions of each member body",
    )

    _heading(doc, "KPIs against last year", 2)
    _paragraph(
        doc,
        "Each KPI is computed from the bodies' records: a part out of a whole, or No data "
        "when a body has nothing recorded. The partnership total adds up the parts and the "
        "wholes of the bodies with data. The change is in percentage points since "
        "{{ last_year_label }}.",
    )
    _paragraph(doc, "{%p for kpi in kpis %}")
    _heading(doc, "{{ kpi.label }}", 3)
    _table(
        doc,
        [
            ["Body", "{{ year_label }}", "{{ last_year_label }}", "Change since last year"],
            ["{%tr for row in kpi.rows %}", "", "", ""],
            ["{{ row.name }}", "{{ row.value }}", "{{ row.last_year }}", "{{ row.change }}"],
            ["{%tr endfor %}", "", "", ""],
            [
                TOTAL,
                "{{ kpi.total.value }}",
                "{{ kpi.total.last_year }}",
                "{{ kpi.total.change }}",
            ],
        ],
        [8.0, 5.5, 5.5, 5.0],
        "This KPI for each member body and the partnership, this year and last",
    )
    _paragraph(doc, "{%p endfor %}")


def _properties(doc) -> None:
    properties = doc.core_properties
    properties.title = "Board report"
    properties.subject = "Modern slavery transparency: where each body stands"
    properties.author = "tisc"
    properties.last_modified_by = "tisc"
    properties.comments = ""
    properties.keywords = "modern slavery, board report"
    properties.language = "en-GB"
    properties.created = properties.modified = FIXED
    properties.revision = 1


def _no_thumbnail(doc) -> None:
    """python-docx's blank template carries a picture of a page: drop it (no images)."""
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(r_id)


def _stable_zip(data: bytes) -> bytes:
    """The same bytes on every build: fixed timestamps and order in the zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def build() -> bytes:
    """The template's bytes."""
    doc = Document()
    _styles(doc)
    _page(doc)
    _properties(doc)
    _no_thumbnail(doc)
    # The blank template starts with no paragraphs; the content adds them in order.
    _content(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue())


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(build())
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
