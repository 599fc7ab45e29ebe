"""Numbers out of the database's range answer 404 or a form's message, never a server error,
on SQLite and PostgreSQL (issue 14, item 5): ids in every address, money, a contract's id."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

import tisc.forms
from tests.conftest import PASSWORD, sign_in
from tests.integration.register_support import (
    Pay,
    as_user,
    error_messages,
    import_payments,
    snapshot,
    supplier_id,
)
from tisc.models import Base
from tisc.web.ids import DatabaseIdConverter

# Past INTEGER (PostgreSQL), past BIGINT and SQLite, far past, and more digits than int() reads.
HUGE = [str(2**31), str(2**63), str(2**64), str(10**30), "9" * 5000]
# Who asks: each passes the access rule of one kind of route, so a request gets as far as
# reading the record (an outsider's 403 or 404 would prove nothing).
PEOPLE = ["admin@example.org", "coordinator@example.org", "procurement.alpha-police@example.org"]
# A value for every other kind of URL argument, naming something of the people above.
OTHER_ARGUMENTS = {
    "org_slug": "alpha-police",
    "partnership_slug": "north-east",
    "year_slug": "2024-25",
    "file_format": "csv",
    "token": "x" * 43,
}


def _int_rules(app: Flask) -> list[Rule]:
    """Every route with a number in its address (whichever converter reads it)."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, NumberConverter) for c in rule._converters.values())
    ]


def _address(rule: Rule, number: str) -> str:
    path = rule.rule
    for name, converter in rule._converters.items():
        value = number if isinstance(converter, NumberConverter) else OTHER_ARGUMENTS.get(name, "x")
        path = path.replace(f"<{_spelt(rule, name)}>", value)
    assert "<" not in path, path
    return path


def _spelt(rule: Rule, name: str) -> str:
    """How the argument is written in the rule ("int:supplier_id", "year:year_slug", "token")."""
    for part in rule.rule.split("<")[1:]:
        inside = part.split(">", 1)[0]
        if inside.rpartition(":")[2] == name:
            return inside
    raise AssertionError((rule.rule, name))


def test_every_route_uses_the_bounded_converter_for_whole_numbers(app: Flask) -> None:
    assert app.url_map.converters["int"] is DatabaseIdConverter
    assert len(_int_rules(app)) > 40  # the walk below is not vacuous
    unbounded = [
        rule.rule
        for rule in app.url_map.iter_rules()
        for converter in rule._converters.values()
        if type(converter).__name__ in ("IntegerConverter", "NumberConverter", "FloatConverter")
    ]
    assert unbounded == []


def test_an_id_out_of_the_databases_range_in_any_address_matches_no_page(
    app: Flask, two_bodies: dict
) -> None:
    failures = []
    for email in PEOPLE:
        client = app.test_client()
        sign_in(client, email, PASSWORD)
        for rule in _int_rules(app):
            for number in HUGE:
                url = _address(rule, number)
                for method in sorted(rule.methods & {"GET", "POST"}):
                    try:
                        response = client.open(url, method=method)
                        status = response.status_code
                        response.close()
                    except Exception as error:  # a server error, raised by the test client
                        status = f"{type(error).__name__}: {str(error)[:80]}"
                    # 405: the address is another rule's, for other methods, whose own id
                    # check has not run (a POST to a list page's GET-only address).
                    if status not in (404, 405):
                        failures.append((email, method, url[:100], status))
    assert failures == []


@pytest.mark.parametrize("number", HUGE)
def test_numbers_in_the_query_string_out_of_range_never_fail(
    app: Flask, two_bodies: dict, number: str
) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    client = as_user(app, "coordinator@example.org")
    shared = f"/partnerships/north-east/suppliers?year=2024-25&page={number}"
    assert client.get(shared).status_code == 200
    client = as_user(app, "procurement.alpha-police@example.org")
    for url in [
        f"/organisations/alpha-police/suppliers?year=2024-25&page={number}",
        f"/organisations/alpha-police/suppliers?year=2024-25&category={number}",
        f"/organisations/alpha-police/due-diligence?year=2024-25&page={number}",
    ]:
        assert client.get(url).status_code == 200, url
    merge = f"/organisations/alpha-police/suppliers/merge?keep={number}&merge=1"
    assert client.get(merge).status_code == 400


# --- forms ------------------------------------------------------------------------------------

URL = "/organisations/alpha-police/suppliers"
LIMIT = "Enter an amount less than £1,000,000,000,000"


def _contract(annual: str) -> dict:
    return {
        "title": "Office software",
        "reference": "",
        "start_date": ["1", "4", "2024"],
        "end_date": ["31", "3", "2026"],
        "annual_value": annual,
        "total_value": "",
        "category_id": "",
    }


@pytest.mark.parametrize(
    ("annual", "message"),
    [
        ("1" * 21, LIMIT),
        ("1000000000000", LIMIT),
        ("1e400", LIMIT),
        ("NaN", "Enter an amount in pounds, like 60000 or 60000.00"),
        ("Infinity", "Enter an amount in pounds, like 60000 or 60000.00"),
    ],
)
def test_an_annual_value_out_of_range_is_refused_with_a_message(
    app: Flask, two_bodies: dict, annual: str, message: str
) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    sid = supplier_id(app, "alpha-police", "Small Spend Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    response = client.post(f"{URL}/{sid}/contracts/new", data=_contract(annual))
    assert response.status_code == 200
    assert error_messages(response) == [message]
    assert snapshot(app) == before
    largest = client.post(f"{URL}/{sid}/contracts/new", data=_contract("999999999999.99"))
    assert largest.status_code == 302  # the largest amount allowed is saved


@pytest.mark.parametrize("amount", ["1e400", "1" * 21, "-1e400"])
def test_a_threshold_out_of_range_is_refused_with_a_message(
    app: Flask, client: FlaskClient, two_bodies: dict, amount: str
) -> None:
    sign_in(client, "coordinator@example.org")
    before = snapshot(app)
    response = client.post(
        "/partnerships/north-east/thresholds", data={"year": "2024-25", "amount": amount}
    )
    assert response.status_code == 400
    assert LIMIT in error_messages(response)
    assert snapshot(app) == before


@pytest.mark.parametrize("contract_id", ["9" * 30, str(2**63), str(2**31)])
def test_a_contract_id_out_of_range_on_a_review_is_refused_with_a_message(
    app: Flask, two_bodies: dict, contract_id: str
) -> None:
    import_payments(app, "alpha-police", Pay("Small Spend Ltd", "2024-05-01", "1000.00"))
    sid = supplier_id(app, "alpha-police", "Small Spend Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    response = client.post(
        f"{URL}/{sid}/due-diligence/2024-25/contract-reviews/new",
        data={
            "reviewed_on": ["1", "7", "2024"],
            "contract_id": contract_id,
            "modern_slavery_discussed": "yes",
            "notes": "",
            "actions": "",
        },
    )
    assert response.status_code == 200
    assert error_messages(response) == ["Select one of this supplier's contracts"]
    assert snapshot(app) == before


# --- text fields and their columns ------------------------------------------------------------

# Text fields that are not kept in a column of limited length: passwords (hashed), filters and
# questions asked of the database, a year read as a financial year.
NOT_KEPT = {
    "admin.NewUserForm.password",
    "admin.SetPasswordForm.password",
    "audit.AuditFilterForm.person",
    "audit.AuditFilterForm.record_id",
    "auth.ChangePasswordForm.current_password",
    "auth.ChangePasswordForm.new_password",
    "auth.ChangePasswordForm.confirm_password",
    "auth.SignInForm.email",
    "auth.SignInForm.password",
    "categories.ThresholdForm.year",
    "plans.CommitmentForm.target",  # a percentage, kept as a number (target_percent)
}
# Where a field is kept when its name is also a column of other tables.
COLUMN_OF = {
    "name": {
        "admin.EditUserForm": "users",
        "admin.NewUserForm": "users",
        "admin.OrganisationForm": "organisations",
        "admin.PartnershipForm": "partnerships",
        "categories.CategoryForm": "categories",
        "statement_templates.TemplateUploadForm": "statement_templates",
        "imports.PersonalPayeeForm": "personal_payees",
        "suppliers.SupplierForm": "suppliers",
        "due_diligence.SubSupplierForm": "sub_suppliers",
        "assessments.SubSupplierRow": "sub_suppliers",
        "exclusions.PartyForm": "connected_parties",
    },
    "company_number": {
        "suppliers.SupplierForm": "suppliers",
        "exclusions.PartyForm": "connected_parties",
    },
    "ppon": {"suppliers.SupplierForm": "suppliers", "exclusions.PartyForm": "connected_parties"},
    "title": {
        "plans.ItemForm": "plan_items",
        "plans.CommitmentForm": "commitments",
        "suppliers.ContractForm": "contracts",
        "procurements.ProcurementForm": "procurements",
    },
    "reference": {
        "suppliers.ContractForm": "contracts",
        "procurements.ProcurementForm": "procurements",
    },
    "cpv_codes": {
        "categories.CategoryForm": "categories",
        "procurements.ProcurementForm": "procurements",
    },
    # Kept as Text in these tables (no limit); a KPI's in a column of limited length.
    "description": {
        "admin.PartnershipForm": "partnerships",
        "plans.CommitmentForm": "commitments",
        "plans.ItemForm": "plan_items",
        "statements.RiskForm": "statement_risks",
        "procurements.KpiForm": "contract_kpis",
    },
    "target": {"procurements.KpiForm": "contract_kpis"},
    "summary": {"incidents.IncidentForm": "incidents"},  # Text, its length checked by the service
    "location": {"statements.RiskForm": "statement_risks"},
    "slug": {"admin.OrganisationForm": "organisations", "admin.PartnershipForm": "partnerships"},
}


def _text_fields(app: Flask) -> list[tuple[str, object]]:
    from wtforms import Form, PasswordField, StringField, TextAreaField
    from wtforms.fields import HiddenField

    found = []
    with app.test_request_context():
        for module_info in pkgutil.iter_modules(tisc.forms.__path__):
            module = importlib.import_module(f"tisc.forms.{module_info.name}")
            for name, form_class in inspect.getmembers(module, inspect.isclass):
                if form_class.__module__ != module.__name__ or not issubclass(form_class, Form):
                    continue
                form = form_class(meta={"csrf": False})
                for field in form:
                    if isinstance(field, StringField | TextAreaField | PasswordField) and not (
                        isinstance(field, HiddenField)
                    ):
                        found.append((f"{module_info.name}.{name}.{field.name}", field))
    return found


def test_every_text_field_is_bounded_by_the_column_that_keeps_it(app: Flask) -> None:
    from wtforms.validators import Length

    columns: dict[str, dict[str, int | None]] = {}
    for table in Base.metadata.tables.values():
        for column in table.columns:
            columns.setdefault(column.name, {})[table.name] = getattr(column.type, "length", None)
    problems = []
    fields = _text_fields(app)
    assert len(fields) > 50
    for key, field in fields:
        if key in NOT_KEPT:
            continue
        form, name = key.rsplit(".", 1)
        tables = columns.get(name, {})
        limited = {t: n for t, n in tables.items() if n is not None}
        if not limited:
            continue  # kept as Text, or worked out from the field (a whole number)
        table = COLUMN_OF.get(name, {}).get(form)
        if table is None:
            if len(limited) > 1:
                problems.append(f"{key}: which of {sorted(limited)} keeps it? (COLUMN_OF)")
                continue
            table = next(iter(limited))
        if table not in tables:
            problems.append(f"{key}: COLUMN_OF names {table}, which has no column {name}")
            continue
        if table not in limited:
            continue  # that table keeps it as Text
        most = [v.max for v in field.validators if isinstance(v, Length) and v.max != -1]
        if not most or min(most) > limited[table]:
            problems.append(
                f"{key}: up to {most or 'any length'}, {table}.{name} holds {limited[table]}"
            )
    assert problems == [], "\n".join(problems)
