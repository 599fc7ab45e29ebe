"""Forms show "(optional)" on the fields people may leave empty, in the label or legend people
read (the legends of dates and radios come from the form's labels, so they cannot drift)."""

from __future__ import annotations

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import Pay, as_user, import_payments, supplier_id

A = "/organisations/alpha-police"


def labels(response) -> dict[str, str]:
    """Each field's name -> the words of its label or of its fieldset's legend."""
    html = page(response).select_one("main")
    found = {}
    for group in html.select(".govuk-form-group"):
        if group.find_parent(class_="govuk-form-group"):
            continue  # the day, month and year boxes of a date
        legend = group.select_one("legend")
        label = legend or group.select_one("label")
        field = group.select_one("input[name], select[name], textarea[name]")
        if label is not None and field is not None:
            name = field["name"].removesuffix("-day")
            found[name] = " ".join(label.get_text().split())
    return found


def test_the_due_diligence_and_contract_forms_say_which_fields_are_optional(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", Pay("Acme Ltd", "2024-05-01", "60000.00"))
    sid = supplier_id(app, "alpha-police", "Acme Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    record = labels(client.get(f"{A}/suppliers/{sid}/due-diligence/2024-25/guidance-and-plan"))
    assert record["guidance_sent_on"] == "Date guidance was sent (optional)"
    assert record["guidance_method"] == "How it was sent (optional)"
    assert record["plan_requested_on"] == (
        "Date the staff engagement plan was requested (optional)"
    )
    contract = labels(client.get(f"{A}/suppliers/{sid}/contracts/new"))
    assert contract["start_date"] == "Start date"  # required
    assert contract["reference"] == "Contract reference (optional)"


def test_the_audit_filters_say_they_are_optional(app: Flask, two_bodies: dict) -> None:
    found = labels(as_user(app, "admin@example.org").get("/audit/"))
    assert found
    assert all(text.endswith("(optional)") for text in found.values()), found
