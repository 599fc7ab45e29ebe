"""A made-up statement context for trying an uploaded template out ("Try it"), before any real
statement is filled in with it.

It is built the way the real context is (tisc.services.statements.context): the figures are
made-up StatementFigures put through the same as_context(), so a template that fills in with
the sample fills in with a real statement, and the other way round (a test compares their
shapes).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from tisc.rules.kpis import kpi_values
from tisc.rules.risk import RiskLevel
from tisc.services.due_diligence.overview import DueDiligenceFigures
from tisc.services.register.rows import CategorySpend
from tisc.services.statements.context import DRAFT_HEADER, figure_names
from tisc.services.statements.figures import combine
from tisc.services.statements.figures_data import BodyFigures, RagSummary, YearFigures
from tisc.services.statements.summary import glance_chart_alt, glance_rows

YEAR = 2024
NAMES = ("Example Police", "Office of the Example Police and Crime Commissioner")


def _year(financial_year: int, size: int) -> YearFigures:
    due_diligence = DueDiligenceFigures(
        financial_year=financial_year,
        suppliers_over_threshold=6 * size,
        high_risk_over_threshold=2 * size,
        needing_assessment=2 * size,
        assessed=size + 3,
        mapped_beyond_tier1=size,
        plans_requested=size,
        plans_received=size - 1,
        guidance_sent=5 * size,
        contract_reviews=size + 2,
        contract_reviews_discussed=size + 1,
    )
    named = {k: v for k, v in asdict(due_diligence).items() if k != "financial_year"}
    return YearFigures(
        financial_year=financial_year,
        has_spend=True,
        spend=Decimal("48210335.12") / 10 * size,
        suppliers=40 * size,
        over_threshold=6 * size,
        high_risk_suppliers=9 * size,
        due_diligence=due_diligence,
        training=(82 * size, 100 * size),
        kpis=kpi_values(named | {"staff_trained": 82 * size, "staff_in_scope": 100 * size}),
    )


def _body(number: int, name: str) -> BodyFigures:
    size = 10 - 3 * number
    return BodyFigures(
        organisation_id=number,
        name=name,
        this_year=_year(YEAR, size),
        last_year=_year(YEAR - 1, size - 1),
        categories=(
            CategorySpend(1, "Cleaning services", RiskLevel.HIGH, Decimal("812004.50"), 12, 3),
            CategorySpend(2, "Software", RiskLevel.LOW, Decimal("402113.00"), 20, 2),
        ),
        plan=RagSummary(has_plan=True, actions=12, red=1, amber=3, green=8, done=5, overdue=1),
    )


def sample_context() -> dict[str, Any]:
    """Made-up values under every name a statement's template may use."""
    figures = combine(
        statement_id=0,
        financial_year=YEAR,
        as_at=date(2025, 8, 1),
        previous_statement_id=0,
        bodies=[_body(number, name) for number, name in enumerate(NAMES)],
    )
    title = "Joint Modern Slavery Statement 2024/25"
    return {
        "statement": {"title": title, "state": "Draft"},
        "title": title,
        "owner": "Example Region",
        "partnership": "Example Region",
        "year": "2024/25",
        "year_label": "2024/25",
        "year_span": "1 April 2024 to 31 March 2025",
        "period_start": "1 April 2024",
        "period_end": "31 March 2025",
        "joint": True,
        "draft": True,
        "draft_header": DRAFT_HEADER,
        "state": "Draft",
        "generated_on": "1 August 2025",
        "body_count": len(NAMES),
        "body_word": "bodies",
        "sections": [
            {"key": "introduction", "title": "Introduction", "paragraphs": ["Our aims & steps."]},
            {"key": "risk", "title": "Risk", "paragraphs": ["Uniforms are a high risk."]},
        ],
        "bodies": [
            {
                "name": name,
                "paragraphs": [f"What {name} did this year."],
                "signatories": "A. Person, Chief Officer",
                "approved": True,
                "approved_on": "12 September 2025",
                "decision_reference": "Decision 2025/41",
                "sign_line": f"Approved by {name} on 12 September 2025; decision reference "
                "Decision 2025/41; signed by A. Person, Chief Officer.",
                "published_url": "https://example.org/modern-slavery-statement",
            }
            for name in NAMES
        ],
        "approval": {
            "sentence": "Each body covered by this statement has approved it: the dates and "
            "decision references are under Approval and sign-off.",
            "complete": True,
        },
        "risks": [
            {
                "number": 1,
                "body": "All bodies",
                "description": "Forced labour in the making of uniforms",
                "area": "Uniforms",
                "tier": "Tier 2",
                "groups": "Garment workers",
                "location": "South Asia",
                "mitigation": "Audits and a supplier questionnaire",
            }
        ],
        **figure_names(figures),
        "glance": glance_rows(figures, targets={"trained": Decimal(90)}),
        "chart_alt": glance_chart_alt(figures),
        "training": [
            {"audience": "All staff", "trained": "2,000", "in_scope": "2,500", "share": "80.0%"}
        ],
        "caveats": ["£12,345 of spend with 3 suppliers is not yet in a category."],
        "procurement": {
            "sentence": "These figures are counted from the bodies’ records of procurements, "
            "contracts and the central debarment list on 30 September 2025.",
            "rows": [
                {"label": "Procurements with a tender notice in 2025/26", "value": "12"},
                {
                    "label": "Risk-assessed under PPN 009",
                    "value": "10 of 12 (3 high, 4 medium, 3 low)",
                },
                {
                    "label": "Contracts running in 2025/26 with a modern slavery clause",
                    "value": "40 of 55",
                },
            ],
        },
        "goals": {
            "year": "2026/27",
            "sentence": "All 3 bodies have an action plan for 2026/27, with 18 actions against "
            "the joint commitments.",
            "rows": [
                {
                    "commitment": "Every employee is aware of modern slavery",
                    "measure": "Staff in scope who were trained",
                    "this_year": "80.0%",
                    "target": "90%",
                    "actions": "In 3 of 3 plans",
                }
            ],
            "has_targets": True,
        },
    }
