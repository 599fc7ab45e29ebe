"""An unknown is never low: a supplier over the threshold with no category needs one, is in
tier A until it has one, and the register says so at the top with a link to them."""

from __future__ import annotations

from flask import Flask

from tests.conftest import page
from tests.integration.register_support import (
    CLEANING_TEXT,
    UNKNOWN_TEXT,
    Pay,
    as_user,
    import_payments,
    register,
)

URL = "/organisations/alpha-police/suppliers"


def _notice(response) -> str | None:
    found = page(response).select_one("#needs-category")
    return " ".join(found.get_text(" ", strip=True).split()) if found else None


def test_the_register_says_how_many_need_a_category_and_links_to_them(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Unknown Over Ltd", "2024-05-01", "50000.01", UNKNOWN_TEXT),
        Pay("Unknown Exactly Ltd", "2024-05-01", "50000.00", UNKNOWN_TEXT),
        Pay("Unknown Big Ltd", "2024-06-01", "900000.00"),
        Pay("Cleaner Over Ltd", "2024-05-01", "70000.00", CLEANING_TEXT),
    )
    client = as_user(app, "viewer.alpha-police@example.org")
    response = client.get(f"{URL}?year=2024-25")
    assert _notice(response).startswith(
        "2 suppliers over the threshold in 2024/25 need a category. Until they have one, they "
        "are in tier A, because an unknown risk is never treated as low"
    )
    link = page(response).select_one("#needs-category a[href*='flag=needs-category']")["href"]
    listed = register(client, link)
    assert set(listed) == {"Unknown Over Ltd", "Unknown Big Ltd"}  # not the one at £50,000.00
    assert {row.tier for row in listed.values()} == {"Tier A"}
    assert _notice(client.get(link)) is None  # already showing them
    everyone = register(client, f"{URL}?year=2024-25")
    assert "Needs a category" in everyone["Unknown Big Ltd"].flags
    assert "Needs a category" not in everyone["Unknown Exactly Ltd"].flags
    assert "No category" in everyone["Unknown Exactly Ltd"].flags
    assert everyone["Unknown Exactly Ltd"].tier == "Tier D"


def test_no_notice_when_every_supplier_over_the_threshold_has_a_category(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Cleaner Over Ltd", "2024-05-01", "70000.00", CLEANING_TEXT),
        Pay("Unknown Small Ltd", "2024-05-01", "10.00", UNKNOWN_TEXT),
    )
    response = as_user(app, "viewer.alpha-police@example.org").get(f"{URL}?year=2024-25")
    assert _notice(response) is None


def test_how_ratings_work_says_an_unknown_over_the_threshold_is_tier_a(
    app: Flask, two_bodies: dict
) -> None:
    shown = page(as_user(app, "viewer.alpha-police@example.org").get("/how-ratings-work"))
    rows = {
        tr.select_one("th").get_text(strip=True): [td.get_text(strip=True) for td in tr("td")]
        for tr in shown.select("table:has(#tiers-caption) tbody tr")
    }
    assert rows["Category not known yet"] == ["Tier A", "Tier D"]
    assert "An unknown is never low" in shown.select_one("#needs-a-category").get_text()
