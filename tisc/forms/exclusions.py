"""Debarment and exclusions forms: the debarment list upload, an exclusion decision, a
connected person or relied-on subcontractor."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from tisc.forms import RealDateField, choices
from tisc.rules.debarment import Decision, PartyKind
from tisc.rules.numbers import optional_id


class DebarmentListForm(FlaskForm):
    """Choose the debarment list file."""

    file = FileField(
        "Debarment list",
        description="The central debarment list as CSV or Excel (.xlsx). It replaces the list "
        "in force.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a CSV or Excel file")],
    )
    submit = SubmitField("Upload and import", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    """A decision on excluding a supplier (the view gives the body's procurements)."""

    procurement_id = SelectField(
        "Procurement (optional)",
        description="The procurement the decision was made in, if it is recorded here",
        widget=GovSelect(),
        coerce=optional_id,
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    procurement_reference = StringField(
        "Procurement reference (optional)",
        description="For a procurement not recorded here, its reference, for example CT-2026-014",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=100, message="The procurement reference must be 100 characters or fewer"),
        ],
    )
    ground = TextAreaField(
        "Exclusion ground",
        description="For example, listed on the debarment list for a modern slavery offence",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the exclusion ground")],
    )
    evidence = TextAreaField(
        "Evidence (optional)",
        description="What the decision was based on",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    decision = RadioField(
        "Decision",
        choices=choices((d.value, d.label) for d in Decision),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the decision")],
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    decided_on = RealDateField(
        "Date of the decision",
        message="Date of the decision must be a real date, like 14 5 2026",
        description="For example, 14 5 2026",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the date of the decision")],
    )
    notified_on = RealDateField(
        "Date the Procurement Review Unit was told (optional)",
        message="Date the Unit was told must be a real date, like 20 5 2026",
        description="An exclusion is notified within 30 days. For example, 20 5 2026",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class PartyForm(FlaskForm):
    """A connected person or relied-on subcontractor of a supplier."""

    kind = RadioField(
        "Who are they?",
        choices=choices((k.value, k.label) for k in PartyKind),
        widget=GovRadioInput(),
        validators=[
            InputRequired(message="Select whether it is a connected person or a subcontractor")
        ],
        validate_choice=False,
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the name"),
            Length(max=300, message="The name must be 300 characters or fewer"),
        ],
    )
    company_number = StringField(
        "Company number (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=20, message="The company number must be 20 characters or fewer"),
        ],
    )
    ppon = StringField(
        "PPON (optional)",
        description="Public Procurement Organisation Number, from the Central Digital Platform",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40, message="The PPON must be 40 characters or fewer")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
