"""The incident rules: the eleven ILO indicators, sources, referrals and remediation kinds;
keeping sets of keys; the checks on dates, closing, referrals and text; and the counts."""

from __future__ import annotations

from datetime import date

import pytest

from tisc.rules.incidents import (
    SHORT_TEXT,
    IncidentCounts,
    IncidentFacts,
    IncidentStatus,
    Indicator,
    Referral,
    Remediation,
    Source,
    Tier,
    closing_problem,
    count_by_indicator,
    count_by_referral,
    count_by_remediation,
    count_incidents,
    date_problems,
    figure_rows,
    join_keys,
    parse_keys,
    referral_problem,
    registry_choices,
    text_problem,
    unknown_keys,
)
from tisc.rules.registry import ILO_INDICATORS

TODAY = date(2025, 6, 30)
OPEN, CLOSED = IncidentStatus.OPEN, IncidentStatus.CLOSED


def test_the_eleven_ilo_indicators_in_their_order() -> None:
    assert [i.label for i in Indicator] == [
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
    ]


def test_the_keys_fit_their_columns() -> None:
    # The model keeps the sets in String(200) and String(100), the enums in 20 characters.
    assert len(join_keys(Indicator, Indicator)) <= 200
    assert len(join_keys(Referral, Referral)) <= 100
    assert len(join_keys(Remediation, Remediation)) <= 100
    for kind in (Source, Tier, IncidentStatus):
        assert max(len(member.value) for member in kind) <= 20


@pytest.mark.parametrize(
    ("kind", "labels"),
    [
        (
            Source,
            [
                "Audit",
                "Worker voice",
                "Helpline",
                "The force's modern slavery unit",
                "Supplier disclosure",
                "Media",
                "Other",
            ],
        ),
        (
            Referral,
            [
                "National Referral Mechanism",
                "Modern Slavery and Exploitation Helpline",
                "The force's modern slavery unit",
                "Gangmasters and Labour Abuse Authority (GLAA)",
                "None",
            ],
        ),
        (
            Remediation,
            [
                "Payment of recruitment fees or wages owed",
                "Support for workers",
                "Supplier corrective plan",
                "Contract change",
                "Supplier exit",
                "Other",
            ],
        ),
        (Tier, ["Tier 1 (a direct supplier)", "Tier 2", "Tier 3 or further", "Not known"]),
        (IncidentStatus, ["Open", "Closed"]),
    ],
)
def test_every_key_has_its_words(kind: type, labels: list[str]) -> None:
    assert [member.label for member in kind] == labels


def test_keys_are_kept_in_their_kinds_order_whatever_the_order_chosen() -> None:
    chosen = [Indicator.OVERTIME, Indicator.DECEPTION, Indicator.OVERTIME]
    assert join_keys(chosen, Indicator) == "deception,overtime"


def test_no_keys_are_kept_as_an_empty_text() -> None:
    assert join_keys([], Referral) == ""
    assert parse_keys("", Referral) == []
    assert parse_keys(None, Referral) == []


def test_kept_keys_read_back_in_order_dropping_unknown_ones() -> None:
    assert parse_keys("wages, debt,nonsense", Indicator) == [Indicator.WAGES, Indicator.DEBT]
    assert parse_keys(["glaa", "nrm"], Referral) == [Referral.NRM, Referral.GLAA]


def test_joined_and_parsed_keys_round_trip() -> None:
    for kind in (Indicator, Referral, Remediation):
        assert parse_keys(join_keys(kind, kind), kind) == list(kind)


def test_unknown_keys_are_named() -> None:
    assert unknown_keys(["nrm", "police", ""], Referral) == ["police", ""]
    assert unknown_keys(["nrm"], Referral) == []


def test_none_cannot_go_with_a_referral() -> None:
    assert referral_problem([Referral.NONE, Referral.NRM]) == (
        "Select the referrals made, or None, not both"
    )
    assert referral_problem([Referral.NONE]) is None
    assert referral_problem([Referral.NRM, Referral.GLAA]) is None
    assert referral_problem([]) is None


def test_an_open_incident_found_today_is_fine() -> None:
    assert date_problems(found_on=TODAY, closed_on=None, status=OPEN, today=TODAY) == {}


def test_the_date_found_is_needed_and_not_in_the_future() -> None:
    assert date_problems(found_on=None, closed_on=None, status=OPEN, today=TODAY) == {
        "found_on": "Enter the date the indicators were found"
    }
    assert date_problems(found_on=date(2025, 7, 1), closed_on=None, status=OPEN, today=TODAY) == {
        "found_on": "The date found must be today or in the past"
    }


def test_a_closed_incident_needs_its_date_closed() -> None:
    assert date_problems(found_on=TODAY, closed_on=None, status=CLOSED, today=TODAY) == {
        "closed_on": "Enter the date the incident was closed"
    }


def test_closed_on_the_day_found_is_fine_and_before_it_is_not() -> None:
    found = date(2025, 5, 1)
    assert date_problems(found_on=found, closed_on=found, status=CLOSED, today=TODAY) == {}
    assert date_problems(
        found_on=found, closed_on=date(2025, 4, 30), status=CLOSED, today=TODAY
    ) == {"closed_on": "The date closed must be the same as or after the date found"}


def test_the_date_closed_is_not_in_the_future() -> None:
    assert date_problems(
        found_on=date(2025, 5, 1), closed_on=date(2025, 7, 1), status=CLOSED, today=TODAY
    ) == {"closed_on": "The date closed must be today or in the past"}


def test_an_open_incident_has_no_date_closed() -> None:
    assert date_problems(found_on=date(2025, 5, 1), closed_on=TODAY, status=OPEN, today=TODAY) == {
        "closed_on": "An open incident has no date closed: leave it blank, or close it"
    }


def test_both_dates_wrong_names_both() -> None:
    problems = date_problems(found_on=None, closed_on=None, status=CLOSED, today=TODAY)
    assert set(problems) == {"found_on", "closed_on"}


def test_closing_needs_an_outcome() -> None:
    message = "Enter the outcome of the remediation to close the incident"
    assert closing_problem(status=CLOSED, outcome=None) == message
    assert closing_problem(status=CLOSED, outcome="   ") == message
    assert closing_problem(status=CLOSED, outcome="Wages repaid") is None
    assert closing_problem(status=OPEN, outcome=None) is None


def test_free_text_is_short() -> None:
    assert text_problem("x" * SHORT_TEXT, "The outcome") is None
    assert text_problem("x" * (SHORT_TEXT + 1), "The outcome") == (
        "The outcome must be 1,000 characters or fewer"
    )
    assert text_problem(None, "The outcome") is None
    # Spaces around the text are not counted (the service keeps it stripped).
    assert text_problem(" " + "x" * SHORT_TEXT + " ", "The outcome") is None


def _facts(
    status: IncidentStatus = OPEN,
    indicators: tuple[Indicator, ...] = (),
    remediations: tuple[Remediation, ...] = (),
    referrals: tuple[Referral, ...] = (),
) -> IncidentFacts:
    return IncidentFacts(TODAY, status, indicators, remediations, referrals)


def test_no_incidents_count_zero_everywhere() -> None:
    counts = count_incidents([])
    assert (counts.found, counts.open, counts.closed) == (0, 0, 0)
    assert list(counts.by_indicator) == list(Indicator)
    assert set(counts.by_indicator.values()) == {0}
    assert set(counts.by_remediation.values()) == {0}
    assert set(counts.by_referral.values()) == {0}


def test_open_and_closed_add_up_to_those_found() -> None:
    counts = count_incidents([_facts(OPEN), _facts(CLOSED), _facts(CLOSED)])
    assert (counts.found, counts.open, counts.closed) == (3, 1, 2)


def test_an_incident_counts_once_per_indicator() -> None:
    found = [
        _facts(indicators=(Indicator.WAGES, Indicator.DEBT, Indicator.WAGES)),
        _facts(indicators=(Indicator.WAGES,)),
    ]
    counted = count_by_indicator(found)
    assert counted[Indicator.WAGES] == 2
    assert counted[Indicator.DEBT] == 1
    assert counted[Indicator.ISOLATION] == 0


def test_counts_by_remediation_and_referral() -> None:
    found = [
        _facts(remediations=(Remediation.EXIT,), referrals=(Referral.NRM, Referral.GLAA)),
        _facts(remediations=(Remediation.EXIT, Remediation.PAYMENT), referrals=(Referral.NONE,)),
    ]
    assert count_by_remediation(found)[Remediation.EXIT] == 2
    assert count_by_remediation(found)[Remediation.PAYMENT] == 1
    assert count_by_remediation(found)[Remediation.SUPPORT] == 0
    assert count_by_referral(found) == {
        Referral.NRM: 1,
        Referral.HELPLINE: 0,
        Referral.FORCE_UNIT: 0,
        Referral.GLAA: 1,
        Referral.NONE: 1,
    }


def test_counts_read_any_iterable_once() -> None:
    counts = count_incidents(_facts(CLOSED, (Indicator.DEBT,)) for _ in range(2))
    assert isinstance(counts, IncidentCounts)
    assert (counts.found, counts.closed, counts.by_indicator[Indicator.DEBT]) == (2, 2, 2)


def test_the_statements_lines_count_and_never_describe() -> None:
    counts = count_incidents(
        [
            _facts(OPEN, referrals=(Referral.NRM,)),
            _facts(CLOSED, referrals=(Referral.NRM, Referral.GLAA)),
            _facts(CLOSED, referrals=(Referral.NONE,)),
        ]
    )
    assert figure_rows(counts, "2025/26") == [
        ("Incidents with indicators of forced labour found in 2025/26", "3 (2 closed, 1 open)"),
        ("Of them, referred to the National Referral Mechanism", "2"),
    ]


def test_the_statements_lines_with_no_incidents_say_nought() -> None:
    assert figure_rows(count_incidents([]), "2025/26") == [
        ("Incidents with indicators of forced labour found in 2025/26", "0"),
        ("Of them, referred to the National Referral Mechanism", "0"),
    ]


def test_every_indicator_is_one_the_registry_names() -> None:
    assert [i.label for i in Indicator] == list(ILO_INDICATORS)


def test_registry_choices_say_nothing_without_an_incident_and_claim_no_unnamed_action() -> None:
    assert registry_choices(IncidentCounts()) == {}
    exit_only = IncidentCounts(
        found=1,
        open=1,
        by_indicator={Indicator.DEBT: 1},
        by_remediation={Remediation.EXIT: 1, Remediation.CONTRACT_CHANGE: 1},
    )
    assert registry_choices(exit_only) == {"ilo_indicators": ("Debt bondage",)}
