"""The registry's answers as rules: turnover bands at their boundaries, years producing
statements, the option lists, what answers must hold and the approving person."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from tisc.rules import registry as rules
from tisc.rules.registry import Answers

M = Decimal(1_000_000)
PENNY = Decimal("0.01")


@pytest.mark.parametrize(
    ("spend", "band"),
    [
        (Decimal(0), "Under £36 million"),
        (Decimal("-5.00"), "Under £36 million"),
        (36 * M - PENNY, "Under £36 million"),
        (36 * M, "£36 million to £60 million"),
        (60 * M - PENNY, "£36 million to £60 million"),
        (60 * M, "£60 million to £100 million"),
        (100 * M - PENNY, "£60 million to £100 million"),
        (100 * M, "£100 million to £500 million"),
        (Decimal("137952656.28"), "£100 million to £500 million"),
        (500 * M - PENNY, "£100 million to £500 million"),
        (500 * M, "Over £500 million"),
        (None, ""),
    ],
)
def test_turnover_bands_at_their_boundaries(spend: Decimal | None, band: str) -> None:
    assert rules.turnover_band(spend) == band


def test_the_bands_are_the_registrys_and_follow_on() -> None:
    assert [b for b, _, _ in rules.TURNOVER_BANDS] == [
        "Under £36 million",
        "£36 million to £60 million",
        "£60 million to £100 million",
        "£100 million to £500 million",
        "Over £500 million",
    ]
    for (_, _, upper), (_, lower, _) in itertools.pairwise(rules.TURNOVER_BANDS):
        assert upper == lower


@pytest.mark.parametrize(
    ("years", "band"),
    [
        (1, "This is the first time"),
        (2, "1 to 5 years"),
        (5, "1 to 5 years"),
        (6, "More than 5 years"),
    ],
)
def test_years_producing_statements(years: int, band: str) -> None:
    assert rules.years_band(years) == band


def test_no_statement_is_not_a_year() -> None:
    with pytest.raises(ValueError, match="at least one"):
        rules.years_band(0)


def test_the_option_lists() -> None:
    assert len(rules.ILO_INDICATORS) == 11  # DOMAIN.md: the ILO's eleven indicators
    assert "Debt bondage" in rules.ILO_INDICATORS
    assert rules.SECTORS[0] == rules.PUBLIC_SECTOR == "Public sector"
    assert rules.SECTOR_TYPES == ("Private", "Public")
    assert "Prohibits the use of worker-paid recruitment fees" in rules.POLICIES
    assert "Procurement staff" in rules.TRAINING
    for question in rules.QUESTIONS:
        assert len(set(question.options)) == len(question.options), question.key
        assert rules.NONE_CHOICE not in question.options
        assert question.missing.startswith("Select "), question.key
    assert rules.QUESTIONS[0].missing.startswith("Select the policies you have")
    # Only policies and training have an "Other" answer in words on the registry.
    assert [q.key for q in rules.QUESTIONS if q.other_column] == ["policies", "training"]


def test_sector_type_of_a_police_body_is_public() -> None:
    assert rules.default_sectors(public_body=True) == ("Public sector",)
    assert rules.default_sectors(public_body=False) == ()
    assert rules.sector_type((), public_body=True) == "Public"
    assert rules.sector_type(("Public sector",), public_body=False) == "Public"
    assert rules.sector_type(("Construction",), public_body=False) == "Private"


NONE = ("none",)
FULL = {
    "policies": (rules.POLICIES[0],),
    "training": NONE,
    "engagement": NONE,
    "audits": NONE,
    "grievance": (rules.GRIEVANCE_MECHANISMS[0],),
    "ilo_indicators": NONE,
}


def answers(**choices: tuple[str, ...]) -> Answers:
    """Complete answers but for the choices given."""
    return Answers(sectors=("Public sector",), choices=FULL | choices)


def test_good_answers_have_no_problems() -> None:
    good = Answers(
        sectors=("Public sector", "Public administration and defence"),
        years="1 to 5 years",
        choices=FULL | {"policies": (rules.POLICIES[0], "Other")},
        other={"policies": "Ethical procurement policy"},
        progress="KPIs reported to the board",
    )
    assert rules.answer_problems(good) == []
    # Years and progress may be left empty; actions are asked only when indicators were found.
    assert rules.answer_problems(answers()) == []
    found = answers(ilo_indicators=("Debt bondage",), ilo_actions=("Change in policy",))
    assert rules.answer_problems(found) == []


def test_every_unanswered_question_is_a_problem_in_the_forms_order() -> None:
    problems = rules.answer_problems(Answers())
    assert [p.field for p in problems] == [
        "sectors",
        "policies",
        "training",
        "engagement",
        "audits",
        "grievance",
        "ilo_indicators",
    ]
    assert problems[0].message == "Select the sectors your organisation operates in"
    assert problems[1].message.startswith("Select the policies you have")
    found = rules.answer_problems(answers(ilo_indicators=("Deception",)))
    assert [(p.field, p.message) for p in found] == [
        ("ilo_actions", rules.QUESTION["ilo_actions"].missing)
    ]


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        (answers(policies=("Anything we like",)), "policies", "Select only the answers listed"),
        (answers(policies=(rules.POLICIES[0], "none")), "policies", "include none of these, not"),
        (
            Answers(sectors=("Public sector",), choices=FULL | {"policies": ("Other",)}),
            "policies_other",
            "Enter what the other answer is",
        ),
        (answers(engagement=("Other",)), "engagement", "answers listed"),
        (answers(audits=("Announced audit", "Announced audit")), "audits", "answers listed"),
        (Answers(sectors=("Police",), choices=FULL), "sectors", "Select only the sectors"),
        (Answers(sectors=("Public sector",), years="Ages", choices=FULL), "years", "Select how"),
        (
            Answers(sectors=("Public sector",), choices=FULL, progress="x" * 4001),
            "progress",
            "4,000 characters or fewer",
        ),
    ],
)
def test_bad_answers_are_refused(bad: Answers, field: str, message: str) -> None:
    problems = rules.answer_problems(bad)
    assert [p.field for p in problems] == [field]
    assert message in problems[0].message


def test_what_is_missing() -> None:
    assert rules.missing_answers(Answers()) == [
        "OrganisationSectors",
        "Policies",
        "Training",
        "WorkingConditionsEngagement",
        "SocialAudits",
        "GrievanceMechanisms",
        "ILOIndicatorsInStatement",
    ]
    full = answers(training=(), ilo_indicators=("Debt bondage",))
    # Training comes from the records; indicators found need what was done about them.
    assert rules.missing_answers(full, has_training_records=True) == ["ILOIndicatorsActions"]
    assert rules.missing_answers(full) == ["Training", "ILOIndicatorsActions"]


def test_cells_of_a_question() -> None:
    policies = rules.QUESTIONS[0]
    chosen = Answers(
        choices={"policies": ("Other", rules.POLICIES[2], rules.POLICIES[0])},
        other={"policies": "Ethical code"},
    )
    assert rules.columns(policies, chosen) == {
        "Policies": f"{rules.POLICIES[0]}\n{rules.POLICIES[2]}",  # the registry's order
        "OtherPolicies": "Ethical code",
        "NoPolicies": "",
    }
    assert rules.columns(policies, answers(policies=("none",))) == {
        "Policies": "",
        "OtherPolicies": "",
        "NoPolicies": "Yes",
    }


def test_answers_round_trip_through_json() -> None:
    given = Answers(
        sectors=("Public sector",),
        years="More than 5 years",
        choices={key: () for key in rules.QUESTION_KEYS} | {"audits": ("none",)},
        other={},
        progress="Board reports",
    )
    assert Answers.from_json(given.to_json()) == given
    assert Answers.from_json(None).empty and not given.empty
    assert Answers.from_json({"policies": "not a list", "other": []}).chosen("policies") == ()


@pytest.mark.parametrize(
    ("name", "title", "person"),
    [
        ("Jo Bloggs", "Chief Constable", "Jo Bloggs, Chief Constable"),
        ("Jo Bloggs", None, "Jo Bloggs"),
        (None, "Chief Constable", ""),
        ("Alpha Police", "Chief Constable", ""),  # the body's name is no person
        (" alpha police ", None, ""),
    ],
)
def test_approving_person(name: str | None, title: str | None, person: str) -> None:
    assert rules.approving_person(name, title, body_name="Alpha Police") == person


def test_warning_lines() -> None:
    assert rules.warning_line("Durham Constabulary", ["not approved yet"]) == (
        "Durham Constabulary: not approved yet"
    )
    assert rules.no_answer_for(["Policies"]) == "no answer for Policies"
    assert rules.no_answer_for(["Policies", "Training", "SocialAudits"]) == (
        "no answer for Policies, Training and SocialAudits"
    )
