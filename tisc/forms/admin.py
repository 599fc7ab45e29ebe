"""Administration forms: organisations, partnerships, users and roles."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, InputRequired, Length, Optional, Regexp

from tisc.forms import choices
from tisc.models import OrganisationKind, Role
from tisc.rules.statement_wording import StatementBasis

WEB_ADDRESS_LABEL = "Web address name (optional)"


def web_address_help(example: str) -> str:
    """The hint under a web address name field."""
    return (
        f"Used in web addresses, like {example}. Lowercase letters, numbers and hyphens. "
        "Leave it empty to make it from the name."
    )


SLUG_RULE = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=(
        "Web address name must be lowercase letters, numbers and single hyphens, "
        "like west-yorkshire-police"
    ),
)


def web_address_field(example: str) -> StringField:
    """The web address name (stored as the slug): made from the name when left empty."""
    return StringField(
        WEB_ADDRESS_LABEL,
        description=web_address_help(example),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=80, message="Web address name must be 80 characters or fewer"),
            SLUG_RULE,
        ],
    )


class OrganisationForm(FlaskForm):
    """An organisation's details (the name first: the web address name is made from it)."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the organisation's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    slug = web_address_field("/organisations/west-yorkshire-police")
    kind = RadioField(
        "Kind of organisation",
        choices=choices((k.value, k.label) for k in OrganisationKind),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the kind of organisation")],
    )
    region = StringField(
        "Region (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=120, message="The region must be 120 characters or fewer"),
        ],
    )
    senior_lead_name = StringField(
        "Senior lead's name (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The senior lead's name must be 200 characters or fewer"),
        ],
    )
    senior_lead_title = StringField(
        "Senior lead's job title (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The senior lead's job title must be 200 characters or fewer"),
        ],
    )
    website = StringField(
        "Website (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            URL(message="Enter a website address in the correct format, like https://example.org"),
            Length(max=300, message="The website address must be 300 characters or fewer"),
        ],
    )
    address = TextAreaField("Address (optional)", widget=GovTextArea(), validators=[Optional()])
    partnership = SelectField(
        "Partnership (optional)", widget=GovSelect(), validators=[Optional()], choices=[]
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class PartnershipForm(FlaskForm):
    """A partnership's name and members (the name first: the web address name is made from it)."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the partnership's name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    slug = web_address_field("/partnerships/north-east")
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    members = SelectMultipleField(
        "Member organisations", widget=GovCheckboxesInput(), choices=[], validators=[Optional()]
    )
    statement_basis = RadioField(
        "What kind of statement do its bodies publish?",
        choices=choices((b.value, b.label) for b in StatementBasis),
        widget=GovRadioInput(),
        validators=[Optional()],
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewUserForm(FlaskForm):
    """A new person and their first role; they set their own password from a one-time link."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's email address"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
        ],
    )
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    role = SelectField(
        "Role",
        choices=choices((r.value, r.label) for r in Role),
        widget=GovSelect(),
        validators=[InputRequired(message="Select a role")],
    )
    scope = SelectField(
        "Organisation or partnership",
        description="Procurement leads, statement owners and viewers work for one organisation; "
        "coordinators and board members for a partnership; administrators for neither.",
        widget=GovSelect(),
        choices=[],
        validators=[Optional()],
    )
    submit = SubmitField("Create user", widget=GovSubmitInput())


class EditUserForm(FlaskForm):
    """A person's name and whether they may sign in."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the person's name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    active = BooleanField("Can sign in", widget=GovCheckboxInput())
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class AddMembershipForm(FlaskForm):
    """Another role for an existing person."""

    role = SelectField(
        "Role",
        choices=choices((r.value, r.label) for r in Role),
        widget=GovSelect(),
        validators=[InputRequired(message="Select a role")],
    )
    scope = SelectField(
        "Organisation or partnership", widget=GovSelect(), choices=[], validators=[Optional()]
    )
    submit = SubmitField("Add role", widget=GovSubmitInput())


class PasswordLinkForm(FlaskForm):
    """An administrator sends someone a new one-time link to set their password."""

    submit = SubmitField("Send a new password link", widget=GovSubmitInput())
