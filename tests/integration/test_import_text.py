"""Spend lines keep their text exactly as the file has it, whatever characters it holds."""

from __future__ import annotations

import csv
import io

import pandas as pd
from flask import Flask
from sqlalchemy import select

from tisc.extensions import db
from tisc.models import SpendLine
from tisc.services.accounts import organisations
from tisc.services.imports import importing as imports
from tisc.services.register import spend_lines

AWKWARD = [
    "tab\there",
    "back\\slash",
    "\\N",
    "\\.",
    'quote " and, comma',
    "new\nline",
    "Café £ ünï ✓",
    "ends in a backslash\\",
]


def test_awkward_text_is_stored_exactly(app: Flask, two_bodies: dict) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Supplier Name", "Payment Date", "Net Amount", "Description", "Reference"])
    # Ordinary lines first: the header and the columns are found from the top of the file.
    texts = ["Stationery"] * 20 + AWKWARD
    for n, text in enumerate(texts):
        writer.writerow(["Awkward Text Ltd", "01/04/2024", "1.00", text, f"R{n}"])
    with app.app_context():
        summary = imports.import_spend(
            org=organisations.get_organisation(slug="alpha-police"),
            user=None,
            data=out.getvalue().encode("utf-8"),
            filename="awkward.csv",
        )
        db.session.commit()
        assert summary.imported == len(texts)
        stored = db.session.execute(select(SpendLine.reference, SpendLine.description)).all()
    assert sorted(stored) == sorted((f"R{n}", text) for n, text in enumerate(texts))


def test_a_carriage_return_in_text_is_stored_exactly(app: Flask, two_bodies: dict) -> None:
    # The CSV reader gives one only from an XLSX cell or a quoted CSV cell; the insert
    # itself must carry it (PostgreSQL's COPY refuses a bare one in CSV form).
    test_awkward_text_is_stored_exactly(app, two_bodies)
    with app.app_context():
        line = db.session.scalars(select(SpendLine).where(SpendLine.reference == "R0")).one()
        frame = pd.DataFrame(
            [
                {
                    "organisation_id": line.organisation_id,
                    "supplier_id": line.supplier_id,
                    "import_id": line.import_id,
                    "line_key": line.line_key + 1,
                    "row_number": 99,
                    "payment_date": "2024-04-02",
                    "financial_year": 2024,
                    "amount_pence": 100,
                    "reference": "CR",
                    "category_text": None,
                    "description": "carriage\rreturn",
                    "cost_centre": None,
                }
            ]
        )
        spend_lines.insert_lines(frame)
        stored = db.session.scalars(
            select(SpendLine.description).where(SpendLine.reference == "CR")
        ).one()
    assert stored == "carriage\rreturn"
