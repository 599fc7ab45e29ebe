"""Statement rules at their boundaries: the deadline, text still to write, the checklist,
sign-off, publication, registry submission, risks, and the default text itself."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from tisc.rules.statement_signoff import (
    publication_problems,
    registry_problems,
    risk_problems,
    signatory_problems,
    url_problem,
)
from tisc.rules.statements import (
    REGISTRY_AREAS,
    BodyRecord,
    SectionText,
    approval_problems,
    checklist,
    cleared_note,
    deadline_status,
    join_names,
    missing_lines,
    not_approved_message,
    placeholders,
    still_to_approve,
    text_problem,
)

DUE = date(2026, 9, 30)  # the 2025/26 statement
SECTIONS = Path(__file__).resolve().parents[2] / "statements" / "sections.toml"


def deadline(today: date, published_on: date | None = None):
    return deadline_status(financial_year=2025, today=today, published_on=published_on)


# --- the deadline ---------------------------------------------------------------------------


def test_the_deadline_is_30_september_after_the_year_end() -> None:
    assert deadline(date(2026, 4, 1)).due == DUE
    assert deadline_status(financial_year=2024, today=DUE, published_on=None).due == date(
        2025, 9, 30
    )


def test_on_30_september_itself_it_is_due_today_not_overdue() -> None:
    found = deadline(DUE)
    assert (found.status, found.days, found.warning) == ("due_soon", 0, True)
    assert found.message == "Due today, 30 September 2026"


def test_on_1_october_it_is_overdue() -> None:
    found = deadline(date(2026, 10, 1))
    assert (found.status, found.days, found.warning) == ("overdue", 1, True)
    assert found.message == "Overdue by 1 day: due by 30 September 2026"
    assert deadline(date(2026, 11, 29)).message == "Overdue by 60 days: due by 30 September 2026"
    # A count of days is written as every count is, with thousands separators.
    later = deadline(date(2029, 9, 30)).message
    assert later == "Overdue by 1,096 days: due by 30 September 2026"


def test_the_warning_starts_60_days_before() -> None:
    at_60 = deadline(DUE - timedelta(days=60))
    assert (at_60.status, at_60.warning) == ("due_soon", True)
    assert at_60.message == "Due in 60 days, by 30 September 2026"
    at_61 = deadline(DUE - timedelta(days=61))
    assert (at_61.status, at_61.warning) == ("due", False)
    assert at_61.message == "Due by 30 September 2026"
    assert deadline(DUE - timedelta(days=1)).message == "Due in 1 day, by 30 September 2026"


def test_published_on_the_due_date_is_in_time_and_a_day_after_is_late() -> None:
    # Whatever today is: the publication date decides.
    in_time = deadline(date(2027, 1, 1), published_on=DUE)
    assert (in_time.status, in_time.warning) == ("in_time", False)
    assert in_time.message == "Published in time: it was due by 30 September 2026"
    late = deadline(date(2027, 1, 1), published_on=date(2026, 10, 1))
    assert (late.status, late.days, late.warning) == ("late", 1, False)
    assert late.message == "Published 1 day late: it was due by 30 September 2026"


# --- text still to write --------------------------------------------------------------------


def test_placeholders_are_anything_in_square_brackets() -> None:
    assert placeholders("We employ [say how many] staff and [name the course].") == [
        "[say how many]",
        "[name the course]",
    ]
    assert placeholders("No brackets here; [] is not one either.") == []
    assert placeholders(None) == []


@pytest.mark.parametrize(
    ("text", "default", "last_year", "expected"),
    [
        ("", None, None, "is empty"),
        ("  \n ", None, None, "is empty"),
        ("The default [x].", "The default [x].", None, "is still the default text"),
        ("The  default\n[x].", "The default [x].", None, "is still the default text"),
        ("Last year's words.", None, "Last year's words.", "is still last year's text"),
        ("Ours, with [one] left.", "The default [x].", None, "still has 1 placeholder to replace"),
        ("[a] and [b]", None, None, "still has 2 placeholders to replace"),
        ("All written by us.", "The default [x].", "Last year's words.", None),
    ],
)
def test_what_makes_text_count_as_missing(
    text: str, default: str | None, last_year: str | None, expected: str | None
) -> None:
    assert text_problem(text, default, last_year) == expected


# --- the checklist --------------------------------------------------------------------------


def _sections(**texts: str) -> list[SectionText]:
    keys = ["introduction", *(k for k, _ in REGISTRY_AREAS)]
    found = [
        SectionText(key=k, title=k.title(), text=texts.get(k, f"Written {k}."), short=f"the {k}")
        for k in keys
    ]
    return found + [
        SectionText(key="body", title=name, text=texts.get(name, f"About {name}."), body=name)
        for name in ("Cleveland Police", "Humberside Police")
    ]


def _body(name: str, **values) -> BodyRecord:
    complete = {
        "signatory_name": "A Person",
        "signatory_title": "Chief Constable",
        "approved_on": date(2026, 7, 1),
        "decision_reference": "DR 1",
        "published_url": "https://example.org/s",
        "published_on": date(2026, 7, 2),
        "registry_submitted_on": date(2026, 7, 3),
    }
    return BodyRecord(name=name, **{**complete, **values})


def test_a_complete_statement_has_nothing_missing() -> None:
    items = checklist(
        sections=_sections(),
        bodies=[_body("Cleveland Police"), _body("Humberside Police")],
        risk_count=1,
    )
    assert missing_lines(items) == []
    assert [i.label for i in items if i.group == "areas"] == [
        "Organisation structure, business and supply chains",
        "Policies",
        "Risk assessment",
        "Due diligence",
        "Training",
        "Goals and KPIs",
    ]


def test_placeholders_left_make_an_area_missing() -> None:
    items = checklist(
        sections=_sections(
            training="Everyone completes [name the course].",
            introduction="We [add a sentence].",
            **{"Humberside Police": "[Add a paragraph] about [name]."},
        ),
        bodies=[_body("Cleveland Police"), _body("Humberside Police")],
        risk_count=1,
    )
    assert missing_lines(items) == [
        "The text on training still has 1 placeholder to replace",
        "The introduction still has 1 placeholder to replace",
        "Humberside Police's own paragraph still has 2 placeholders to replace",
    ]
    training = next(i for i in items if i.label == "Training")
    assert not training.done


def test_an_area_without_its_section_is_missing() -> None:
    sections = [s for s in _sections() if s.key != "goals"]
    items = checklist(sections=sections, bodies=[], risk_count=1)
    assert missing_lines(items) == ["The text on goals and KPIs is missing"]


def test_each_bodys_missing_sign_off_is_named() -> None:
    items = checklist(
        sections=_sections(),
        bodies=[
            _body("Cleveland Police"),
            _body(
                "Humberside Police",
                approved_on=None,
                decision_reference=None,
                published_url=None,
                published_on=None,
                registry_submitted_on=None,
            ),
            _body("Durham Constabulary", signatory_title=None),
            _body("Northumbria Police", signatory_name=None),
        ],
        risk_count=0,
    )
    assert missing_lines(items) == [
        "No approval date for Humberside Police",
        "No decision reference for Humberside Police",
        "No published web address for Humberside Police",
        "Humberside Police has not recorded its submission to the national registry",
        "No job title for the signatory of Durham Constabulary",
        "No signatory for Northumbria Police",
        "No risks described",
    ]
    humberside = [i for i in items if i.body == "Humberside Police"]
    assert [(i.label, i.done) for i in humberside] == [
        ("Own paragraph", True),
        ("Signatories", True),
        ("Approval date", False),
        ("Decision reference", False),
        ("Published web address", False),
        ("Submitted to the registry", False),
    ]


# --- sign-off -------------------------------------------------------------------------------


def approval(approved_on: date | None, reference: str = "PCC 12/2026", today=date(2026, 8, 1)):
    found = approval_problems(
        approved_on=approved_on, decision_reference=reference, financial_year=2025, today=today
    )
    return [(p.field, p.message) for p in found]


def test_approval_on_the_year_end_itself_is_accepted_and_the_day_before_is_not() -> None:
    assert approval(date(2026, 3, 31)) == []
    assert approval(date(2026, 3, 30)) == [
        (
            "approved_on",
            "The approval date must be on or after 31 March 2026, the end of 2025/26",
        )
    ]


def test_approval_today_is_accepted_and_tomorrow_is_not() -> None:
    assert approval(date(2026, 8, 1)) == []
    assert approval(date(2026, 8, 2)) == [
        ("approved_on", "The approval date must be today or in the past")
    ]


def test_an_approval_needs_a_date_and_a_decision_reference() -> None:
    assert approval(None, "  ") == [
        ("approved_on", "Enter the date the statement was approved"),
        (
            "decision_reference",
            "Enter the decision reference, like the number of the decision record",
        ),
    ]
    assert approval(date(2026, 7, 1), "x" * 201) == [
        ("decision_reference", "The decision reference must be 200 characters or fewer")
    ]


def test_signatories_need_a_name_and_title_and_a_second_one_needs_both() -> None:
    def problems(**values):
        return [p.message for p in signatory_problems(**values)]

    assert problems(name="Joy Allen", title="Police and Crime Commissioner") == []
    assert problems(name=" ", title=None) == [
        "Enter the name of the person signing",
        "Enter the job title of the person signing",
    ]
    assert problems(name="A", title="B", second_name="C") == [
        "Enter the job title of the second person signing"
    ]
    assert problems(name="A", title="B", second_title="Chief Constable") == [
        "Enter the name of the second person signing"
    ]


def test_the_statement_is_approved_only_when_every_body_has() -> None:
    bodies = [("Cleveland Police", date(2026, 7, 1)), ("Humberside Police", None)]
    assert still_to_approve(bodies) == ["Humberside Police"]
    assert still_to_approve([("Cleveland Police", date(2026, 7, 1))]) == []
    assert not_approved_message(["Humberside Police"]) == (
        "The statement cannot be marked approved until every body has approved it: "
        "Humberside Police has not approved it yet"
    )
    assert not_approved_message(["A", "B", "C"]).endswith("A, B and C have not approved it yet")


def test_names_are_joined_in_plain_english() -> None:
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"
    assert join_names(["A", "B", "C"]) == "A, B and C"


def test_the_cleared_note_says_when_and_why() -> None:
    assert cleared_note(on=date(2026, 11, 29), what="the introduction") == (
        "Approval cleared on 29 November 2026 because the introduction changed"
    )


# --- publication and the registry -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.cleveland.police.uk/modern-slavery", True),
        ("http://example.org", True),
        ("www.cleveland.police.uk", False),
        ("ftp://example.org/s", False),
        ("https://localhost/s", False),
        ("https://example.org/a statement", False),
        ("https://example.org/a\x00statement", False),
        ("https://example.org/\u200bstatement", False),
        ("https://example.org/d\u00e9claration", True),
        ("", False),
    ],
)
def test_the_published_address_must_be_a_web_address(url: str, ok: bool) -> None:
    assert (url_problem(url) is None) == ok


def test_publication_is_not_in_the_future_nor_before_approval() -> None:
    def problems(published_on):
        found = publication_problems(
            url="https://example.org/s",
            published_on=published_on,
            approved_on=date(2026, 7, 1),
            today=date(2026, 8, 1),
        )
        return [p.message for p in found]

    assert problems(date(2026, 7, 1)) == []
    assert problems(date(2026, 8, 1)) == []
    assert problems(date(2026, 8, 2)) == ["The publication date must be today or in the past"]
    assert problems(date(2026, 6, 30)) == [
        "The publication date must be on or after 1 July 2026, when the statement was approved"
    ]
    assert problems(None) == ["Enter the date the statement was published"]


def test_the_registry_submission_comes_after_publication() -> None:
    def problems(submitted_on):
        found = registry_problems(
            submitted_on=submitted_on, published_on=date(2026, 7, 2), today=date(2026, 8, 1)
        )
        return [p.message for p in found]

    assert problems(date(2026, 7, 2)) == []
    assert problems(date(2026, 7, 1)) == [
        "The submission date must be on or after 2 July 2026, when the statement was published"
    ]
    assert problems(date(2026, 8, 2)) == ["The submission date must be today or in the past"]


def test_risks_need_a_description_and_the_registrys_tier_values() -> None:
    def problems(**values):
        return [p.message for p in risk_problems(**{"description": "Agency cleaners", **values})]

    for tier in ("Tier 1", "Tier 2", "Tier 3 and below", "Don't know", None, ""):
        assert problems(supply_chain_tier=tier) == []
    assert problems(supply_chain_tier="Tier 4") == [
        "Select Tier 1, Tier 2, Tier 3 and below, or Don't know"
    ]
    assert problems(description=" ") == ["Describe the risk"]


# --- the default text -----------------------------------------------------------------------


def test_the_default_text_has_every_section_in_order_with_placeholders_to_replace() -> None:
    data = tomllib.loads(SECTIONS.read_text(encoding="utf-8"))
    keys = [s["key"] for s in data["sections"]]
    assert keys == [
        "introduction",
        "structure",
        "policies",
        "principles",
        "risk",
        "due-diligence",
        "training",
        "goals",
    ]
    assert {k for k, _ in REGISTRY_AREAS} <= set(keys)
    assert data["body"]["key"] == "body"
    for entry in [*data["sections"], data["body"]]:
        text = entry["text"].strip()
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        assert 2 <= len(paragraphs) <= 4, entry["key"]
        # Every default counts as missing until a body writes its own words.
        assert placeholders(text), entry["key"]
        assert text.count("[") == text.count("]"), entry["key"]
        assert entry.get("short"), entry["key"]
