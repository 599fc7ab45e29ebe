"""The statement life-cycle table: every state leads on to publication, every refusal has
words, every step needs a permission some role has, and every URL word is its own."""

from __future__ import annotations

import re

import pytest

from tisc.rules.authz import ROLE_PERMISSIONS
from tisc.rules.statement_lifecycle import (
    APPROVAL,
    CLOSED,
    MARK_APPROVED,
    MARK_PUBLISHED,
    PUBLICATION,
    REGISTRY_SUBMISSION,
    SEND_FOR_APPROVAL,
    SIGNATORIES,
    STATE_WORDS,
    STATES,
    STEPS,
    Side,
    StatementState,
    StepRefused,
    next_state,
    offered,
    open_for_changes,
    reopened,
    step_named,
    steps_of,
    waiting_for,
)

DRAFT, AWAITING, APPROVED, PUBLISHED = STATES
ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())


def test_the_states_in_order_with_their_words() -> None:
    assert STATES == (
        StatementState.DRAFT,
        StatementState.AWAITING_APPROVAL,
        StatementState.APPROVED,
        StatementState.PUBLISHED,
    )
    assert set(STATE_WORDS) == set(STATES)
    assert [(s.label, s.colour) for s in STATES] == [
        ("Draft", "grey"),
        ("Awaiting approval", "yellow"),
        ("Approved", "blue"),
        ("Published", "green"),
    ]


def test_every_state_but_published_has_one_step_of_its_own_that_moves_it_on() -> None:
    for state in STATES:
        moves = [
            step
            for step in offered(state, Side.SHARED)
            if STATES.index(next_state(state, step)) > STATES.index(state)
        ]
        assert len(moves) == (0 if state is PUBLISHED else 1), state
    assert offered(PUBLISHED, Side.SHARED) == ()


def test_no_state_but_published_is_a_dead_end() -> None:
    for start in STATES:
        state, seen = start, [start]
        while offered(state, Side.SHARED):
            state = next_state(state, offered(state, Side.SHARED)[0])
            assert state not in seen, f"{start} goes round in a circle"
            seen.append(state)
        assert state is PUBLISHED, start


def test_the_statements_own_steps_one_after_the_other() -> None:
    assert [(s.opens, s.to_state) for s in steps_of(Side.SHARED)] == [
        (DRAFT, AWAITING),
        (AWAITING, APPROVED),
        (APPROVED, PUBLISHED),
    ]
    assert steps_of(Side.SHARED) == (SEND_FOR_APPROVAL, MARK_APPROVED, MARK_PUBLISHED)
    assert steps_of(Side.BODY) == (SIGNATORIES, APPROVAL, PUBLICATION, REGISTRY_SUBMISSION)


def test_every_refusal_has_words() -> None:
    for step in STEPS:
        assert STATES.index(step.opens) <= STATES.index(step.closes), step.name
        for state in STATES:
            refusal = step.refusal(state)
            assert (refusal is None) == step.is_open(state), (step.name, state)
            assert refusal is None or refusal.strip(), (step.name, state)


def test_every_step_has_its_words() -> None:
    for step in STEPS:
        assert step.label and step.done, step.name
        if step.who is Side.SHARED:
            assert step.hint, step.name  # shown beside its button


def test_every_step_needs_a_permission_a_role_has() -> None:
    for step in STEPS:
        for joint in (True, False):
            assert step.who.permission(joint=joint) in ALL_PERMISSIONS, (step.name, joint)


def test_the_shared_side_of_a_joint_statement_is_the_partnerships() -> None:
    assert Side.SHARED.permission(joint=True) == "edit_joint"
    assert Side.SHARED.permission(joint=False) == "manage_statement"
    assert Side.BODY.permission(joint=True) == Side.BODY.permission() == "manage_statement"


def test_names_and_url_words_are_each_their_own() -> None:
    # The statement's own steps and a body's steps share the statement's address.
    assert len({s.name for s in STEPS}) == len(STEPS)
    assert len({s.url_word for s in STEPS}) == len(STEPS)
    for step in STEPS:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", step.url_word), step.url_word
        assert step_named(step.name) is step
    with pytest.raises(KeyError):
        step_named("send-for-approval")  # the URL word, not the name


def test_the_urls_are_those_bookmarked() -> None:
    assert [s.url_word for s in STEPS] == [
        "send-for-approval",
        "mark-approved",
        "mark-published",
        "signatories",
        "approval",
        "publication",
        "registry-submission",
    ]


def test_a_step_refused_in_its_own_words() -> None:
    assert next_state(DRAFT, SEND_FOR_APPROVAL) is AWAITING
    for state, step, words in (
        (AWAITING, SEND_FOR_APPROVAL, "The statement has already been sent for approval"),
        (DRAFT, MARK_APPROVED, "Send the statement for approval first"),
        (APPROVED, MARK_APPROVED, "The statement has already been approved"),
        (PUBLISHED, MARK_APPROVED, "The statement has already been approved"),
        (AWAITING, MARK_PUBLISHED, "The statement can be published once it is approved"),
        (PUBLISHED, MARK_PUBLISHED, "The statement is already published"),
        (PUBLISHED, SIGNATORIES, CLOSED),
        (PUBLISHED, APPROVAL, CLOSED),
        (DRAFT, APPROVAL, APPROVAL.too_early),
        (AWAITING, PUBLICATION, PUBLICATION.too_early),
    ):
        with pytest.raises(StepRefused) as refused:
            next_state(state, step)
        assert refused.value.message == words, (state, step.name)


def test_a_bodys_steps_leave_the_state_but_publication_which_publishes() -> None:
    assert next_state(AWAITING, APPROVAL) is AWAITING
    assert next_state(APPROVED, SIGNATORIES) is APPROVED
    assert next_state(PUBLISHED, REGISTRY_SUBMISSION) is PUBLISHED
    # The service moves it only once every body has published.
    assert next_state(APPROVED, PUBLICATION) is PUBLISHED
    assert next_state(PUBLISHED, PUBLICATION) is PUBLISHED


def test_a_bodys_steps_open_one_after_the_other() -> None:
    assert [[s.name for s in offered(state, Side.BODY)] for state in STATES] == [
        ["signatories", "registry"],
        ["signatories", "approval", "registry"],
        ["signatories", "approval", "publication", "registry"],
        ["publication", "registry"],
    ]
    assert [waiting_for(state) for state in STATES] == [
        APPROVAL.waiting,
        PUBLICATION.waiting,
        None,
        None,
    ]
    assert APPROVAL.waiting and PUBLICATION.waiting


def test_changes_stop_at_publication_and_a_cleared_approval_reopens() -> None:
    assert [open_for_changes(state) for state in STATES] == [True, True, True, False]
    assert [reopened(state) for state in STATES] == [DRAFT, AWAITING, AWAITING, PUBLISHED]
