"""A statement's life cycle, stated once: its states, the steps that move it on, who takes
each, the word in each step's web address and the words the pages show. No database here.

    draft --send for approval--> awaiting approval --mark approved--> approved
    approved --mark published, or every body records its publication--> published
    approved --a change clears a body's approval--> awaiting approval

The statement's own steps (Side.SHARED) belong to whoever changes its shared parts: the
partnership's coordinators for a joint statement, the body's statement role for a single one.
Each body's steps (Side.BODY) belong to that body's statement role.

Each step is open in a run of states, from `opens` to `closes` in the order of STATES: before
it, it is refused with its `too_early` words; after it, with its `too_late` words. Services
take steps through next_state (and add the checks that need the records: every body approved,
at least one published); views build each step's route from its URL word and show its words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tisc.rules.authz import Permission


class StatementState(StrEnum):
    """Where a statement is on its way to publication."""

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        """The state's name on the pages and in the document: "Awaiting approval"."""
        return STATE_WORDS[self][0]

    @property
    def colour(self) -> str:
        """The colour of the state's tag (a GOV.UK tag modifier)."""
        return STATE_WORDS[self][1]


STATES: tuple[StatementState, ...] = tuple(StatementState)
STATE_WORDS: dict[StatementState, tuple[str, str]] = {
    StatementState.DRAFT: ("Draft", "grey"),
    StatementState.AWAITING_APPROVAL: ("Awaiting approval", "yellow"),
    StatementState.APPROVED: ("Approved", "blue"),
    StatementState.PUBLISHED: ("Published", "green"),
}
CLOSED = "The statement has been published, so it can no longer be changed"


class Side(StrEnum):
    """Who takes a step: whoever changes the statement's shared parts, or a body covered."""

    SHARED = "shared"
    BODY = "body"

    def permission(self, *, joint: bool = False) -> Permission:
        """What the step needs. The shared side of a joint statement is the partnership's
        coordinators (EDIT_JOINT, in the partnership); everything else is a body's statement
        role (MANAGE_STATEMENT, in the body: the single statement's own, or the body whose
        part it is)."""
        if self is Side.SHARED and joint:
            return Permission.EDIT_JOINT
        return Permission.MANAGE_STATEMENT


@dataclass(frozen=True)
class Step:
    """One row of the life cycle: a step, who takes it, when, and what it says."""

    name: str  # how the code names the step
    url_word: str  # the last word of its address: /statements/<id>/<url_word>
    who: Side
    opens: StatementState  # the first state in which it may be taken
    closes: StatementState  # the last
    to_state: StatementState | None  # where it takes the statement; None: it stays
    label: str  # its button, or its form's title
    done: str  # said once it is taken ({body}: the body's name)
    too_early: str = ""  # the refusal before it opens
    too_late: str = ""  # the refusal after it closes
    hint: str = ""  # shown beside its button while it is open
    waiting: str = ""  # shown on a body's part while it is not open yet
    moved: str = ""  # added to `done` when the step moved the statement on by itself
    # A shortcut rather than the usual way on: a secondary button.
    secondary: bool = False

    def not_yet(self, state: StatementState) -> bool:
        """The statement has not reached the step yet."""
        return STATES.index(state) < STATES.index(self.opens)

    def is_open(self, state: StatementState) -> bool:
        return STATES.index(self.opens) <= STATES.index(state) <= STATES.index(self.closes)

    def refusal(self, state: StatementState) -> str | None:
        """Why the step cannot be taken in this state; None when it can."""
        if self.not_yet(state):
            return self.too_early
        if not self.is_open(state):
            return self.too_late
        return None


SEND_FOR_APPROVAL = Step(
    name="send_for_approval",
    url_word="send-for-approval",
    who=Side.SHARED,
    opens=StatementState.DRAFT,
    closes=StatementState.DRAFT,
    to_state=StatementState.AWAITING_APPROVAL,
    label="Send for approval",
    done="The statement has been sent for approval",
    too_late="The statement has already been sent for approval",
    hint="When the text is ready, send it to the bodies: each records its own approval.",
)
MARK_APPROVED = Step(
    name="mark_approved",
    url_word="mark-approved",
    who=Side.SHARED,
    opens=StatementState.AWAITING_APPROVAL,
    closes=StatementState.AWAITING_APPROVAL,
    to_state=StatementState.APPROVED,
    label="Mark as approved",
    done="The statement has been marked approved",
    too_early="Send the statement for approval first",
    too_late="The statement has already been approved",
    hint=(
        "The statement can be marked approved once every body covered has recorded its approval."
    ),
)
MARK_PUBLISHED = Step(
    name="mark_published",
    url_word="mark-published",
    who=Side.SHARED,
    opens=StatementState.APPROVED,
    closes=StatementState.APPROVED,
    to_state=StatementState.PUBLISHED,
    label="Mark as published",
    done="The statement has been marked published",
    too_early="The statement can be published once it is approved",
    too_late="The statement is already published",
    hint=(
        "It becomes published when every body has recorded where it published it; mark it "
        "published sooner if some never will."
    ),
    secondary=True,
)
SIGNATORIES = Step(
    name="signatories",
    url_word="signatories",
    who=Side.BODY,
    opens=StatementState.DRAFT,
    closes=StatementState.APPROVED,
    to_state=None,
    label="Who signs the statement",
    done="The signatories have been saved.",
    too_late=CLOSED,
)
APPROVAL = Step(
    name="approval",
    url_word="approval",
    who=Side.BODY,
    opens=StatementState.AWAITING_APPROVAL,
    closes=StatementState.APPROVED,
    to_state=None,
    label="Record the approval",
    done="{body}'s approval has been recorded.",
    too_early=(
        "The statement has not been sent for approval yet: the coordinator sends it when the "
        "text is ready"
    ),
    too_late=CLOSED,
    waiting="Approval can be recorded once the statement has been sent for approval.",
)
PUBLICATION = Step(
    name="publication",
    url_word="publication",
    who=Side.BODY,
    opens=StatementState.APPROVED,
    closes=StatementState.PUBLISHED,
    # Once every body covered has recorded its publication (record_publication).
    to_state=StatementState.PUBLISHED,
    label="Record the publication",
    done="The publication has been recorded.",
    too_early=(
        "The statement can be published once every body has approved it and it is marked approved"
    ),
    waiting=(
        "Publication can be recorded once every body has approved and the statement is "
        "marked approved."
    ),
    moved=" Every body has now published it, so the statement is published.",
)
REGISTRY_SUBMISSION = Step(
    name="registry",
    url_word="registry-submission",
    who=Side.BODY,
    # Open in every state: it waits for the body's own publication instead (the service).
    opens=StatementState.DRAFT,
    closes=StatementState.PUBLISHED,
    to_state=None,
    label="Record the registry submission",
    done="The registry submission has been recorded.",
)
STEPS: tuple[Step, ...] = (
    SEND_FOR_APPROVAL,
    MARK_APPROVED,
    MARK_PUBLISHED,
    SIGNATORIES,
    APPROVAL,
    PUBLICATION,
    REGISTRY_SUBMISSION,
)
# A change that clears a body's approval (its part changed) takes the statement back here.
REOPENED: dict[StatementState, StatementState] = {
    StatementState.APPROVED: StatementState.AWAITING_APPROVAL
}


class StepRefused(ValueError):
    """The step cannot be taken in the statement's state; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def step_named(name: str) -> Step:
    """The step of that name; KeyError for none."""
    for step in STEPS:
        if step.name == name:
            return step
    raise KeyError(name)


def steps_of(who: Side) -> tuple[Step, ...]:
    """The steps one side takes, in the order of STEPS."""
    return tuple(step for step in STEPS if step.who is who)


def next_state(state: StatementState, step: Step) -> StatementState:
    """Where taking the step leaves the statement; StepRefused when it is not open."""
    refusal = step.refusal(state)
    if refusal is not None:
        raise StepRefused(refusal)
    return step.to_state or state


def offered(state: StatementState, who: Side) -> tuple[Step, ...]:
    """The side's steps open in this state."""
    return tuple(step for step in steps_of(who) if step.is_open(state))


def waiting_for(state: StatementState) -> str | None:
    """What a body's part says it is waiting for: the words of its first step not open yet."""
    return next(
        (step.waiting for step in steps_of(Side.BODY) if step.waiting and step.not_yet(state)),
        None,
    )


def open_for_changes(state: StatementState) -> bool:
    """The text, the risks and a body's signatories change until the statement is published
    (the window of SIGNATORIES)."""
    return SIGNATORIES.is_open(state)


def reopened(state: StatementState) -> StatementState:
    """The state after a change cleared a body's approval."""
    return REOPENED.get(state, state)
