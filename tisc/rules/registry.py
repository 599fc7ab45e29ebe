"""The national modern slavery statement registry's structured answers: its option lists, the
turnover band and the years producing statements, what a body's answers must hold, and the
approving person. No database here.

The option lists are the registry's own words (the GOV.UK modern slavery statement registry's
summary form), so that a body copies them onto the registry unchanged. DOMAIN.md, "The statement
and the national registry", lists the questions; the ILO's eleven forced-labour indicators are
listed there too.

A body answers once per statement (tisc.services.statements.registry_answers); the registry CSV
(tisc.services.statements.registry) fills its columns from the answers and the records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tisc.rules.plans import Problem

# The registry's SectorType: an organisation is in the private or the public sector. Police
# forces and commissioners are public bodies.
PUBLIC = "Public"
PRIVATE = "Private"
SECTOR_TYPES = (PRIVATE, PUBLIC)

# The registry's sectors (OrganisationSectors); a police body's is "Public sector".
PUBLIC_SECTOR = "Public sector"
SECTORS: tuple[str, ...] = (
    PUBLIC_SECTOR,
    "Accommodation and food service activities",
    "Activities of extraterritorial organisations and bodies",
    "Activities of households as employers",
    "Administrative and support service activities",
    "Agriculture, Forestry and Fishing",
    "Arts, entertainment and recreation",
    "Construction",
    "Education",
    "Electricity, gas, steam and air conditioning supply",
    "Financial and insurance activities",
    "Human health and social work activities",
    "Information and communication",
    "Manufacturing",
    "Mining and Quarrying",
    "Other service activities",
    "Professional scientific and technical activities",
    "Public administration and defence",
    "Real estate activities",
    "Transportation and storage",
    "Water supply, sewerage, waste management and remediation activities",
    "Wholesale and retail trade",
)

# The registry's turnover (or budget) bands, in £ million: (band, lower, upper). A body's band
# is computed from its spend in the register for the year, never typed.
MILLION = Decimal(1_000_000)
TURNOVER_BANDS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("Under £36 million", None, 36 * MILLION),
    ("£36 million to £60 million", 36 * MILLION, 60 * MILLION),
    ("£60 million to £100 million", 60 * MILLION, 100 * MILLION),
    ("£100 million to £500 million", 100 * MILLION, 500 * MILLION),
    ("Over £500 million", 500 * MILLION, None),
)

# How many years the organisation has produced statements.
FIRST_TIME = "This is the first time"
ONE_TO_FIVE = "1 to 5 years"
OVER_FIVE = "More than 5 years"
YEARS_PRODUCING: tuple[str, ...] = (FIRST_TIME, ONE_TO_FIVE, OVER_FIVE)

OTHER = "Other"
POLICIES: tuple[str, ...] = (
    "Freedom of workers to terminate employment",
    "Freedom of movement",
    "Freedom of association",
    "Prohibits any threat of violence, harassment and intimidation",
    "Prohibits the use of worker-paid recruitment fees",
    "Prohibits compulsory overtime",
    "Prohibits child labour",
    "Prohibits discrimination",
    "Prohibits confiscation of workers original identification documents",
    "Provides access to remedy, compensation and justice for victims of modern slavery",
)
NO_POLICIES = (
    "Your organisation's policies do not include any of these provisions in relation to "
    "modern slavery"
)
TRAINING: tuple[str, ...] = (
    "Your whole organisation",
    "Your front line staff",
    "Human resources",
    "Executive-level staff",
    "Procurement staff",
    "Your suppliers",
    "The wider community",
)
NO_TRAINING = (
    "Your organisation did not provide training on modern slavery during the period of the "
    "statement"
)
ENGAGEMENT: tuple[str, ...] = (
    "Your suppliers",
    "Trade unions or worker representative groups",
    "Civil society organisations",
    "Professional auditors",
    "Workers within your organisation",
    "Workers within your supply chain",
    "Central or local government",
    "Law enforcement, such as police, GLAA and other local labour market inspectorates",
    "Businesses in your industry or sector",
)
NO_ENGAGEMENT = (
    "Your organisation did not engage with others to help monitor working conditions across "
    "your operations and supply chain"
)
AUDITS: tuple[str, ...] = (
    "Audit conducted by your staff",
    "Third party audit arranged by your organisation",
    "Audit conducted by your supplier’s staff",
    "Third party audit arranged by your supplier",
    "Announced audit",
    "Unannounced audit",
)
NO_AUDITS = (
    "Your organisation did not carry out any social audits during the period of the statement"
)
GRIEVANCE_MECHANISMS: tuple[str, ...] = (
    "Using anonymous whistleblowing services, such as a helpline or mobile phone app",
    "Through trade unions or other worker representative groups",
)
NO_GRIEVANCE_MECHANISMS = (
    "There were no processes in your operations or supply chains for workers to raise "
    "concerns or make complaints"
)
# The ILO's eleven indicators of forced labour (DOMAIN.md), in the registry's words.
ILO_INDICATORS: tuple[str, ...] = (
    "Abuse of vulnerability",
    "Deception",
    "Restriction of movement",
    "Isolation",
    "Physical and sexual violence",
    "Intimidation and threats",
    "Retention of identity documents",
    "Withholding of wages",
    "Debt bondage",
    "Abusive working and living conditions",
    "Excessive overtime",
)
NO_ILO_INDICATORS = "The statement does not refer to finding any ILO indicators of forced labour"
ILO_ACTIONS: tuple[str, ...] = (
    "Financial remediation, including repayment of recruitment fees",
    "Change in policy",
    "Change in training",
    "Referring potential victims to government services",
    "Supporting victims via NGO",
    "Supporting investigations by relevant authorities",
)
NO_ILO_ACTIONS = (
    "The statement does not refer to actions taken in response to finding indicators of "
    "forced labour"
)

OTHER_LIMIT = 500
PROGRESS_LIMIT = 4000


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: its key in the answers, the registry's columns (the chosen
    options; "Other" text; the "none of these" answer), its options and its words."""

    key: str
    column: str
    other_column: str | None
    no_column: str
    options: tuple[str, ...]
    none: str
    legend: str
    hint: str
    missing: str  # the message when nothing is chosen


QUESTIONS: tuple[Question, ...] = (
    Question(
        "policies",
        "Policies",
        "OtherPolicies",
        "NoPolicies",
        POLICIES,
        NO_POLICIES,
        "Do your organisation's policies include any of these provisions on modern slavery?",
        "Select all that apply. The registry lists these provisions; add any other in words.",
        "Select the policies you have, or that your policies include none of these",
    ),
    Question(
        "training",
        "Training",
        "OtherTraining",
        "NoTraining",
        TRAINING,
        NO_TRAINING,
        "Who did your organisation train on modern slavery during the year?",
        "Select all that apply. Left unanswered, the registry summary lists the audiences "
        "in this year's training records.",
        "Select who was trained, or that there was no training",
    ),
    Question(
        "engagement",
        "WorkingConditionsEngagement",
        None,
        "NoEngagement",
        ENGAGEMENT,
        NO_ENGAGEMENT,
        "Who did your organisation engage with to help monitor working conditions?",
        "Select all that apply: across your own operations and your supply chains.",
        "Select who you engaged with, or that you engaged with no one",
    ),
    Question(
        "audits",
        "SocialAudits",
        None,
        "NoSocialAudits",
        AUDITS,
        NO_AUDITS,
        "What social audits were carried out during the year?",
        "Select all that apply.",
        "Select the social audits carried out, or that there were none",
    ),
    Question(
        "grievance",
        "GrievanceMechanisms",
        None,
        "NoGrievanceMechanisms",
        GRIEVANCE_MECHANISMS,
        NO_GRIEVANCE_MECHANISMS,
        "How could workers raise concerns or make complaints?",
        "Select all that apply: in your operations and your supply chains.",
        "Select how workers could raise concerns, or that there was no way to",
    ),
    Question(
        "ilo_indicators",
        "ILOIndicatorsInStatement",
        None,
        "NoILOIndicatorsInStatement",
        ILO_INDICATORS,
        NO_ILO_INDICATORS,
        "Which indicators of forced labour did you find?",
        "The International Labour Organization's eleven indicators. Select all that were found "
        "in your operations or supply chains during the year.",
        "Select the indicators of forced labour found, or that none were found",
    ),
    Question(
        "ilo_actions",
        "ILOIndicatorsActions",
        None,
        "ILOIndicatorsNoActions",
        ILO_ACTIONS,
        NO_ILO_ACTIONS,
        "What did you do when you found indicators of forced labour?",
        "Select all that apply.",
        "Select what you did about the indicators found, or that no action is described",
    ),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)
QUESTION = {q.key: q for q in QUESTIONS}
SECTORS_MISSING = "Select the sectors your organisation operates in"
NONE_CHOICE = "none"


@dataclass(frozen=True)
class Answers:
    """A body's answers for one statement, as stored (JSON) and as the form gives them.

    Each multiple-choice answer is a tuple of the registry's options, or (NONE_CHOICE,) for
    its "none of these" answer; () is not answered. years is one of YEARS_PRODUCING or "" (then
    counted from earlier statements)."""

    sectors: tuple[str, ...] = ()
    years: str = ""
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    other: Mapping[str, str] = field(default_factory=dict)  # "Other" text, by question key
    progress: str = ""

    def chosen(self, key: str) -> tuple[str, ...]:
        return tuple(self.choices.get(key, ()))

    def to_json(self) -> dict[str, object]:
        return {
            "sectors": list(self.sectors),
            "years": self.years,
            **{key: list(self.chosen(key)) for key in QUESTION_KEYS},
            "other": {k: v for k, v in self.other.items() if v},
            "progress": self.progress,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object] | None) -> Answers:
        data = data or {}

        def strings(value: object) -> tuple[str, ...]:
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        other = data.get("other")
        return cls(
            sectors=strings(data.get("sectors")),
            years=str(data.get("years") or ""),
            choices={key: strings(data.get(key)) for key in QUESTION_KEYS},
            other={str(k): str(v) for k, v in other.items()} if isinstance(other, dict) else {},
            progress=str(data.get("progress") or ""),
        )

    @property
    def empty(self) -> bool:
        return not (
            self.sectors
            or self.years
            or any(self.choices.values())
            or any(self.other.values())
            or self.progress
        )


def default_sectors(*, public_body: bool) -> tuple[str, ...]:
    """What a body's sectors start as: "Public sector" for a police force or commissioner."""
    return (PUBLIC_SECTOR,) if public_body else ()


def sector_type(sectors: Sequence[str], *, public_body: bool) -> str:
    """The registry's SectorType: Public for a police body or one in the public sector."""
    return PUBLIC if public_body or PUBLIC_SECTOR in sectors else PRIVATE


def turnover_band(spend: Decimal | None) -> str:
    """The registry's turnover band for a year's spend ("" when there is none): a band
    includes its lower bound, so £36,000,000.00 exactly is "£36 million to £60 million"."""
    if spend is None:
        return ""
    for band, lower, upper in TURNOVER_BANDS:
        if (lower is None or spend >= lower) and (upper is None or spend < upper):
            return band
    raise AssertionError("the bands cover every amount")  # pragma: no cover


def years_band(years: int) -> str:
    """The registry's answer for a body producing its statement for the `years`th time."""
    if years < 1:
        raise ValueError("a body producing this statement has produced at least one")
    if years == 1:
        return FIRST_TIME
    return ONE_TO_FIVE if years <= 5 else OVER_FIVE


def answer_problems(answers: Answers) -> list[Problem]:
    """What is wrong with answers as sent, every problem in the order of the form: a question
    unanswered (what was done about indicators of forced labour only when some were found;
    the years and progress may be left empty), options not the registry's, "none of these" with
    others, "Other" without words, words too long."""
    problems: list[Problem] = []
    if not answers.sectors:
        problems.append(Problem(SECTORS_MISSING, "sectors"))
    elif any(s not in SECTORS for s in answers.sectors):
        problems.append(Problem("Select only the sectors listed", "sectors"))
    if answers.years and answers.years not in YEARS_PRODUCING:
        problems.append(Problem("Select how long you have produced statements", "years"))
    asked = asked_questions(answers)
    for question in QUESTIONS:
        chosen = answers.chosen(question.key)
        allowed = {*question.options, NONE_CHOICE, *((OTHER,) if question.other_column else ())}
        if not chosen:
            if question in asked:
                problems.append(Problem(question.missing, question.key))
        elif any(c not in allowed for c in chosen) or len(set(chosen)) != len(chosen):
            problems.append(Problem("Select only the answers listed", question.key))
        elif NONE_CHOICE in chosen and len(chosen) > 1:
            problems.append(Problem(f"{question.missing}, not both", question.key))
        other = answers.other.get(question.key, "")
        if question.other_column and OTHER in chosen and not other.strip():
            problems.append(Problem("Enter what the other answer is", f"{question.key}_other"))
        if len(other) > OTHER_LIMIT:
            problems.append(
                Problem(
                    f"The other answer must be {OTHER_LIMIT} characters or fewer",
                    f"{question.key}_other",
                )
            )
    if len(answers.progress) > PROGRESS_LIMIT:
        problems.append(
            Problem(
                f"How progress is shown must be {PROGRESS_LIMIT:,} characters or fewer",
                "progress",
            )
        )
    return problems


def asked_questions(answers: Answers) -> tuple[Question, ...]:
    """The questions a body must answer: all but what was done about indicators of forced
    labour, which is asked only when some were found."""
    found = answers.chosen("ilo_indicators")
    if found and NONE_CHOICE not in found:
        return QUESTIONS
    return tuple(q for q in QUESTIONS if q.key != "ilo_actions")


def missing_answers(answers: Answers, *, has_training_records: bool = False) -> list[str]:
    """The registry columns a body has not answered, in the registry's order. Training is
    answered by the training records when the body has some; what was done about indicators
    of forced labour is asked only when some were found."""
    missing = []
    if not answers.sectors:
        missing.append("OrganisationSectors")
    for question in asked_questions(answers):
        if answers.chosen(question.key):
            continue
        if question.key == "training" and has_training_records:
            continue
        missing.append(question.column)
    return missing


def columns(question: Question, answers: Answers) -> dict[str, str]:
    """The registry's cells for one question: the options chosen (one a line), the "Other"
    text, and "Yes" in its "none" column when that was the answer."""
    chosen = answers.chosen(question.key)
    cells = {question.column: "", question.no_column: ""}
    if question.other_column:
        cells[question.other_column] = ""
    if NONE_CHOICE in chosen:
        cells[question.no_column] = "Yes"
        return cells
    cells[question.column] = "\n".join(c for c in question.options if c in chosen)
    if question.other_column and OTHER in chosen:
        cells[question.other_column] = answers.other.get(question.key, "").strip()
    return cells


def approving_person(name: str | None, title: str | None, *, body_name: str) -> str:
    """The registry's ApprovingPerson: "Name, Role" of the person signing. Never the body's
    name: a name that is only the body's name is no person ("")."""
    name, title = (name or "").strip(), (title or "").strip()
    if not name or name.casefold() == body_name.strip().casefold():
        return ""
    return f"{name}, {title}" if title else name


def warning_line(body_name: str, reasons: Sequence[str]) -> str:
    """One line of the list of rows to check: "Durham Constabulary: not approved yet; no
    answer for Policies and Training"."""
    return f"{body_name}: {'; '.join(reasons)}"


def no_answer_for(columns_missing: Sequence[str]) -> str:
    """ "no answer for Policies", "no answer for Policies, Training and SocialAudits"."""
    names = list(columns_missing)
    joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"no answer for {joined}"
