"""The body's own assessment of a supplier: questions about the supplier (not to it), one page
per section from a task list, answers kept between sections, each section checked when you
continue, and Submit once every section is complete."""

from __future__ import annotations

from flask import Flask

from tests.conftest import page
from tests.integration.assessment_support import (
    LEAD,
    best_answers,
    definition,
    invite,
    tier_a_supplier,
)
from tests.integration.register_support import as_user, error_messages, main_text
from tisc.rules.questionnaire import Section


def _statuses(client, url: str) -> dict[str, str]:
    soup = page(client.get(url))
    return {
        item.select_one(".govuk-task-list__link").get_text(strip=True): item.select_one(
            ".govuk-task-list__status"
        ).get_text(strip=True)
        for item in soup.select("main .govuk-task-list__item")
    }


def _section_data(section: Section, answers: dict[str, str]) -> dict[str, str]:
    return {f"q-{q.key}": answers[f"q-{q.key}"] for q in section.questions}


def _version(client, url: str) -> str:
    return page(client.get(url)).select_one("main form input[name=version]")["value"]


def test_the_buyer_answers_about_the_supplier_one_section_at_a_time(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    started = lead.post(
        f"/organisations/alpha-police/suppliers/{supplier}/assess",
        data={"financial_year": "2024", "questionnaire": "standard"},
    )
    tasks = started.headers["Location"]
    form = definition(app)
    answers = best_answers(form)
    titles = [s.buyer_title or s.title for s in form.sections]

    # The task list: every section, none started, and no Submit button yet.
    listed = page(lead.get(tasks))
    assert list(_statuses(lead, tasks).items()) == [(t, "Not started") for t in titles]
    assert "The supplier's supply chain" in titles
    assert listed.select_one("main button[name=finish]") is None
    text = main_text(lead.get(tasks))
    assert "30 to 40 minutes" not in text and "You are our" not in text

    # A section's page asks about the supplier, with that section's questions only.
    first, second = form.sections[0], form.sections[1]
    url = f"{tasks}?section={first.key}"
    shown = page(lead.get(url))
    assert shown.select_one("h1").get_text(strip=True) == (first.buyer_title or first.title)
    legends = [legend.get_text(strip=True) for legend in shown.select("main legend")]
    assert legends == [q.buyer_text for q in first.questions]
    assert legends[0] == "Does the supplier have a written policy on modern slavery?"
    supply = page(lead.get(f"{tasks}?section=supply-chain"))
    assert "You are our Tier 1 supplier" not in supply.get_text()
    assert "The supplier is your Tier 1 supplier" in supply.get_text()

    # Continue checks the section: each unanswered question is named; nothing is saved.
    partial = _section_data(first, answers)
    missing = first.questions[1:]
    for question in missing:
        del partial[f"q-{question.key}"]
    refused = lead.post(url, data={**partial, "version": _version(lead, url), "next": "y"})
    assert refused.status_code == 200
    assert error_messages(refused) == [f"Choose an answer to “{q.buyer_text}”" for q in missing]
    assert _statuses(lead, tasks)[titles[0]] == "Not started"

    # Answered, it goes on to the next section; the first is complete.
    done = lead.post(
        url,
        data={
            **_section_data(first, answers),
            "evidence-policy": "Policy seen on their website",
            "version": _version(lead, url),
            "next": "y",
        },
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"?section={second.key}")
    # A draft of the next section, then back to the list: answers are kept between sections.
    url2 = f"{tasks}?section={second.key}"
    one = {f"q-{second.questions[0].key}": answers[f"q-{second.questions[0].key}"]}
    drafted = lead.post(url2, data={**one, "version": _version(lead, url2), "save": "y"})
    assert drafted.status_code == 302 and drafted.headers["Location"].endswith(tasks)
    statuses = _statuses(lead, tasks)
    assert (statuses[titles[0]], statuses[titles[1]]) == ("Completed", "In progress")
    back = page(lead.get(url))
    assert len(back.select("input[type=radio][checked]")) == len(first.questions)
    assert "Policy seen on their website" in back.select_one("textarea[name=evidence-policy]")

    # Every other section answered with Continue: the list offers Submit, which completes it.
    for section in form.sections[1:]:
        address = f"{tasks}?section={section.key}"
        data = {**_section_data(section, answers), "version": _version(lead, address)}
        assert lead.post(address, data={**data, "next": "y"}).status_code == 302
    assert set(_statuses(lead, tasks).values()) == {"Completed"}
    submitted = lead.post(tasks, data={"version": _version(lead, tasks), "finish": "y"})
    assert submitted.status_code == 302
    detail = main_text(lead.get(submitted.headers["Location"]))
    assert "100.0%" in detail
    assert "Policy seen on their website" in detail
    # The answers are listed as the body asked them, about the supplier.
    assert "Does the supplier have a written policy on modern slavery?" in detail
    assert "Does your organisation have" not in detail


def test_the_supplier_still_reads_questions_put_to_it(app: Flask, two_bodies: dict) -> None:
    link, _ = invite(app, tier_a_supplier(app))
    shown = page(app.test_client().get(link))
    legends = [legend.get_text(strip=True) for legend in shown.select("main legend")]
    assert "Does your organisation have a written policy on modern slavery?" in legends
    assert "Does the supplier have a written policy on modern slavery?" not in legends
