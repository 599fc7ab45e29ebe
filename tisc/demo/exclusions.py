"""Demo debarment: a fictitious sample of the central debarment list (every name and number in
`suppliers/demo/debarment_list.csv` is invented, the company numbers beyond any Companies
House has issued), a supplier of the first body that the list names by company number, and
that body's decision to exclude it, twelve days ago, with the Procurement Review Unit still to
be told (so its deadline shows as due)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from tisc.config import ROOT
from tisc.models import Organisation
from tisc.services.accounts.users import find_user
from tisc.services.exclusions import debarment_list, decisions
from tisc.services.imports import importing as imports
from tisc.services.procurements import procurements
from tisc.services.register.suppliers import find_supplier_by_name

DEMO_LIST = ROOT / "suppliers" / "demo" / "debarment_list.csv"
LISTED = ("Example Hand Car Wash Services Ltd", "99999901")
DECIDED_DAYS_AGO = 12


def _payments(today: date) -> bytes:
    """Two payments to the listed supplier, as the body's finance export would show them."""
    name, number = LISTED
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["Payment Date", "Supplier Name", "Company Number", "Expense Type", "Net Amount"]
    )
    for days, amount in ((70, "1450.00"), (40, "1320.00")):
        day = today - timedelta(days=days)
        writer.writerow(
            [
                day.strftime("%d/%m/%Y"),
                name,
                number,
                "TRANSPORT.VEHICLE SERVICES & CAR WASH",
                amount,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def seed_exclusions(*, orgs: list[Organisation], today: date) -> None:
    """The sample list in force, the first body's listed supplier and its exclusion decision."""
    org = orgs[0]
    imports.import_spend(
        org=org, user=None, data=_payments(today), filename=f"{org.slug}-vehicle-services.csv"
    )
    debarment_list.import_debarment_list(
        data=DEMO_LIST.read_bytes(), filename="debarment-list-sample.csv", user=None
    )
    supplier = find_supplier_by_name(org=org, name=LISTED[0])
    lead = find_user(email=f"procurement.{org.slug}@example.org")
    # The procurement the supplier bid in: open, its PPN 009 assessment not yet recorded.
    washing = procurements.add_procurement(
        org=org,
        user=lead,
        details=procurements.ProcurementDetails(
            title="Vehicle washing and valeting",
            regime="pa2023",
            cpv_codes="50112300-6",
            reference="DEMO-VEH-2026-03",
            estimated_value=Decimal("180000.00"),
            tender_notice_on=today - timedelta(days=DECIDED_DAYS_AGO + 30),
        ),
    )
    decisions.add_decision(
        org=org,
        supplier=supplier,
        user=lead,
        procurement_id=washing.id,
        ground="On the central debarment list: modern slavery offence (mandatory ground)",
        evidence="Central debarment list entry; the supplier confirmed the conviction",
        decision="excluded",
        decided_on=today - timedelta(days=DECIDED_DAYS_AGO),
        today=today,
    )
