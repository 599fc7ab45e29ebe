"""Action plan rules at their boundaries: item validation, progress updates, overdue,
needs-updating windows and carry-over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tisc.models import ItemStatus, Rag
from tisc.rules.plans import (
    carried_over,
    is_overdue,
    item_problems,
    parse_links,
    status_change,
    update_problems,
    update_reasons,
)


@dataclass
class Item:
    due_date: date | None
    status: ItemStatus = ItemStatus.IN_PROGRESS
    title: str = "An action"


def problems(**values) -> list[tuple[str, str]]:
    found = item_problems(
        **{"title": "Send guidance", "due_date": None, "financial_year": 2025, **values}
    )
    return [(p.field, p.message) for p in found]


# --- items ----------------------------------------------------------------------------------


def test_a_title_is_needed_and_blank_space_is_not_one() -> None:
    assert problems(title="") == [("title", "Enter the action")]
    assert problems(title="   ") == [("title", "Enter the action")]
    assert problems(title=None) == [("title", "Enter the action")]
    assert problems(title="x") == []


def test_the_title_may_be_300_characters_but_not_301() -> None:
    assert problems(title="x" * 300) == []
    assert problems(title="x" * 301) == [("title", "The action must be 300 characters or fewer")]


def test_the_due_date_may_be_1_april_of_the_plan_year_but_not_31_march() -> None:
    assert problems(due_date=date(2025, 4, 1)) == []
    assert problems(due_date=date(2025, 3, 31)) == [
        ("due_date", "The due date must be on or after 1 April 2025, the start of the 2025/26 plan")
    ]
    # After the year ends is allowed (an action can run on), and no date at all is fine.
    assert problems(due_date=date(2027, 1, 1)) == []
    assert problems(due_date=None) == []


def test_every_problem_is_reported_in_form_order() -> None:
    assert [
        field for field, _ in problems(title="", due_date=date(2020, 1, 1), owner="o" * 201)
    ] == [
        "title",
        "owner",
        "due_date",
    ]


def test_lengths_of_owner_kpi_and_target_are_checked_at_their_limits() -> None:
    assert problems(owner="o" * 200, kpi="k" * 300, kpi_target="t" * 200) == []
    assert [f for f, _ in problems(owner="o" * 201, kpi="k" * 301, kpi_target="t" * 201)] == [
        "owner",
        "kpi",
        "kpi_target",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/evidence.pdf",
        "http://intranet.example/a\n\n  https://example.org/b  \n",
        "HTTPS://EXAMPLE.ORG/C",
        "",
        None,
    ],
)
def test_links_one_per_line_that_are_http_addresses_are_accepted(text) -> None:
    assert parse_links(text)[1] is None


@pytest.mark.parametrize(
    "text",
    [
        "example.org/evidence.pdf",
        "javascript:alert(1)",
        "ftp://example.org/a",
        "https://",
        "https://example.org/a b",
        "https://example.org/ok\nfile:///etc/passwd",
    ],
)
def test_anything_else_is_refused_with_the_field_named(text) -> None:
    _, problem = parse_links(text)
    assert problem is not None and problem.field == "evidence_links"


def test_links_are_read_one_per_line_without_blanks() -> None:
    links, _ = parse_links(" https://a.example/1 \n\nhttps://b.example/2\n")
    assert links == ["https://a.example/1", "https://b.example/2"]
    assert parse_links("\n".join(f"https://a.example/{n}" for n in range(20)))[1] is None
    assert parse_links("\n".join(f"https://a.example/{n}" for n in range(21)))[1] is not None


# --- progress updates -----------------------------------------------------------------------


def update(**values) -> list[tuple[str, str]]:
    given = {
        "note": "Sent to 40 suppliers",
        "status": "in_progress",
        "rag": "green",
        "rag_reason": None,
    }
    return [(p.field, p.message) for p in update_problems(**{**given, **values})]


def test_an_update_needs_a_note() -> None:
    assert update(note="  ") == [("note", "Enter what has happened")]
    assert update() == []


@pytest.mark.parametrize("rag", ["red", "amber"])
def test_red_and_amber_need_a_reason(rag: str) -> None:
    assert update(rag=rag, rag_reason="") == [("rag_reason", f"Enter why the item is {rag}")]
    assert update(rag=rag, rag_reason="   ") == [("rag_reason", f"Enter why the item is {rag}")]
    assert update(rag=rag, rag_reason="Supplier has not replied") == []


def test_green_needs_no_reason() -> None:
    assert update(rag="green", rag_reason="") == []


def test_status_and_rag_must_be_known_values() -> None:
    assert update(status="finished") == [("status", "Select the status")]
    assert update(status=None) == [("status", "Select the status")]
    assert update(rag="purple") == [("rag", "Select red, amber or green")]
    for status in ItemStatus:
        assert update(status=status.value) == []


# --- overdue --------------------------------------------------------------------------------


def test_an_item_is_not_overdue_on_its_due_date_but_is_the_day_after() -> None:
    due = date(2025, 9, 30)
    assert not is_overdue(Item(due), due)
    assert is_overdue(Item(due), due + timedelta(days=1))
    assert not is_overdue(Item(due), due - timedelta(days=1))


def test_done_items_and_items_without_a_date_are_never_overdue() -> None:
    assert not is_overdue(Item(date(2025, 4, 1), ItemStatus.DONE), date(2026, 4, 1))
    assert not is_overdue(Item(None), date(2026, 4, 1))
    assert is_overdue(Item(date(2025, 4, 1), ItemStatus.BLOCKED), date(2026, 4, 1))


# --- needs updating -------------------------------------------------------------------------

TODAY = date(2025, 12, 1)


def reasons(
    *, rag=Rag.GREEN, status=ItemStatus.IN_PROGRESS, due=None, added_days=200, last_days=None
):
    return update_reasons(
        due_date=due,
        status=status,
        rag=rag,
        added=TODAY - timedelta(days=added_days),
        last_update=None if last_days is None else TODAY - timedelta(days=last_days),
        today=TODAY,
    )


@pytest.mark.parametrize("rag", [Rag.RED, Rag.AMBER])
def test_red_or_amber_needs_an_update_within_30_days(rag: Rag) -> None:
    assert reasons(rag=rag, last_days=30) == []
    assert reasons(rag=rag, last_days=31) == [
        f"{rag.label}, with no progress update in the last 30 days"
    ]


def test_any_open_item_needs_an_update_within_90_days() -> None:
    assert reasons(last_days=90) == []
    assert reasons(last_days=91) == ["No progress update in the last 90 days"]


def test_an_item_never_updated_counts_from_when_it_was_added() -> None:
    assert reasons(rag=Rag.AMBER, added_days=30) == []
    assert reasons(rag=Rag.AMBER, added_days=31) != []
    assert reasons(added_days=90) == []
    assert reasons(added_days=91) == ["No progress update in the last 90 days"]


def test_overdue_items_need_updating_from_the_day_after_the_due_date() -> None:
    assert reasons(due=TODAY, last_days=1) == []
    assert reasons(due=TODAY - timedelta(days=1), last_days=1) == [
        "Overdue: it was due on 30 November 2025"
    ]


def test_an_item_can_need_updating_for_several_reasons() -> None:
    found = reasons(rag=Rag.RED, due=date(2025, 6, 30), last_days=120)
    assert found == [
        "Overdue: it was due on 30 June 2025",
        "Red, with no progress update in the last 30 days",
    ]


def test_done_items_never_need_updating() -> None:
    assert reasons(status=ItemStatus.DONE, rag=Rag.RED, due=date(2025, 4, 1), last_days=365) == []


# --- carry-over and changes -----------------------------------------------------------------


def test_carry_over_takes_every_item_that_is_not_done_in_order() -> None:
    items = [Item(None, status, title=status.value) for status in ItemStatus]
    assert [i.title for i in carried_over(items)] == ["not_started", "in_progress", "blocked"]
    assert carried_over([]) == []


def test_status_change_says_what_moved() -> None:
    assert status_change(ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, Rag.AMBER, Rag.GREEN) == [
        "Status: Not started to In progress",
        "RAG: Amber to Green",
    ]
    assert status_change(ItemStatus.DONE, ItemStatus.DONE, Rag.GREEN, Rag.GREEN) == []
    assert status_change(None, ItemStatus.DONE, None, Rag.GREEN) == []
