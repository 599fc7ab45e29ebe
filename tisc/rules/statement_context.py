"""The names a statement's Word template reads: the top-level keys of the context that
tisc.services.statements.context.document_context gives the template. One list, read by the
code that builds the context, by the made-up context "Try it" fills templates with, and by the
check on an uploaded template (which refuses any other name). No database here.
"""

from __future__ import annotations

CONTEXT_NAMES: tuple[str, ...] = (
    "statement",  # {title, state}
    "title",
    "owner",  # the partnership (joint statement) or the body (its own statement)
    "partnership",
    "year",  # "2024/25"
    "year_label",
    "year_span",  # "1 April 2024 to 31 March 2025"
    "period_start",
    "period_end",
    "joint",
    "draft",
    "draft_header",  # the draft warning until approved, else ""
    "state",
    "generated_on",
    "body_count",
    "body_word",  # "body" or "bodies"
    "sections",  # the joint sections: key, title, paragraphs
    "bodies",  # each body: name, paragraphs, signatories, approval, publication
    "risks",
    "figures",  # tisc.services.statements.figures.StatementFigures.as_context
    "total",
    "last_year",
    "approval",  # {sentence, complete}: what the records say of the approval, and no more
    "glance",  # the headline figures: label, this_year, last_year, change, target
    "chart_alt",  # the alt text of the glance's chart (the picture named statement-chart.png)
    "training",  # staff trained by audience: audience, trained, in_scope, share
    "caveats",  # sentences on the data: uncategorised spend, suppliers counted per body
    "procurement",  # {sentence, rows (label, value)}: the Procurement Act 2023 figures
    "goals",  # next year: {year, sentence, rows (commitment, measure, this_year, target,
    # actions), has_targets}
)

PLACEHOLDERS: frozenset[str] = frozenset(CONTEXT_NAMES)
