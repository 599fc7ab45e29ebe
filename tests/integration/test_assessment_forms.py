"""GOV.UK form patterns in the assessment pages: every radio and checkbox group has a legend,
every hint a field names exists, and the assess form offers the supplier's own latest year."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask

from tests.conftest import page
from tests.integration.assessment_support import (
    LEAD,
    best_answers,
    definition,
    hidden,
    invite,
    tier_a_supplier,
)
from tests.integration.register_support import (
    CLEANING_TEXT,
    Pay,
    as_user,
    import_payments,
    supplier_id,
)


def form_problems(soup: BeautifulSoup) -> list[str]:
    """Radios and checkboxes outside a fieldset with a legend, and described-by ids that do
    not exist or name an empty element."""
    problems = []
    main = soup.select_one("main")
    for box in main.select("input[type=radio], input[type=checkbox]"):
        fieldset = box.find_parent("fieldset")
        legend = fieldset.find("legend") if fieldset else None
        if box["type"] == "checkbox" and len(main.select(f"input[name='{box['name']}']")) == 1:
            continue  # a single checkbox is its own question, labelled by its label
        if legend is None or not legend.get_text(strip=True):
            problems.append(f"{box['name']} has no legend")
    for element in main.select("[aria-describedby]"):
        for target in element["aria-describedby"].split():
            found = soup.find(id=target)
            if found is None or not found.get_text(strip=True):
                problems.append(f"{element.get('id') or element.name} points at empty {target}")
    return sorted(set(problems))


def test_every_choice_in_the_assessment_pages_has_a_legend_and_real_hints(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    pages = {
        "assess": f"/organisations/alpha-police/suppliers/{supplier}/assess",
        "invite": f"/organisations/alpha-police/suppliers/{supplier}/invite",
    }
    for name, url in pages.items():
        soup = page(lead.get(url))
        assert form_problems(soup) == [], name
        legends = [legend.get_text(strip=True) for legend in soup.select("main legend")]
        assert "Which financial year is the assessment for?" in legends, name
        assert "Which form?" in legends, name
    started = lead.post(pages["assess"], data={"financial_year": "2025", "questionnaire": "short"})
    answers_url = started.headers["Location"]
    assert form_problems(page(lead.get(answers_url))) == []

    link, _ = invite(app, supplier)
    visitor = app.test_client()
    assert form_problems(page(visitor.get(link))) == []
    answers = best_answers(definition(app))
    visitor.post(link, data={**answers, **hidden(visitor, link), "finish": "y"})
    assert form_problems(page(visitor.get(link + "/check"))) == []


def test_the_assess_form_offers_the_latest_year_the_supplier_was_paid(
    app: Flask, two_bodies: dict
) -> None:
    tier_a_supplier(app)  # the body's spend is in 2024/25
    import_payments(
        app,
        "alpha-police",
        Pay("Old Mops Ltd", "10/05/2022", "900.00", CLEANING_TEXT),
        filename="old.csv",
    )
    old = supplier_id(app, "alpha-police", "Old Mops Ltd")
    lead = as_user(app, LEAD)
    for action in ("assess", "invite"):
        soup = page(lead.get(f"/organisations/alpha-police/suppliers/{old}/{action}"))
        chosen = soup.select_one("input[name=financial_year][checked]")
        assert chosen["value"] == "2022", action
        labels = [label.get_text(strip=True) for label in soup.select("main .govuk-radios__label")]
        assert "2022/23" in labels and "2024/25" in labels
