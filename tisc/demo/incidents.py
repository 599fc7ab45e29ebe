"""Demo incidents: the first body's log holds two closed incidents with their remediation and
one still open, all found in the financial year of the demo's today (so the board's counts
show them). Invented, and like every incident they name no person."""

from __future__ import annotations

from datetime import date, timedelta

from tisc.demo.exclusions import LISTED
from tisc.models import Organisation
from tisc.rules.years import FinancialYear
from tisc.services.accounts.users import find_user
from tisc.services.incidents.records import IncidentDetails, add_incident
from tisc.services.register.suppliers import find_supplier_by_name


def _day(today: date, days_ago: int) -> date:
    """A day so many days ago, but not before the start of today's financial year."""
    return max(today - timedelta(days=days_ago), FinancialYear.containing(today).starts)


def seed_incidents(*, orgs: list[Organisation], today: date) -> None:
    """Three incidents in the first body's log (after seed_exclusions: one names its car wash)."""
    org = orgs[0]
    lead = find_user(email=f"statement.{org.slug}@example.org")
    car_wash = find_supplier_by_name(org=org, name=LISTED[0])
    found = [
        IncidentDetails(
            found_on=_day(today, 120),
            supplier_id=car_wash.id,
            tier="1",
            indicators=["wages", "documents", "conditions", "debt"],
            source="force_unit",
            summary="Workers at a site of the supplier's had their passports held and were "
            "paid below the minimum wage after deductions for housing.",
            referrals=["nrm", "force_unit", "glaa"],
            remediation_types=["payment", "support", "exit"],
            remediation="Wages owed were paid through the supplier before exit; workers were "
            "offered support through a specialist charity.",
            outcome="Wages owed repaid in full; the contract ended and the supplier was "
            "excluded from the next procurement.",
            status="closed",
            closed_on=_day(today, 40),
        ),
        IncidentDetails(
            found_on=_day(today, 90),
            tier="2",
            indicators=["overtime", "vulnerability"],
            source="audit",
            summary="A subcontracted cleaning agency's rotas showed shifts well beyond the "
            "working-time limits for agency staff recruited from abroad.",
            referrals=["helpline"],
            remediation_types=["corrective_plan", "contract_change"],
            remediation="The agency agreed a corrective plan; the contract now requires "
            "rotas to be shared every quarter.",
            outcome="Rotas checked for two quarters within the limits.",
            status="closed",
            closed_on=_day(today, 10),
        ),
        IncidentDetails(
            found_on=_day(today, 14),
            tier="unknown",
            indicators=["deception", "wages"],
            source="worker_voice",
            summary="A worker-voice survey reported recruitment fees charged to staff of a "
            "uniform supplier's factory.",
            referrals=["none"],
            remediation_types=["corrective_plan"],
            remediation="The supplier has been asked for its recruitment records.",
            status="open",
        ),
    ]
    for details in found:
        add_incident(org=org, user=lead, details=details, today=today)
