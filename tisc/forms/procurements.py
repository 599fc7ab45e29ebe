"""Procurement forms: a procurement, its PPN 009 risk assessment, a contract's KPIs and its
yearly performance rating."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from tisc.forms import CheckedByRules, PoundsField, RealDateField, choices
from tisc.rules.numbers import optional_id
from tisc.rules.ppn009 import Characteristic, Level, Mitigation
from tisc.rules.procurement import PerformanceRating, Regime

MONEY_MESSAGE = "Enter an amount in pounds, like 250000 or 250000.00"
LEVEL_CHOICES = choices((level.value, level.label) for level in Level)


def _date(label: str, example: str, *, required: bool = False) -> RealDateField:
    shown = label if required else f"{label} (optional)"
    return RealDateField(
        shown,
        message=f"{label} must be a real date, like {example}",
        description=f"For example, {example}",
        widget=GovDateInput(),
        validators=[InputRequired(message=f"Enter the {label.lower()}")]
        if required
        else [Optional()],
    )


class ProcurementForm(FlaskForm):
    """A procurement's details and key dates."""

    title = StringField(
        "Procurement title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the procurement title"), Length(max=300)],
    )
    reference = StringField(
        "Procurement reference (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100)],
    )
    regime = RadioField(
        "Which law does it run under?",
        description="Procurements started on or after 24 February 2025 run under the "
        "Procurement Act 2023; earlier ones under the Public Contracts Regulations 2015.",
        choices=choices((r.value, r.label) for r in Regime),
        widget=GovRadioInput(),
        validators=[
            InputRequired(
                message="Select whether the procurement runs under PCR 2015 or the "
                "Procurement Act 2023"
            )
        ],
        validate_choice=False,  # the service names what is wrong
    )
    cpv_codes = StringField(
        "CPV codes",
        description="One or more, separated by spaces or commas, like 90911200-8 79710000-4",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter at least one CPV code, like 79710000-4"),
            Length(max=500),
        ],
    )
    estimated_value = PoundsField(
        "Estimated value (£, optional)",
        message=MONEY_MESSAGE,
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, message="The estimated value cannot be negative"),
        ],
    )
    category_id = SelectField(
        "Category (optional)",
        description="Its risk is used to suggest the PPN 009 risk.",
        widget=GovSelect(),
        coerce=optional_id,
        validators=[Optional()],
        validate_choice=False,
    )
    countries = StringField(
        "Countries the goods or services come from (optional)",
        description="Separated by commas, like Bangladesh, India. Checked against the US "
        "Department of Labor's list to suggest the location risk.",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300)],
    )
    tender_notice_on = _date("Tender notice date", "24 3 2025")
    award_on = _date("Award date", "30 6 2025")
    start_on = _date("Start date", "1 8 2025")
    end_on = _date("End date", "31 7 2028")
    contract_id = SelectField(
        "Awarded contract (optional)",
        widget=GovSelect(),
        coerce=optional_id,
        validators=[Optional()],
        validate_choice=False,
    )
    version = HiddenField()
    submit = SubmitField("Save procurement", widget=GovSubmitInput())


class Ppn009Form(FlaskForm):
    """The PPN 009 risk assessment: six characteristics, overall, mitigations."""

    overall = RadioField(
        "Overall risk",
        choices=LEVEL_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the overall risk")],
        validate_choice=False,
    )
    reasons = TextAreaField(
        "Reasons for the overall risk",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the reasons for the overall risk")],
    )
    mitigations = SelectMultipleField(
        "Mitigations chosen (optional)",
        description="Set in proportion to the risk. Select all that apply.",
        choices=choices((m.value, m.label) for m in Mitigation),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        validate_choice=False,
    )
    mitigation_note = TextAreaField(
        "Note on the mitigations (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    version = HiddenField()
    submit = SubmitField("Save assessment", widget=GovSubmitInput())


for _characteristic in Characteristic:
    setattr(
        Ppn009Form,
        _characteristic.value,
        RadioField(
            _characteristic.label,
            description=_characteristic.hint,
            choices=LEVEL_CHOICES,
            widget=GovRadioInput(),
            validators=[InputRequired(message=f"Select the {_characteristic.label.lower()} risk")],
            validate_choice=False,
        ),
    )
    setattr(
        Ppn009Form,
        f"{_characteristic.value}_note",
        TextAreaField(
            f"{_characteristic.label}: note (optional)",
            widget=GovTextArea(),
            validators=[Optional()],
        ),
    )


class KpiForm(FlaskForm):
    """A KPI of a contract."""

    description = StringField(
        "What the KPI measures",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter what the KPI measures"), Length(max=300)],
    )
    target = StringField(
        "Target",
        description="For example, 100% of staff paid at least the Real Living Wage",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the KPI's target"), Length(max=200)],
    )
    measure = StringField(
        "How it is measured",
        description="For example, quarterly payroll audit",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter how the KPI is measured"), Length(max=300)],
    )
    modern_slavery = BooleanField(
        "This KPI is about modern slavery", widget=GovCheckboxInput(), validators=[Optional()]
    )
    submit = SubmitField("Add KPI", widget=GovSubmitInput())


class RatingForm(FlaskForm):
    """A contract's performance rating for a financial year."""

    financial_year = SelectField(
        "Financial year",
        widget=GovSelect(),
        coerce=optional_id,
        validators=[CheckedByRules()],
        validate_choice=False,
    )
    rating = RadioField(
        "Performance rating",
        choices=choices((r.value, r.label) for r in PerformanceRating),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the performance rating")],
        validate_choice=False,
    )
    note = TextAreaField("Note (optional)", widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField("Save rating", widget=GovSubmitInput())
