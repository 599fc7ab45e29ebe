"""The audit trail pages: administrators see everything, the board its partnership, nobody else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.audit_support import LEAD, events, org_id, partnership_id
from tests.integration.register_support import as_user
from tisc.extensions import db
from tisc.services.accounts import organisations
from tisc.services.register import payees

URL = "/audit/"


def _payee(app: Flask, slug: str, name: str) -> None:
    with app.app_context():
        payees.add_personal_payee(org=organisations.get_organisation(slug=slug), name=name)
        db.session.commit()


def _rows(response) -> list[dict[str, str]]:
    html = page(response)
    assert response.status_code == 200
    return [
        {
            "id": tr.select_one("th").get_text(strip=True).removeprefix("Event"),
            "who": tr.select("td")[1].get_text(" ", strip=True),
            "body": tr.select("td")[2].get_text(" ", strip=True),
            "what": tr.select("td")[3].get_text(" ", strip=True),
        }
        for tr in html.select("table.app-audit-table tbody tr")
    ]


def _nav(response) -> list[str]:
    return [a.get_text(strip=True) for a in page(response).select(".govuk-service-navigation a")]


@pytest.fixture
def trail(app: Flask, two_bodies: dict) -> dict[str, int]:
    """A payee added in each body, one of them by a person through the page."""
    lead = as_user(app, LEAD)
    assert lead.post(
        "/organisations/alpha-police/personal-payees", data={"name": "Alpha Person"}
    ).status_code in (200, 302)
    _payee(app, "beta-opcc", "Beta Person")
    _payee(app, "gamma-police", "Gamma Person")
    found = {e["after"]["name"]: e["id"] for e in events(app, record_type="personal_payees")}
    assert set(found) == {"Alpha Person", "Beta Person", "Gamma Person"}
    return found


def test_an_administrator_sees_every_body_and_system_wide_events(
    app: Flask, trail: dict[str, int]
) -> None:
    admin = as_user(app, "admin@example.org")
    home = admin.get("/")
    assert "Audit trail" in _nav(home)
    rows = _rows(admin.get(URL))
    whats = " ".join(r["what"] for r in rows)
    assert "Alpha Person" in whats and "Beta Person" in whats and "Gamma Person" in whats
    assert any("Added user" in r["what"] and "No body" in r["body"] for r in rows)
    detail = page(admin.get(f"/audit/{trail['Alpha Person']}"))
    assert detail.select_one("h1").get_text(strip=True) == f"Event {trail['Alpha Person']}"
    values = {
        tr.select_one("th").get_text(strip=True): tr.select_one("td").get_text(strip=True)
        for tr in detail.select("main table tbody tr")
    }
    assert values["Name"] == "Alpha Person"
    summary = detail.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert LEAD in summary and "Alpha Police" in summary and "What Added" in summary
    # The hashes are shown as code, not as the markup's own text.
    hashes = [code.get_text() for code in detail.select(".govuk-summary-list code.app-audit-hash")]
    assert [len(h) for h in hashes] == [64, 64] and "<code" not in summary


def test_the_board_sees_only_its_partnerships_bodies(app: Flask, trail: dict[str, int]) -> None:
    board = as_user(app, "board@example.org")
    assert "Audit trail" in _nav(board.get("/"))
    rows = _rows(board.get(URL))
    whats = " ".join(r["what"] for r in rows)
    assert "Alpha Person" in whats and "Beta Person" in whats
    assert "Gamma Person" not in whats and "Gamma Police" not in whats
    assert not any("Added user" in r["what"] for r in rows)  # people are not a body's
    assert board.get(f"/audit/{trail['Gamma Person']}").status_code == 404
    assert board.get(f"/audit/{trail['Beta Person']}").status_code == 200
    options = [o.get_text(strip=True) for o in page(board.get(URL)).select("#body option")]
    assert "Gamma Police" not in options and "Alpha Police" in options
    # A body outside the partnership cannot be asked for by changing the address either.
    refused = board.get(URL, query_string={"body": f"organisation:{org_id(app, 'gamma-police')}"})
    assert "Choose a body from the list" in page(refused).select_one(".govuk-error-summary").text
    assert _rows(refused) == []


@pytest.mark.parametrize(
    "email",
    [
        "coordinator@example.org",
        LEAD,
        "statement.alpha-police@example.org",
        "viewer.alpha-police@example.org",
    ],
)
def test_everyone_else_is_refused(app: Flask, trail: dict[str, int], email: str) -> None:
    person = as_user(app, email)
    assert person.get(URL).status_code == 403
    assert person.get(f"/audit/{trail['Alpha Person']}").status_code == 403
    assert "Audit trail" not in _nav(person.get("/"))


def test_signed_out_visitors_are_sent_to_sign_in(app: Flask, client, trail: dict) -> None:
    for url in (URL, f"/audit/{trail['Alpha Person']}"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_filters_by_body_person_record_and_date(app: Flask, trail: dict[str, int]) -> None:
    admin = as_user(app, "admin@example.org")
    by_body = _rows(
        admin.get(URL, query_string={"body": f"organisation:{org_id(app, 'beta-opcc')}"})
    )
    assert by_body and all(r["body"] == "Beta Opcc" for r in by_body)
    whole = _rows(
        admin.get(URL, query_string={"body": f"partnership:{partnership_id(app, 'north-east')}"})
    )
    assert {"Alpha Police", "Beta Opcc"} <= {r["body"] for r in whole}
    assert not any("Gamma" in r["body"] for r in whole)

    by_person = _rows(admin.get(URL, query_string={"person": "PROCUREMENT.alpha"}))
    assert [r["what"] for r in by_person] == [
        f'Added private individual #{_record(app, trail["Alpha Person"])} "Alpha Person"'
    ]

    record = _record(app, trail["Beta Person"])
    by_record = _rows(
        admin.get(URL, query_string={"record_type": "personal_payees", "record_id": record})
    )
    assert [r["id"] for r in by_record] == [str(trail["Beta Person"])]

    today = datetime.now(UTC).date()
    dates = {
        "date_from": [str(today.day), str(today.month), str(today.year)],
        "date_to": [str(today.day), str(today.month), str(today.year)],
    }
    assert len(_rows(admin.get(URL, query_string=dates))) > 3
    yesterday = today - timedelta(days=1)
    before = {"date_to": [str(yesterday.day), str(yesterday.month), str(yesterday.year)]}
    empty = admin.get(URL, query_string=before)
    assert _rows(empty) == [] and "No events match" in page(empty).select_one("main").text


def test_bad_filters_are_explained(app: Flask, trail: dict[str, int]) -> None:
    admin = as_user(app, "admin@example.org")
    response = admin.get(
        URL,
        query_string={
            "date_from": ["31", "2", "2026"],
            "date_to": ["1", "1", "2020"],
            "record_id": "forty",
        },
    )
    html = page(response)
    assert html.select_one("title").get_text(strip=True).startswith("Error: ")
    messages = [li.get_text(strip=True) for li in html.select(".govuk-error-summary li")]
    assert "From date must be a real date, like 1 4 2025" in messages
    assert "Record number must be a number, like 42" in messages
    assert _rows(response) == []


def test_the_trail_is_paged_newest_first(app: Flask, two_bodies: dict) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        for n in range(60):
            payees.add_personal_payee(org=org, name=f"Person {n:02d}")
            db.session.commit()
    admin = as_user(app, "admin@example.org")
    first = admin.get(URL, query_string={"record_type": "personal_payees"})
    rows = _rows(first)
    assert len(rows) == 50 and '"Person 59"' in rows[0]["what"]
    assert "60 events, page 1 of 2" in page(first).select_one("caption").text
    next_link = page(first).select_one(".govuk-pagination__next a")["href"]
    second = _rows(admin.get(next_link))
    assert len(second) == 10 and '"Person 00"' in second[-1]["what"]


def _record(app: Flask, event_id: int) -> str:
    return next(e["record_id"] for e in events(app) if e["id"] == event_id)


def test_a_shared_body_does_not_open_another_partnerships_records_to_the_board(
    app: Flask, trail: dict[str, int]
) -> None:
    from tisc.models import Partnership
    from tisc.services.statements import records as statements

    with app.app_context():
        alpha = organisations.get_organisation(slug="alpha-police")
        elsewhere = organisations.get_partnership(slug="elsewhere")
        alpha.partnerships.append(db.session.get(Partnership, elsewhere.id))
        db.session.commit()
        statements.create_statement(financial_year=2024, user=None, partnership=elsewhere)
        db.session.commit()
    elsewhere_id = partnership_id(app, "elsewhere")
    theirs = [e for e in events(app) if e["partnership_id"] == elsewhere_id]
    # Alpha's own sign-off and paragraph in the other partnership's statement.
    shared = [e for e in theirs if e["organisation_id"] == org_id(app, "alpha-police")]
    assert shared
    board = as_user(app, "board@example.org")
    shown = {r["id"] for r in _rows(board.get(URL))}
    assert not {str(e["id"]) for e in theirs} & shown
    for event in shared:
        assert board.get(f"/audit/{event['id']}").status_code == 404
    admin = as_user(app, "admin@example.org")
    north_east = {"body": f"partnership:{partnership_id(app, 'north-east')}"}
    assert not {str(e["id"]) for e in theirs} & {
        r["id"] for r in _rows(admin.get(URL, query_string=north_east))
    }


def test_unknown_query_parameters_do_not_break_the_page_links(app: Flask, two_bodies: dict) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        for n in range(55):
            payees.add_personal_payee(org=org, name=f"Person {n:02d}")
        db.session.commit()
    admin = as_user(app, "admin@example.org")
    for extra in ({"endpoint": "x"}, {"_external": "1", "_scheme": "javascript"}):
        response = admin.get(URL, query_string={"record_type": "personal_payees", **extra})
        assert response.status_code == 200
        next_link = page(response).select_one(".govuk-pagination__next a")["href"]
        assert next_link.startswith("/audit/?") and "record_type=personal_payees" in next_link
        assert "endpoint" not in next_link and "_scheme" not in next_link


def test_values_read_as_words_not_python(app: Flask, two_bodies: dict) -> None:
    from tests.integration.register_support import Pay, import_payments, supplier_id

    import_payments(app, "alpha-police", Pay("Acme Ltd", "10/05/2024", "100.00"))
    sid = supplier_id(app, "alpha-police", "Acme Ltd")
    lead = as_user(app, LEAD)
    url = f"/organisations/alpha-police/suppliers/{sid}/reviewed"
    assert lead.post(url).status_code == 302
    reviewed = next(
        e for e in events(app, record_type="suppliers") if "reviewed" in (e["after"] or {})
    )
    detail = page(as_user(app, "admin@example.org").get(f"/audit/{reviewed['id']}"))
    cells = {
        tr.select_one("th").get_text(strip=True): [td.get_text(strip=True) for td in tr("td")]
        for tr in detail.select("main table tbody tr")
    }
    assert cells["Reviewed"] == ["No", "Yes"]
