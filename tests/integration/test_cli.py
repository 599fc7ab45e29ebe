"""The set-up commands: success, and a one-line reason with a non-zero exit on bad input."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from tisc.extensions import db
from tisc.models import Membership, Organisation, Partnership, Role, User
from tisc.services.accounts import organisations

STRONG = "granite lantern orchard ribbon"


def run(app: Flask, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_create_partnership_org_and_user(app: Flask) -> None:
    result = run(app, "create-partnership", "--slug", "north-east", "--name", "North East")
    assert result.exit_code == 0, result.output
    result = run(
        app,
        "create-org",
        "--slug",
        "west-yorkshire-police",
        "--name",
        "West Yorkshire Police",
        "--kind",
        "force",
        "--partnership",
        "north-east",
    )
    assert result.exit_code == 0, result.output
    result = run(
        app,
        "create-user",
        "--email",
        "Lead@Example.org",
        "--name",
        "Lead",
        "--role",
        "procurement",
        "--org",
        "west-yorkshire-police",
        "--password-stdin",
        input=STRONG + "\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        org = organisations.get_organisation(slug="west-yorkshire-police")
        assert [p.slug for p in org.partnerships] == ["north-east"]
        user = db.session.scalar(select(User).where(User.email == "lead@example.org"))
        assert [(m.role, m.organisation_id) for m in user.memberships] == [
            (Role.PROCUREMENT, org.id)
        ]


def test_create_user_prompts_for_the_password_twice(app: Flask) -> None:
    result = run(
        app,
        "create-user",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "admin",
        input=f"{STRONG}\n{STRONG}\n",
    )
    assert result.exit_code == 0, result.output
    assert count(app, User) == 1


@pytest.mark.parametrize(
    ("args", "stdin", "reason", "model"),
    [
        (
            [
                "create-org",
                "--slug",
                "x-police",
                "--name",
                "X",
                "--kind",
                "force",
                "--partnership",
                "nowhere",
            ],
            None,
            "no partnership with the web address name 'nowhere'",
            Organisation,
        ),
        (
            ["create-org", "--slug", "Bad Slug", "--name", "X", "--kind", "force"],
            None,
            "Web address name must be lowercase",
            Organisation,
        ),
        (
            ["create-org", "--slug", "x", "--name", "X", "--kind", "army"],
            None,
            "'army' is not one of",
            Organisation,
        ),
        (
            [
                "create-user",
                "--email",
                "b@example.org",
                "--name",
                "B",
                "--role",
                "viewer",
                "--org",
                "nowhere",
                "--password-stdin",
            ],
            STRONG,
            "no organisation with the web address name",
            User,
        ),
        (
            [
                "create-user",
                "--email",
                "b@example.org",
                "--name",
                "B",
                "--role",
                "admin",
                "--password-stdin",
            ],
            "short",
            "12 characters or more",
            User,
        ),
        (
            [
                "create-user",
                "--email",
                "not-an-email",
                "--name",
                "B",
                "--role",
                "admin",
                "--password-stdin",
            ],
            STRONG,
            "correct format",
            User,
        ),
        (
            [
                "create-user",
                "--email",
                "b@example.org",
                "--name",
                "B",
                "--role",
                "viewer",
                "--password-stdin",
            ],
            STRONG,
            "Choose the organisation this person works for",
            User,
        ),
        (
            [
                "create-user",
                "--email",
                "b@example.org",
                "--name",
                "B",
                "--role",
                "superuser",
                "--password-stdin",
            ],
            STRONG,
            "'superuser' is not one of",
            User,
        ),
    ],
)
def test_bad_input_exits_non_zero_with_a_reason_and_creates_nothing(
    app: Flask, args: list[str], stdin: str | None, reason: str, model: type
) -> None:
    before = count(app, model)
    result = run(app, *args, input=stdin)
    assert result.exit_code != 0
    assert reason in result.output
    assert count(app, model) == before


def test_duplicates_are_refused(app: Flask) -> None:
    run(app, "create-partnership", "--slug", "north-east", "--name", "North East")
    result = run(app, "create-partnership", "--slug", "north-east", "--name", "Again")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: A partnership with the web address name 'north-east' already exists: "
        "enter a different web address name"
    )
    assert count(app, Partnership) == 1
    run(
        app,
        "create-user",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--role",
        "admin",
        "--password-stdin",
        input=STRONG,
    )
    result = run(
        app,
        "create-user",
        "--email",
        "A@example.org",
        "--name",
        "A",
        "--role",
        "admin",
        "--password-stdin",
        input=STRONG,
    )
    assert result.exit_code == 1 and "There is already a user" in result.output
    assert count(app, User) == 1 and count(app, Membership) == 1
