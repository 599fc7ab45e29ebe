"""Build statements/statement.docx, the default docxtpl template of the modern slavery statement.

Usage: .venv/bin/python scripts/build-statement-template.py [OUT]   (default: statements/)

Made with python-docx rather than by hand in Word, so that it is reviewable and the same
bytes come out every time (fixed dates in the properties and in the zip). It is an accessible
document (DOMAIN.md, "Accessibility and documents"): A4 portrait, Arial 12pt and larger, real
Heading 1, 2 and 3 styles, a document title (set by the generator), table header rows that
repeat on every page, table captions, a contents list, page numbers, and no images at all.
A draft says it is a draft, not approved, in the header of every page.

The context the tags read is made by tisc.services.statements.context.document_context
(figures: tisc.services.statements.figures_data.StatementFigures.as_context). Shared helpers
(fonts, fields, a zip with fixed timestamps) come from build-board-template.py.
"""

from __future__ import annotations

import io
import runpy
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "statements" / "statement.docx"
BOARD = runpy.run_path(str(HERE / "build-board-template.py"))
FIXED = BOARD["FIXED"]
SIZES = {"Header": 12, "Heading 1": 20, "Heading 2": 16, "Heading 3": 13, "Title": 26}
TOTAL = "{{ figures.total.name }}"
# Conditional columns: docxtpl drops a cell that holds a {%tc %} tag.
IF_LAST, END = "{%tc if figures.has_last_year %}", "{%tc endif %}"


def _styles(doc) -> None:
    BOARD["_styles"](doc)  # Arial everywhere; Normal 12pt, headings bold and black
    for name, size in SIZES.items():
        style = doc.styles[name]
        BOARD["_fonts"](style.element)
        style.font.size = Pt(size)
    doc.styles["Header"].font.bold = True


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


def _contents_field(doc) -> None:
    """A Word contents field (headings 1 and 2); Word fills it in when fields are updated."""
    paragraph = doc.add_paragraph()

    def mark(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(char)

    mark("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = ' TOC \\o "1-2" \\h \\z \\u '
    paragraph.add_run()._r.append(code)
    mark("separate")
    paragraph.add_run("In Word, update this field (F9) to list the pages of each part.")
    mark("end")


def _table(doc, rows: list[list[str]], widths: list[float], caption: str, bold_last=False):
    """A grid table whose first row is a header that repeats on every page.

    A row whose first cell starts with {%tr is a docxtpl tag and vanishes on rendering.
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
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].add_run(text).bold = (index == 0 or last) or None
    return table


def _loop(doc, tag: str) -> None:
    doc.add_paragraph(tag)


def _rows(loop: str, cells: list[str]) -> list[list[str]]:
    """A docxtpl row loop: the opening tag row, the repeated row and the closing tag row."""
    pad = [""] * (len(cells) - 1)
    return [[f"{{%tr {loop} %}}", *pad], cells, ["{%tr endfor %}", *pad]]


def _summary_tables(doc) -> None:
    doc.add_heading("Spend and suppliers", 2)
    doc.add_paragraph(
        "Non-pay spend is the net of the payments in the bodies' finance records for the year. "
        "A supplier is over the threshold when its spend, or a contract's annual value, is more "
        "than the threshold (£50,000 unless the partnership set another)."
    )
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
        [5.0, 3.6, 2.8, 2.8, 2.8],
        "Non-pay spend and suppliers of each body",
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
        [5.0, 3.3, 3.3, 2.7, 2.7],
        "Spend and suppliers over the threshold this year and last year",
    )
    _loop(doc, "{%p endif %}")
    doc.add_heading("Due diligence", 2)
    keys = (
        "assessed",
        "mapped_beyond_tier1",
        "plans_received",
        "guidance_sent",
        "contract_reviews_discussed",
    )
    _table(
        doc,
        [
            [
                "Body",
                "Assessed",
                "Mapped beyond Tier 1",
                "Plans received",
                "Guidance sent",
                "Contract reviews discussing it",
            ],
            *_rows(
                "for f in figures.shown",
                ["{{ f.name }}"] + [f"{{{{ f.due_diligence.{key} }}}}" for key in keys],
            ),
        ],
        [4.2, 2.5, 2.5, 2.5, 2.4, 2.9],
        "Due diligence of each body: tier A and B suppliers assessed, tier A suppliers mapped "
        "and their staff engagement plans, suppliers over the threshold sent guidance, and "
        "contract reviews that discussed modern slavery",
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
        [4.0, 2.3, 1.6, 2.0, 2.0, 1.7, 2.4],
        "Each body's action plan: actions at each rating, done and overdue",
    )


def _body_tables(doc) -> None:
    doc.add_heading("Figures by body", 1)
    doc.add_paragraph(
        "Each body's figures in full{% if figures.has_last_year %}, beside last year's"
        "{% endif %}{% if figures.show_total %}, then all bodies together{% endif %}."
    )
    _loop(doc, "{%p for f in figures.shown %}")
    doc.add_heading("{{ f.name }}", 2)
    doc.add_heading("Key figures", 3)
    _table(
        doc,
        [
            ["Figure", "{{ figures.year_label }}", IF_LAST, "{{ figures.last_year_label }}", END],
            *_rows(
                "for row in f.rows",
                ["{{ row.label }}", "{{ row.this_year }}", IF_LAST, "{{ row.last_year }}", END],
            ),
        ],
        [7.4, 4.5, 0.2, 4.5, 0.2],
        "Key figures of the body for the year",
    )
    doc.add_heading("Spend by category and risk level", 3)
    _loop(doc, "{%p if f.categories %}")
    row = ["{{ c.name }}", "{{ c.risk }}", "{{ c.spend }}", "{{ c.suppliers }}"]
    _table(
        doc,
        [
            ["Category", "Risk level", "Spend", "Suppliers paid", "Over the threshold"],
            *_rows("for c in f.categories", [*row, "{{ c.over_threshold }}"]),
        ],
        [6.0, 2.3, 3.4, 2.5, 2.6],
        "Spend by category, with each category's modern slavery risk level",
    )
    _loop(doc, "{%p else %}")
    doc.add_paragraph("No spend recorded.")
    _loop(doc, "{%p endif %}")
    doc.add_heading("High-risk categories", 3)
    _loop(doc, "{%p if f.high_risk_categories %}")
    _table(
        doc,
        [
            ["Category", "Spend", "Suppliers paid", "Over the threshold"],
            *_rows(
                "for c in f.high_risk_categories",
                ["{{ c.name }}", "{{ c.spend }}", "{{ c.suppliers }}", "{{ c.over_threshold }}"],
            ),
        ],
        [7.0, 3.6, 3.0, 3.2],
        "Spend and suppliers in the categories rated high risk",
    )
    _loop(doc, "{%p else %}")
    doc.add_paragraph("No spend in categories rated high risk.")
    _loop(doc, "{%p endif %}")
    doc.add_heading("KPIs", 3)
    kpi = [
        "{{ k.label }}",
        "{{ k.this_year }}",
        IF_LAST,
        "{{ k.last_year }}",
        "{{ k.change }}",
        END,
    ]
    _table(
        doc,
        [
            [
                "KPI",
                "{{ figures.year_label }}",
                IF_LAST,
                "{{ figures.last_year_label }}",
                "Change",
                END,
            ],
            *_rows("for k in f.kpis", kpi),
        ],
        [5.4, 3.4, 0.2, 3.4, 2.8, 0.2],
        "The body's KPIs, computed from its records",
    )
    _loop(doc, "{%p endfor %}")


def _content(doc) -> None:
    doc.add_heading("{{ title }}", 1)
    doc.add_paragraph("{{ owner }}: financial year {{ year_label }} ({{ year_span }}).")
    doc.add_paragraph(
        "The figures in this statement were computed from the bodies' records on "
        "{{ generated_on }}."
    )
    _loop(doc, "{%p if draft %}")
    doc.add_paragraph("This is a draft. It has not been approved and must not be published.")
    _loop(doc, "{%p endif %}")
    doc.add_heading("Contents", 2)
    _contents_field(doc)
    _loop(doc, "{%p for section in sections %}")
    doc.add_paragraph("{{ section.title }}", "List Bullet")
    _loop(doc, "{%p endfor %}")
    for line in (
        "The bodies and their part",
        "Our figures for {{ year_label }}",
        "Figures by body",
        "Risks",
        "Approval and sign-off",
    ):
        doc.add_paragraph(line, "List Bullet")

    _loop(doc, "{%p for section in sections %}")
    doc.add_heading("{{ section.title }}", 1)
    _loop(doc, "{%p for paragraph in section.paragraphs %}")
    doc.add_paragraph("{{ paragraph }}")
    _loop(doc, "{%p endfor %}")
    _loop(doc, "{%p endfor %}")

    doc.add_heading("The bodies and their part", 1)
    doc.add_paragraph("This statement covers {{ body_count }} {{ body_word }}.")
    _loop(doc, "{%p for body in bodies %}")
    doc.add_heading("{{ body.name }}", 2)
    _loop(doc, "{%p for paragraph in body.paragraphs %}")
    doc.add_paragraph("{{ paragraph }}")
    _loop(doc, "{%p endfor %}")
    doc.add_paragraph("Signed for {{ body.name }} by {{ body.signatories }}.")
    _loop(doc, "{%p endfor %}")

    doc.add_heading("Our figures for {{ year_label }}", 1)
    _summary_tables(doc)
    _body_tables(doc)

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
    )
    _loop(doc, "{%p endfor %}")
    _loop(doc, "{%p else %}")
    doc.add_paragraph("No risks are described in this statement yet.")
    _loop(doc, "{%p endif %}")

    doc.add_heading("Approval and sign-off", 1)
    doc.add_paragraph("Each body approved this statement as below.")
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
    )


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
