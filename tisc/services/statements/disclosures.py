"""Which of the Home Office's Level 1 and Level 2 disclosures a statement makes, judged from
the statement and the records behind it (the rules are tisc.rules.disclosures)."""

from __future__ import annotations

from tisc.models import Statement
from tisc.rules.disclosures import Disclosure, StatementFacts, disclosures
from tisc.services.plans.training import list_training
from tisc.services.procurements.figures import procurement_counts
from tisc.services.statements.figures import covered_organisations
from tisc.services.statements.figures_data import StatementFigures
from tisc.services.statements.records import list_risks, written_sections


def statement_disclosures(*, statement: Statement, figures: StatementFigures) -> list[Disclosure]:
    """The twelve disclosures of the statement, each made or not, from its records."""
    shared = [s for s in statement.sections if s.organisation_id is None]
    risks = list_risks(statement=statement)
    total = figures.total.this_year
    found = total.due_diligence
    covered = covered_organisations(statement)
    audiences = {
        record.audience.value
        for org in covered
        for record in list_training(org=org, financial_year=statement.financial_year)
        if record.staff_trained > 0
    }
    facts = StatementFacts(
        written=written_sections(statement=statement),
        texts={s.key: s.text or "" for s in shared},
        has_spend=total.has_spend,
        high_risk_suppliers=total.high_risk_suppliers,
        mapped_beyond_tier1=found.mapped_beyond_tier1 if found else 0,
        assessed=found.assessed if found else 0,
        contract_reviews_discussed=found.contract_reviews_discussed if found else 0,
        risks=len(risks),
        risks_located=sum(1 for r in risks if r.location and r.supply_chain_tier),
        trained_audiences=frozenset(audiences),
        has_last_year=figures.has_last_year,
        procurements_assessed=procurement_counts(
            organisations=covered, financial_year=statement.financial_year
        ).assessed,
    )
    return disclosures(facts)
