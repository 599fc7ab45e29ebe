"""Assessment forms: the questionnaire (built from its definition), starting, inviting,
changing an answer under review, and the supplier's submission."""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import TYPE_CHECKING

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
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
from tisc.rules.questionnaire import Definition, Question, Section
from tisc.rules.years import FinancialYear
from tisc.services.assessments.invitations import MAX_SUB_SUPPLIERS
from tisc.services.assessments.records import AnswerInput

if TYPE_CHECKING:
    from tisc.models import SupplierAssessment

SUB_SUPPLIER_ROWS = 5


class Radios(GovRadioInput):
    """GOV.UK radios whose fieldset always has a legend (the label, unless the template gives
    one), and no empty hint: an empty hint is still named by the fieldset's
    aria-describedby, which then points at nothing."""

    def map_gov_params(self, field: Field, **kwargs: object) -> dict:
        params = super().map_gov_params(field, **kwargs)
        fieldset = params.get("fieldset") or {}
        legend = fieldset.setdefault("legend", {})
        if not (legend.get("text") or legend.get("html")):
            legend["text"] = field.label.text
        params["fieldset"] = fieldset
        hint = params.get("hint") or {}
        if not (hint.get("text") or hint.get("html")):
            params.pop("hint", None)
        return params


class Checkbox(GovCheckboxInput):
    """A single GOV.UK checkbox, without an empty hint."""

    def map_gov_params(self, field: Field, **kwargs: object) -> dict:
        params = super().map_gov_params(field, **kwargs)
        hint = params.get("hint") or {}
        if not (hint.get("text") or hint.get("html")):
            params.pop("hint", None)
        return params


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
    next = SubmitField("Save and continue", widget=GovSubmitInput())
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

    def answer_inputs(
        self, assessment: SupplierAssessment, *, posted: Container[str] | None = None
    ) -> dict[str, AnswerInput]:
        """The answers typed into the form, by question key.

        With `posted` (the names the request sent), only the questions shown on the page that
        was sent: a page of one section leaves the other sections' answers as they were.
        """
        result = {}
        for question in assessment.questionnaire.definition.questions:
            names = question_fields(question)
            if posted is not None and not any(name in posted for name in names):
                continue
            answer, evidence, link = names
            result[question.key] = AnswerInput(
                self[answer].data or None, self[evidence].data, self[link].data
            )
        return result

    def require_answers(self, section: Section) -> bool:
        """Every question of the section answered; else each unanswered one has an error."""
        missing = [q for q in section.questions if not self[question_fields(q)[0]].data]
        for question in missing:
            field = self[question_fields(question)[0]]
            field.errors = [*field.errors, f"Choose an answer to “{field.label.text}”"]
        if missing:
            self._errors = None  # WTForms caches form.errors; recompute with these
        return not missing


def answers_form(
    definition: Definition, *, sub_suppliers: bool = False, buyer: bool = False, **kwargs
) -> AnswersForm:
    """A form with a radio group, evidence box and link for every question of the definition.

    The supplier's form speaks to the supplier ("Does your organisation..."); the buyer's
    (`buyer`) asks about the supplier ("Does the supplier..."). Choices are checked by the
    service, so a forged option gets the service's message.
    """
    attributes: dict[str, object] = {}
    for question in definition.questions:
        answer, evidence, link = question_fields(question)
        text, help_text = question.text, question.help
        if buyer:
            text = question.buyer_text or text
            help_text = question.buyer_help or help_text
        attributes[answer] = RadioField(
            text,
            choices=choices((o.key, o.label) for o in question.options),
            description=help_text or "",
            widget=Radios(),
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
        # max_entries: rows past the 50 a supplier may list are never built, however many
        # a forged POST names (the body limit in tisc.views.respond bounds the rest).
        attributes["subs"] = FieldList(
            FormField(SubSupplierRow),
            min_entries=SUB_SUPPLIER_ROWS,
            max_entries=MAX_SUB_SUPPLIERS,
        )
    form_class = type("QuestionnaireAnswersForm", (AnswersForm,), attributes)
    return form_class(**kwargs)


def year_choices(years: Sequence[int]) -> list[SelectChoice]:
    """Financial years as radio choices, in the order given."""
    return choices((str(y), FinancialYear(y).label) for y in years)


def _year_coerce(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class StartForm(FlaskForm):
    """Start an assessment the body answers itself."""

    financial_year = RadioField(
        "Which financial year is the assessment for?",
        widget=Radios(),
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
        widget=Radios(),
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
        widget=Radios(),
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
        widget=Radios(),
        coerce=_year_coerce,
        validators=[InputRequired(message="Choose the financial year")],
    )
    submit = SubmitField("Use this assessment", widget=GovSubmitInput())


class StrtUploadForm(FlaskForm):
    """Upload a supplier's completed Slavery and Trafficking Risk Template."""

    file = FileField(
        "Completed template",
        description="The .xlsx file the supplier sent you, as it is.",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select the supplier’s completed template (.xlsx)")],
    )
    financial_year = RadioField(
        "Which financial year is the assessment for?",
        widget=Radios(),
        coerce=_year_coerce,
        validators=[InputRequired(message="Choose the financial year")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class StrtConfirmForm(FlaskForm):
    """Put the mapped answers into the draft assessment."""

    submit = SubmitField("Put these answers in a draft assessment", widget=GovSubmitInput())


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
        widget=Checkbox(),
        validators=[InputRequired(message="Confirm that you have read the recommendations")],
    )
    version = HiddenField()
    submit = SubmitField("Send my answers", widget=GovSubmitInput())
