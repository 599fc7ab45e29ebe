"""Due diligence forms: guidance and staff engagement plan, sub-suppliers, contract reviews."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from tisc.forms import RealDateField, choices
from tisc.rules.numbers import optional_id
from tisc.services.due_diligence.overview import GUIDANCE_METHODS, SUB_SUPPLIER_TIERS


def _optional_int(value: object) -> int | None:
    """A whole number within the database's range, or None, or 0 for one out of range (the
    service names what is wrong in plain words: no record and no tier is 0)."""
    return optional_id(value)


def _yes_no(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"yes": True, "no": False}.get(str(value))


class DueDiligenceForm(FlaskForm):
    """Guidance sent and the staff engagement plan, for one supplier in one year."""

    guidance_sent_on = RealDateField(
        "Date guidance was sent (optional)",
        message="Date guidance was sent must be a real date, like 14 5 2025",
        description="For example, 14 5 2025. Leave blank if it has not been sent.",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    guidance_method = RadioField(
        "How it was sent (optional)",
        choices=choices(GUIDANCE_METHODS.items()),
        widget=GovRadioInput(),
        validators=[Optional()],
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    plan_requested_on = RealDateField(
        "Date the staff engagement plan was requested (optional)",
        message="Date the plan was requested must be a real date, like 1 6 2025",
        description="For example, 1 6 2025",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    plan_received_on = RealDateField(
        "Date the staff engagement plan was received (optional)",
        message="Date the plan was received must be a real date, like 30 6 2025",
        description="For example, 30 6 2025",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    plan_note = TextAreaField(
        "Note about the plan (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    plan_link = StringField(
        "Link to the plan (optional)",
        description="For example, https://example.org/staff-engagement.pdf",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=500, message="The link must be 500 characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class SubSupplierForm(FlaskForm):
    """One of the supplier's own suppliers, for beyond-Tier-1 mapping."""

    name = StringField(
        "Sub-supplier's name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the sub-supplier's name"),
            Length(max=300, message="The name must be 300 characters or fewer"),
        ],
    )
    tier = RadioField(
        "Tier",
        choices=choices((str(k), v) for k, v in SUB_SUPPLIER_TIERS.items()),
        coerce=_optional_int,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the sub-supplier's tier")],
        validate_choice=False,
    )
    country = StringField(
        "Country",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the country"),
            Length(max=100, message="The country must be 100 characters or fewer"),
        ],
    )
    supplies = StringField(
        "What they supply",
        description="For example, cotton fabric for uniforms",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter what they supply"),
            Length(max=300, message="What they supply must be 300 characters or fewer"),
        ],
    )
    risk_notes = TextAreaField(
        "Risk notes (optional)",
        description="What is known about modern slavery risks at this sub-supplier",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save sub-supplier", widget=GovSubmitInput())


class ContractReviewForm(FlaskForm):
    """A contract management review with the supplier."""

    reviewed_on = RealDateField(
        "Date of the review",
        message="Date of the review must be a real date, like 14 5 2025",
        description="For example, 14 5 2025",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the date of the review")],
    )
    contract_id = SelectField(
        "Contract (optional)",
        widget=GovSelect(),
        coerce=_optional_int,
        validators=[Optional()],
        validate_choice=False,  # the service checks it is this supplier's contract
    )
    modern_slavery_discussed = RadioField(
        "Was modern slavery discussed?",
        choices=choices([("yes", "Yes"), ("no", "No")]),
        coerce=_yes_no,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select yes if modern slavery was discussed")],
        validate_choice=False,
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional()])
    actions = TextAreaField(
        "Actions agreed (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    version = HiddenField()
    submit = SubmitField("Save review", widget=GovSubmitInput())
