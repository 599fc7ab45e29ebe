"""Next year's goals in words: the rows of the goals table and the sentence on what the plans
hold, from plain values."""

from __future__ import annotations

from datetime import date

import pytest

from tisc.rules.goals import Goal, PlannedAction, goal_rows, goals_sentence

TRAINED = Goal(1, "Every employee is aware", "Staff in scope who were trained", "54.7%", "90%")
RISK = Goal(2, "Risks are identified at the start", "", "", "")


def action(org: int, commitment: int | None, continues: bool = False, **kw) -> PlannedAction:
    return PlannedAction(org, commitment, kw.get("title", "Train staff"), kw.get("due"), continues)


def sentence(actions, *, from_next_year=True, with_plans=2, bodies=2, joint=True) -> str:
    return goals_sentence(
        actions,
        from_next_year=from_next_year,
        bodies_with_plans=with_plans,
        bodies=bodies,
        joint=joint,
        year_label="2025/26",
        next_year_label="2026/27",
    )


def test_a_joint_row_counts_the_plans_that_act_on_the_commitment() -> None:
    actions = [action(10, 1), action(10, 1), action(11, 1), action(11, None)]
    rows = goal_rows([TRAINED, RISK], actions, bodies=14, joint=True)
    assert rows == [
        {
            "commitment": "Every employee is aware",
            "measure": "Staff in scope who were trained",
            "this_year": "54.7%",
            "target": "90%",
            "actions": "In 2 of 14 plans",  # two bodies, however many actions each
        },
        {
            "commitment": "Risks are identified at the start",
            "measure": "No KPI",
            "this_year": "",
            "target": "",
            "actions": "In no plan yet",
        },
    ]


def test_rows_of_actions_left_open_say_they_carry_over() -> None:
    joint = goal_rows([TRAINED, RISK], [action(10, 1)], bodies=3, joint=True, carried=True)
    assert [r["actions"] for r in joint] == [
        "To carry over in 1 of 3 plans",
        "Nothing to carry over",
    ]
    own = goal_rows([TRAINED, RISK], [action(10, 1)], bodies=1, joint=False, carried=True)
    assert [r["actions"] for r in own] == ["To carry over: Train staff", "Nothing to carry over"]


def test_a_bodys_row_names_its_actions_with_their_dates() -> None:
    actions = [
        action(10, 1, title="Run e-learning", due=date(2027, 3, 31)),
        action(10, 1, title="Brief the board"),
    ]
    rows = goal_rows([TRAINED, RISK], actions, bodies=1, joint=False)
    assert rows[0]["actions"] == "Run e-learning (by 31 March 2027); Brief the board"
    assert rows[1]["actions"] == "No action planned yet"


@pytest.mark.parametrize(
    ("actions", "with_plans", "bodies", "said"),
    [
        (
            [action(1, 1, True), action(2, 1), action(2, None)],
            2,
            2,
            "Both bodies have an action plan for 2026/27, with 2 actions against the joint "
            "commitments (1 continuing work not finished in 2025/26) and 1 of their own.",
        ),
        (
            [action(1, 1)],
            1,
            14,
            "1 of the 14 bodies has an action plan for 2026/27, with 1 action against the "
            "joint commitments.",
        ),
        (
            [],
            3,
            3,
            "All 3 bodies have an action plan for 2026/27, with 0 actions against the joint "
            "commitments.",
        ),
    ],
)
def test_the_joint_sentence_counts_next_years_plans(actions, with_plans, bodies, said) -> None:
    assert sentence(actions, with_plans=with_plans, bodies=bodies) == said


def test_a_bodys_sentence_speaks_for_it() -> None:
    assert sentence([action(1, 1), action(1, None)], with_plans=1, bodies=1, joint=False) == (
        "Our action plan for 2026/27 has 1 action against the joint commitments and 1 of our own."
    )


@pytest.mark.parametrize(
    ("actions", "joint", "said"),
    [
        (
            [action(1, 1, True), action(2, None, True)],
            True,
            "No body has started an action plan for 2026/27 yet. 2 actions of 2025/26 are not "
            "yet done, and will carry over into next year's plans.",
        ),
        (
            [action(1, 1, True)],
            False,
            "We have not started our action plan for 2026/27 yet. 1 action of 2025/26 is not "
            "yet done, and will carry over into next year's plan.",
        ),
        (
            [],
            True,
            "No body has started an action plan for 2026/27 yet. Every action of 2025/26 is done.",
        ),
    ],
)
def test_without_next_years_plans_the_sentence_counts_what_carries_over(
    actions, joint, said
) -> None:
    assert sentence(actions, from_next_year=False, with_plans=0, joint=joint) == said


def test_with_no_plan_this_year_either_nothing_is_called_done() -> None:
    said = goals_sentence(
        [],
        from_next_year=False,
        bodies_with_plans=0,
        bodies=2,
        joint=True,
        year_label="2025/26",
        next_year_label="2026/27",
        plans_this_year=0,
    )
    assert said == (
        "No body has started an action plan for 2026/27 yet. There is no action plan for "
        "2025/26 either."
    )
    assert "done" not in said
