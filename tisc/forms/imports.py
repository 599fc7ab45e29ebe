"""Uploading a finance export and confirming its columns."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from tisc.documents.spendfiles import FIELD_LABELS, FIELDS, REQUIRED_FIELDS


class UploadForm(FlaskForm):
    """Choose the file."""

    file = FileField(
        "Finance export",
        description="A CSV or Excel (.xlsx) file of payments, as your finance system exports it.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a CSV or Excel file")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


def mapping_form_class(
    columns: list[str], sheets: list[str], examples: dict[str, list[str]] | None = None
) -> type[FlaskForm]:
    """A form with one select per field, offering the file's own columns, each with its first
    value from the file as an example."""
    from tisc.forms import choices

    class MappingForm(FlaskForm):
        sheet = SelectField("Sheet", widget=GovSelect(), validators=[Optional()])
        submit = SubmitField("Import these payments", widget=GovSubmitInput())
        check = SubmitField("Check again with these columns", widget=GovSubmitInput())

    for name in FIELDS:
        required = name in REQUIRED_FIELDS
        options = [("", "Choose a column" if required else "Not in this file")]
        shown = examples or {}
        options += [(column, _with_example(column, shown.get(column))) for column in columns]
        label = FIELD_LABELS[name] + ("" if required else " (optional)")
        validators = (
            [
                InputRequired(
                    message=f"Choose the column that holds the {FIELD_LABELS[name].lower()}"
                )
            ]
            if required
            else [Optional()]
        )
        setattr(
            MappingForm,
            f"field_{name}",
            SelectField(label, choices=choices(options), widget=GovSelect(), validators=validators),
        )
    MappingForm.sheet.kwargs["choices"] = choices((s, s) for s in sheets)
    return MappingForm


def _with_example(column: str, examples: list[str] | None) -> str:
    return (
        f"{column} (for example: {examples[0]})"
        if examples
        else f"{column} (blank in the first rows)"
    )


class PersonalPayeeForm(FlaskForm):
    """A payee name to treat as a private individual."""

    name = StringField(
        "Payee name",
        description="Payments to this name are counted but never made into a supplier.",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the payee name"), Length(max=300)],
    )
    submit = SubmitField("Add", widget=GovSubmitInput())
