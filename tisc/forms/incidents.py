"""The incident form: indicators of forced labour found, referrals, remediation and outcome.
No field asks for a person's name or anything that could identify a victim or worker."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from tisc.forms import RealDateField, choices
from tisc.rules.incidents import (
    SHORT_TEXT,
    IncidentStatus,
    Indicator,
    Referral,
    Remediation,
    Source,
    Tier,
)
from tisc.rules.numbers import optional_id

NO_NAMES = "Do not include names or anything that could identify a victim or worker."


def _text(label: str, hint: str) -> TextAreaField:
    # The service checks the length and names the field in its message.
    return TextAreaField(
        f"{label} (optional)",
        description=f"{hint} At most {SHORT_TEXT:,} characters. {NO_NAMES}",
        widget=GovTextArea(),
        validators=[Optional()],
    )


class IncidentForm(FlaskForm):
    """An incident and its remediation."""

    found_on = RealDateField(
        "Date the indicators were found",
        message="The date found must be a real date, like 14 3 2025",
        description="For example, 14 3 2025",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the date the indicators were found")],
    )
    supplier_id = SelectField(
        "Supplier (optional)",
        description="The body's supplier whose supply chain it was found in.",
        widget=GovSelect(),
        coerce=optional_id,
        validators=[Optional()],
        validate_choice=False,  # the service names what is wrong
    )
    tier = RadioField(
        "Supply-chain tier",
        choices=choices((t.value, t.label) for t in Tier),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the supply-chain tier, or Not known")],
        validate_choice=False,
    )
    indicators = SelectMultipleField(
        "ILO indicators of forced labour observed",
        description="Select all that apply.",
        choices=choices((i.value, i.label) for i in Indicator),
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select at least one indicator observed")],
        validate_choice=False,
    )
    source = RadioField(
        "How it came to light",
        choices=choices((s.value, s.label) for s in Source),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select how the incident came to light")],
        validate_choice=False,
    )
    summary = _text("Outline of what was found", "A short outline of the indicators found.")
    referrals = SelectMultipleField(
        "Referrals made",
        description="Select all that apply, or None.",
        choices=choices((r.value, r.label) for r in Referral),
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message="Select the referrals made, or None")],
        validate_choice=False,
    )
    remediation_types = SelectMultipleField(
        "Kinds of remediation taken (optional)",
        description="Select all that apply.",
        choices=choices((r.value, r.label) for r in Remediation),
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        validate_choice=False,
    )
    remediation = _text("Remediation taken", "What was done, in a few sentences.")
    outcome = _text("Outcome", "Needed to close the incident.")
    status = RadioField(
        "Status",
        choices=choices((s.value, s.label) for s in IncidentStatus),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether the incident is open or closed")],
        validate_choice=False,
    )
    closed_on = RealDateField(
        "Date closed (optional)",
        message="The date closed must be a real date, like 30 6 2025",
        description="Only for a closed incident. For example, 30 6 2025",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save incident", widget=GovSubmitInput())
