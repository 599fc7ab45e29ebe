"""The statement's section on procurement, contracts and exclusions: every figure counted from
the covered bodies' records (procurements and their PPN 009 assessments, contracts, the
central debarment list and exclusion decisions), none from a body it does not cover."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx
from flask import Flask

from tests.integration.exclusion_support import (
    BY_NUMBER,
    import_list,
    register_with_listed_suppliers,
)
from tests.integration.procurement_support import make_contract, make_procurement
from tests.integration.statement_doc_support import newest, paragraphs, table_headed
from tisc.extensions import db
from tisc.models import Supplier
from tisc.services.accounts import organisations
from tisc.services.exclusions import decisions as exclusion_decisions
from tisc.services.incidents.records import IncidentDetails, add_incident

IN_YEAR = date(2024, 6, 3)  # the statement's year is 2024/25


def test_the_statement_counts_procurements_contracts_and_exclusions(
    app: Flask, statement: int
) -> None:
    make_procurement(app, "alpha-police", "A", tender_notice_on=IN_YEAR,
                     assessed_on=date(2024, 5, 1), overall="high")  # fmt: skip
    make_procurement(
        app,
        "alpha-police",
        "B",
        tender_notice_on=IN_YEAR,
        assessed_on=date(2024, 7, 1),
        overall="low",
    )  # fmt: skip  (late)
    make_procurement(app, "beta-opcc", "C", tender_notice_on=IN_YEAR)  # not assessed
    make_procurement(app, "alpha-police", "Next year", tender_notice_on=date(2025, 4, 2),
                     assessed_on=date(2025, 3, 1), overall="high")  # fmt: skip
    make_procurement(app, "gamma-police", "Not covered", tender_notice_on=IN_YEAR,
                     assessed_on=date(2024, 5, 1), overall="high")  # fmt: skip
    make_contract(app, "alpha-police", title="Uniforms", total="6000000.00", kpis=3, clause=True)
    make_contract(app, "beta-opcc", title="Cleaning", clause=False)
    make_contract(app, "gamma-police", title="Not covered", clause=True)
    ids = register_with_listed_suppliers(app)
    import_list(app)
    with app.app_context():
        exclusion_decisions.add_decision(
            org=organisations.get_organisation(slug="alpha-police"),
            supplier=db.session.get(Supplier, ids[BY_NUMBER]),
            user=None,
            ground="Modern slavery offence",
            decision="excluded",
            decided_on=date(2024, 9, 2),
            notified_on=date(2024, 9, 16),
        )
        db.session.commit()

    document = docx.Document(io.BytesIO(newest(app, statement)))
    rows = {label: value for label, value in table_headed(document, "Measure", "2024/25")[1:]}
    listed = next(label for label in rows if label.startswith("Suppliers on the central"))
    assert rows == {
        "Procurements with a tender notice in 2024/25": "3",
        "Risk-assessed under PPN 009": "2 of 3 (1 high, 0 medium, 1 low)",
        "Assessed after the tender notice": "1",
        "Contracts running in 2024/25 with a modern slavery clause": "1 of 2",
        "Contracts over £5m with fewer than three KPIs": "0",
        listed: "2 (1 on a mandatory ground)",
        "Exclusion decisions recorded in 2024/25": "1",
        "Exclusions not yet notified to the Procurement Review Unit after 30 days": "0",
        "Incidents with indicators of forced labour found in 2024/25": "0",
        "Of them, referred to the National Referral Mechanism": "0",
    }
    texts = paragraphs(document)
    heading = texts.index("Procurement, contracts and exclusions")
    assert texts[heading + 1].startswith(
        "These figures are counted from the bodies’ records of procurements, contracts and the "
        "central debarment list on "
    )
    assert listed.endswith(texts[heading + 1].split(" list on ")[1].split(".")[0])  # one date


def test_the_statement_counts_the_covered_bodies_incidents_never_their_details(
    app: Flask, statement: int
) -> None:
    found = IncidentDetails(
        found_on=IN_YEAR,
        tier="1",
        indicators=["wages"],
        source="audit",
        referrals=["nrm"],
        remediation_types=["payment"],
        status="open",
        summary="Outline never printed",
    )
    closed = replace(found, status="closed", closed_on=date(2024, 8, 1), outcome="Repaid")
    with app.app_context():
        for slug, details in (
            ("alpha-police", found),
            ("beta-opcc", replace(closed, referrals=["none"])),
            ("alpha-police", replace(found, found_on=date(2025, 4, 1))),  # the next year
            ("gamma-police", found),  # not covered
        ):
            add_incident(
                org=organisations.get_organisation(slug=slug),
                user=None,
                details=details,
                today=date(2025, 6, 1),
            )
        db.session.commit()
    document = docx.Document(io.BytesIO(newest(app, statement)))
    rows = {label: value for label, value in table_headed(document, "Measure", "2024/25")[1:]}
    assert rows["Incidents with indicators of forced labour found in 2024/25"] == (
        "2 (1 closed, 1 open)"
    )
    assert rows["Of them, referred to the National Referral Mechanism"] == "1"
    assert not [text for text in paragraphs(document) if "Outline never printed" in text]
