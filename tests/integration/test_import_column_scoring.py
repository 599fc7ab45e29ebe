"""A file whose amount and payment date no alias names is imported without mapping a column:
the preview says which column was chosen for each and why, offers the other, and the import's
total is the net column's to the penny."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import page, sign_in
from tests.integration.test_import_journey import chosen, upload
from tisc.extensions import db
from tisc.models import SpendLine

# The headers of a real council export the aliases missed: net and gross both present, the
# VAT between them, and "Updated" the payment date.
NET_AND_GROSS = (
    "Beneficiary,Updated,Invoice Line Value (net of VAT),VAT,Invoice Line Value (gross)\n"
    "Acme Ltd,01/04/2024,100.00,20.00,120.00\n"
    "Acme Ltd,15/04/2024,0.01,0.00,0.01\n"
    'Brook Cleaning Ltd,02/05/2024,"1,234.56",246.91,"1,481.47"\n'
    "Brook Cleaning Ltd,03/05/2024,(10.00),(2.00),(12.00)\n"
)
NET_TOTAL = Decimal("100.00") + Decimal("0.01") + Decimal("1234.56") - Decimal("10.00")


def test_net_and_gross_file_imports_with_no_mapping_and_the_preview_says_why(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    preview_url = upload(client, NET_AND_GROSS)
    preview = page(client.get(preview_url))
    assert preview.select_one(".govuk-error-summary") is None
    form = chosen(preview)
    assert form["field_supplier_name"] == "Beneficiary"
    assert form["field_amount"] == "Invoice Line Value (net of VAT)"
    assert form["field_payment_date"] == "Updated"

    amount_hint = preview.select_one("#field_amount-hint").get_text(" ", strip=True)
    assert amount_hint.startswith(
        "Why this column: ‘Invoice Line Value (net of VAT)’: the header says "
        "value, excluding VAT; all its cells are amounts. It is preferred to ‘Invoice Line "
        "Value (gross)’, which includes VAT."
    )
    assert "Choose ‘Invoice Line Value (gross)’ in the list if that is the one." in amount_hint
    date_hint = preview.select_one("#field_payment_date-hint").get_text(" ", strip=True)
    assert "‘Updated’: the header says updated (when the payment was recorded)" in date_hint
    assert "Another column" not in date_hint
    # The supplier was found by its alias: no reason is needed.
    supplier_hint = preview.select_one("#field_supplier_name-hint").get_text(" ", strip=True)
    assert not supplier_hint.startswith("Why this column")
    summary = preview.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "4 totalling £1,324.57" in summary

    form["submit"] = "Import these payments"
    response = client.post(preview_url, data=form)
    assert response.status_code == 302
    with app.app_context():
        total = db.session.scalar(select(func.sum(SpendLine.amount)))
        count = db.session.scalar(select(func.count()).select_from(SpendLine))
    assert count == 4
    assert total == NET_TOTAL == Decimal("1324.57")


def test_choosing_the_other_column_drops_the_reason(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    preview_url = upload(client, NET_AND_GROSS)
    form = {**chosen(page(client.get(preview_url))), "field_amount": "Invoice Line Value (gross)"}
    checked = client.post(preview_url, data={**form, "check": "yes"})  # "Check again"
    kept = checked.headers["Location"]
    assert "amount=Invoice+Line+Value+(gross)" in kept  # a reload keeps the choice
    preview = page(client.get(kept))
    assert chosen(preview)["field_amount"] == "Invoice Line Value (gross)"
    hint = preview.select_one("#field_amount-hint").get_text(" ", strip=True)
    assert not hint.startswith("Why this column")
    summary = preview.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "4 totalling £1,589.48" in summary
