"""GOV.UK form patterns in the assessment pages: every radio and checkbox group has a legend,
every hint a field names exists, and the assess form offers the supplier's own latest year."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

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


def test_the_link_page_offers_the_link_to_select_copy_and_email(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    response = lead.post(
        f"/organisations/alpha-police/suppliers/{supplier}/invite",
        data={
            "financial_year": "2024",
            "questionnaire": "standard",
            "days": "30",
            "contact_email": "sam@sparkle.test",
        },
    )
    soup = page(response)
    field = soup.select_one("input#invitation-link")
    link = field["value"]
    assert link.startswith("http") and "/respond/" in link
    # Without JavaScript the link is text to select; the Copy button waits for app.js.
    assert field.has_attr("readonly")
    assert soup.select_one("label[for=invitation-link]").get_text(strip=True) == "The link"
    button = soup.select_one("button[data-copy-from=invitation-link]")
    assert button.has_attr("hidden") and button["type"] == "button"
    assert soup.find(id=button["data-copy-status"]) is not None
    # The mailto link opens the same message, link included.
    mailto = urlsplit(soup.select_one("a#invitation-mailto")["href"])
    assert (mailto.scheme, unquote(mailto.path)) == ("mailto", "sam@sparkle.test")
    query = parse_qs(mailto.query)
    assert query["subject"] == [
        "Modern slavery questions for Sparkle Cleaning Ltd from Alpha Police"
    ]
    assert link in query["body"][0]
    assert query["body"][0].startswith("Hello,\n\n")
    # The script that shows the button carries the page's CSP nonce.
    script = soup.select_one("script[src$='app.js']")
    policy = response.headers["Content-Security-Policy"]
    assert f"'nonce-{script['nonce']}'" in policy
