"""Publishing a new version of a partnership's questionnaire."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import ValidationError

from tisc.rules.questionnaire import MAX_SOURCE_BYTES


class PublishQuestionnaireForm(FlaskForm):
    """Choose the questionnaire definition (a .toml file) to publish."""

    file = FileField(
        "Questionnaire file",
        description="A .toml file, like the one you can download for the current version, "
        "with a higher version number.",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Choose a questionnaire file"),
            FileAllowed(["toml"], message="The file must be a .toml file"),
            FileSize(
                max_size=MAX_SOURCE_BYTES,
                message=f"The file must be smaller than {MAX_SOURCE_BYTES // 1000} KB",
            ),
        ],
    )
    submit = SubmitField("Publish", widget=GovSubmitInput())

    def validate_file(self, field: FileField) -> None:
        """The file must be UTF-8 text."""
        try:
            self.source()
        except UnicodeDecodeError:
            raise ValidationError("The file must be saved as UTF-8 text") from None

    def source(self) -> str:
        """The chosen file as text."""
        data = self.file.data.read()
        self.file.data.seek(0)  # for the next reader
        # utf-8-sig: a byte order mark, as some Windows editors add, is not part of the TOML.
        return data.decode("utf-8-sig")
