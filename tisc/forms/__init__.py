"""Flask-WTF forms, one module per area, rendered with GOV.UK Frontend widgets."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import DateField, DecimalField, HiddenField, SubmitField
from wtforms.fields.choices import SelectChoice

from tisc.rules.numbers import MONEY_LIMIT, MONEY_LIMIT_MESSAGE
from tisc.services.errors import DomainError


def add_error(form: FlaskForm, error: DomainError, *, default_field: str) -> None:
    """Show a service's refusal against the field it names (or a default field)."""
    field = getattr(form, error.field or "", None) or getattr(form, default_field)
    field.errors = [*field.errors, error.message]
    form._errors = None  # WTForms caches form.errors; recompute with this message


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select, radio and checkbox options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class DeleteForm(FlaskForm):
    """Confirm removing a record (its version, so a stale confirmation is refused)."""

    version = HiddenField()
    submit = SubmitField("Yes, remove it", widget=GovSubmitInput())


class CheckedByRules:
    """A validator that marks a field as required although the form lets it through empty: the
    service's rules refuse it, so its message comes with the form's other problems at once.
    Such a field's label never says "(optional)" (tests/unit/test_optional_labels.py)."""

    field_flags: dict[str, bool] = {}

    def __call__(self, form: FlaskForm, field: object) -> None:
        return None


class PoundsField(DecimalField):
    """An amount of money: accepts "60000", "60,000.00" or "£60,000"; plain-English errors.

    Not a number ("NaN", "Infinity", "1e400": Decimal reads them all) is refused with the
    field's message, and an amount of MONEY_LIMIT or more (or as far below zero) with
    MONEY_LIMIT_MESSAGE: the database keeps money as pence in a 64-bit integer.
    """

    def __init__(self, label: str, *, message: str, **kwargs: object) -> None:
        super().__init__(label, places=2, **kwargs)
        self.invalid_message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(",", "").replace("£", "").replace(" ", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(self.invalid_message) from None
        if not value.is_finite():
            self.data = None
            raise ValueError(self.invalid_message)
        if abs(value) >= MONEY_LIMIT:
            self.data = None
            raise ValueError(MONEY_LIMIT_MESSAGE)
        if value != value.quantize(Decimal("0.01")):
            self.data = None
            raise ValueError(self.invalid_message)
        self.data = value


class RealDateField(DateField):
    """A GOV.UK day/month/year date whose error names the field."""

    def __init__(self, label: str, *, message: str, **kwargs: object) -> None:
        super().__init__(label, format="%d %m %Y", **kwargs)
        self.invalid_message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        if len(valuelist) != 3:
            # GOV.UK's date widget redraws exactly three boxes from raw_data: a post that
            # leaves some out (not a browser's) must give a message, not a server error.
            self.raw_data = ["", "", ""]
            valuelist = [" ".join(v for v in valuelist if v), "", ""]
        parts = [part.strip() for part in valuelist if part is not None]
        if not any(parts):
            self.data = None
            return
        try:
            self.data = datetime.strptime(" ".join(parts), "%d %m %Y").date()
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None
