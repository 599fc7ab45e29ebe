"""The incident counts the board and the statement read, for a set of bodies and a financial
year: never an incident's details."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from tisc.database import db
from tisc.models import Incident, Organisation
from tisc.rules.incidents import (
    IncidentCounts,
    IncidentFacts,
    Indicator,
    Referral,
    Remediation,
    count_incidents,
    parse_keys,
)
from tisc.rules.years import FinancialYear


def incident_counts(
    *, organisations: Sequence[Organisation], financial_year: int
) -> IncidentCounts:
    """The incidents the bodies found in the financial year: how many, how many of them are
    open and closed now, and by indicator, remediation type and referral."""
    year = FinancialYear(financial_year)
    rows = db.session.execute(
        select(
            Incident.found_on,
            Incident.status,
            Incident.indicators,
            Incident.remediation_types,
            Incident.referrals,
        ).where(
            Incident.organisation_id.in_([org.id for org in organisations]),
            Incident.found_on.between(year.starts, year.ends),
        )
    ).all()
    return count_incidents(
        IncidentFacts(
            found_on=row.found_on,
            status=row.status,
            indicators=tuple(parse_keys(row.indicators, Indicator)),
            remediations=tuple(parse_keys(row.remediation_types, Remediation)),
            referrals=tuple(parse_keys(row.referrals, Referral)),
        )
        for row in rows
    )
