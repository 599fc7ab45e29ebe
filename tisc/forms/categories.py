"""Category and threshold forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import Field, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from tisc.forms import PoundsField, choices
from tisc.rules.risk import RiskLevel
from tisc.rules.years import FinancialYear


class CategoryForm(FlaskForm):
    """A category's name, risk and matching keywords."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the category name"), Length(max=200)],
    )
    risk = RadioField(
        "Modern slavery risk",
        choices=choices((r.value, r.label) for r in RiskLevel),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the risk")],
    )
    reason = TextAreaField("Why (optional)", widget=GovTextArea(), validators=[Optional()])
    cpv_codes = StringField(
        "CPV codes (optional)",
        description="Separate them with semicolons, like 35811200;18100000",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300)],
    )
    keywords = TextAreaField(
        "Keywords (optional)",
        description="Words found in finance category text, separated by semicolons, like "
        "cleaning;janitorial. Suppliers whose text contains one follow this category "
        "unless their text has been mapped.",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class ThresholdForm(FlaskForm):
    """The over-threshold limit for one financial year."""

    year = StringField(
        "Financial year",
        description="For example, 2025-26",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the financial year, like 2025-26")],
    )
    amount = PoundsField(
        "Threshold (£)",
        message="Enter the threshold in pounds, like 50000 or 50000.00",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the threshold in pounds, like 50000"),
            NumberRange(min=0.01, message="The threshold must be more than £0"),
        ],
    )
    submit = SubmitField("Set threshold", widget=GovSubmitInput())

    def validate_year(self, field: Field) -> None:
        """A financial year the rules can read, like 2025-26."""
        try:
            FinancialYear.parse(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def financial_year(self) -> FinancialYear:
        """The year typed, once the form has validated it."""
        return FinancialYear.parse(self.year.data)


class RulesForm(FlaskForm):
    """A new version of a partnership's rules for automatic categories, as CSV text."""

    text = TextAreaField(
        "Rules",
        description="One rule a line, after a first line naming the columns. Lines starting "
        "with # are notes. Put text with a comma in double quotes.",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the rules")],
    )
    note = StringField(
        "What changed and why (optional)",
        description="For example, Kennels are cleaned under the cleaning contract",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=500, message="The note must be 500 characters or fewer"),
        ],
    )
    # The version the person edited: saving is refused if another was saved since.
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())
