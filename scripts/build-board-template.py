"""Build statements/board-report.docx, the docxtpl template of the board pack.

Usage: .venv/bin/python scripts/build-board-template.py [OUT]   (default: the statements folder)

The template is made here with python-docx rather than by hand in Word, so that it is
reviewable and the same bytes come out every time (fixed dates in the properties and in the
zip). It is an accessible document (DOMAIN.md, "Accessibility and documents"): real Heading
styles, a document title, Arial at 12pt or more, table header rows that repeat on each page,
alt text on tables and on the one picture (a stand-in for the KPI chart, replaced by the chart
drawn for each pack), and page numbers.

The pack is short (at most 6 pages for 14 bodies): page 1 is the executive summary, then the
heat-map of bodies by commitment (each cell shaded by its rating and worded) with its legend,
the KPIs against target with their chart, each body's KPIs, and the denominators that moved
more than 25%. Each section starts a page, so none splits its legend from its table.

The tags are docxtpl's: {{ }} for values, {%p %} for a paragraph loop, {%tr %} for a table row
loop, {%tc %} for a column loop (the heat-map has one column per joint commitment) and
{% cellbg %} for a cell's shading. A cell's words take their colour from the context too: the
script gives them a marker colour and writes a tag in its place. The context they read is made
by tisc.services.board.pack.pack_context.
"""

from __future__ import annotations

import io
import sys
import tempfile
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
SIZES = {"Normal": 12, "Heading 1": 22, "Heading 2": 16, "Heading 3": 13, "Footer": 12}
CHART_PICTURE = "board-chart.png"  # tisc.services.board.report.CHART_PICTURE
# A cell's words are written in this colour by the script, then in {{ cell.ink }}.
MARKER = RGBColor(0x12, 0x34, 0x56)
MARKER_XML = b'w:val="123456"'
INK_TAG = b'w:val="{{ cell.ink }}"'


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


def _pack_spacing(doc) -> None:
    """Tighter headings for a short pack (the statement keeps _styles' spacing): Heading 2
    starts a page, so it needs no space above it."""
    for name, before in (("Heading 1", 12), ("Heading 2", 0), ("Heading 3", 8)):
        style = doc.styles[name]
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.2))
    section.footer_distance = Cm(0.6)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("{{ partnership }} board pack {{ year_label }}. Page ")
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


def _heading(doc, text: str, level: int, *, new_page: bool = False) -> None:
    heading = doc.add_heading(text, level=level)
    heading.paragraph_format.page_break_before = new_page or None


def _paragraph(doc, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def _bullets(doc, loop: str, text: str) -> None:
    """A bulleted paragraph repeated by a {%p for %} loop."""
    _paragraph(doc, "{%p " + loop + " %}")
    _paragraph(doc, text, "List Bullet")
    _paragraph(doc, "{%p endfor %}")


def _summary(doc) -> None:
    """Page 1: the executive summary."""
    _heading(doc, "Board pack: {{ partnership }}, {{ year_label }}", 1)
    _paragraph(doc, "Executive summary, {{ report_date }}. {{ body_count }} member bodies.")
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ summary }}.").bold = True
    _heading(doc, "Since the last board", 3)
    _bullets(doc, "for line in since", "{{ line }}")
    _heading(doc, "Top risks", 3)
    _bullets(doc, "for line in risks", "{{ line }}")
    _heading(doc, "Decisions asked of the board", 3)
    _bullets(doc, "for line in decisions", "{{ line }}")
    _heading(doc, "Headline KPIs against target", 3)
    _table(
        doc,
        [
            [
                "KPI",
                "{{ year_label }}",
                "Target",
                "Against target",
                "{{ last_year_label }}",
                "Direction",
            ],
            ["{%tr for k in headline %}", "", "", "", "", ""],
            [
                "{{ k.label }}",
                "{{ k.value }}",
                "{{ k.target }}",
                "{{ k.against }}",
                "{{ k.last_year }}",
                "{{ k.direction }}",
            ],
            ["{%tr endfor %}", "", "", "", "", ""],
        ],
        [9.0, 3.0, 2.6, 5.0, 3.0, 4.1],
        "The partnership's KPIs against target, this year and last",
    )


def _heat_map(doc) -> None:
    """The heat-map of bodies by commitment, each cell shaded and worded, and its legend."""
    _heading(doc, "Where each body stands on each commitment, {{ report_date }}", 2, new_page=True)
    table = _table(
        doc,
        [
            ["Body", "{%tc for c in commitments %}", "{{ c.heading }}", "{%tc endfor %}"],
            ["{%tr for row in matrix %}", "", "", ""],
            ["{{ row.name }}", "{%tc for cell in row.cells %}", "", "{%tc endfor %}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [6.75, 0.3, 2.85, 0.3],
        "Member bodies by joint commitment: each cell's rating, shaded and in words",
    )
    _narrow_margins(table)
    _shaded(table.rows[2].cells[2])
    # The key, on the same page: one row, each word shaded as the cells are, with its meaning,
    # apart from the heat-map by a paragraph of 1pt (two tables side by side would merge).
    gap = doc.add_paragraph()
    gap.paragraph_format.space_after = Pt(0)
    gap.add_run(" ").font.size = Pt(1)
    legend = _table(
        doc,
        [
            ["{%tc for cell in legend %}", "", "{%tc endfor %}"],
        ],
        [0.3, 4.45, 0.3],
        "Key: what each shade and word of the heat-map means",
    )
    _shaded(legend.rows[0].cells[1], meaning=True)


def _narrow_margins(table) -> None:
    """Cell margins of 0.1 cm, so that a commitment's words fit its column unbroken."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Before w:tblLook and the caption, as the schema orders them.
    table._tbl.tblPr.find(qn("w:tblLook")).addprevious(margins)


def _shaded(cell, *, meaning: bool = False) -> None:
    """A cell shaded by {{ cell.fill }}, its word in bold (and its meaning) in {{ cell.ink }}."""
    paragraph = cell.paragraphs[0]
    paragraph.add_run("{% cellbg cell.fill %}")
    word = paragraph.add_run("{{ cell.word }}")
    word.bold = True
    word.font.color.rgb = MARKER
    if meaning:
        paragraph.add_run(": {{ cell.meaning }}").font.color.rgb = MARKER


def _kpis(doc) -> None:
    """The KPIs against target: the chart, and each body's KPIs."""
    _heading(doc, "KPIs against target", 2, new_page=True)
    _paragraph(
        doc,
        "The partnership's KPIs in {{ year_label }} beside {{ last_year_label }}, each "
        "target marked by a black line. Each KPI is a part out of a whole from the bodies' "
        "records; the figures are in the table on page 1.",
    )
    paragraph = doc.add_paragraph()
    with tempfile.TemporaryDirectory() as folder:
        stand_in = Path(folder) / CHART_PICTURE
        stand_in.write_bytes(_stand_in_png())
        paragraph.add_run().add_picture(str(stand_in), width=Cm(17))
    properties = paragraph._p.xpath(".//wp:docPr")[0]
    properties.set("descr", "{{ chart_alt }}")
    properties.set("title", "Chart: KPIs against target")
    _heading(doc, "Actions by rating at the end of each quarter", 3)
    _table(
        doc,
        [
            ["Quarter", "As at", "Red", "Amber", "Green"],
            ["{%tr for q in trend %}", "", "", "", ""],
            ["{{ q.label }}", "{{ q.as_at }}", "{{ q.red }}", "{{ q.amber }}", "{{ q.green }}"],
            ["{%tr endfor %}", "", "", "", ""],
        ],
        [5.0, 6.0, 3.0, 3.0, 3.0],
        "How many actions were red, amber and green at the end of each quarter",
    )
    doc.add_paragraph(
        "The joint commitments: {{ commitment_list }}."
    ).paragraph_format.space_before = Pt(6)

    _heading(doc, "Each body's KPIs", 2, new_page=True)
    _paragraph(
        doc,
        "This year's share, with the change in percentage points since {{ last_year_label }} "
        "in brackets. No data: nothing recorded. Parts and wholes are in the workbook.",
    )
    _table(
        doc,
        [
            ["Body", "{%tc for k in kpi_labels %}", "{{ k }}", "{%tc endfor %}"],
            ["{%tr for row in body_kpis %}", "", "", ""],
            ["{{ row.name }}", "{%tc for v in row.figures %}", "{{ v }}", "{%tc endfor %}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [8.0, 0.3, 3.1, 0.3],
        "Each body's KPIs this year, with the change since last year",
    )


def _denominators(doc) -> None:
    """Wholes that moved more than 25% since last year, by body."""
    _heading(doc, "Denominators that moved more than 25% since last year", 2, new_page=True)
    _paragraph(
        doc,
        "A share out of a very different whole is not the same measure: check these before "
        "comparing the years. {{ flag_sentence }}",
    )
    _paragraph(doc, "{%p if flags %}")
    _table(
        doc,
        [
            ["Body", "{%tc for m in flag_measures %}", "{{ m }}", "{%tc endfor %}"],
            ["{%tr for row in flags %}", "", "", ""],
            ["{{ row.name }}", "{%tc for v in row.figures %}", "{{ v }}", "{%tc endfor %}"],
            ["{%tr endfor %}", "", "", ""],
        ],
        [8.0, 0.3, 3.7, 0.3],
        "Each body's wholes that moved more than 25%: last year to this year",
    )
    _paragraph(doc, "{%p endif %}")


def _content(doc) -> None:
    _summary(doc)
    _heat_map(doc)
    _kpis(doc)
    _denominators(doc)


def _stand_in_png() -> bytes:
    """A small blank PNG that stands in for the chart until a pack is generated."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    width, height = 800, 400
    row = b"\x00" + b"\xff\xff\xff" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


def _properties(doc) -> None:
    properties = doc.core_properties
    properties.title = "Board pack"
    properties.subject = "Modern slavery transparency: where each body stands"
    properties.author = "tisc"
    properties.last_modified_by = "tisc"
    properties.comments = ""
    properties.keywords = "modern slavery, board pack"
    properties.language = "en-GB"
    properties.created = properties.modified = FIXED
    properties.revision = 1


def _no_thumbnail(doc) -> None:
    """python-docx's blank template carries a picture of a page: drop it (no images)."""
    rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(r_id)


def _stable_zip(data: bytes, replace: tuple[bytes, bytes] | None = None) -> bytes:
    """The same bytes on every build: fixed timestamps and order in the zip; `replace` changes
    one text in word/document.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if replace and info.filename == "word/document.xml":
                content = content.replace(*replace)
            target.writestr(entry, content)
    return out.getvalue()


def build() -> bytes:
    """The template's bytes."""
    doc = Document()
    _styles(doc)
    _pack_spacing(doc)
    _page(doc)
    _properties(doc)
    _no_thumbnail(doc)
    # The blank template starts with no paragraphs; the content adds them in order.
    _content(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue(), (MARKER_XML, INK_TAG))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(build())
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
