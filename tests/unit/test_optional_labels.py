"""GOV.UK's pattern for optional fields: every field people may leave empty says "(optional)"
in its label, and no required field does. Required means a DataRequired, InputRequired or
FileRequired validator, or CheckedByRules (the service's rules refuse it empty).

These are the forms of the register, contracts, categories, plans and commitments, due
diligence, statements, statement templates, imports and the audit trail's filters (the
accounts, assessment, invitation and respond forms are not in this list yet)."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired

from tisc.forms import (
    CheckedByRules,
    audit,
    categories,
    due_diligence,
    imports,
    plans,
    statement_templates,
    statements,
    suppliers,
)

MODULES = (
    suppliers,
    categories,
    plans,
    due_diligence,
    statements,
    statement_templates,
    imports,
    audit,
)
REQUIRED = (DataRequired, InputRequired, FileRequired, CheckedByRules)
# Not a field people fill in (hidden values, buttons), or a single checkbox, which GOV.UK never
# marks optional: ticked or not, it is an answer.
NOT_ASKED = (HiddenField, SubmitField, BooleanField)
# Radios that always open with a choice made: a radio cannot be cleared, so nothing is optional
# to the person (the statement's start page opens on "Last year's statement").
ALWAYS_CHOSEN = {"StartForm.start_from"}


def forms(module: ModuleType) -> list[type[FlaskForm]]:
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__
    ]


def fields(form: type[FlaskForm]) -> list[tuple[str, str, bool]]:
    """(name, label, required) of each field people fill in."""
    found = []
    for name, value in inspect.getmembers(form):
        if not isinstance(value, UnboundField) or issubclass(value.field_class, NOT_ASKED):
            continue
        label = value.args[0] if value.args else value.kwargs.get("label", "")
        validators = value.kwargs.get("validators", [])
        found.append((name, label, any(isinstance(v, REQUIRED) for v in validators)))
    return found


ALL = [
    pytest.param(form, name, label, required, id=f"{form.__name__}.{name}")
    for module in MODULES
    for form in forms(module)
    for name, label, required in fields(form)
    if f"{form.__name__}.{name}" not in ALWAYS_CHOSEN
]


def test_the_forms_are_found() -> None:
    names = {p.id for p in ALL}
    assert {"SupplierForm.notes", "ContractForm.title", "AuditFilterForm.person"} <= names
    assert len(ALL) > 60


@pytest.mark.parametrize(("form", "name", "label", "required"), ALL)
def test_a_field_says_optional_exactly_when_it_is(
    form: type[FlaskForm], name: str, label: str, required: bool
) -> None:
    if required:
        assert "optional" not in label.lower(), f"{form.__name__}.{name} is required: {label!r}"
    else:
        assert label.endswith("(optional)") or ", optional)" in label, (
            f"{form.__name__}.{name} may be left empty: {label!r} should say (optional)"
        )
