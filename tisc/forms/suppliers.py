"""Supplier, contract and register filter forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from tisc.forms import PoundsField, RealDateField, choices
from tisc.rules.procurement import Regime


class SupplierForm(FlaskForm):
    """A supplier's own details."""

    name = StringField(
        "Supplier name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the supplier name"), Length(max=300)],
    )
    company_number = StringField(
        "Company number (optional)",
        description="From Companies House, like 01234567",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=20, message="Company number must be 20 characters or fewer"),
        ],
    )
    ppon = StringField(
        "PPON (optional)",
        description="Public Procurement Organisation Number, from the Central Digital Platform",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40, message="PPON must be 40 characters or fewer")],
    )
    category_id = SelectField(
        "Category (optional)",
        description="Leave as 'From the finance category' to follow the body's mapping.",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        validators=[Optional()],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


def _clause(value: object) -> bool | None:
    """Yes, no, or not recorded (None)."""
    if isinstance(value, bool) or value is None:
        return value
    return {"yes": True, "no": False}.get(str(value))


MONEY_MESSAGE = "Enter an amount in pounds, like 60000 or 60000.00"


class ContractForm(FlaskForm):
    """A contract with a supplier."""

    title = StringField(
        "Contract title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the contract title"), Length(max=300)],
    )
    reference = StringField(
        "Contract reference (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100)],
    )
    start_date = RealDateField(
        "Start date",
        message="Start date must be a real date, like 1 4 2025",
        description="For example, 1 4 2025",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the start date")],
    )
    end_date = RealDateField(
        "End date",
        message="End date must be a real date, like 31 3 2027",
        description="For example, 31 3 2027",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the end date")],
    )
    annual_value = PoundsField(
        "Annual value (£)",
        message=MONEY_MESSAGE,
        description="A contract worth more than the threshold a year flags the supplier.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the annual value"),
            NumberRange(min=0, message="The annual value cannot be negative"),
        ],
    )
    total_value = PoundsField(
        "Total value (£, optional)",
        message=MONEY_MESSAGE,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, message="The total value cannot be negative")],
    )
    category_id = SelectField(
        "Category (optional)",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        validators=[Optional()],
    )
    modern_slavery_clause = RadioField(
        "Does the contract have a modern slavery clause? (optional)",
        choices=choices([("yes", "Yes"), ("no", "No"), ("", "Not recorded")]),
        coerce=_clause,
        widget=GovRadioInput(),
        validators=[Optional()],
        validate_choice=False,
    )
    regime = SelectField(
        "Regime (optional)",
        choices=choices([("", "Not recorded"), *((r.value, r.short) for r in Regime)]),
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=False,  # the service names what is wrong
    )
    version = HiddenField()
    submit = SubmitField("Save contract", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    """Which of two suppliers to keep."""

    keep = HiddenField(validators=[InputRequired()])
    merge = HiddenField(validators=[InputRequired()])
    submit = SubmitField("Merge", widget=GovSubmitInput())


class MapTextForm(FlaskForm):
    """Map one piece of finance category text to a category."""

    category_text = HiddenField(
        validators=[InputRequired(message="Choose the finance category text")]
    )
    category_id = SelectField(
        "Category",
        widget=GovSelect(),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        validators=[InputRequired(message="Choose a category")],
    )
    submit = SubmitField("Map", widget=GovSubmitInput())
