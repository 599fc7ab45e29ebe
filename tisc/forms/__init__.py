"""Flask-WTF forms, one module per area, rendered with GOV.UK Frontend widgets."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from tisc.services.errors import DomainError


def add_error(form: FlaskForm, error: DomainError, *, default_field: str) -> None:
    """Show a service's refusal against the field it names (or a default field)."""
    field = getattr(form, error.field or "", None) or getattr(form, default_field)
    field.errors = [*field.errors, error.message]
    form._errors = None  # WTForms caches form.errors; recompute with this message


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select, radio and checkbox options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
