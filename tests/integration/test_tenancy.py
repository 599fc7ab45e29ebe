"""Another organisation's pages answer 404; each membership shows only what it allows."""

import pytest
from flask.testing import FlaskClient

from tests.conftest import Factory, page, sign_in
from tisc.models import Role

ORG_PAGES = ["/organisations/{slug}", "/organisations/{slug}/suppliers"]


@pytest.mark.parametrize("role", ["procurement", "statement", "viewer"])
def test_a_body_user_reads_their_own_body_and_gets_404_elsewhere(
    client: FlaskClient, two_bodies: dict, role: str
) -> None:
    sign_in(client, f"{role}.alpha-police@example.org")
    for template in ORG_PAGES:
        assert client.get(template.format(slug="alpha-police")).status_code == 200
        assert client.get(template.format(slug="beta-opcc")).status_code == 404
        assert client.get(template.format(slug="gamma-police")).status_code == 404
        assert client.get(template.format(slug="no-such-body")).status_code == 404
    assert client.get("/partnerships/north-east").status_code == 404


def test_a_404_for_another_body_does_not_show_its_name(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "viewer.alpha-police@example.org")
    response = client.get("/organisations/beta-opcc")
    assert "Beta Opcc" not in response.get_data(as_text=True)
    assert page(response).select_one("h1").get_text(strip=True) == "Page not found"


@pytest.mark.parametrize("email", ["coordinator@example.org", "board@example.org"])
def test_partnership_roles_read_member_bodies_only(
    client: FlaskClient, two_bodies: dict, email: str
) -> None:
    sign_in(client, email)
    assert client.get("/partnerships/north-east").status_code == 200
    assert client.get("/partnerships/elsewhere").status_code == 404
    for template in ORG_PAGES:
        assert client.get(template.format(slug="alpha-police")).status_code == 200
        assert client.get(template.format(slug="beta-opcc")).status_code == 200
        assert client.get(template.format(slug="gamma-police")).status_code == 404


def test_an_admin_without_a_body_role_does_not_see_registers(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "admin@example.org")
    assert client.get("/organisations/alpha-police/suppliers").status_code == 404
    assert client.get("/admin/organisations").status_code == 200


def test_a_user_with_two_memberships_sees_both_and_switches_between_them(
    client: FlaskClient, factory: Factory, two_bodies: dict
) -> None:
    user_email = "two.hats@example.org"
    factory.user(user_email, Role.PROCUREMENT, org="alpha-police")
    from tisc.extensions import db
    from tisc.services.accounts import organisations, users

    with factory.app.app_context():
        users.add_membership(
            user=users.find_user(email=user_email),
            role=Role.VIEWER,
            organisation=organisations.get_organisation(slug="gamma-police"),
        )
        db.session.commit()
    sign_in(client, user_email)
    home = page(client.get("/"))
    links = {a["href"] for a in home.select("main a")}
    assert "/organisations/alpha-police" in links and "/organisations/gamma-police" in links
    assert "/organisations/beta-opcc" not in links
    gamma = page(client.get("/organisations/gamma-police"))
    assert "Gamma Police" in gamma.select_one(".app-context-bar").get_text()
    assert client.get("/organisations/beta-opcc").status_code == 404
