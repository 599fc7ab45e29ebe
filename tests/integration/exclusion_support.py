"""What the debarment tests share: a register with suppliers the list names (one by company
number, one by name only, one with a similar but different name), the list itself, and
reading the supplier page's debarment panel."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import CLEANING_TEXT, Pay, import_payments, supplier_id
from tisc.extensions import db
from tisc.services.exclusions import debarment_list

ORG = "alpha-police"
# In alpha-police's register: matched by company number (written without its leading zero on
# the list), by name only, and a similar name the list's "North East Logistics" must not match.
BY_NUMBER = "Acme Cleaning Ltd"
BY_NAME = "Harbour Valeting Ltd"
SIMILAR = "North Logistics"
LIST_CSV = (
    "Central debarment list (fictitious, for tests)\n"
    "Supplier name,Company number,PPON,Ground,Mandatory,Start date,End date\n"
    "ACME CLEANING SERVICES LIMITED,1234567,,Modern slavery offence (section 1),Mandatory,"
    "01/03/2025,28/02/2030\n"
    "Harbour Valeting Limited,,,Labour market enforcement order,Discretionary,01/04/2025,\n"
    "North East Logistics,,,Slavery and trafficking prevention order,Discretionary,"
    "01/04/2025,\n"
    "Expired Ltd,07777777,,Modern slavery offence,Mandatory,01/01/2020,31/12/2020\n"
)


def register_with_listed_suppliers(app: Flask, org: str = ORG) -> dict[str, int]:
    """Import payments to the three suppliers (and one nobody lists); their ids by name."""
    import_payments(
        app,
        org,
        Pay(BY_NUMBER, "10/05/2024", "60000.00", CLEANING_TEXT, "01234567"),
        Pay(BY_NAME, "11/05/2024", "900.00", CLEANING_TEXT),
        Pay(SIMILAR, "12/05/2024", "800.00", CLEANING_TEXT),
        Pay("Expired Listing Ltd", "13/05/2024", "700.00", CLEANING_TEXT, "07777777"),
    )
    names = (BY_NUMBER, BY_NAME, SIMILAR, "Expired Listing Ltd")
    return {name: supplier_id(app, org, name) for name in names}


def import_list(app: Flask, text: str = LIST_CSV, filename: str = "debarment.csv") -> None:
    """Import the list through the service, as the command does."""
    with app.app_context():
        debarment_list.import_debarment_list(data=text.encode(), filename=filename, user=None)
        db.session.commit()


def write_list(folder: Path, text: str = LIST_CSV, name: str = "debarment.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def panel_rows(response: Any) -> list[list[str]]:
    """The supplier page's table of matches: listed name, ground, mandatory, match, until."""
    table = page(response).select_one("#debarment-matches")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in table.select("tbody tr")
    ]


def decision_form(
    decided_on: date, decision: str = "excluded", notified_on: date | None = None, **more: str
) -> dict[str, Any]:
    """The decision form as a browser posts it (each date three inputs with one name)."""

    def parts(day: date | None) -> list[str]:
        return ["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)]

    return {
        "procurement_reference": "CT-2026-014",
        "ground": "Listed on the central debarment list: modern slavery offence",
        "evidence": "Debarment list entry",
        "decision": decision,
        "decided_on": parts(decided_on),
        "notified_on": parts(notified_on),
        **more,
    }
