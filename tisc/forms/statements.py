"""Statement forms: starting a statement, a section's text, a body's signatories, approval,
publication and registry submission, the registry's risks and a body's answers to the
registry's questions, and the state changes."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from tisc.forms import CheckedByRules, RealDateField, choices
from tisc.rules import registry
from tisc.rules.statement_signoff import SUPPLY_CHAIN_TIERS


class StartForm(FlaskForm):
    """Start a year's statement, from last year's text or the default text."""

    start_from = RadioField(
        "What should the text start from?",
        choices=choices(
            [
                ("last_year", "Last year's statement (recommended): change what is new"),
                ("default", "The default text, with placeholders to replace"),
            ]
        ),
        widget=GovRadioInput(),
        validators=[Optional()],
        validate_choice=False,
    )
    submit = SubmitField("Start the statement", widget=GovSubmitInput())


class SectionForm(FlaskForm):
    """A section's text."""

    text = TextAreaField(
        "Text",
        description=(
            "Replace every placeholder in [square brackets] with your own words. Leave a blank "
            "line between paragraphs. Figures from the registers are added when the document "
            "is generated: do not type them here."
        ),
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the text of the section")],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class SignatoriesForm(FlaskForm):
    """Who signs the statement for a body."""

    signatory_name = StringField(
        "Name",
        description="For example, the police and crime commissioner or the chief constable",
        widget=GovTextInput(),
        validators=[
            CheckedByRules(),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    signatory_title = StringField(
        "Job title",
        description="For example, Police and Crime Commissioner for Cleveland",
        widget=GovTextInput(),
        validators=[
            CheckedByRules(),
            Length(max=200, message="The job title must be 200 characters or fewer"),
        ],
    )
    second_signatory_name = StringField(
        "Second person's name (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The second person's name must be 200 characters or fewer"),
        ],
    )
    second_signatory_title = StringField(
        "Second person's job title (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(
                max=200, message="The second person's job title must be 200 characters or fewer"
            ),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Save the signatories", widget=GovSubmitInput())


class ApprovalForm(FlaskForm):
    """A body's approval of the statement."""

    approved_on = RealDateField(
        "Date approved",
        message="The approval date must be a real date, like 15 7 2026",
        widget=GovDateInput(),
        validators=[CheckedByRules()],
    )
    decision_reference = StringField(
        "Decision reference",
        description="For example, the number of the commissioner's decision record",
        widget=GovTextInput(),
        validators=[
            CheckedByRules(),
            Length(max=200, message="The decision reference must be 200 characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Record the approval", widget=GovSubmitInput())


class PublicationForm(FlaskForm):
    """Where and when a body published the statement."""

    published_url = StringField(
        "Web address of the published statement",
        description="For example, https://www.example.police.uk/modern-slavery-statement",
        widget=GovTextInput(),
        validators=[
            CheckedByRules(),
            Length(max=500, message="The web address must be 500 characters or fewer"),
        ],
    )
    published_on = RealDateField(
        "Date published",
        message="The publication date must be a real date, like 20 9 2026",
        widget=GovDateInput(),
        validators=[CheckedByRules()],
    )
    version = HiddenField()
    submit = SubmitField("Record the publication", widget=GovSubmitInput())


class RegistryForm(FlaskForm):
    """When a body submitted the statement to the national registry."""

    submitted_on = RealDateField(
        "Date submitted to the registry",
        message="The submission date must be a real date, like 25 9 2026",
        widget=GovDateInput(),
        validators=[CheckedByRules()],
    )
    version = HiddenField()
    submit = SubmitField("Record the submission", widget=GovSubmitInput())


class RiskForm(FlaskForm):
    """One of up to three risks described for the registry."""

    description = TextAreaField(
        "Describe the risk",
        widget=GovTextArea(),
        validators=[InputRequired(message="Describe the risk")],
    )
    area = StringField(
        "Area (optional)",
        description="The type of spend or work, for example Cleaning services",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The area must be 200 characters or fewer"),
        ],
    )
    supply_chain_tier = RadioField(
        "Where in the supply chain? (optional)",
        choices=choices((t, t) for t in SUPPLY_CHAIN_TIERS),
        widget=GovRadioInput(),
        validators=[Optional()],
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    groups_affected = StringField(
        "Groups affected (optional)",
        description="For example, agency workers or migrant workers",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=300, message="The groups affected must be 300 characters or fewer"),
        ],
    )
    location = StringField(
        "Location (optional)",
        description="For example, UK or South East Asia",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The location must be 200 characters or fewer"),
        ],
    )
    mitigation = TextAreaField(
        "What is being done about it (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    version = HiddenField()
    submit = SubmitField("Save the risk", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """Send for approval, mark approved or published, or remove: a button and a version."""

    version = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


def _question(question: registry.Question) -> SelectMultipleField:
    """One of the registry's multiple-choice questions: its options, "Other" where the registry
    takes one in words, and its "none of these" answer. The rules check the choices
    (tisc.rules.registry.answer_problems), so every problem shows at once."""
    options = [
        *question.options,
        *([registry.OTHER] if question.other_column else []),
        registry.NONE_CHOICE,
    ]
    return SelectMultipleField(
        question.legend,
        description=question.hint,
        widget=GovCheckboxesInput(),
        choices=choices([(o, o) for o in options]),
        validators=[CheckedByRules()],
        validate_choice=False,
    )


def _other(what: str) -> StringField:
    return StringField(
        f"Other {what}",
        widget=GovTextInput(),
        # Needed when "Other" is chosen: the rules refuse it empty then.
        validators=[CheckedByRules()],
    )


class RegistryAnswersForm(FlaskForm):
    """A body's answers to the registry's structured questions for a statement."""

    sectors = SelectMultipleField(
        "Which sectors does your organisation operate in?",
        description="Select all that apply. Police forces and commissioners are in the public "
        "sector.",
        widget=GovCheckboxesInput(),
        choices=choices([(s, s) for s in registry.SECTORS]),
        validators=[CheckedByRules()],
        validate_choice=False,
    )
    years = RadioField(
        "How many years has your organisation been producing modern slavery statements? (optional)",
        choices=choices([(y, y) for y in registry.YEARS_PRODUCING]),
        widget=GovRadioInput(),
        validators=[Optional()],
        validate_choice=False,
    )
    policies = _question(registry.QUESTION["policies"])
    policies_other = _other("policy provisions")
    training = _question(registry.QUESTION["training"])
    training_other = _other("people trained")
    engagement = _question(registry.QUESTION["engagement"])
    audits = _question(registry.QUESTION["audits"])
    grievance = _question(registry.QUESTION["grievance"])
    ilo_indicators = _question(registry.QUESTION["ilo_indicators"])
    ilo_actions = _question(registry.QUESTION["ilo_actions"])
    progress = TextAreaField(
        "How does your organisation show its progress? (optional)",
        description="For example, the KPIs reported to the board each quarter. The registry "
        "summary adds the KPIs computed from the records after your words.",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save the answers", widget=GovSubmitInput())


class KeepWordsForm(FlaskForm):
    """Keep words the figure check questioned, with the reason they are right."""

    finding_key = HiddenField()
    reason = TextAreaField(
        "Why are these words right?",
        description="For example, the figure comes from another source, which the text names",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter why these words are right")],
    )
    submit = SubmitField("Keep these words", widget=GovSubmitInput())
