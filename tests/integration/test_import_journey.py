"""The import journey as a procurement lead meets it: the column page's errors, examples and
kept choices; what a file that adds nothing says; the import's page by financial year with the
suppliers over the threshold that need a category; undo and private-individual removal asked
first, refused without the confirmation."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import page, sign_in
from tisc.extensions import db
from tisc.models import ImportStatus, PersonalPayee, SpendImport, SpendLine, Supplier

ORG = "/organisations/alpha-police"
# Two financial years (March and April 2024 fall either side of 1 April); the big builder is
# over £50,000 in 2024/25 with no category; the cleaner is under it.
TWO_YEARS = (
    "Payee,Value,Payment Date,Ref\n"
    "Big Builder Ltd,30000.00,31/03/2024,R1\n"
    "Big Builder Ltd,50000.01,01/04/2024,R2\n"
    "Small Cleaner Ltd,120.50,02/04/2024,R3\n"
    "Small Cleaner Ltd,99.49,03/05/2024,R4\n"
)


def upload(client: FlaskClient, body: str, name: str = "payments.csv") -> str:
    response = client.post(
        f"{ORG}/imports/new",
        data={"file": (io.BytesIO(body.encode()), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def chosen(preview) -> dict[str, str]:
    return {
        s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
        for s in preview.select("select[name^=field_]")
    }


def import_file(client: FlaskClient, body: str, **columns: str) -> str:
    """Upload and import a file with the named columns; the import's page address."""
    preview_url = upload(client, body)
    form = chosen(page(client.get(preview_url)))
    form.update({f"field_{name}": column for name, column in columns.items()})
    form["submit"] = "Import these payments"
    response = client.post(preview_url, data=form)
    assert response.status_code == 302
    return response.headers["Location"]


def line_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SpendLine))


def test_a_required_column_left_unmatched_is_an_error_with_no_import_button(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    # "Price" and "Stamp" are not headings the importer knows: nothing is guessed for them.
    preview = page(client.get(upload(client, "Payee,Price,Stamp\nAcme Ltd,10.00,01/04/2024\n")))
    summary = preview.select_one(".govuk-error-summary")
    assert summary is not None
    links = {a["href"]: a.get_text(strip=True) for a in summary.select("a")}
    assert links["#field_amount"] == "Choose the column that holds the amount"
    assert "#field_payment_date" in links
    assert "#field_supplier_name" not in links  # "Payee" was found
    assert preview.select_one("#field_amount-error") is not None
    assert preview.select_one("[name=submit]") is None  # no Import button
    assert preview.select_one("title").get_text().startswith("Error:")


def test_each_choice_shows_a_value_from_the_file(client: FlaskClient, two_bodies: dict) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    preview = page(client.get(upload(client, TWO_YEARS)))
    options = [o.get_text() for o in preview.select("select[name=field_amount] option")]
    assert "Value (for example: 30000.00)" in options
    assert "Payee (for example: Big Builder Ltd)" in options
    hint = preview.select_one("#field_supplier_name-hint").get_text(strip=True)
    assert hint == "In the file: Big Builder Ltd; Small Cleaner Ltd"


def test_check_again_keeps_the_choices_in_the_address_so_a_reload_keeps_them(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    body = "Payee,Value,When,Other Date\nAcme Ltd,10.00,01/04/2024,01/05/2025\n"
    preview_url = upload(client, body)
    form = chosen(page(client.get(preview_url)))
    form["field_payment_date"] = "Other Date"
    form["check"] = "Check again with these columns"
    response = client.post(preview_url, data=form)
    assert response.status_code == 302
    kept = response.headers["Location"]
    assert parse_qs(urlsplit(kept).query)["payment_date"] == ["Other Date"]
    for _reload in range(2):
        again = page(client.get(kept))
        assert chosen(again)["field_payment_date"] == "Other Date"
        years = again.select_one(".govuk-summary-list").get_text(" ", strip=True)
        assert "2025/26: 1 payment totalling £10.00" in years
    assert line_count(app) == 0  # checking writes nothing


def test_a_file_where_every_row_has_a_problem_says_so(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    body = "Payee,Value,Payment Date\nA Ltd,10.00,31/02/2024\nB Ltd,1..0,01/04/2024\n"
    preview = page(client.get(upload(client, body)))
    said = preview.select_one("[data-nothing-to-import]").get_text(strip=True)
    assert said.startswith("Nothing can be imported: every one of the 2 rows has a problem")
    assert "already in the register" not in preview.get_text()
    assert preview.select_one("[name=submit]") is None
    assert line_count(app) == 0


def test_a_file_already_imported_says_it_is_in_the_register(
    client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    import_file(client, TWO_YEARS)
    again = page(client.get(upload(client, TWO_YEARS, "again.csv")))
    said = again.select_one("[data-nothing-to-import]").get_text(strip=True)
    assert said == (
        "There is nothing new to import: every payment in this file is already in the register."
    )


def test_the_import_page_lists_its_years_and_the_suppliers_needing_a_category(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    detail = page(client.get(import_file(client, TWO_YEARS)))
    rows = {
        row.select_one("th").get_text(" ", strip=True).replace(" register", ""): [
            cell.get_text(" ", strip=True) for cell in row.select("td")
        ]
        for row in detail.select("table tbody tr")
    }
    assert rows["2023/24"][:2] == ["1", "£30,000.00"]
    assert rows["2024/25"][:2] == ["3", "£50,220.00"]
    # Only Big Builder is over £50,000 (in 2024/25), and it has no category.
    assert rows["2023/24"][2] == "0"
    assert rows["2024/25"][2].startswith("1 ")
    with app.app_context():
        in_db = db.session.execute(
            select(SpendLine.financial_year, func.count(), func.sum(SpendLine.amount)).group_by(
                SpendLine.financial_year
            )
        ).all()
    assert sorted(in_db) == [(2023, 1, Decimal("30000.00")), (2024, 3, Decimal("50220.00"))]
    # The count links to exactly the suppliers it counts.
    link = detail.select_one("[data-needs-category='2024-25'] a")["href"]
    listed = page(client.get(link))
    names = [a.get_text(strip=True) for a in listed.select("table tbody th a, table tbody td a")]
    assert "Big Builder Ltd" in names and "Small Cleaner Ltd" not in names
    register = detail.find("a", string="See the 2024/25 supplier register")
    assert register is not None and "year=2024-25" in register["href"]


def test_undo_asks_first_with_the_figures_and_a_bare_post_changes_nothing(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    detail_url = import_file(client, TWO_YEARS)
    undo_url = page(client.get(detail_url)).select_one("a[href$='/undo']")["href"]
    confirm = page(client.get(undo_url))
    assert confirm.select_one("h1").get_text(strip=True) == (
        "Are you sure you want to undo the import of payments.csv?"
    )
    text = confirm.select_one("main").get_text(" ", strip=True)
    assert "This takes 4 payments totalling £80,220.00 back out of the register." in text
    assert "2 suppliers that only this import brought in are removed." in text
    assert confirm.find("a", string="No, go back")["href"].endswith(urlsplit(detail_url).path)

    assert client.post(undo_url).status_code == 200  # no confirmation: the page again
    assert line_count(app) == 4
    response = client.post(undo_url, data={"confirmed": "yes"})
    assert response.status_code == 302
    assert line_count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(SpendImport.status)) is ImportStatus.UNDONE
        assert db.session.scalar(select(func.count()).select_from(Supplier)) == 0
    # Undone already: no second confirmation page, no error.
    assert client.get(undo_url).status_code == 302


def test_undo_is_refused_to_readers_and_other_bodies(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    undo_url = import_file(client, TWO_YEARS) + "/undo"
    client.post("/sign-out")
    sign_in(client, "viewer.alpha-police@example.org")
    assert client.get(undo_url).status_code == 403
    assert client.post(undo_url, data={"confirmed": "yes"}).status_code == 403
    client.post("/sign-out")
    sign_in(client, "procurement.beta-opcc@example.org")
    other = undo_url.replace("alpha-police", "beta-opcc")
    assert client.get(other).status_code == 404
    assert client.post(other, data={"confirmed": "yes"}).status_code == 404
    assert line_count(app) == 4


def test_removing_a_private_individual_asks_first(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    sign_in(client, "procurement.alpha-police@example.org")
    client.post(f"{ORG}/personal-payees", data={"name": "Jo Bloggs"})
    listing = page(client.get(f"{ORG}/personal-payees"))
    remove = listing.select_one("a[href$='/remove']")["href"]
    confirm = page(client.get(remove))
    assert "stop treating Jo Bloggs as a private individual" in confirm.select_one("h1").text
    assert client.post(remove).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalPayee)) == 1
    assert client.post(remove, data={"confirmed": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalPayee)) == 0
