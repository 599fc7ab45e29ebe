"""What people see: the layout, error pages, and the register's figures."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Factory, make_app, page, sign_in
from tisc.extensions import db
from tisc.services.accounts import organisations
from tisc.services.imports import importing as imports
from tisc.web.access import public


def add_spend(app: Flask, org_slug: str, supplier: str, *lines: tuple[str, str]) -> None:
    """Import payments of (ISO date, amount) to a supplier through the real importer."""
    body = "Supplier Name,Payment Date,Amount\n" + "".join(
        f"{supplier},{day},{amount}\n" for day, amount in lines
    )
    with app.app_context():
        imports.import_spend(
            org=organisations.get_organisation(slug=org_slug),
            user=None,
            data=body.encode(),
            filename=f"{supplier}.csv",
        )
        db.session.commit()


def register_rows(client: FlaskClient, url: str) -> dict[str, tuple[str, str, str]]:
    """Supplier name -> (payments, net spend, flags) as the register page shows them."""
    rows = page(client.get(url)).select("table tbody tr")
    result = {}
    for row in rows:
        name = row.select_one("th a").get_text(strip=True)
        cells = [td.get_text(" ", strip=True) for td in row.select("td:not(.app-select-cell)")]
        result[name] = (cells[1], cells[2], cells[4])
    return result


def test_layout_uses_the_generic_header_and_our_footer(client: FlaskClient) -> None:
    html = page(client.get("/"))
    assert html.select_one(".govuk-generic-header") is not None
    assert html.select_one(".govuk-header__logotype, svg.govuk-logo, .govuk-footer__crown") is None
    assert html.select_one("html")["lang"] == "en-GB"
    footer_links = {a.get_text(strip=True): a["href"] for a in html.select("footer a")}
    assert footer_links == {"Accessibility statement": "/accessibility", "Privacy": "/privacy"}
    assert "Crown copyright" not in html.get_text()
    assert html.select_one("a.govuk-skip-link")["href"] == "#main-content"
    stylesheets = [link["href"] for link in html.select("link[rel=stylesheet]")]
    assert all(href.startswith("/static/") for href in stylesheets)


def test_the_vendored_css_uses_arial_and_no_gds_transport(client: FlaskClient) -> None:
    response = client.get("/static/govuk/govuk-frontend.min.css")
    css = response.get_data(as_text=True)
    response.close()
    assert "GDS Transport" not in css and "font-family:arial,sans-serif" in css.lower()


@pytest.mark.parametrize("url", ["/accessibility", "/privacy", "/sign-in"])
def test_public_pages_have_one_h1_and_a_title(client: FlaskClient, url: str) -> None:
    html = page(client.get(url))
    assert len(html.select("h1")) == 1
    assert html.select_one("title").get_text().endswith("– Modern slavery transparency")


def test_404_page_is_in_the_layout(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    html = page(response)
    assert response.status_code == 404
    assert html.select_one("h1").get_text(strip=True) == "Page not found"
    assert html.select_one(".govuk-generic-header") is not None


def test_403_page_is_in_the_layout(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, "viewer.alpha-police@example.org")
    response = client.get("/admin/")
    assert response.status_code == 403
    assert page(response).select_one("h1").get_text(strip=True) == (
        "You do not have permission to do this"
    )


def test_413_page_for_an_upload_over_the_limit(tmp_path) -> None:
    app = make_app(MAX_CONTENT_LENGTH=1024, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db")
    response = app.test_client().post("/sign-in", data={"email": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert page(response).select_one("h1").get_text(strip=True) == "The file is too large"


def test_500_page_shows_no_stack_trace(tmp_path) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.db")

    def boom() -> str:
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/boom", view_func=public(boom))
    response = app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in text and "Traceback" not in text
    assert page(response).select_one("h1").get_text(strip=True) == (
        "Sorry, there is a problem with the service"
    )


def test_register_totals_to_the_penny_and_flags_at_the_boundary(
    app: Flask, client: FlaskClient, factory: Factory, two_bodies: dict
) -> None:
    add_spend(app, "alpha-police", "Exactly Fifty Ltd", ("2024-04-01", "50000.00"))
    add_spend(
        app,
        "alpha-police",
        "One Penny Over Ltd",
        ("2024-06-30", "30000.00"),
        ("2025-03-31", "20000.01"),
    )
    add_spend(
        app,
        "alpha-police",
        "Credit Note Ltd",
        ("2024-05-01", "60000.00"),
        ("2024-07-01", "-10000.00"),
    )
    # Paid on 31 March 2024: the previous financial year, not 2024/25.
    add_spend(
        app, "alpha-police", "Previous Year Ltd", ("2024-03-31", "75000.00"), ("2024-04-02", "0.10")
    )
    sign_in(client, "procurement.alpha-police@example.org")
    rows = register_rows(client, "/organisations/alpha-police/suppliers?year=2024-25")
    assert rows["Exactly Fifty Ltd"] == ("1", "£50,000.00", "New No category")
    assert rows["One Penny Over Ltd"] == ("2", "£50,000.01", "Over threshold New Needs a category")
    assert rows["Credit Note Ltd"] == ("2", "£50,000.00", "New No category")
    assert rows["Previous Year Ltd"] == ("1", "£0.10", "New No category")
    earlier = register_rows(client, "/organisations/alpha-police/suppliers?year=2023-24")
    assert earlier == {
        "Previous Year Ltd": ("1", "£75,000.00", "Over threshold New Needs a category")
    }
    overview = page(client.get("/organisations/alpha-police"))
    year_rows = {
        r.select_one("th").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
        for r in overview.select("table tbody tr")
    }
    # The supplier over the threshold each year has no category: not high risk, but tier A.
    assert year_rows["2024/25"] == ["4", "6", "£150,000.11", "1", "0", "1"]
    assert year_rows["2023/24"] == ["1", "1", "£75,000.00", "1", "0", "1"]


def test_register_pages_through_suppliers_by_spend(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    for n in range(1, 56):
        add_spend(app, "alpha-police", f"Supplier {n:02d} Ltd", ("2025-05-01", f"{n}.00"))
    sign_in(client, "viewer.alpha-police@example.org")
    first = register_rows(client, "/organisations/alpha-police/suppliers")
    assert len(first) == 50 and next(iter(first)) == "Supplier 55 Ltd"
    second = register_rows(client, "/organisations/alpha-police/suppliers?year=2025-26&page=2")
    assert list(second) == [f"Supplier {n:02d} Ltd" for n in (5, 4, 3, 2, 1)]
    html = page(client.get("/organisations/alpha-police/suppliers?page=2"))
    assert html.select_one(".govuk-pagination") is not None


def test_a_body_with_no_spend_says_so(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, "viewer.beta-opcc@example.org")
    html = page(client.get("/organisations/beta-opcc/suppliers"))
    assert "There is no spend recorded for Beta Opcc yet." in html.select_one("main").get_text()
    assert client.get("/organisations/beta-opcc/suppliers?year=nonsense").status_code == 404
