"""Build statements/statement.docx, the default docxtpl template of the modern slavery statement.

Usage: .venv/bin/python scripts/build-statement-template.py [OUT]   (default: statements/)

Made with python-docx rather than by hand in Word, so that it is reviewable and the same
bytes come out every time (fixed dates in the properties and in the zip). It is an accessible
document (DOMAIN.md, "Accessibility and documents"): A4 portrait, Arial 12pt and larger, real
Heading 1 and 2 styles, a document title (set by the generator), table header rows that
repeat on every page, table captions, numbers right-aligned, page numbers, and one picture: a
stand-in for the chart of "The year at a glance", which the generator replaces with the chart
drawn from the document's figures, with alt text that says every value. No contents field:
Word would leave it unfilled ("update this field") and the statement is short.

The order follows the Home Office's guidance: the year at a glance, the six areas (structure,
policies, risk, due diligence, training, progress), training by audience and the caveats of
the figures, risks, each body's part and approval, then an annex of one row per body.
A draft says it is a draft, not approved, in the header of every page.

The context the tags read is made by tisc.services.statements.context.document_context
(figures: tisc.services.statements.figures_data.StatementFigures.as_context). Shared helpers
(fonts, fields, a zip with fixed timestamps) come from build-board-template.py.
"""

from __future__ import annotations

import io
import runpy
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "statements" / "statement.docx"
BOARD = runpy.run_path(str(HERE / "build-board-template.py"))
FIXED = BOARD["FIXED"]
SIZES = {"Header": 12, "Heading 1": 20, "Heading 2": 16, "Heading 3": 13, "Title": 26}
TOTAL = "{{ figures.total.name }}"
CHART_PICTURE = "statement-chart.png"  # tisc.services.statements.documents.CHART_PICTURE
# Conditional columns: docxtpl drops a cell that holds a {%tc %} tag.
IF_LAST, END = "{%tc if figures.has_last_year %}", "{%tc endif %}"
IF_TARGETS = "{%tc if goals.has_targets %}"


def _styles(doc) -> None:
    BOARD["_styles"](doc)  # Arial everywhere; Normal 12pt, headings bold and black
    for name, size in SIZES.items():
        style = doc.styles[name]
        BOARD["_fonts"](style.element)
        style.font.size = Pt(size)
    doc.styles["Header"].font.bold = True
    # Captions read like body text; the style makes them captions in the tagged PDF.
    caption = doc.styles["Caption"]
    BOARD["_fonts"](caption.element)
    caption.font.size = Pt(12)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = BOARD["BLACK"]


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run("{% if draft %}DRAFT – not approved{% endif %}")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run("{{ title }}. Page ")
    BOARD["_field"](footer, "PAGE")
    footer.add_run(" of ")
    BOARD["_field"](footer, "NUMPAGES")


def _table(
    doc,
    rows: list[list[str]],
    widths: list[float],
    caption: str,
    bold_last=False,
    numbers_from: int | None = 1,
    numbers_to: int | None = None,
):
    """A grid table whose first row is a header that repeats on every page.

    A row whose first cell starts with {%tr is a docxtpl tag and vanishes on rendering.
    Columns from `numbers_from` on (to `numbers_to`, when given) hold numbers: right-aligned,
    so that digits line up.
    """
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    if min(widths) >= 1:
        # LibreOffice sizes columns from the table grid, Word from the cells: set both, so
        # long body names get a wide first column everywhere. Tables with vanishing
        # {%tc %} columns keep an even grid, which docxtpl rewrites as it drops them.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    properties = table._tbl.tblPr
    for tag in ("w:tblCaption", "w:tblDescription"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), caption)
        properties.append(element)
    for index, texts in enumerate(rows):
        row = table.rows[index]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        last = bold_last and index == len(rows) - 2
        for column, (cell, text, width) in enumerate(zip(row.cells, texts, widths, strict=True)):
            cell.width = Cm(width)
            cell.paragraphs[0].add_run(text).bold = (index == 0 or last) or None
            if (
                numbers_from is not None
                and column >= numbers_from
                and (numbers_to is None or column <= numbers_to)
            ):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _loop(doc, tag: str) -> None:
    doc.add_paragraph(tag)


def _rows(loop: str, cells: list[str]) -> list[list[str]]:
    """A docxtpl row loop: the opening tag row, the repeated row and the closing tag row."""
    pad = [""] * (len(cells) - 1)
    return [[f"{{%tr {loop} %}}", *pad], cells, ["{%tr endfor %}", *pad]]


def _glance(doc) -> None:
    """The year at a glance: the headline figures, last year beside them, and their chart."""
    doc.add_heading("The year at a glance", 1)
    doc.add_paragraph(
        "{% if joint %}All {{ body_count }} bodies together{% else %}Our figures{% endif %} "
        "for {{ year_label }}{% if figures.has_last_year %}, beside "
        "{{ figures.last_year_label }}{% endif %}, from our registers, due diligence and "
        "training records."
    )
    _table(
        doc,
        [
            [
                "Figure",
                "{{ figures.year_label }}",
                IF_LAST,
                "{{ figures.last_year_label }}",
                "Change",
                END,
                IF_TARGETS,
                "Target",
                END,
            ],
            *_rows(
                "for row in glance",
                [
                    "{{ row.label }}",
                    "{{ row.this_year }}",
                    IF_LAST,
                    "{{ row.last_year }}",
                    "{{ row.change }}",
                    END,
                    IF_TARGETS,
                    "{{ row.target }}",
                    END,
                ],
            ),
        ],
        [4.9, 2.9, 0.2, 2.9, 3.3, 0.2, 0.2, 2.2, 0.2],
        "The year at a glance: headline figures{% if figures.has_last_year %} beside last "
        "year's{% endif %}",
    )
    doc.add_paragraph(
        "Shares are of the suppliers, reviews or staff each one counts; a change in a share "
        "is in percentage points, the difference between the two values shown."
    )
    paragraph = doc.add_paragraph()
    with tempfile.TemporaryDirectory() as folder:
        stand_in = Path(folder) / CHART_PICTURE
        stand_in.write_bytes(_stand_in_png())
        paragraph.add_run().add_picture(str(stand_in), width=Cm(16.5))
    properties = paragraph._p.xpath(".//wp:docPr")[0]
    properties.set("descr", "{{ chart_alt }}")
    properties.set("title", "Chart: the year at a glance")
    doc.add_paragraph(
        "Chart: the shares above{% if figures.has_last_year %}, {{ figures.year_label }} "
        "beside {{ figures.last_year_label }}{% endif %}{% if goals.has_targets %}, each "
        "target marked by a black line{% endif %}.",
        "Caption",
    )


def _stand_in_png() -> bytes:
    """A small blank PNG that stands in for the chart until a document is generated."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    width, height = 800, 300
    row = b"\x00" + b"\xff\xff\xff" * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


def _procurement(doc) -> None:
    """Procurement, contracts and exclusions under the Procurement Act 2023 and PPN 009: every
    value counted from the records when the statement is generated."""
    doc.add_heading("Procurement, contracts and exclusions", 1)
    doc.add_paragraph("{{ procurement.sentence }}")
    _table(
        doc,
        [
            ["Measure", "{{ year_label }}"],
            *_rows("for row in procurement.rows", ["{{ row.label }}", "{{ row.value }}"]),
        ],
        [11.0, 6.0],
        "Procurement, contracts and exclusions in {{ year_label }}{% if joint %}, all bodies "
        "together{% endif %}",
        numbers_from=None,
    )


def _goals(doc) -> None:
    """Next year's goals: what the action plans hold, each joint commitment's measure, this
    year's share, the target and the actions planned."""
    doc.add_heading("Our goals for {{ goals.year }}", 1)
    doc.add_paragraph("{{ goals.sentence }}")
    _loop(doc, "{%p if goals.rows %}")
    _table(
        doc,
        [
            [
                "Commitment",
                "Measure",
                "{{ year_label }}",
                "Target",
                "{% if joint %}Plans for {{ goals.year }}{% else %}Our actions{% endif %}",
            ],
            *_rows(
                "for g in goals.rows",
                [
                    "{{ g.commitment }}",
                    "{{ g.measure }}",
                    "{{ g.this_year }}",
                    "{{ g.target }}",
                    "{{ g.actions }}",
                ],
            ),
        ],
        # Every column always shows (a target not set says so), so the widths hold.
        [4.3, 3.5, 2.2, 1.9, 5.1],
        "Our goals for {{ goals.year }}: each joint commitment, its measure, {{ year_label }}'s "
        "figure, the target and the actions planned",
        numbers_from=2,
        numbers_to=3,
    )
    _loop(doc, "{%p endif %}")


def _about_the_figures(doc) -> None:
    doc.add_heading("Training by audience", 1)
    _loop(doc, "{%p if training %}")
    _table(
        doc,
        [
            ["Audience", "Trained", "In scope", "Share trained"],
            *_rows(
                "for t in training",
                ["{{ t.audience }}", "{{ t.trained }}", "{{ t.in_scope }}", "{{ t.share }}"],
            ),
        ],
        [6.6, 3.4, 3.4, 3.6],
        "Staff trained of the staff in scope, by audience",
    )
    _loop(doc, "{%p else %}")
    doc.add_paragraph("No training is recorded for {{ year_label }}.")
    _loop(doc, "{%p endif %}")
    doc.add_heading("About these figures", 1)
    _loop(doc, "{%p for caveat in caveats %}")
    doc.add_paragraph("{{ caveat }}", "List Bullet")
    _loop(doc, "{%p endfor %}")
    doc.add_paragraph(
        "Non-pay spend is the net of the payments in the finance records for the year, rounded "
        "to the pound in tables. A supplier is over the threshold when its spend, or a "
        "contract's annual value, is more than the threshold (£50,000 unless the partnership "
        "set another)."
    )


def _annex(doc) -> None:
    """The figures of each body, in tables of one row per body."""
    doc.add_heading(
        "{% if joint %}Annex: figures by body{% else %}Annex: our figures{% endif %}", 1
    )
    doc.add_heading("Spend and suppliers", 2)
    body = [
        "{{ f.name }}",
        "{{ f.spend }}",
        "{{ f.suppliers }}",
        "{{ f.over_threshold }}",
        "{{ f.high_risk_suppliers }}",
    ]
    total = [c.replace("f.", "figures.total.") for c in body]
    _table(
        doc,
        [
            ["Body", "Non-pay spend", "Suppliers paid", "Over the threshold", "High-risk"],
            *_rows("for f in figures.bodies", body),
            ["{%tr if figures.show_total %}", "", "", "", ""],
            total,
            ["{%tr endif %}", "", "", "", ""],
        ],
        [5.6, 3.6, 2.6, 2.6, 2.6],
        "Non-pay spend and suppliers of each body",
        bold_last=True,
    )
    _loop(doc, "{%p if figures.has_last_year %}")
    doc.add_heading("Last year beside this year", 2)
    body = [
        "{{ f.name }}",
        "{{ f.spend }}",
        "{{ f.last_year_spend }}",
        "{{ f.over_threshold }}",
        "{{ f.last_year_over_threshold }}",
    ]
    _table(
        doc,
        [
            [
                "Body",
                "Spend {{ figures.year_label }}",
                "Spend {{ figures.last_year_label }}",
                "Over the threshold {{ figures.year_label }}",
                "Over the threshold {{ figures.last_year_label }}",
            ],
            *_rows("for f in figures.shown", body),
        ],
        [5.0, 3.4, 3.4, 2.6, 2.6],
        "Spend and suppliers over the threshold this year and last year",
    )
    _loop(doc, "{%p endif %}")
    doc.add_heading("Key performance indicators", 2)
    keys = ("assessed", "mapped", "plans", "guidance", "reviews", "trained")
    _table(
        doc,
        [
            ["Body", "Assessed", "Mapped", "Plans", "Guidance", "Reviews", "Trained"],
            *_rows(
                "for f in figures.shown",
                ["{{ f.name }}"] + [f"{{{{ f.shares.{key} }}}}" for key in keys],
            ),
        ],
        [3.3, 2.5, 2.3, 1.7, 2.6, 2.3, 2.3],
        "Each body's KPIs as shares: tier A and B suppliers assessed, tier A suppliers mapped "
        "beyond Tier 1 and their staff engagement plans received, suppliers over the threshold "
        "sent guidance, contract reviews that discussed modern slavery, staff in scope trained",
    )
    doc.add_paragraph(
        "Assessed: tier A and B suppliers assessed. Mapped: tier A suppliers mapped beyond "
        "Tier 1. Plans: tier A suppliers' staff engagement plans received. Guidance: suppliers "
        "over the threshold sent guidance. Reviews: contract reviews that discussed modern "
        "slavery. Trained: staff in scope who were trained."
    )
    doc.add_heading("Action plans", 2)
    cells = ["actions", "red", "amber", "green", "done", "overdue"]
    _table(
        doc,
        [
            ["Body", "Actions", "Red", "Amber", "Green", "Done", "Overdue"],
            *_rows(
                "for f in figures.shown",
                ["{{ f.name }}", *(f"{{{{ f.plan.{c} }}}}" for c in cells)],
            ),
        ],
        [4.4, 2.3, 1.6, 2.0, 2.0, 1.7, 2.4],
        "Each body's action plan: actions at each rating, done and overdue",
    )
    doc.add_heading("Spend by category and risk level", 2)
    _loop(doc, "{%p if figures.total.categories %}")
    row = ["{{ c.name }}", "{{ c.risk }}", "{{ c.spend }}", "{{ c.suppliers }}"]
    _table(
        doc,
        [
            ["Category", "Risk level", "Spend", "Suppliers paid", "Over the threshold"],
            *_rows("for c in figures.total.categories", [*row, "{{ c.over_threshold }}"]),
        ],
        [5.6, 2.4, 3.6, 2.6, 2.8],
        "Spend by category{% if joint %}, all bodies together{% endif %}, with each "
        "category's modern slavery risk level",
        numbers_from=2,
    )
    _loop(doc, "{%p else %}")
    doc.add_paragraph("No spend recorded.")
    _loop(doc, "{%p endif %}")


def _content(doc) -> None:
    doc.add_heading("{{ title }}", 1)
    doc.add_paragraph("{{ owner }}: financial year {{ year_label }} ({{ year_span }}).")
    doc.add_paragraph("{{ approval.sentence }}")
    doc.add_paragraph(
        "The figures in this statement were computed from the records on {{ generated_on }}."
    )
    _loop(doc, "{%p if draft %}")
    doc.add_paragraph("This is a draft. It has not been approved and must not be published.")
    _loop(doc, "{%p endif %}")

    _glance(doc)

    _loop(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", 1)
    _loop(doc, "{%p for paragraph in section.paragraphs %}")
    doc.add_paragraph("{{ paragraph }}")
    _loop(doc, "{%p endfor %}")
    _loop(doc, "{%p endfor %}")

    _procurement(doc)
    _goals(doc)
    _about_the_figures(doc)

    doc.add_heading("Risks", 1)
    _loop(doc, "{%p if risks %}")
    doc.add_paragraph("The risks of modern slavery we found, with what we are doing about them.")
    _loop(doc, "{%p for risk in risks %}")
    doc.add_heading("Risk {{ risk.number }}: {{ risk.area }}", 2)
    doc.add_paragraph("{{ risk.description }}")
    answers = [
        ("Body", "risk.body"),
        ("Area", "risk.area"),
        ("Supply-chain tier", "risk.tier"),
        ("Groups affected", "risk.groups"),
        ("Location", "risk.location"),
        ("Mitigation", "risk.mitigation"),
    ]
    _table(
        doc,
        [["Question", "Answer"], *([label, f"{{{{ {key} }}}}"] for label, key in answers)],
        [5.0, 12.0],
        "Where the risk is, who it affects and how it is mitigated",
        numbers_from=None,
    )
    _loop(doc, "{%p endfor %}")
    _loop(doc, "{%p else %}")
    doc.add_paragraph("No risks are described in this statement yet.")
    _loop(doc, "{%p endif %}")

    doc.add_heading("{% if joint %}The bodies and their part{% else %}Our own part{% endif %}", 1)
    _loop(doc, "{%p for body in bodies %}")
    _loop(doc, "{%p if joint %}")
    doc.add_heading("{{ body.name }}", 2)
    _loop(doc, "{%p endif %}")
    _loop(doc, "{%p for paragraph in body.paragraphs %}")
    doc.add_paragraph("{{ paragraph }}")
    _loop(doc, "{%p endfor %}")
    doc.add_paragraph("{{ body.sign_line }}")
    _loop(doc, "{%p endfor %}")

    doc.add_heading("Approval and sign-off", 1)
    doc.add_paragraph("{{ approval.sentence }}")
    _table(
        doc,
        [
            ["Body", "Signed by", "Approved on", "Decision reference"],
            *_rows(
                "for body in bodies",
                [
                    "{{ body.name }}",
                    "{{ body.signatories }}",
                    "{{ body.approved_on }}",
                    "{{ body.decision_reference }}",
                ],
            ),
        ],
        [4.5, 5.5, 3.2, 3.8],
        "Each body's signatories, approval date and decision reference",
        numbers_from=None,
    )

    _annex(doc)


def _properties(doc) -> None:
    properties = doc.core_properties
    properties.title = "Modern slavery statement"
    properties.subject = "Modern slavery and human trafficking statement"
    properties.author = "tisc"
    properties.last_modified_by = "tisc"
    properties.comments = ""
    properties.keywords = "modern slavery, transparency in supply chains, statement"
    properties.language = "en-GB"
    properties.created = properties.modified = FIXED
    properties.revision = 1


def build() -> bytes:
    """The template's bytes."""
    doc = Document()
    _styles(doc)
    _page(doc)
    _properties(doc)
    BOARD["_no_thumbnail"](doc)
    _content(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return BOARD["_stable_zip"](buffer.getvalue())


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(build())
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
