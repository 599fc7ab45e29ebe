"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired


class SignInForm(FlaskForm):
    """Email and password."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    """Current password, then the new one twice."""

    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )
    new_password = PasswordField(
        "New password",
        description="12 characters or more. Three or four random words are easy to remember.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter your new password again"),
            EqualTo("new_password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class CreatePasswordForm(FlaskForm):
    """A person sets their own password from a one-time link: the new one twice."""

    password = PasswordField(
        "Create a password",
        description="12 characters or more. Three or four random words are easy to remember "
        "and hard to guess. Do not use your email address.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a password")],
    )
    confirm_password = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter your password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Create password", widget=GovSubmitInput())
