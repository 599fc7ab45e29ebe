"""The debarment rules: company numbers and PPONs as keys, matching a business to the list,
whether a listing is in force, and the 30 days to tell the Procurement Review Unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tisc.rules.debarment import (
    NOTIFY_WITHIN_DAYS,
    Decision,
    Identity,
    ListIndex,
    MatchKind,
    Notification,
    NotificationState,
    PartyKind,
    header_key,
    is_listed_on,
    list_columns,
    mandatory_from_text,
    match_kind,
    matching_keys,
    missing_columns_message,
    normalise_company_number,
    normalise_ppon,
    notification,
    notification_due_on,
    strongest,
)
from tisc.rules.names import normalise_supplier_name

# --- company numbers and PPONs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("01234567", "01234567"),
        ("1234567", "01234567"),
        ("  123 4567 ", "01234567"),
        ("12345678", "12345678"),
        ("123", "00000123"),
        ("sc123456", "SC123456"),
        ("SC 12345", "SC012345"),
        ("ni012345", "NI012345"),
        ("OC301234", "OC301234"),
        ("FC0001", "FC000001"),
        ("", ""),
        (None, ""),
        ("N/A", ""),
        ("n/a", ""),
        ("none", ""),
        ("0", ""),
        ("00000000", ""),
        ("-", ""),
        ("RC000123", "RC000123"),
        ("123456789", "123456789"),  # too long to be a number: kept as given, never padded
    ],
)
def test_company_numbers_are_written_as_companies_house_writes_them(
    given: str | None, expected: str
) -> None:
    assert normalise_company_number(given) == expected


def test_a_non_ascii_digit_is_not_padded_as_a_number() -> None:
    assert normalise_company_number("１２３") == "１２３"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("PUKM-1234-5678", "PUKM12345678"),
        ("pukm 1234 5678", "PUKM12345678"),
        ("", ""),
        (None, ""),
        ("n/a", ""),
        ("  ", ""),
    ],
)
def test_ppons_keep_letters_and_digits_only(given: str | None, expected: str) -> None:
    assert normalise_ppon(given) == expected


# --- matching --------------------------------------------------------------------------------


def test_the_same_company_number_matches_however_written() -> None:
    assert (
        match_kind(Identity("A", "1234567"), Identity("B", "01234567")) is MatchKind.COMPANY_NUMBER
    )


def test_a_prefixed_company_number_keeps_its_prefix() -> None:
    assert match_kind(Identity("A", "SC012345"), Identity("B", "012345")) is None
    assert (
        match_kind(Identity("A", "sc 12345"), Identity("B", "SC012345")) is MatchKind.COMPANY_NUMBER
    )


def test_the_ppon_matches_when_numbers_do_not_decide() -> None:
    assert match_kind(Identity("A", None, "PUKM-1"), Identity("B", None, "pukm1")) is MatchKind.PPON


def test_the_company_number_is_stronger_than_the_ppon() -> None:
    ours = Identity("Acme Ltd", "01234567", "P-1")
    assert match_kind(ours, Identity("Acme Ltd", "1234567", "P-1")) is MatchKind.COMPANY_NUMBER


def test_the_same_name_alone_is_a_match_to_check() -> None:
    kind = match_kind(Identity("ACME CLEANING LIMITED."), Identity("Acme Cleaning Ltd"))
    assert kind is MatchKind.NAME
    assert kind.needs_check
    assert not MatchKind.COMPANY_NUMBER.needs_check
    assert not MatchKind.PPON.needs_check


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Acme Cleaning Ltd", "Acme Cleaning Services Ltd"),
        ("North Logistics", "North East Logistics"),
        ("Acme Ltd", "Acme Holdings Ltd"),
        ("Acme", "Acme Cleaning"),
        ("Smith & Sons", "Smith Sons Ltd"),
    ],
)
def test_a_similar_but_different_name_never_matches(ours: str, theirs: str) -> None:
    assert match_kind(Identity(ours), Identity(theirs)) is None


def test_names_that_differ_in_suffix_or_punctuation_only_match() -> None:
    assert match_kind(Identity("The Acme Company"), Identity("Acme Co.")) is MatchKind.NAME
    assert (
        match_kind(Identity("Smith & Sons Ltd"), Identity("SMITH AND SONS LIMITED"))
        is MatchKind.NAME
    )


def test_different_company_numbers_are_different_businesses_whatever_the_name() -> None:
    assert match_kind(Identity("Acme Ltd", "01234567"), Identity("Acme Ltd", "07654321")) is None


def test_different_ppons_are_different_businesses_whatever_the_name() -> None:
    assert match_kind(Identity("Acme Ltd", None, "P-1"), Identity("Acme Ltd", None, "P-2")) is None


def test_a_number_on_one_side_only_leaves_the_name_to_decide() -> None:
    assert match_kind(Identity("Acme Ltd", "01234567"), Identity("Acme Ltd")) is MatchKind.NAME
    assert match_kind(Identity("Acme Ltd"), Identity("Acme Ltd", None, "P-9")) is MatchKind.NAME


def test_an_empty_name_never_matches() -> None:
    assert match_kind(Identity(""), Identity("")) is None
    assert match_kind(Identity("..."), Identity("!!")) is None


def test_the_index_finds_every_entry_strongest_first() -> None:
    index = ListIndex(
        [
            (3, Identity("Acme Ltd")),
            (1, Identity("Other Name", "1234567")),
            (2, Identity("Nobody", "99999999")),
        ]
    )
    assert len(index) == 3
    found = index.matches(Identity("ACME LIMITED", "01234567"))
    assert found == [(1, MatchKind.COMPANY_NUMBER), (3, MatchKind.NAME)]


def test_the_index_finds_nothing_for_a_similar_name() -> None:
    index = ListIndex([(1, Identity("Acme Cleaning Services Ltd"))])
    assert index.matches(Identity("Acme Cleaning Ltd")) == []


def test_the_index_matches_keys_made_from_a_stored_normalised_name() -> None:
    index = ListIndex([(1, Identity("Acme Cleaning Ltd"))])
    keys = matching_keys(None, None, normalise_supplier_name("ACME CLEANING LIMITED"))
    assert index.matches_keys(keys) == [(1, MatchKind.NAME)]


def test_the_index_of_an_empty_list_finds_nothing() -> None:
    assert ListIndex([]).matches(Identity("Acme Ltd", "1")) == []


def test_strongest_of_kinds() -> None:
    assert strongest([MatchKind.NAME, MatchKind.PPON]) is MatchKind.PPON
    assert strongest([MatchKind.NAME, MatchKind.COMPANY_NUMBER]) is MatchKind.COMPANY_NUMBER
    assert strongest([]) is None


def test_labels_as_the_export_says_them() -> None:
    assert [k.label for k in MatchKind] == ["company number", "PPON", "name"]
    assert PartyKind.SUBCONTRACTOR.label == "Relied-on subcontractor"
    assert Decision.NOT_EXCLUDED.label == "Not excluded"


# --- listings in force ---------------------------------------------------------------------

START, END = date(2025, 3, 1), date(2030, 2, 28)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 2, 28), False),
        (START, True),
        (date(2027, 6, 1), True),
        (END, True),
        (date(2030, 3, 1), False),
    ],
)
def test_a_listing_is_in_force_from_its_start_to_its_end_inclusive(
    day: date, expected: bool
) -> None:
    assert is_listed_on(day, START, END) is expected


def test_a_listing_without_an_end_stays_in_force() -> None:
    assert is_listed_on(date(2099, 1, 1), START, None)
    assert not is_listed_on(date(2025, 2, 28), START, None)


def test_a_listing_without_a_start_is_in_force_until_its_end() -> None:
    assert is_listed_on(date(2000, 1, 1), None, END)
    assert not is_listed_on(date(2030, 3, 1), None, END)


# --- telling the Procurement Review Unit ----------------------------------------------------

DECIDED = date(2026, 3, 2)


def test_the_unit_is_told_within_30_days() -> None:
    assert NOTIFY_WITHIN_DAYS == 30
    assert notification_due_on(DECIDED) == date(2026, 4, 1)


@pytest.mark.parametrize("decision", [Decision.NOT_EXCLUDED, Decision.UNDER_CONSIDERATION])
def test_only_an_exclusion_needs_telling(decision: Decision) -> None:
    found = notification(decision, DECIDED, None, DECIDED + timedelta(days=90))
    assert found == Notification(NotificationState.NOT_NEEDED)
    assert found.words == "Not needed"


def test_on_the_day_of_the_decision_30_days_are_left() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, None, DECIDED)
    assert (found.state, found.days, found.words) == (NotificationState.DUE, 30, "Due in 30 days")


def test_day_29_leaves_one_day() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, None, DECIDED + timedelta(days=29))
    assert (found.state, found.days, found.words) == (NotificationState.DUE, 1, "Due in 1 day")


def test_day_30_is_the_last_day() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, None, DECIDED + timedelta(days=30))
    assert (found.state, found.days, found.words) == (NotificationState.DUE, 0, "Due today")
    assert found.due_on == DECIDED + timedelta(days=30)


def test_day_31_is_overdue() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, None, DECIDED + timedelta(days=31))
    assert (found.state, found.days, found.words) == (
        NotificationState.OVERDUE,
        1,
        "Overdue by 1 day",
    )


def test_overdue_counts_the_days_late() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, None, DECIDED + timedelta(days=40))
    assert found.words == "Overdue by 10 days"


def test_told_on_day_30_is_on_time() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, DECIDED + timedelta(days=30), date(2027, 1, 1))
    assert found.state is NotificationState.NOTIFIED_ON_TIME
    assert found.words == "Notified on time"


def test_told_on_day_31_is_late() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, DECIDED + timedelta(days=31), date(2027, 1, 1))
    assert found.state is NotificationState.NOTIFIED_LATE
    assert found.words == "Notified late"


def test_told_on_the_day_of_the_decision_is_on_time() -> None:
    found = notification(Decision.EXCLUDED, DECIDED, DECIDED, DECIDED)
    assert found.state is NotificationState.NOTIFIED_ON_TIME


def test_every_state_has_a_tag_colour() -> None:
    colours = {Notification(state).tag_colour for state in NotificationState}
    assert len(colours) == len(NotificationState)


def test_a_decision_without_a_date_needs_no_notification_yet() -> None:
    assert (
        notification(Decision.EXCLUDED, None, None, DECIDED).state is NotificationState.NOT_NEEDED
    )


# --- reading a list's columns --------------------------------------------------------------


def test_header_keys_ignore_case_spaces_and_punctuation() -> None:
    assert header_key("  Listed  until: ") == "listeduntil"


@pytest.mark.parametrize(
    ("headers", "field", "expected"),
    [
        (["Supplier name"], "name", "Supplier name"),
        (["Organisation name"], "name", "Organisation name"),
        (["NAME"], "name", "NAME"),
        (["Companies House number"], "company_number", "Companies House number"),
        (["CRN"], "company_number", "CRN"),
        (
            ["Public Procurement Organisation Number"],
            "ppon",
            "Public Procurement Organisation Number",
        ),
        (["Exclusion ground"], "ground", "Exclusion ground"),
        (["Type"], "mandatory", "Type"),
        (["Listed from"], "start_date", "Listed from"),
        (["Listed until"], "end_date", "Listed until"),
    ],
)
def test_list_columns_are_found_by_their_usual_headers(
    headers: list[str], field: str, expected: str
) -> None:
    assert list_columns(headers)[field] == expected


def test_the_first_column_a_header_names_wins() -> None:
    assert list_columns(["Name", "Supplier name"])["name"] == "Name"


def test_a_list_without_required_columns_says_which() -> None:
    mapping = list_columns(["Supplier name", "Company number"])
    assert missing_columns_message(mapping) == (
        "The list has no Ground, Mandatory and Start date columns: add them and upload it again."
    )
    one = list_columns(["Supplier name", "Ground", "Type"])
    assert missing_columns_message(one) == (
        "The list has no Start date column: add it and upload it again."
    )


def test_a_list_with_its_columns_has_no_message() -> None:
    mapping = list_columns(["Name", "Ground", "Mandatory", "Start date"])
    assert missing_columns_message(mapping) is None
    assert mapping["company_number"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mandatory", True),
        ("MANDATORY", True),
        ("Yes", True),
        ("y", True),
        ("Discretionary", False),
        ("no", False),
        ("", None),
        ("maybe", None),
    ],
)
def test_mandatory_or_discretionary_from_words(text: str, expected: bool | None) -> None:
    assert mandatory_from_text(text) is expected
