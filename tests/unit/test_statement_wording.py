"""The statement's approval words follow the records, and names read well in sentences."""

from __future__ import annotations

from datetime import date

import pytest

from tisc.rules.statement_wording import (
    Approval,
    approval_sentence,
    at_start,
    in_sentence,
    sign_line,
)

ON = date(2026, 7, 14)


def body(name: str = "Durham Constabulary", on: date | None = None, **kw) -> Approval:
    return Approval(
        name=name,
        approved_on=on,
        decision_reference=kw.get("reference"),
        signatories=kw.get("signatories"),
    )


@pytest.mark.parametrize(
    ("name", "inside", "start"),
    [
        ("Durham Constabulary", "Durham Constabulary", "Durham Constabulary"),
        (
            "Office of the Durham Police and Crime Commissioner",
            "the Office of the Durham Police and Crime Commissioner",
            "The Office of the Durham Police and Crime Commissioner",
        ),
        (
            "Mayor's Office for Policing and Crime",
            "the Mayor's Office for Policing and Crime",
            "The Mayor's Office for Policing and Crime",
        ),
        (
            "The Mayor of West Yorkshire",
            "The Mayor of West Yorkshire",
            "The Mayor of West Yorkshire",
        ),
    ],
)
def test_names_take_their_article_in_a_sentence(name: str, inside: str, start: str) -> None:
    assert in_sentence(name) == inside
    assert at_start(name) == start


def test_a_joint_statement_says_approved_only_when_every_body_has() -> None:
    everyone = [body("A", ON), body("B", ON)]
    assert approval_sentence(everyone, joint=True).startswith(
        "Each body covered by this statement has approved it"
    )
    one_missing = [body("A", ON), body("B", None)]
    said = approval_sentence(one_missing, joint=True)
    assert (
        said == "This statement is to be approved by each of the 2 bodies it covers: "
        "1 of the 2 have approved it so far."
    )
    assert "has approved it" not in said
    nobody = approval_sentence([body("A"), body("B")], joint=True)
    assert nobody.endswith("none has approved it yet.")


def test_a_bodys_own_statement_names_it_and_its_approval() -> None:
    office = "Office of the Durham Police and Crime Commissioner"
    assert approval_sentence([body(office)], joint=False) == (
        "This statement is to be approved by the Office of the Durham Police and Crime "
        "Commissioner."
    )
    assert approval_sentence([body(office, ON)], joint=False) == (
        "The Office of the Durham Police and Crime Commissioner approved this statement on "
        "14 July 2026."
    )


def test_the_sign_line_says_what_is_recorded_and_nothing_more() -> None:
    assert sign_line(body(on=None, signatories="A Person, Chief Constable")) == (
        "To be approved by Durham Constabulary (A Person, Chief Constable)."
    )
    assert sign_line(body(on=None)) == "To be approved by Durham Constabulary."
    assert sign_line(
        body(on=ON, reference="PCC/2026/14", signatories="A Person, Chief Constable")
    ) == (
        "Approved by Durham Constabulary on 14 July 2026; decision reference PCC/2026/14; "
        "signed by A Person, Chief Constable."
    )
    assert sign_line(body(on=ON)) == "Approved by Durham Constabulary on 14 July 2026."


def test_about_us_says_what_kind_of_body_it_is() -> None:
    from tisc.rules.statement_wording import about_us

    assert about_us(name="Durham Constabulary", force=True).startswith(
        "Durham Constabulary is a police force"
    )
    office = about_us(name="Office of the Durham Police and Crime Commissioner", force=False)
    assert office.startswith("The Office of the Durham Police and Crime Commissioner supports")
    assert "chief constable to account" in office
