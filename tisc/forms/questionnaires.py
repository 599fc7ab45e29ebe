"""Publishing a new version of a partnership's questionnaire."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import SubmitField

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
