"""Records for the procurement and contract management tests, made through the services, and
the forms as a browser posts them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask

from tests.integration.register_support import Pay, import_payments, supplier_id
from tests.integration.table_snapshot import snapshot as table_rows
from tisc.extensions import db
from tisc.models import Procurement, Supplier
from tisc.rules.ppn009 import Characteristic, Mitigation
from tisc.services.accounts import organisations
from tisc.services.procurements import contract_management, ppn009, procurements
from tisc.services.register import contracts

TABLES = ("procurements", "ppn009_assessments", "contracts", "contract_kpis", "contract_ratings")
CHARACTERISTICS = [c.value for c in Characteristic]


def snapshot(app: Flask) -> dict[str, list[str]]:
    """Every row of the procurement tables, to show a refused request changed nothing."""
    return table_rows(app, TABLES)


def make_contract(
    app: Flask,
    slug: str,
    supplier: str = "Clean Co Ltd",
    *,
    title: str = "Cleaning of stations",
    total: str | None = None,
    annual: str = "60000.00",
    clause: bool | None = None,
    kpis: int = 0,
    start: date = date(2024, 4, 1),
    end: date = date(2027, 3, 31),
) -> int:
    """A contract with a supplier bought from in 2024/25 (imported if new), with `kpis` KPIs."""
    try:
        supplier_id(app, slug, supplier)
    except AssertionError:  # not bought from yet
        import_payments(app, slug, Pay(supplier, "2024-05-01", "100.00"))
    sid = supplier_id(app, slug, supplier)
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        contract = contracts.add_contract(
            org=org,
            supplier=db.session.get(Supplier, sid),
            user=None,
            title=title,
            reference=None,
            start_date=start,
            end_date=end,
            annual_value=Decimal(annual),
            total_value=Decimal(total) if total else None,
            modern_slavery_clause=clause,
        )
        for n in range(kpis):
            contract_management.add_kpi(
                org=org,
                contract=contract,
                user=None,
                description=f"KPI {n + 1}",
                target="100%",
                measure="Audit",
            )
        db.session.commit()
        return contract.id


def make_procurement(
    app: Flask,
    slug: str,
    title: str = "Cleaning of police stations",
    *,
    tender_notice_on: date | None = date(2025, 5, 1),
    category: int | None = None,
    countries: str | None = None,
    contract_id: int | None = None,
    assessed_on: date | None = None,
    overall: str = "medium",
) -> int:
    """A procurement, assessed on `assessed_on` (all characteristics at `overall`) if given."""
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        found = procurements.add_procurement(
            org=org,
            user=None,
            details=procurements.ProcurementDetails(
                title=title,
                regime="pa2023",
                cpv_codes="90911200-8",
                category_id=category,
                countries=countries,
                tender_notice_on=tender_notice_on,
                contract_id=contract_id,
            ),
        )
        if assessed_on is not None:
            ppn009.record_assessment(
                procurement=found,
                user=None,
                today=assessed_on,
                expected_version=None,
                given=ppn009.AssessmentInput(
                    levels=dict.fromkeys(Characteristic, overall),
                    notes={},
                    overall=overall,
                    reasons="Set in the test",
                    mitigations=[Mitigation.CLAUSES],
                ),
            )
        db.session.commit()
        return found.id


def procurement(app: Flask, procurement_id: int) -> Procurement:
    """The procurement as saved (detached: read its plain columns)."""
    with app.app_context():
        found = db.session.get(Procurement, procurement_id)
        assert found is not None
        if found.assessment is not None:
            db.session.expunge(found.assessment)
        db.session.expunge(found)
        return found


def procurement_form(**changes: Any) -> dict[str, Any]:
    """The procurement form as a browser posts it (each date is three inputs of one name)."""
    form: dict[str, Any] = {
        "title": "Uniforms for officers",
        "reference": "PR-1",
        "regime": "pa2023",
        "cpv_codes": "18100000-0, 35811200-4",
        "estimated_value": "250000.00",
        "category_id": "",
        "countries": "",
        "tender_notice_on": ["1", "5", "2025"],
        "award_on": ["1", "7", "2025"],
        "start_on": ["1", "8", "2025"],
        "end_on": ["31", "7", "2028"],
        "contract_id": "",
    }
    form.update(changes)
    return form


def assessment_form(level: str = "medium", **changes: Any) -> dict[str, Any]:
    """The PPN 009 form with every characteristic and the overall at `level`."""
    form: dict[str, Any] = dict.fromkeys(CHARACTERISTICS, level)
    form.update(overall=level, reasons="Agency labour in the supply chain", mitigations=["clauses"])
    form.update(changes)
    return form
