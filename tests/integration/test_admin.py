"""Administrators manage organisations, partnerships, users and roles in the browser."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import PASSWORD, page, sign_in
from tisc.extensions import db
from tisc.models import Membership, Organisation, Role, User
from tisc.services.accounts import organisations, users

CONFIRMED = {"confirmed": "yes"}  # what a confirmation page sends
ORG_FORM = {"slug": "new-police", "name": "New Police", "kind": "force", "partnership": ""}


def summary(response) -> list[str]:
    return [li.get_text(strip=True) for li in page(response).select(".govuk-error-summary li")]


def org_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Organisation))


def test_an_admin_adds_an_organisation_to_a_partnership(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "admin@example.org")
    response = client.post(
        "/admin/organisations/new", data={**ORG_FORM, "partnership": "north-east"}
    )
    assert response.status_code == 302
    listing = page(client.get("/admin/organisations"))
    assert (
        "New Police has been added" in listing.select_one(".govuk-notification-banner").get_text()
    )
    with app.app_context():
        org = organisations.get_organisation(slug="new-police")
        assert [p.slug for p in org.partnerships] == ["north-east"]


def test_bad_organisation_input_is_explained_and_saves_nothing(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "admin@example.org")
    before = org_count(app)
    cases = [
        (
            {**ORG_FORM, "slug": "alpha-police"},
            "An organisation with the web address name 'alpha-police' already exists",
        ),
        ({**ORG_FORM, "slug": "Has Spaces"}, "Web address name must be lowercase letters"),
        ({**ORG_FORM, "name": ""}, "Enter the organisation's name"),
        ({**ORG_FORM, "kind": ""}, "Select the kind of organisation"),
        ({**ORG_FORM, "website": "not a url"}, "Enter a website address in the correct format"),
    ]
    for data, message in cases:
        response = client.post("/admin/organisations/new", data=data)
        assert response.status_code == 200
        assert any(message in text for text in summary(response)), (message, summary(response))
        assert page(response).select_one("title").get_text().startswith("Error: ")
    assert org_count(app) == before


def test_a_stale_edit_gets_a_conflict_and_keeps_the_other_change(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "admin@example.org")
    form = page(client.get("/admin/organisations/alpha-police/edit"))
    version = form.select_one("input[name=version]")["value"]
    data = {"name": "Alpha Constabulary", "kind": "force", "version": version}
    assert client.post("/admin/organisations/alpha-police/edit", data=data).status_code == 302
    stale = {"name": "Alpha Police Service", "kind": "force", "version": version}
    response = client.post("/admin/organisations/alpha-police/edit", data=stale)
    assert any("Someone else changed this organisation" in t for t in summary(response))
    with app.app_context():
        assert organisations.get_organisation(slug="alpha-police").name == "Alpha Constabulary"


def test_an_admin_creates_a_user_who_can_then_sign_in(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    # The admin no longer types the password (issue 14): the person creates it from a link.
    sign_in(client, "admin@example.org")
    new = {
        "email": "new.lead@example.org",
        "name": "New Lead",
        "role": "procurement",
        "scope": "organisation:beta-opcc",
    }
    response = client.post("/admin/users/new", data=new)
    assert response.status_code == 200
    link = page(response).select_one("#password-link").get_text(strip=True)
    client.post("/sign-out")
    path = link.removeprefix("http://localhost")
    created = client.post(
        path,
        data={
            "password": "meadow copper falcon quartz",
            "confirm_password": "meadow copper falcon quartz",
        },
    )
    assert created.status_code == 302
    sign_in(client, "new.lead@example.org", "meadow copper falcon quartz")
    assert client.get("/organisations/beta-opcc/suppliers").status_code == 200
    assert client.get("/organisations/alpha-police/suppliers").status_code == 404


def test_user_refusals_save_nothing(app: Flask, client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, "admin@example.org")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(User))
    base = {
        "email": "x@example.org",
        "name": "X",
        "role": "viewer",
        "scope": "organisation:alpha-police",
    }
    cases = [
        ({**base, "email": "admin@example.org"}, "There is already a user with the email"),
        ({**base, "scope": ""}, "Choose the organisation this person works for"),
        (
            {**base, "role": "board", "scope": "organisation:alpha-police"},
            "Choose the partnership this person works for",
        ),
        ({**base, "email": "nonsense"}, "correct format"),
    ]
    for data, message in cases:
        response = client.post("/admin/users/new", data=data)
        assert any(message in t for t in summary(response)), (message, summary(response))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_roles_are_added_and_removed_but_not_the_last_admin(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "admin@example.org")
    with app.app_context():
        viewer = users.find_user(email="viewer.alpha-police@example.org")
        admin = users.find_user(email="admin@example.org")
        viewer_id, admin_id = viewer.id, admin.id
        admin_membership = admin.memberships[0].id
    response = client.post(
        f"/admin/users/{viewer_id}/roles",
        data={"role-role": "statement", "role-scope": "organisation:alpha-police"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/users/{viewer_id}/roles",
        data={"role-role": "statement", "role-scope": "organisation:alpha-police"},
    )
    assert any("This person is already a statement owner there" in t for t in summary(response))
    with app.app_context():
        roles = sorted(m.role for m in users.get_user(user_id=viewer_id).memberships)
        assert roles == [Role.STATEMENT, Role.VIEWER]

    client.post(f"/admin/users/{admin_id}/roles/{admin_membership}/remove", data=CONFIRMED)
    banner = page(client.get(f"/admin/users/{admin_id}")).select_one(".govuk-notification-banner")
    assert "You cannot remove the last administrator" in banner.get_text()
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Membership).where(Membership.role == Role.ADMIN)
            )
            == 1
        )
    assert client.post(f"/admin/users/{admin_id}/roles/99999/remove").status_code == 404
    assert client.get(f"/admin/users/{admin_id}/roles/99999/remove").status_code == 404
    assert client.get("/admin/users/99999").status_code == 404


def test_deactivating_a_user_signs_them_out(app: Flask, two_bodies: dict) -> None:
    admin, other = app.test_client(), app.test_client()
    sign_in(admin, "admin@example.org")
    sign_in(other, "viewer.alpha-police@example.org")
    assert other.get("/organisations/alpha-police").status_code == 200
    with app.app_context():
        user = users.find_user(email="viewer.alpha-police@example.org")
        user_id, version = user.id, user.version_id
    response = admin.post(
        f"/admin/users/{user_id}", data={"name": "Viewer", "version": str(version)}
    )  # the "Can sign in" box is unticked
    assert response.status_code == 302
    assert other.get("/organisations/alpha-police").status_code == 302
    assert sign_in(other, "viewer.alpha-police@example.org", PASSWORD).status_code == 200


def test_a_new_password_link_from_an_admin_clears_a_lock(app: Flask, two_bodies: dict) -> None:
    # The admin no longer types a password (issue 14): they send a new password link.
    client = app.test_client()
    for _ in range(5):
        sign_in(client, "viewer.alpha-police@example.org", "wrong guess here")
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    with app.app_context():
        user_id = users.find_user(email="viewer.alpha-police@example.org").id
    response = admin.post(f"/admin/users/{user_id}/password-link")
    assert response.status_code == 200
    link = page(response).select_one("#password-link").get_text(strip=True)
    new = "silver tundra maple kite"
    created = client.post(
        link.removeprefix("http://localhost"), data={"password": new, "confirm_password": new}
    )
    assert created.status_code == 302
    assert sign_in(client, "viewer.alpha-police@example.org", new).status_code == 302


def test_a_partnership_gets_its_members_by_checkbox(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "admin@example.org")
    response = client.post(
        "/admin/partnerships/new", data={"slug": "north-west", "name": "North West"}
    )
    assert response.headers["Location"] == "/admin/partnerships/north-west/edit"
    form = page(client.get("/admin/partnerships/north-west/edit"))
    version = form.select_one("input[name=version]")["value"]
    assert {i["value"] for i in form.select("input[name=members]")} == {
        "alpha-police",
        "beta-opcc",
        "gamma-police",
    }
    response = client.post(
        "/admin/partnerships/north-west/edit",
        data={"name": "North West", "members": ["gamma-police", "beta-opcc"], "version": version},
    )
    assert response.status_code == 302
    with app.app_context():
        members = organisations.get_partnership(slug="north-west").organisations
        assert sorted(o.slug for o in members) == ["beta-opcc", "gamma-police"]
