"""The statement's words that follow its records: who has approved it, each body's signature
line, a body's name in a sentence. Pure: names, dates and counts in, sentences out.

A statement never says a body approved it until the body's approval is recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tisc.rules.years import long_date


class StatementBasis(StrEnum):
    """In what capacity a partnership's statements are made under the Modern Slavery Act 2015.

    Section 54 binds commercial organisations with a turnover of £36 million or more; police
    forces and commissioners' offices are not commercial organisations, so their statements
    are voluntary ones, made in accordance with section 54(1).
    """

    VOLUNTARY = "voluntary"
    REQUIRED = "required"

    @property
    def label(self) -> str:
        return {
            "voluntary": "A voluntary statement, in accordance with section 54(1)",
            "required": "A statement required by section 54",
        }[self.value]

    @property
    def hint(self) -> str:
        return {
            "voluntary": "For police forces, commissioners' offices and other public bodies "
            "that are not required to publish one",
            "required": "For organisations that supply goods or services and have a turnover "
            "of £36 million or more",
        }[self.value]

    @property
    def sentence(self) -> str:
        """The words that say it, after "It is" in the introduction."""
        return {
            "voluntary": "a voluntary statement, made in accordance with section 54(1) of the "
            "Modern Slavery Act 2015",
            "required": "made under section 54(1) of the Modern Slavery Act 2015",
        }[self.value]


# Names that read as a title and take "the" in a sentence: "the Office of the Police and
# Crime Commissioner for Durham", "the Mayor's Office for Policing and Crime".
_TAKES_ARTICLE = ("office of ", "office for ", "mayor's office", "mayor’s office")


def in_sentence(name: str) -> str:
    """A body's name as it reads inside a sentence: "the Office of …" for an office, else the
    name as it is ("Durham Constabulary", "The Mayor of …" kept as written)."""
    if name.lower().startswith(_TAKES_ARTICLE):
        return f"the {name}"
    return name


def at_start(name: str) -> str:
    """A body's name as it reads at the start of a sentence: "The Office of …"."""
    named = in_sentence(name)
    return named[:1].upper() + named[1:]


def about_us(*, name: str, force: bool) -> str:
    """What the body is, in a sentence that opens its own statement's section on structure."""
    if force:
        return (
            f"{at_start(name)} is a police force, led by its chief constable and held to "
            "account by the police and crime commissioner (or the mayor who holds those "
            "functions)."
        )
    return (
        f"{at_start(name)} supports the elected police and crime commissioner (or the mayor "
        "who holds those functions), who sets the police and crime plan, holds the chief "
        "constable to account and commissions services for victims."
    )


@dataclass(frozen=True)
class Approval:
    """One body's approval as recorded: its name, the date (None: not approved yet), the
    decision reference and who signs for it ("Name, Role"; several joined by "and")."""

    name: str
    approved_on: date | None
    decision_reference: str | None
    signatories: str | None


def approval_sentence(bodies: Sequence[Approval], *, joint: bool) -> str:
    """What the statement says about its approval, exactly as far as the records go."""
    approved = [b for b in bodies if b.approved_on is not None]
    if not joint and bodies:
        body = bodies[0]
        if body.approved_on is None:
            return f"This statement is to be approved by {in_sentence(body.name)}."
        return f"{at_start(body.name)} approved this statement on {long_date(body.approved_on)}."
    if bodies and len(approved) == len(bodies):
        return (
            "Each body covered by this statement has approved it: the dates and decision "
            "references are under Approval and sign-off."
        )
    so_far = (
        "none has approved it yet"
        if not approved
        else f"{len(approved)} of the {len(bodies)} have approved it so far"
    )
    return (
        f"This statement is to be approved by each of the {len(bodies)} bodies it covers: {so_far}."
    )


def sign_line(body: Approval) -> str:
    """A body's line under its part: its approval as recorded, or who is to approve it."""
    if body.approved_on is None:
        who = f" ({body.signatories})" if body.signatories else ""
        return f"To be approved by {in_sentence(body.name)}{who}."
    parts = [f"Approved by {in_sentence(body.name)} on {long_date(body.approved_on)}"]
    if body.decision_reference:
        parts.append(f"decision reference {body.decision_reference}")
    if body.signatories:
        parts.append(f"signed by {body.signatories}")
    return "; ".join(parts) + "."
