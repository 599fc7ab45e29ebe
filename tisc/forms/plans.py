"""Action plan forms: an item's details, a progress update, starting a plan, training records
and the partnership's commitments."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
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
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from tisc.forms import CheckedByRules, RealDateField, choices
from tisc.models import Audience, ItemStatus, Rag
from tisc.rules.kpis import KPIS


class WholeNumberField(StringField):
    """A whole number typed in a text box ("1,200" is fine); a plain-English error otherwise."""

    def __init__(self, label: str, *, message: str, **kwargs: object) -> None:
        super().__init__(label, **kwargs)
        self.invalid_message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        self.raw = text
        if not text:
            self.data = None
            return
        digits = text[1:] if text.startswith("-") else text
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if not digits.isdecimal() or not digits.isascii() or len(text) > 9:
            self.data = None
            raise ValueError(self.invalid_message)
        self.data = int(text)

    def _value(self) -> str:
        if self.data is not None:
            return str(self.data)
        return getattr(self, "raw", "") or ""


class ItemForm(FlaskForm):
    """An action's details; its status and RAG change only by progress updates."""

    title = TextAreaField(
        "Action",
        description="What will be done, in a sentence",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter the action"),
            Length(max=300, message="The action must be 300 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "More detail (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    owner = StringField(
        "Owner (optional)",
        description="The person or team responsible, like Head of Procurement",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The owner must be 200 characters or fewer"),
        ],
    )
    due_date = RealDateField(
        "Due date (optional)",
        message="Due date must be a real date, like 31 3 2026",
        description="For example, 31 3 2026",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    kpi = StringField(
        "KPI it moves (optional)",
        description="For example, Tier A suppliers mapped beyond Tier 1",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="The KPI must be 300 characters or fewer")],
    )
    kpi_target = StringField(
        "Target (optional)",
        description="For example, 80% by 31 March",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=200, message="The target must be 200 characters or fewer"),
        ],
    )
    evidence_links = TextAreaField(
        "Links to evidence (optional)",
        description="One link on each line, starting https://",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class UpdateForm(FlaskForm):
    """A progress update: a dated note that sets the item's status and RAG."""

    note = TextAreaField(
        "What has happened?",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter what has happened")],
    )
    status = RadioField(
        "Status",
        choices=choices((s.value, s.label) for s in ItemStatus),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the status")],
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    rag = RadioField(
        "RAG",
        choices=choices((r.value, r.label) for r in Rag),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select red, amber or green")],
        validate_choice=False,
    )
    rag_reason = TextAreaField(
        "Why is it red or amber?",
        description="Needed for red and amber; not kept for green",
        widget=GovTextArea(),
        validators=[CheckedByRules()],
    )
    version = HiddenField()
    submit = SubmitField("Add the update", widget=GovSubmitInput())


class StartForm(FlaskForm):
    """Start a year's plan."""

    submit = SubmitField("Start the plan", widget=GovSubmitInput())


class TrainingForm(FlaskForm):
    """Training delivered in a year."""

    audience = RadioField(
        "Who was it for?",
        choices=choices((a.value, a.label) for a in Audience),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select who the training was for")],
        validate_choice=False,
    )
    course = StringField(
        "Course",
        description="For example, Modern slavery awareness (e-learning)",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the name of the course"),
            Length(max=300, message="The course name must be 300 characters or fewer"),
        ],
    )
    delivered_on = RealDateField(
        "Date delivered (optional)",
        message="Date delivered must be a real date, like 14 5 2025",
        description="For a course run over time, the date it closed. For example, 14 5 2025",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    staff_in_scope = WholeNumberField(
        "People in scope",
        message="Enter the number of people in scope as a whole number, like 1200",
        description="Everyone who should take this course",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the number of people in scope")],
    )
    staff_trained = WholeNumberField(
        "People trained",
        message="Enter the number of people trained as a whole number, like 950",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the number of people trained")],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class CommitmentForm(FlaskForm):
    """A joint commitment's words, its KPI and whether new plans include it."""

    title = TextAreaField(
        "Commitment",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter the commitment"),
            Length(max=300, message="The commitment must be 300 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    default_action = TextAreaField(
        "Action each new plan starts with (optional)",
        description="Without one, new plans use the commitment itself as the action",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    kpi_key = SelectField(
        "KPI that measures it (optional)",
        choices=choices([("", "None"), *((k.key, k.label) for k in KPIS)]),
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=False,  # the service names a wrong choice in plain words
    )
    target = StringField(
        "Target for the KPI (optional)",
        description="The share the partnership aims for, from 0 to 100, like 90 or 92.5. "
        "The statement shows each year's figure against it.",
        widget=GovTextInput(),
        validators=[Optional()],
    )
    active = BooleanField(
        "Include this commitment in new plans",
        widget=GovCheckboxInput(),
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())
