"""Finance category mappings (a body's) and categories with their risk (a partnership's)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import page, sign_in
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
    UNKNOWN_TEXT,
    Pay,
    as_user,
    banner,
    category_id,
    error_messages,
    import_payments,
    main_text,
    register,
    snapshot,
    supplier_id,
)
from tisc.extensions import db
from tisc.services.accounts import organisations
from tisc.services.imports import importing as imports

ORG = "/organisations/alpha-police"
MAPPINGS = f"{ORG}/finance-categories"
CATEGORIES = "/partnerships/north-east/categories"
SECURITY = "Security and manned guarding"
HOTELS = "Hotels and accommodation"


def unmapped(client: FlaskClient) -> dict[str, str]:
    """Finance text (lowercased, spaces collapsed) -> supplier count, from the mappings page."""
    html = page(client.get(MAPPINGS))
    heading = next(h for h in html.select("h2") if h.get_text(strip=True) == "Not mapped yet")
    table = heading.find_next_sibling()
    if "app-table-scroll" in table.get("class", []):  # a table in its scrolling region
        table = table.select_one("table")
    if table is None or table.name != "table":
        return {}
    return {
        " ".join(tr.select_one("th").get_text().lower().split()): tr.select_one("td").get_text(
            strip=True
        )
        for tr in table.select("tbody tr")
    }


def saved(client: FlaskClient) -> dict[str, str]:
    """Saved mappings: finance text -> category, from the mappings page."""
    html = page(client.get(MAPPINGS))
    heading = next(h for h in html.select("h2") if h.get_text(strip=True) == "Saved mappings")
    table = heading.find_next_sibling()
    if "app-table-scroll" in table.get("class", []):  # a table in its scrolling region
        table = table.select_one("table")
    if table is None or table.name != "table":
        return {}
    return {
        tr.select_one("th").get_text(strip=True): tr.select_one("td").get_text(strip=True)
        for tr in table.select("tbody tr")
    }


@pytest.fixture
def kennels(app: Flask, two_bodies: dict) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Kennel One Ltd", "2024-05-01", "60000.00", UNKNOWN_TEXT),
        Pay("Kennel Two Ltd", "2024-05-01", "10.00", "dog  kennelling"),
        Pay("Kennel Three Ltd", "2024-05-01", "5.00", "Dog Kennelling"),
        Pay("Kennel Chosen Ltd", "2024-05-01", "7.00", UNKNOWN_TEXT),
        Pay("Mystery Ltd", "2024-05-01", "1.00", "ZZ MISC"),
        Pay("Cleaner Ltd", "2024-05-01", "2.00", CLEANING_TEXT),
        Pay("No Text Ltd", "2024-05-01", "3.00"),
    )


def test_a_viewer_sees_unmapped_text_with_supplier_counts_but_cannot_map(
    app: Flask, kennels: None
) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    response = client.get(MAPPINGS)
    assert response.status_code == 200
    assert unmapped(client) == {"dog kennelling": "4", "zz misc": "1"}
    assert page(response).select("main form select") == []
    before = snapshot(app)
    refused = client.post(
        MAPPINGS,
        data={"category_text": UNKNOWN_TEXT, "category_id": str(category_id(app, SECURITY))},
    )
    assert refused.status_code == 403
    assert snapshot(app) == before


def test_mapping_text_moves_every_supplier_with_it_and_removing_it_reverts(
    app: Flask, kennels: None
) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    chosen = supplier_id(app, "alpha-police", "Kennel Chosen Ltd")
    client.post(
        f"{ORG}/suppliers/{chosen}/edit",
        data={
            "name": "Kennel Chosen Ltd",
            "category_id": str(category_id(app, HOTELS)),
            "version": "1",
        },
    )
    assert unmapped(client) == {"dog kennelling": "3", "zz misc": "1"}
    html = page(client.get(MAPPINGS))
    row = next(tr for tr in html.select("main table tbody tr") if "ZZ" not in tr.get_text())
    form = row.select_one("form")
    options = {o.get_text(strip=True): o["value"] for o in form.select("option")}
    assert options[f"{SECURITY} (High risk)"] == str(category_id(app, SECURITY))
    text = form.select_one("input[name=category_text]")["value"]
    response = client.post(
        form["action"],
        data={"category_text": text, "category_id": options[f"{SECURITY} (High risk)"]},
    )
    assert response.status_code == 302
    assert banner(client.get(response.headers["Location"])) == (
        f"Mapped “{text}”: 3 suppliers now follow it"
    )
    rows = register(client, f"{ORG}/suppliers?year=2024-25")
    assert {n: (r.category, r.tier) for n, r in rows.items() if n.startswith("Kennel")} == {
        "Kennel One Ltd": ("Security and manned guarding High risk", "Tier A"),
        "Kennel Two Ltd": ("Security and manned guarding High risk", "Tier B"),
        "Kennel Three Ltd": ("Security and manned guarding High risk", "Tier B"),
        "Kennel Chosen Ltd": ("Hotels and accommodation Medium risk", "Tier D"),
    }
    assert rows["Kennel One Ltd"].flags >= {"Over threshold", "High risk"}
    assert unmapped(client) == {"zz misc": "1"}
    assert saved(client) == {text: f"{SECURITY} (High risk)"}
    # A supplier arriving later with the text follows the mapping.
    import_payments(
        app, "alpha-police", Pay("Kennel Four Ltd", "2025-01-01", "4.00", " DOG KENNELLING ")
    )
    four = register(client, f"{ORG}/suppliers?year=2024-25")["Kennel Four Ltd"]
    assert (four.category, four.tier) == ("Security and manned guarding High risk", "Tier B")
    remove = page(client.get(MAPPINGS)).select_one("main table a[href$='/remove']")["href"]
    assert "4 suppliers take their category from this mapping" in main_text(client.get(remove))
    removed = client.post(remove, data={"confirmed": "yes"})
    assert banner(client.get(removed.headers["Location"])) == "The mapping has been removed"
    after = register(client, f"{ORG}/suppliers?year=2024-25")
    assert (after["Kennel One Ltd"].tier, after["Kennel One Ltd"].flags) == (
        "Tier A",  # over the threshold with no category: tier A until it has one
        frozenset({"Over threshold", "New", "Needs a category"}),
    )
    assert after["Kennel Two Ltd"].category.split() == ["dog", "kennelling"]  # its own text
    assert after["Kennel Chosen Ltd"].category == "Hotels and accommodation Medium risk"
    assert unmapped(client) == {"dog kennelling": "4", "zz misc": "1"}
    assert saved(client) == {}


def test_a_mapping_beats_a_keyword_whatever_the_case_and_spaces(app: Flask, kennels: None) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    assert register(client, f"{ORG}/suppliers")["Cleaner Ltd"].tier == "Tier B"
    response = client.post(
        MAPPINGS,
        data={
            "category_text": "  cleaning &   janitorial.cleaning materials ",
            "category_id": str(category_id(app, HOTELS)),
        },
    )
    assert response.status_code == 302
    cleaner = register(client, f"{ORG}/suppliers")["Cleaner Ltd"]
    assert (cleaner.category, cleaner.tier) == ("Hotels and accommodation Medium risk", "Tier D")


def test_a_mapping_needs_a_category_of_the_bodys_own_partnership(app: Flask, kennels: None) -> None:
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    missing = client.post(MAPPINGS, data={"category_text": UNKNOWN_TEXT, "category_id": ""})
    assert missing.status_code == 400
    assert error_messages(missing) == ["Choose a category"]
    elsewhere = category_id(app, SECURITY, partnership="elsewhere")
    foreign = client.post(
        MAPPINGS, data={"category_text": UNKNOWN_TEXT, "category_id": str(elsewhere)}
    )
    assert foreign.status_code == 400
    assert snapshot(app) == before


# --- the partnership's categories ---------------------------------------------------------


def category_form(client: FlaskClient, cid: int, **changes: str) -> dict[str, str]:
    """The category edit form as the page fills it in, with some fields changed."""
    html = page(client.get(f"{CATEGORIES}/{cid}"))
    form = {
        "name": html.select_one("input[name=name]")["value"],
        "risk": html.select_one("input[name=risk][checked]")["value"],
        "reason": html.select_one("textarea[name=reason]").get_text().strip(),
        "cpv_codes": html.select_one("input[name=cpv_codes]").get("value", ""),
        "keywords": html.select_one("textarea[name=keywords]").get_text().strip(),
        "version": html.select_one("input[name=version]")["value"],
    }
    return {**form, **changes}


def risks(client: FlaskClient) -> dict[str, str]:
    html = page(client.get(CATEGORIES))
    return {
        tr.select_one("th").contents[0].get_text(strip=True): tr.select_one("td").get_text(
            strip=True
        )
        for tr in html.select("table")[0].select("tbody tr")
    }


def history(client: FlaskClient, cid: int) -> list[str]:
    html = page(client.get(f"{CATEGORIES}/{cid}"))
    return [li.get_text(" ", strip=True) for li in html.select("main ul.govuk-list li")]


@pytest.mark.parametrize("email", ["coordinator@example.org", "admin@example.org"])
def test_raising_a_categorys_risk_changes_tiers_and_is_recorded(
    app: Flask, two_bodies: dict, email: str
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Hotel Over Ltd", "2024-05-01", "60000.00", HOTEL_TEXT),
        Pay("Hotel Under Ltd", "2024-05-01", "100.00", HOTEL_TEXT),
    )
    hotels = category_id(app, HOTELS)
    editor = as_user(app, email)
    assert risks(editor)[HOTELS] == "Medium"
    form = category_form(editor, hotels)
    assert (form["name"], form["risk"], form["reason"]) == (HOTELS, "medium", "Hospitality")
    assert history(editor, hotels) == ["No changes since it was set up."]
    response = editor.post(f"{CATEGORIES}/{hotels}", data={**form, "risk": "high"})
    assert response.status_code == 302
    index = editor.get(response.headers["Location"])
    assert banner(index) == f"{HOTELS} has been saved"
    assert risks(editor)[HOTELS] == "High"
    changes = history(editor, hotels)
    assert len(changes) == 1 and changes[0].endswith("– risk: medium → high")
    reader = as_user(app, "viewer.alpha-police@example.org")
    rows = register(reader, f"{ORG}/suppliers?year=2024-25")
    assert {n: (r.tier, "High risk" in r.flags) for n, r in rows.items()} == {
        "Hotel Over Ltd": ("Tier A", True),
        "Hotel Under Ltd": ("Tier B", True),
    }
    # Another partnership's categories are untouched.
    gamma_hotels = category_id(app, HOTELS, partnership="elsewhere")
    assert gamma_hotels != hotels


def test_a_keyword_change_moves_suppliers_and_records_before_and_after(
    app: Flask, kennels: None
) -> None:
    security = category_id(app, SECURITY)
    client = as_user(app, "coordinator@example.org")
    form = category_form(client, security)
    old = form["keywords"]
    client.post(f"{CATEGORIES}/{security}", data={**form, "keywords": old + ";kennel"})
    assert history(client, security)[0].endswith(f"– keywords: {old} → {old};kennel")
    reader = as_user(app, "viewer.alpha-police@example.org")
    rows = register(reader, f"{ORG}/suppliers?year=2024-25")
    assert rows["Kennel One Ltd"].tier == "Tier A"
    assert rows["Kennel Three Ltd"].category == "Security and manned guarding High risk"
    assert unmapped(reader) == {"zz misc": "1"}


def test_a_category_edit_is_refused_when_stale_or_its_name_is_taken(
    app: Flask, two_bodies: dict
) -> None:
    hotels = category_id(app, HOTELS)
    client = as_user(app, "coordinator@example.org")
    stale = category_form(client, hotels, reason="Second edit")
    client.post(f"{CATEGORIES}/{hotels}", data=category_form(client, hotels, reason="First edit"))
    before = snapshot(app)
    response = client.post(f"{CATEGORIES}/{hotels}", data=stale)
    assert response.status_code == 200
    assert error_messages(response)[0].startswith("Someone else changed this category")
    taken = client.post(
        f"{CATEGORIES}/{hotels}", data=category_form(client, hotels, name="PPE and body armour")
    )
    assert error_messages(taken) == ["There is already a category called PPE and body armour"]
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("board@example.org", 403),
        ("procurement.alpha-police@example.org", 404),
        ("viewer.beta-opcc@example.org", 404),
    ],
)
def test_board_and_body_users_cannot_edit_categories(
    app: Flask, two_bodies: dict, email: str, status: int
) -> None:
    hotels = category_id(app, HOTELS)
    coordinator = as_user(app, "coordinator@example.org")
    form = category_form(coordinator, hotels, risk="high")
    client = as_user(app, email)
    before = snapshot(app)
    assert client.get(CATEGORIES).status_code == status
    assert client.get(f"{CATEGORIES}/{hotels}").status_code == status
    assert client.post(f"{CATEGORIES}/{hotels}", data=form).status_code == status
    assert snapshot(app) == before


def test_a_coordinator_reaches_only_their_own_partnerships_categories(
    app: Flask, two_bodies: dict
) -> None:
    client = as_user(app, "coordinator@example.org")
    elsewhere = category_id(app, HOTELS, partnership="elsewhere")
    before = snapshot(app)
    assert client.get("/partnerships/elsewhere/categories").status_code == 404
    assert client.get(f"{CATEGORIES}/{elsewhere}").status_code == 404
    assert (
        client.post(f"{CATEGORIES}/{elsewhere}", data={"name": "X", "risk": "low"}).status_code
        == 404
    )
    assert snapshot(app) == before


def test_mapping_without_a_category_points_the_error_at_its_row(
    app: Flask, client: FlaskClient, two_bodies: dict
) -> None:
    body = (
        "Supplier Name,Payment Date,Amount,Expense Type\nMystery Ltd,01/05/2024,10.00,ODD THINGS\n"
    )
    with app.app_context():
        imports.import_spend(
            org=organisations.get_organisation(slug="alpha-police"),
            user=None,
            data=body.encode(),
            filename="odd.csv",
        )
        db.session.commit()
    sign_in(client, "procurement.alpha-police@example.org")
    listed = page(client.get("/organisations/alpha-police/finance-categories"))
    assert "ODD THINGS" in listed.select_one("main table").get_text()
    response = client.post(
        "/organisations/alpha-police/finance-categories",
        data={"category_text": "ODD THINGS", "category_id": ""},
    )
    assert response.status_code == 400
    html = page(response)
    target = html.select_one(".govuk-error-summary a")["href"]
    select = html.select_one(target)
    assert select is not None and select.name == "select"
    assert "ODD THINGS" in html.select_one(f"label[for={target[1:]}]").get_text()
