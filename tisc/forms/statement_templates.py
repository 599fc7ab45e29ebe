"""Uploading a Word template for statements."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length


class TemplateUploadForm(FlaskForm):
    """A name and a .docx file."""

    name = StringField(
        "Name",
        description="How people will choose it, for example 'Joint statement with logos'.",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a name for the template"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    file = FileField(
        "Word template",
        description="A Word Document (.docx) of 5 MB or less, with placeholders like {{ title }}.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a Word .docx file")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())
