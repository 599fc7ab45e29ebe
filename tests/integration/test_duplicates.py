"""Possible duplicates, and merging one supplier into another."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.register_support import (
    CLEANING_TEXT,
    Pay,
    as_user,
    banner,
    import_payments,
    main_text,
    register,
    snapshot,
    supplier_id,
)

URL = "/organisations/alpha-police/suppliers"


def pairs(client) -> list[tuple[str, str, str]]:
    """(keep, merge into it, why) for each row of the duplicates page."""
    html = page(client.get(f"{URL}/duplicates"))
    return [
        tuple(td.get_text(" ", strip=True) for td in tr.select("td")[:3])
        for tr in html.select("table tbody tr")
    ]


def test_similar_names_are_listed_and_merging_moves_spend_contracts_and_history(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-05-01", "1000.10"),
        Pay("Acme Cleaning Ltd", "2023-05-01", "500.00"),
        Pay("Acme Cleening Ltd", "2024-06-01", "2000.20"),
        Pay("Acme Cleening Ltd", "2024-07-01", "-100.05"),
        Pay("Acme Cleening Ltd", "2022-07-01", "300.00", company="01234567"),
        Pay("Zeta Ltd", "2024-05-01", "1.00"),
    )
    keep = supplier_id(app, "alpha-police", "Acme Cleaning Ltd")
    merge = supplier_id(app, "alpha-police", "Acme Cleening Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    client.post(
        f"{URL}/{merge}/contracts/new",
        data={
            "title": "Window cleaning",
            "start_date": ["1", "4", "2024"],
            "end_date": ["31", "3", "2025"],
            "annual_value": "60000.00",
        },
    )
    found = pairs(client)
    assert len(found) == 1
    assert found[0][:2] == ("Acme Cleaning Ltd", "Acme Cleening Ltd")
    assert found[0][2].startswith("Similar names (")
    html = page(client.get(f"{URL}/duplicates"))
    link = html.select_one("table tbody a[href*='/merge?']")
    # The link only shows what would move: nothing changes until it is confirmed.
    before = snapshot(app)
    confirm = client.get(link["href"])
    assert snapshot(app) == before
    confirm_page = page(confirm)
    assert confirm_page.select_one("h1").get_text(strip=True) == (
        "Merge Acme Cleening Ltd into Acme Cleaning Ltd"
    )
    moves = {
        tr.select_one("th").get_text(strip=True): tr.select_one("td").get_text(strip=True)
        for tr in confirm_page.select("main table tbody tr")
    }
    assert (moves["Payments"], moves["Contracts"], moves["Assessments"]) == ("3", "1", "0")
    assert "This cannot be undone" in main_text(confirm)
    form = confirm_page.select_one("main form")
    data = {i["name"]: i["value"] for i in form.select("input")}
    assert (data["keep"], data["merge"]) == (str(keep), str(merge))
    response = client.post(link["href"].split("?")[0], data=data)
    assert response.headers["Location"].endswith(f"{URL}/{keep}")
    detail = client.get(response.headers["Location"])
    assert banner(detail) == "Acme Cleening Ltd has been merged into Acme Cleaning Ltd"
    years = {
        tr.select_one("th").get_text(strip=True): [
            td.get_text(strip=True) for td in tr.select("td")
        ][:2]
        for tr in page(detail).select("main table")[0].select("tbody tr")
    }
    assert years == {
        "2024/25": ["3", "£2,900.25"],
        "2023/24": ["1", "£500.00"],
        "2022/23": ["1", "£300.00"],
    }
    text = main_text(detail)
    assert "Window cleaning" in text
    assert "A contract worth £60,000.00 a year is over £50,000.00" in text
    assert (
        "Merged with Acme Cleening Ltd: its spend, contracts, assessments, due diligence "
        "and history moved here" in text
    )
    assert "Contract added: Window cleaning" in text
    assert text.count("Added to the register by the import of") == 2
    assert "Company number 01234567" in text
    rows = register(client, f"{URL}?year=2024-25")
    assert {n: (r.payments, r.spend, r.tier) for n, r in rows.items()} == {
        "Acme Cleaning Ltd": ("3", "£2,900.25", "Tier A"),  # over the threshold by its contract
        "Zeta Ltd": ("1", "£1.00", "Tier D"),
    }
    assert client.get(f"{URL}/{merge}").status_code == 404
    assert client.get(f"{URL}/{merge}/edit").status_code == 404
    assert pairs(client) == []
    assert "No possible duplicates found." in main_text(client.get(f"{URL}/duplicates"))
    overview = page(client.get("/organisations/alpha-police"))
    first = [td.get_text(strip=True) for td in overview.select("table tbody tr")[0].select("td")]
    assert first[:3] == ["2", "4", "£2,901.25"]


def test_the_same_company_number_is_a_possible_duplicate(app: Flask, two_bodies: dict) -> None:
    import_payments(
        app, "alpha-police", Pay("Northern Couriers Ltd", "2024-05-01", "10.00", company="09876543")
    )
    client = as_user(app, "procurement.alpha-police@example.org")
    client.post(
        f"{URL}/new",
        data={"name": "NCL Transport", "company_number": "09876543", "category_id": ""},
    )
    assert pairs(client) == [
        ("NCL Transport", "Northern Couriers Ltd", "Same company number 09876543")
    ]


def test_a_supplier_cannot_be_merged_into_itself(app: Flask, two_bodies: dict) -> None:
    import_payments(app, "alpha-police", Pay("Acme Ltd", "2024-05-01", "10.00"))
    sid = supplier_id(app, "alpha-police", "Acme Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    response = client.post(
        f"{URL}/merge", data={"keep": str(sid), "merge": str(sid)}, follow_redirects=True
    )
    assert banner(response) == "Choose two different suppliers to merge"
    bad = client.post(f"{URL}/merge", data={"keep": "x", "merge": str(sid)})
    assert bad.status_code == 400
    assert snapshot(app) == before
    assert register(client, URL)["Acme Ltd"].spend == "£10.00"


def test_the_kept_supplier_takes_its_category_from_the_finance_text_it_gains(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-05-01", "40000.00"),
        Pay("Acme Cleening Ltd", "2024-06-01", "10000.01", CLEANING_TEXT),
    )
    keep = supplier_id(app, "alpha-police", "Acme Cleaning Ltd")
    merge = supplier_id(app, "alpha-police", "Acme Cleening Ltd")
    client = as_user(app, "procurement.alpha-police@example.org")
    response = client.post(f"{URL}/merge", data={"keep": str(keep), "merge": str(merge)})
    detail = main_text(client.get(response.headers["Location"]))
    assert f"Finance category {CLEANING_TEXT}" in detail
    assert (
        "Category Cleaning services and materials (High risk), "
        f"automatic: finance category ‘{CLEANING_TEXT}’ contains ‘janitorial’" in detail
    )
    row = register(client, URL)["Acme Cleaning Ltd"]
    assert (row.spend, row.tier) == ("£50,000.01", "Tier A")
    assert row.flags == frozenset({"Over threshold", "High risk"})


def _kept_records(app: Flask, supplier: int) -> dict[str, list]:
    """What hangs off a supplier: its assessments, invitations, sub-suppliers, reviews and
    due diligence (the values a person recorded)."""
    from sqlalchemy import select

    from tisc.extensions import db
    from tisc.models import (
        ContractReview,
        DueDiligence,
        Invitation,
        SubSupplier,
        SupplierAssessment,
    )

    def ids(model: type) -> list[int]:
        return sorted(db.session.scalars(select(model.id).where(model.supplier_id == supplier)))

    with app.app_context():
        records = db.session.scalars(
            select(DueDiligence).where(DueDiligence.supplier_id == supplier)
        ).all()
        return {
            "assessments": ids(SupplierAssessment),
            "invitations": ids(Invitation),
            "sub_suppliers": ids(SubSupplier),
            "reviews": ids(ContractReview),
            "due_diligence": sorted(
                (r.financial_year, *(getattr(r, name) for name in DueDiligence.RECORDED))
                for r in records
            ),
        }


def _two_acmes(app: Flask) -> tuple[int, int]:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Cleaning Ltd", "2024-05-01", "1000.00"),
        Pay("Acme Cleening Ltd", "2024-06-01", "2000.00"),
    )
    return (
        supplier_id(app, "alpha-police", "Acme Cleaning Ltd"),
        supplier_id(app, "alpha-police", "Acme Cleening Ltd"),
    )


def test_merging_hands_over_assessments_and_due_diligence_and_combines_a_shared_year(
    app: Flask, two_bodies: dict
) -> None:
    from datetime import date

    from tests.integration.due_diligence_support import _record, _review, _sub, make_assessment

    keep, merge = _two_acmes(app)
    assessment = make_assessment(app, "alpha-police", "Acme Cleening Ltd", complete=True)
    _sub(app, "alpha-police", "Acme Cleening Ltd", "Cloth Mill")
    _review(app, "alpha-police", "Acme Cleening Ltd", date(2024, 10, 1), discussed=True)
    # The same year on both: one sent guidance, the other asked for a plan.
    _record(app, "alpha-police", "Acme Cleaning Ltd", guidance_sent_on=date(2024, 6, 1),
            guidance_method="email")  # fmt: skip
    _record(app, "alpha-police", "Acme Cleening Ltd", plan_requested_on=date(2024, 7, 1))
    handed = _kept_records(app, merge)
    client = as_user(app, "procurement.alpha-police@example.org")
    response = client.post(f"{URL}/merge", data={"keep": str(keep), "merge": str(merge)})
    assert response.status_code == 302
    kept = _kept_records(app, keep)
    assert kept["assessments"] == [assessment] == handed["assessments"]
    for kind in ("sub_suppliers", "reviews"):
        assert kept[kind] == handed[kind] and len(kept[kind]) == 1
    assert kept["due_diligence"] == [
        (2024, date(2024, 6, 1), "email", date(2024, 7, 1), None, None, None)
    ]
    assert _kept_records(app, merge) == {k: [] for k in kept}


def test_a_merge_is_refused_when_the_two_record_different_due_diligence(
    app: Flask, two_bodies: dict
) -> None:
    from datetime import date

    from tests.integration.due_diligence_support import _record

    keep, merge = _two_acmes(app)
    _record(
        app,
        "alpha-police",
        "Acme Cleaning Ltd",
        guidance_sent_on=date(2024, 6, 1),
        guidance_method="email",
    )
    _record(
        app,
        "alpha-police",
        "Acme Cleening Ltd",
        guidance_sent_on=date(2024, 6, 2),
        guidance_method="email",
    )
    before = snapshot(app)
    client = as_user(app, "procurement.alpha-police@example.org")
    why = (
        "Acme Cleaning Ltd and Acme Cleening Ltd have different due diligence recorded for "
        "2024/25 (guidance sent on). Change one so that they agree, then merge them."
    )
    # The confirmation page says so before anyone tries, and offers no merge button.
    confirm = page(client.get(f"{URL}/merge", query_string={"keep": keep, "merge": merge}))
    assert confirm.select_one("#merge-problem").get_text(strip=True) == why
    assert confirm.select_one("main form") is None
    response = client.post(
        f"{URL}/merge", data={"keep": str(keep), "merge": str(merge)}, follow_redirects=True
    )
    assert banner(response) == why
    assert page(response).select_one("h1").get_text(strip=True) == "Possible duplicates"
    assert snapshot(app) == before


def test_a_merge_is_refused_when_both_have_an_assessment_for_the_same_year(
    app: Flask, two_bodies: dict
) -> None:
    from tests.integration.due_diligence_support import make_assessment

    keep, merge = _two_acmes(app)
    make_assessment(app, "alpha-police", "Acme Cleaning Ltd", complete=True)
    make_assessment(app, "alpha-police", "Acme Cleening Ltd", complete=False)
    before = snapshot(app)
    client = as_user(app, "procurement.alpha-police@example.org")
    why = (
        "Acme Cleaning Ltd and Acme Cleening Ltd both have an assessment for 2024/25. A "
        "supplier has one assessment a year: cancel one of them, then merge the suppliers."
    )
    confirm = page(client.get(f"{URL}/merge", query_string={"keep": keep, "merge": merge}))
    assert confirm.select_one("#merge-problem").get_text(strip=True) == why
    response = client.post(
        f"{URL}/merge", data={"keep": str(keep), "merge": str(merge)}, follow_redirects=True
    )
    assert banner(response) == why
    assert snapshot(app) == before


def test_what_a_person_typed_on_the_merged_supplier_is_kept(app: Flask, two_bodies: dict) -> None:
    from sqlalchemy import select

    from tisc.extensions import db
    from tisc.models import Category, CategorySource, Supplier

    keep, merge = _two_acmes(app)
    with app.app_context():
        chosen = db.session.scalars(select(Category).order_by(Category.id)).first()
        gone = db.session.get(Supplier, merge)
        gone.notes, gone.vat_number, gone.charity_number = "Met them in May", "GB123", "1122"
        gone.category_id, gone.category_source = chosen.id, CategorySource.CHOSEN
        db.session.get(Supplier, keep).notes = "Cleaning at HQ"
        db.session.commit()
        chosen_id = chosen.id
    client = as_user(app, "procurement.alpha-police@example.org")
    assert client.post(f"{URL}/merge", data={"keep": keep, "merge": merge}).status_code == 302
    with app.app_context():
        kept = db.session.get(Supplier, keep)
        assert kept.notes == "Cleaning at HQ\n\nMet them in May"
        assert (kept.vat_number, kept.charity_number) == ("GB123", "1122")
        assert (kept.category_id, kept.category_source) == (chosen_id, CategorySource.CHOSEN)


@pytest.mark.parametrize("odd", ["²", "1" * 19, "-1", "", "1.0"])
def test_odd_ids_on_the_merge_page_are_a_bad_request(
    app: Flask, two_bodies: dict, odd: str
) -> None:
    keep, _merge = _two_acmes(app)
    client = as_user(app, "procurement.alpha-police@example.org")
    before = snapshot(app)
    for method in (client.get, client.post):
        asked = {"keep": str(keep), "merge": odd}
        response = method(
            f"{URL}/merge", **({"query_string": asked} if method == client.get else {"data": asked})
        )
        assert response.status_code == 400
    assert snapshot(app) == before
