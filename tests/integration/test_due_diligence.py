"""Due diligence: figures and rows from a year with known tiers, the pages, forms and conflicts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import pytest
from flask import Flask

from tests.conftest import page
from tests.integration.due_diligence_support import (
    EXPECTED,
    SLUG,
    YEAR,
    A,
    build_year,
    snapshot,
)
from tests.integration.register_support import (
    CLEANING_TEXT,
    HOTEL_TEXT,
    Pay,
    as_user,
    banner,
    error_messages,
    import_payments,
    main_text,
    supplier_id,
)
from tisc.extensions import db
from tisc.rules.due_diligence import Need
from tisc.rules.risk import Tier
from tisc.services.accounts import organisations
from tisc.services.due_diligence import overview as dd

PROCUREMENT = "procurement.alpha-police@example.org"
STALE = (
    "Someone else changed this record while you were editing. "
    "Your changes were not saved: check the details below and try again."
)


@pytest.fixture
def year(app: Flask, two_bodies: dict) -> None:
    build_year(app)


def figures(app: Flask, slug: str = "alpha-police", financial_year: int = YEAR):
    with app.app_context():
        org = organisations.get_organisation(slug=slug)
        return dd.due_diligence_figures(org=org, financial_year=financial_year)


def rows(app: Flask, **filters) -> dict[str, tuple[str, tuple[str, ...]]]:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        found = dd.due_diligence_rows(org=org, financial_year=YEAR, **filters)
        return {r.supplier.name: (r.tier.value, r.missing) for r in found}


def test_the_figures_count_each_thing_exactly(app: Flask, year: None) -> None:
    found = figures(app)
    assert {k: v for k, v in asdict(found).items() if k != "financial_year"} == EXPECTED
    # A year without spend has no figures at all ("no data", not zeros).
    assert figures(app, financial_year=YEAR + 1) is None
    beta = figures(app, "beta-opcc")
    assert (beta.high_risk_over_threshold, beta.assessed, beta.mapped_beyond_tier1) == (1, 1, 1)


def test_partnership_figures_are_each_body_and_their_sum(app: Flask, year: None) -> None:
    with app.app_context():
        partnership = organisations.get_partnership(slug="north-east")
        result = dd.partnership_figures(partnership=partnership, financial_year=YEAR)
        by_name = {org.slug: f for org, f in result.bodies}
    assert by_name["alpha-police"] == figures(app)
    assert by_name["beta-opcc"] == figures(app, "beta-opcc")
    assert result.total.contract_reviews == EXPECTED["contract_reviews"] + 1
    assert result.total.suppliers_over_threshold == EXPECTED["suppliers_over_threshold"] + 1


def test_rows_list_tier_a_then_b_with_what_is_missing_in_words(app: Flask, year: None) -> None:
    every = "Assessment", "Beyond-Tier-1 mapping", "Staff engagement plan"
    review, guidance = "Contract review discussing modern slavery", "Guidance on modern slavery"
    assert rows(app) == {
        "Clean A3 Ltd": ("A", (*every, review, guidance)),
        "Clean A2 Ltd": ("A", (*every, review, guidance)),
        "Kennels A Ltd": ("A", (*every, review, guidance)),  # needs a category: tier A
        "Clean A1 Ltd": ("A", ()),
        "Hotel B Ltd": ("B", ("Assessment",)),
        "Clean B Ltd": ("B", ()),
    }
    tier_a, tier_b = (
        ["Clean A3 Ltd", "Clean A2 Ltd", "Kennels A Ltd", "Clean A1 Ltd"],
        ["Hotel B Ltd", "Clean B Ltd"],
    )
    assert list(rows(app)) == [*tier_a, *tier_b]
    assert list(rows(app, tier=Tier.B)) == ["Hotel B Ltd", "Clean B Ltd"]
    assert list(rows(app, tier=Tier.C)) == []
    assert list(rows(app, missing=Need.ASSESSMENT)) == [
        "Clean A3 Ltd",
        "Clean A2 Ltd",
        "Kennels A Ltd",
        "Hotel B Ltd",
    ]
    assert list(rows(app, tier=Tier.A, missing=Need.GUIDANCE)) == [
        "Clean A3 Ltd",
        "Clean A2 Ltd",
        "Kennels A Ltd",
    ]
    assert list(rows(app, search="clean b")) == ["Clean B Ltd"]


def test_the_page_shows_the_same_figures_and_filters(app: Flask, year: None) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    response = client.get(f"{A}/due-diligence?year={SLUG}")
    assert response.status_code == 200
    html = page(response)
    shown = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in html.select("#figures .govuk-summary-list__row")
    }
    expected = figures(app)
    assert {label: text.split(" ")[0] for label, text in shown.items()} == {
        label: str(getattr(expected, key)) for key, label in dd.FIGURE_LABELS
    }
    # Shares say what they are out of.
    assert shown["Of them assessed this year"] == "2 of 6 (33%)"
    assert shown["Tier A staff engagement plans received"] == "1 of 4 (25%)"
    assert shown["Contract reviews"] == str(expected.contract_reviews)
    table = {
        tr.select_one("th a").get_text(strip=True): [
            li.get_text(strip=True) for li in tr.select("td")[-1].select("li")
        ]
        for tr in html.select("#suppliers tbody tr")
    }
    assert table["Clean A1 Ltd"] == ["Nothing"]
    assert table["Hotel B Ltd"] == ["Assessment"]
    assert len(table["Clean A3 Ltd"]) == 5
    filtered = page(client.get(f"{A}/due-diligence?year={SLUG}&tier=A&missing=plan&q=clean"))
    assert [a.get_text(strip=True) for a in filtered.select("#suppliers tbody th a")] == [
        "Clean A3 Ltd",
        "Clean A2 Ltd",
    ]
    none = client.get(f"{A}/due-diligence?year={SLUG}&q=nobody")
    assert "No suppliers match these filters" in main_text(none)
    assert client.get(f"{A}/due-diligence?year=nonsense").status_code == 404


def test_a_body_without_spend_is_pointed_to_imports(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, PROCUREMENT)
    html = page(client.get(f"{A}/due-diligence"))
    link = html.select_one("#empty-state a")
    assert link["href"] == f"{A}/imports/new"
    import_payments(app, "alpha-police", Pay("Tiny Ltd", "2024-05-01", "5.00"))
    html = page(client.get(f"{A}/due-diligence?year=2023-24"))
    assert "No data" in html.select_one("#empty-state").get_text()
    html = page(client.get(f"{A}/due-diligence"))
    assert "no tier A or B suppliers in 2024/25" in html.select_one("#empty-state").get_text()


def _year_url(app: Flask, name: str) -> str:
    return f"{A}/suppliers/{supplier_id(app, 'alpha-police', name)}/due-diligence/{SLUG}"


def test_the_supplier_page_shows_needs_mapping_and_reviews(app: Flask, year: None) -> None:
    client = as_user(app, PROCUREMENT)
    html = page(client.get(_year_url(app, "Clean A2 Ltd")))
    needs = {
        tr.select_one("th").get_text(strip=True): tr.select_one("td").get_text(strip=True)
        for tr in html.select("#needs tbody tr")
    }
    assert needs == {n.label: "Missing" for n in Need}
    subs = html.select("#sub-suppliers tbody tr")
    assert [s.select_one("th").get_text(strip=True) for s in subs] == ["Draft Chemicals Ltd"]
    assert "not counted until the assessment is complete" in subs[0].get_text()
    assert subs[0].select("a") == []  # it belongs to the assessment: no change or remove
    reviews = html.select("#reviews tbody tr")
    assert [r.select_one("th").get_text(strip=True) for r in reviews] == ["1 September 2024"]
    assert html.select_one("#edit-record") is not None
    viewer = page(
        as_user(app, "viewer.alpha-police@example.org").get(_year_url(app, "Clean A1 Ltd"))
    )
    assert viewer.select_one("#edit-record") is None
    assert viewer.select("main a[href*='/remove'], main a[href*='/new']") == []
    assert "Done" in viewer.select_one("#needs").get_text()


def _record_form(**values) -> dict:
    form = {
        "guidance_sent_on": ["", "", ""],
        "guidance_method": "",
        "plan_requested_on": ["", "", ""],
        "plan_received_on": ["", "", ""],
        "plan_note": "",
        "plan_link": "",
        "version": "0",
    }
    return {**form, **values}


def test_bad_guidance_and_plan_input_is_refused_and_nothing_saved(app: Flask, year: None) -> None:
    client = as_user(app, PROCUREMENT)
    url = _year_url(app, "Clean A3 Ltd") + "/guidance-and-plan"
    tomorrow = date.today() + timedelta(days=1)
    before = snapshot(app)
    cases = [
        (_record_form(guidance_method="email"), "Enter the date guidance was sent"),
        (
            _record_form(guidance_sent_on=["1", "6", "2024"]),
            "Select how the guidance was sent",
        ),
        (
            _record_form(
                guidance_sent_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
                guidance_method="letter",
            ),
            "The date guidance was sent must be today or in the past",
        ),
        (
            _record_form(plan_requested_on=["2", "6", "2024"], plan_received_on=["1", "6", "2024"]),
            "The date the plan was received must be the same as or after the date it was requested",
        ),
        (
            _record_form(plan_received_on=["1", "6", "2024"]),
            "Enter the date the staff engagement plan was requested",
        ),
        (
            _record_form(guidance_sent_on=["31", "2", "2024"], guidance_method="email"),
            "Date guidance was sent must be a real date, like 14 5 2025",
        ),
        (
            _record_form(plan_link="javascript:alert(1)"),
            "Enter a link in the correct format, like https://example.org/plan.pdf",
        ),
        (
            _record_form(guidance_method="pigeon", guidance_sent_on=["1", "6", "2024"]),
            "Select how the guidance was sent",
        ),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 200, message
        assert error_messages(response) == [message]
        assert page(response).select_one("title").get_text().startswith("Error: ")
    assert snapshot(app) == before


def test_guidance_and_plan_save_then_a_stale_form_conflicts(app: Flask, year: None) -> None:
    client = as_user(app, PROCUREMENT)
    url = _year_url(app, "Clean A3 Ltd") + "/guidance-and-plan"
    assert page(client.get(url)).select_one("input[name=version]")["value"] == "0"
    saved = client.post(
        url,
        data=_record_form(
            guidance_sent_on=["3", "6", "2024"],
            guidance_method="portal",
            plan_requested_on=["3", "6", "2024"],
            plan_link="https://example.org/plan.pdf",
        ),
        follow_redirects=True,
    )
    assert banner(saved) == "Guidance and plan for Clean A3 Ltd have been saved"
    text = page(saved).select_one("#record").get_text(" ", strip=True)
    assert "3 June 2024 by supplier portal" in text and "Not received" in text
    assert figures(app).guidance_sent == EXPECTED["guidance_sent"] + 1
    assert figures(app).plans_requested == EXPECTED["plans_requested"] + 1
    before = snapshot(app)
    stale = client.post(
        url, data=_record_form(guidance_sent_on=["1", "5", "2024"], guidance_method="email")
    )
    assert stale.status_code == 200
    assert error_messages(stale) == [STALE]
    assert snapshot(app) == before
    edit = page(client.get(url))
    assert edit.select_one("input[name=version]")["value"] == "1"
    assert [i["value"] for i in edit.select("input[name=guidance_sent_on]")] == ["03", "06", "2024"]


def test_sub_suppliers_are_added_changed_and_removed_with_conflicts(app: Flask, year: None) -> None:
    client = as_user(app, PROCUREMENT)
    base = _year_url(app, "Clean A3 Ltd")
    before = snapshot(app)
    bad = client.post(f"{base}/sub-suppliers/new", data={"name": "", "country": "", "supplies": ""})
    assert set(error_messages(bad)) == {
        "Enter the sub-supplier's name",
        "Select the sub-supplier's tier",
        "Enter the country",
        "Enter what they supply",
    }
    wrong_tier = client.post(
        f"{base}/sub-suppliers/new",
        data={"name": "X", "tier": "7", "country": "UK", "supplies": "Mops"},
    )
    assert error_messages(wrong_tier) == ["Select the sub-supplier's tier"]
    assert snapshot(app) == before
    data = {"name": "Mop Maker", "tier": "2", "country": "India", "supplies": "Mops"}
    added = client.post(f"{base}/sub-suppliers/new", data=data, follow_redirects=True)
    assert banner(added) == "The sub-supplier Mop Maker has been saved"
    assert figures(app).mapped_beyond_tier1 == EXPECTED["mapped_beyond_tier1"] + 1
    html = page(added)
    edit_url = html.select_one("#sub-suppliers a")["href"]
    version = page(client.get(edit_url)).select_one("input[name=version]")["value"]
    changed = client.post(edit_url, data={**data, "tier": "3", "version": version})
    assert changed.status_code == 302
    before = snapshot(app)
    stale = client.post(edit_url, data={**data, "name": "Stale", "version": version})
    assert error_messages(stale) == [STALE]
    assert snapshot(app) == before
    row = page(client.get(base)).select_one("#sub-suppliers tbody tr")
    assert row.select_one("th").get_text(strip=True) == "Mop Maker"
    assert row.select("td")[0].get_text(strip=True) == "Tier 3 and below"
    confirm = page(client.get(f"{edit_url}/remove"))
    assert confirm.select_one("h1").get_text(strip=True) == "Remove the sub-supplier Mop Maker?"
    stale_delete = client.post(f"{edit_url}/remove", data={"version": version})
    assert stale_delete.status_code == 200 and snapshot(app) == before
    current = confirm.select_one("input[name=version]")["value"]
    removed = client.post(f"{edit_url}/remove", data={"version": current}, follow_redirects=True)
    assert banner(removed) == "Mop Maker has been removed"
    assert figures(app).mapped_beyond_tier1 == EXPECTED["mapped_beyond_tier1"]
    assert client.get(edit_url).status_code == 404


def _review_form(day: date | tuple[str, str, str], **values) -> dict:
    parts = list(day) if isinstance(day, tuple) else [str(day.day), str(day.month), str(day.year)]
    return {"reviewed_on": parts, "contract_id": "", "notes": "", "actions": "", **values}


def test_contract_reviews_validate_and_count_in_the_year_of_their_date(
    app: Flask, year: None
) -> None:
    client = as_user(app, PROCUREMENT)
    base = _year_url(app, "Clean A3 Ltd")
    other = supplier_id(app, "alpha-police", "Clean A1 Ltd")
    client.post(
        f"{A}/suppliers/{other}/contracts/new",
        data={
            "title": "Other's contract",
            "start_date": ["1", "4", "2024"],
            "end_date": ["31", "3", "2026"],
            "annual_value": "10.00",
            "category_id": "",
        },
    )
    with app.app_context():
        from tisc.models import Contract

        contract_id = db.session.query(Contract.id).scalar()
    before = snapshot(app)
    tomorrow = date.today() + timedelta(days=1)
    cases = [
        (
            _review_form(("", "", ""), modern_slavery_discussed="yes"),
            "Enter the date of the review",
        ),
        (_review_form(date(2024, 7, 1)), "Select yes if modern slavery was discussed"),
        (
            _review_form(tomorrow, modern_slavery_discussed="no"),
            "The date of the review must be today or in the past",
        ),
        (
            _review_form(
                date(2024, 7, 1), modern_slavery_discussed="yes", contract_id=str(contract_id)
            ),
            "Select one of this supplier's contracts",
        ),
    ]
    for data, message in cases:
        response = client.post(f"{base}/contract-reviews/new", data=data)
        assert error_messages(response) == [message]
    assert snapshot(app) == before
    # A review in April 2025 is in 2025/26, whatever page it was recorded from.
    saved = client.post(
        f"{base}/contract-reviews/new",
        data=_review_form(date(2025, 4, 2), modern_slavery_discussed="yes", notes="Spoke about MS"),
    )
    assert saved.headers["Location"].endswith("/due-diligence/2025-26")
    assert banner(client.get(saved.headers["Location"])) == (
        "The contract review has been saved in 2025/26"
    )
    assert figures(app).contract_reviews == EXPECTED["contract_reviews"]
    in_year = client.post(
        f"{base}/contract-reviews/new",
        data=_review_form(date(2024, 12, 2), modern_slavery_discussed="yes", actions="Audit"),
        follow_redirects=True,
    )
    assert banner(in_year) == "The contract review has been saved in 2024/25"
    found = figures(app)
    assert (found.contract_reviews, found.contract_reviews_discussed) == (
        EXPECTED["contract_reviews"] + 1,
        EXPECTED["contract_reviews_discussed"] + 1,
    )
    link = page(in_year).select_one("#reviews a")["href"]
    version = page(client.get(link)).select_one("input[name=version]")["value"]
    client.post(
        link, data=_review_form(date(2024, 12, 2), modern_slavery_discussed="no", version=version)
    )
    assert figures(app).contract_reviews_discussed == EXPECTED["contract_reviews_discussed"]
    before = snapshot(app)
    stale = client.post(
        link, data=_review_form(date(2024, 12, 3), modern_slavery_discussed="yes", version=version)
    )
    assert error_messages(stale) == [STALE]
    assert snapshot(app) == before


@pytest.mark.parametrize("tier", [None, Tier.A, Tier.B])
def test_a_page_cut_in_the_database_is_a_slice_of_every_row(
    app: Flask, year: None, tier: Tier | None
) -> None:
    """Without a filter the page is sorted, counted and cut in SQL; with pages of two it
    holds the same rows in the same order as the whole list, and a page past the end shows
    the last one."""
    # A small tier A supplier and a large tier B one: sorting by spend alone would put them
    # the wrong way round.
    import_payments(
        app,
        "alpha-police",
        Pay("Small Clean Ltd", "2024-05-01", "50000.01", CLEANING_TEXT),
        Pay("Huge Hotel Ltd", "2024-05-01", "900000.00", HOTEL_TEXT),
    )
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        rows = dd.due_diligence_rows(org=org, financial_year=YEAR, tier=tier)
        every = [r.supplier.id for r in rows]
        assert every, "the year has tier A and B suppliers to page through"
        if tier is None:
            names = [r.supplier.name for r in rows]
            assert names.index("Small Clean Ltd") < names.index("Huge Hotel Ltd")
        shown, number = [], 1
        while True:
            found = dd.due_diligence_page(
                org=org, financial_year=YEAR, tier=tier, page=number, per_page=2
            )
            assert (found.total, found.page) == (len(every), number)
            shown.extend(r.supplier.id for r in found.rows)
            if number == found.pages:
                break
            number += 1
        assert shown == every
        past = dd.due_diligence_page(org=org, financial_year=YEAR, tier=tier, page=99, per_page=2)
        assert past.page == found.pages
        assert [r.supplier.id for r in past.rows] == every[(found.pages - 1) * 2 :]
