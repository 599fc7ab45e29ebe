"""What changed since the last board: ratings that moved, actions closed, newly overdue."""

from __future__ import annotations

from tisc.rules.board_since import Move, compare


def snapshot(cells: dict[str, str], items: dict[str, tuple[bool, bool]]) -> dict:
    return {
        "bodies": {
            "1": {"name": "Alpha", "cells": {"10": cells["alpha"]}},
            "2": {"name": "Beta", "cells": {"10": cells["beta"]}},
        },
        "commitments": {"10": "1. Risk at start"},
        "items": {
            key: {"body": "1", "title": f"Action {key}", "done": done, "overdue": overdue}
            for key, (done, overdue) in items.items()
        },
    }


def test_moves_closures_and_new_overdue_actions() -> None:
    then = snapshot(
        {"alpha": "Amber", "beta": "No plan"}, {"5": (False, False), "6": (False, True)}
    )
    now = snapshot(
        {"alpha": "Red", "beta": "Green"},
        {"5": (True, False), "6": (False, True), "7": (False, True)},
    )
    since = compare(then, now)
    assert since.moves == (
        Move("Alpha", "1. Risk at start", "Amber", "Red"),
        Move("Beta", "1. Risk at start", "No plan", "Green"),
    )
    assert [m.direction for m in since.moves] == ["worse", "changed"]
    assert since.closed == ("Alpha: Action 5",)
    # 6 was overdue already; 7 is new and overdue.
    assert since.newly_overdue == ("Alpha: Action 7",)
    assert since.lines("1 July 2026") == [
        "Since the board pack of 1 July 2026: 2 ratings moved (1 worse, 0 better), "
        "1 action closed, 1 newly overdue.",
        "Worse: Alpha on 1. Risk at start (Amber to Red).",
        "Changed: Beta on 1. Risk at start (No plan to Green).",
        "Closed: Alpha: Action 5.",
        "Newly overdue: Alpha: Action 7.",
    ]


def test_nothing_changed_says_so_in_numbers() -> None:
    same = snapshot({"alpha": "Green", "beta": "Green"}, {"5": (False, False)})
    assert compare(same, same).lines("1 July 2026") == [
        "Since the board pack of 1 July 2026: 0 ratings moved (0 worse, 0 better), "
        "0 actions closed, 0 newly overdue."
    ]


def test_a_line_names_three_and_counts_the_rest() -> None:
    then = snapshot({"alpha": "Green", "beta": "Green"}, {})
    now = snapshot({"alpha": "Green", "beta": "Green"}, {str(n): (False, True) for n in range(5)})
    lines = compare(then, now).lines("1 July 2026")
    assert lines[-1] == (
        "Newly overdue: Alpha: Action 0; Alpha: Action 1; Alpha: Action 2; and 2 more."
    )


def test_a_body_new_since_the_last_board_is_not_a_move() -> None:
    then = snapshot({"alpha": "Green", "beta": "Red"}, {})
    del then["bodies"]["2"]
    now = snapshot({"alpha": "Green", "beta": "Green"}, {})
    assert compare(then, now).moves == ()


def test_an_action_title_ending_in_a_full_stop_reads_well_in_a_list() -> None:
    then = snapshot({"alpha": "Green", "beta": "Green"}, {})
    now = snapshot({"alpha": "Green", "beta": "Green"}, {"5": (False, True)})
    now["items"]["5"]["title"] = "Publish the statement."
    assert compare(then, now).newly_overdue == ("Alpha: Publish the statement",)
