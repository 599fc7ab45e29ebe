"""Assessment forms: the questionnaire (built from its definition), starting, inviting,
changing an answer under review, and the supplier's submission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from tisc.forms import choices
from tisc.rules.questionnaire import Definition, Question
from tisc.rules.years import FinancialYear
from tisc.services.assessments.records import AnswerInput

if TYPE_CHECKING:
    from tisc.models import SupplierAssessment

SUB_SUPPLIER_ROWS = 5


class SubSupplierRow(PlainForm):
    """One of the supplier's own suppliers, typed into the self-assessment."""

    name = StringField("Name", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    tier = SelectField(
        "Tier",
        choices=choices([("", "Choose"), ("2", "Tier 2"), ("3", "Tier 3 and below")]),
        widget=GovSelect(),
        validate_choice=False,
    )
    country = StringField(
        "Country", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    supplies = StringField(
        "What they supply", widget=GovTextInput(), validators=[Optional(), Length(max=300)]
    )


def question_fields(question: Question) -> tuple[str, str, str]:
    """The names of a question's answer, evidence and link fields."""
    return f"q-{question.key}", f"evidence-{question.key}", f"link-{question.key}"


class AnswersForm(FlaskForm):
    """Base of the questionnaire form; answers_form() adds a field trio per question."""

    version = HiddenField()
    save = SubmitField("Save and come back later", widget=GovSubmitInput())
    finish = SubmitField("Continue", widget=GovSubmitInput())

    def field(self, name: str) -> Field:
        return self[name]

    def fill(self, assessment: SupplierAssessment) -> None:
        """Put the saved answers (and the version) into a form shown for the first time."""
        self.version.data = str(assessment.version_id)
        for a in assessment.answers:
            if f"q-{a.question_key}" in self:
                self[f"q-{a.question_key}"].data = a.option_key
                self[f"evidence-{a.question_key}"].data = a.evidence
                self[f"link-{a.question_key}"].data = a.evidence_link

    def answer_inputs(self, assessment: SupplierAssessment) -> dict[str, AnswerInput]:
        """The answers typed into the form, by question key."""
        result = {}
        for question in assessment.questionnaire.definition.questions:
            answer, evidence, link = question_fields(question)
            result[question.key] = AnswerInput(
                self[answer].data or None, self[evidence].data, self[link].data
            )
        return result


def answers_form(definition: Definition, *, sub_suppliers: bool = False, **kwargs) -> AnswersForm:
    """A form with a radio group, evidence box and link for every question of the definition.

    Choices are checked by the service, so a forged option gets the service's message.
    """
    attributes: dict[str, object] = {}
    for question in definition.questions:
        answer, evidence, link = question_fields(question)
        attributes[answer] = RadioField(
            question.text,
            choices=choices((o.key, o.label) for o in question.options),
            description=question.help or "",
            widget=GovRadioInput(),
            validate_choice=False,
            validators=[Optional()],
        )
        attributes[evidence] = TextAreaField(
            "Evidence or comments (optional)",
            widget=GovTextArea(),
            validators=[
                Optional(),
                Length(max=5000, message="Evidence must be 5000 characters or fewer"),
            ],
        )
        attributes[link] = StringField(
            "Link to evidence (optional)",
            description="A web address, like a published policy",
            widget=GovTextInput(),
            validators=[
                Optional(),
                Length(max=500, message="The link must be 500 characters or fewer"),
            ],
        )
    if sub_suppliers:
        attributes["subs"] = FieldList(FormField(SubSupplierRow), min_entries=SUB_SUPPLIER_ROWS)
    form_class = type("QuestionnaireAnswersForm", (AnswersForm,), attributes)
    return form_class(**kwargs)


def year_choices(with_spend: Sequence[int], *, current: int) -> list[SelectChoice]:
    """Years an assessment can be for: those with spend, and this year (`current`) and last,
    newest first."""
    years = sorted({*with_spend, current, current - 1}, reverse=True)
    return choices((str(y), FinancialYear(y).label) for y in years)


def default_year(with_spend: Sequence[int], *, current: int) -> int:
    """The newest year with spend (they come newest first), else this year (`current`)."""
    return with_spend[0] if with_spend else current


def _year_coerce(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class StartForm(FlaskForm):
    """Start an assessment the body answers itself."""

    financial_year = RadioField(
        "Which financial year is the assessment for?",
        widget=GovRadioInput(),
        coerce=_year_coerce,
        validators=[InputRequired(message="Choose the financial year")],
    )
    questionnaire = RadioField(
        "Which form?",
        choices=choices(
            [
                ("standard", "Standard form"),
                ("short", "Short form for small suppliers and charities"),
            ]
        ),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose the standard or the short form")],
    )
    submit = SubmitField("Start the assessment", widget=GovSubmitInput())


class InviteForm(StartForm):
    """Invite a supplier to assess itself."""

    contact_name = StringField(
        "Contact name (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    contact_email = StringField(
        "Contact email address (optional)",
        description="Used in the message you send; tisc sends nothing unless email is set up.",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=320)],
    )
    days = IntegerField(
        "How many days should the link work?",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter how many days the link should work"),
            NumberRange(min=1, max=90, message="The link must last from 1 to 90 days"),
        ],
    )
    submit = SubmitField("Create the link", widget=GovSubmitInput())


class AdjustForm(FlaskForm):
    """Change a supplier's answer while reviewing it."""

    option = RadioField(
        "What should the answer be?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message="Choose the answer")],
    )
    reason = TextAreaField(
        "Why are you changing the supplier’s answer?",
        description="The supplier’s own answer and your reason are kept with the assessment.",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why you are changing the supplier’s answer"),
            Length(max=5000, message="Reason must be 5000 characters or fewer"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Change the answer", widget=GovSubmitInput())


class VersionForm(FlaskForm):
    """A button that acts on a record as it was when the page was shown."""

    version = HiddenField()


class AdoptForm(FlaskForm):
    """Adopt a partner's assessment for a year."""

    financial_year = RadioField(
        "For which financial year?",
        widget=GovRadioInput(),
        coerce=_year_coerce,
        validators=[InputRequired(message="Choose the financial year")],
    )
    submit = SubmitField("Use this assessment", widget=GovSubmitInput())


class SupplierSubmitForm(FlaskForm):
    """The supplier's name and acknowledgement, sent with its answers."""

    respondent_name = StringField(
        "Your name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your name"), Length(max=200)],
    )
    respondent_role = StringField(
        "Your job title (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    acknowledged = BooleanField(
        "I have read the recommendations and will share them with the people who can act on them",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message="Confirm that you have read the recommendations")],
    )
    version = HiddenField()
    submit = SubmitField("Send my answers", widget=GovSubmitInput())
