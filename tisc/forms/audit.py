"""The audit trail's filters: a GET form, so that a filtered page has its own address."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from tisc.forms import RealDateField


class AuditFilterForm(FlaskForm):
    """Body, person, record and dates."""

    class Meta:
        csrf = False  # read-only filters in the address bar

    body = SelectField("Body (optional)", widget=GovSelect(), validate_choice=False)
    person = StringField(
        "Person (optional)",
        description='Part of an email address, or "command line", "supplier" or "demo data"',
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message="Person must be 100 characters or fewer")],
    )
    record_type = SelectField(
        "Kind of record (optional)", widget=GovSelect(), validate_choice=False
    )
    record_id = StringField(
        "Record number (optional)",
        description="For example, 42",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^\d{1,18}(/\d{1,18})?$", message="Record number must be a number, like 42"),
        ],
    )
    date_from = RealDateField(
        "From (optional)",
        message="From date must be a real date, like 1 4 2025",
        description="For example, 1 4 2025",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    date_to = RealDateField(
        "To (optional)",
        message="To date must be a real date, like 31 3 2026",
        description="For example, 31 3 2026",
        widget=GovDateInput(),
        validators=[Optional()],
    )

    def validate_body(self, field: SelectField) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices or []}:
            raise ValidationError("Choose a body from the list")

    def validate_record_type(self, field: SelectField) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices or []}:
            raise ValidationError("Choose a kind of record from the list")

    def validate_date_to(self, field: RealDateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("To date must be the same as or after the from date")
