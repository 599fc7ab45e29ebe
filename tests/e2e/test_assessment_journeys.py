"""In a real browser: scoring a supplier, a supplier's self-assessment by private link (answered
in a browser with no account, then reviewed and accepted by the lead), and the questionnaire
with the keyboard alone. Every page reached passes axe-core (WCAG 2.2 AA) with no console
errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import PASSWORD, build_two_bodies
from tests.e2e.browser_support import Tab, focused_matches, press, tab_to
from tests.e2e.conftest import Live
from tests.integration.assessment_support import TIER_A, definition, tier_a_supplier
from tests.integration.register_support import HOTEL_TEXT, UNKNOWN_TEXT, Pay, import_payments
from tisc.rules.questionnaire import Definition, score_answers

PROCUREMENT_A = "procurement.alpha-police@example.org"
HOTEL = "Hotel Stay Ltd"  # medium risk, invited to answer for itself
KENNELS = "Kennel Care Ltd"  # no category yet, assessed with the keyboard
REGISTER = "/organisations/alpha-police/suppliers?year=2024-25"


@pytest.fixture(scope="module", autouse=True)
def world(live: Live) -> None:
    build_two_bodies(live.factory)
    tier_a_supplier(live.app)
    import_payments(
        live.app,
        "alpha-police",
        Pay(HOTEL, "12/06/2024", "30000.00", HOTEL_TEXT),
        Pay(KENNELS, "12/07/2024", "900.00", UNKNOWN_TEXT),
        filename="more.csv",
    )


@pytest.fixture(scope="module")
def forms(live: Live) -> dict[str, Definition]:
    return {key: definition(live.app, key) for key in ("standard", "short")}


def choose(form: Definition, weaker: int = 0) -> dict[str, str]:
    """The best answer to every question but the first, which gets its weaker option."""
    chosen = {q.key: q.options[0].key for q in form.questions}
    first = form.questions[0]
    chosen[first.key] = first.options[weaker].key
    return chosen


def percent(form: Definition, answers: dict[str, str]) -> str:
    """The score the rules give these answers, as the pages show it."""
    score = score_answers(form, answers).percent
    assert score is not None and score < 100  # a weaker answer went in
    return f"{score}%"


def tick_answers(tab: Tab, answers: dict[str, str]) -> None:
    for key, option in answers.items():
        tab.page.locator(f"input[name='q-{key}'][value='{option}']").check()


def answer_in_sections(tab: Tab, form: Definition, answers: dict[str, str]) -> None:
    """From the buyer's task list: open the first section, answer each section's questions
    and continue to the next, back to the task list, then submit."""
    first = form.sections[0]
    tab.follow(tab.page.get_by_role("link", name=first.buyer_title or first.title))
    for section in form.sections:
        assert tab.h1() == (section.buyer_title or section.title)
        tick_answers(tab, {q.key: answers[q.key] for q in section.questions})
        tab.follow(tab.page.get_by_role("button", name="Save and continue"))
    statuses = tab.page.locator(".govuk-task-list__status").all_inner_texts()
    assert [s.strip() for s in statuses] == ["Completed"] * len(form.sections)
    tab.follow(tab.page.get_by_role("button", name="Submit the assessment"))


def open_supplier(tab: Tab, name: str) -> None:
    tab.go(REGISTER)
    tab.follow(tab.page.get_by_role("link", name=name, exact=True))
    assert tab.h1() == name


def test_score_a_supplier(new_tab: Callable[[], Tab], forms: dict[str, Definition]) -> None:
    standard = forms["standard"]
    answers = choose(standard, weaker=1)
    weak = standard.questions[0].options[1]
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_A, PASSWORD)
    open_supplier(tab, TIER_A)
    tab.follow(tab.page.get_by_role("button", name="Assess this supplier"))
    assert tab.page.get_by_label("2024/25").is_checked()
    assert tab.page.get_by_label("Standard form").is_checked()
    tab.follow(tab.page.get_by_role("button", name="Start the assessment"))
    assert tab.h1() == f"Assess {TIER_A}"
    answer_in_sections(tab, standard, answers)
    assert tab.banner() == f"The assessment of {TIER_A} is complete"
    assert tab.summary_list()["Status"].startswith("Complete")
    score = tab.page.locator("h2:text-is('Score') + p")
    assert score.inner_text() == percent(standard, answers)
    rating = tab.page.locator("h2:text-is('Residual rating') + p .govuk-tag")
    assert rating.inner_text() == "Green"  # high risk starts red; 80% or more is two steps
    recommendations = tab.page.locator("table", has_text="Recommendation").inner_text()
    assert weak.recommendation in " ".join(recommendations.split())


def test_supplier_self_assessment_by_link(
    new_tab: Callable[[], Tab], forms: dict[str, Definition]
) -> None:
    short = forms["short"]
    lead = new_tab()
    lead.sign_in_behind_the_scenes(PROCUREMENT_A, PASSWORD)
    open_supplier(lead, HOTEL)
    lead.follow(lead.page.get_by_role("button", name="Invite the supplier to answer"))
    lead.page.get_by_label("Short form for small suppliers and charities").check()
    lead.page.get_by_label("Contact name (optional)").fill("Ann Hotelier")
    lead.page.get_by_label("Contact email address (optional)").fill("ann@hotel.example")
    lead.follow(lead.page.get_by_role("button", name="Create the link"))
    assert lead.h1() == "Send the link to the supplier"
    link = lead.page.locator("#invitation-link").input_value().strip()
    assert link.startswith(f"{lead.base_url}/respond/")
    # app.js shows the Copy button (hidden without JavaScript) and says what it did.
    copy = lead.page.get_by_role("button", name="Copy the link")
    assert copy.is_visible()
    copy.click()
    status = lead.page.locator("#invitation-link-copied")
    status.filter(has_text="The link").wait_for()
    assert status.inner_text().startswith("The link has been copied")
    mailto = lead.page.get_by_role("link", name="Write the email in your email app")
    assert mailto.get_attribute("href").startswith("mailto:ann@hotel.example?subject=")
    lead.follow(lead.page.get_by_role("button", name="I have sent it"))
    assert lead.banner() == f"The invitation to {HOTEL} is marked as sent"

    # The supplier: another browser, no account, only the link.
    supplier = new_tab()
    assert supplier.page.goto(link).ok
    supplier.check()
    assert supplier.h1() == short.title
    answers = choose(short, weaker=2)
    tick_answers(supplier, answers)
    supplier.follow(supplier.page.get_by_role("button", name="Save and check your answers"))
    assert supplier.h1() == "Check your answers before sending them"
    shown = supplier.summary_list()
    for question in short.questions:
        assert shown[question.text].startswith(question.option(answers[question.key]).label)

    # A Change link leads back to the question; a different answer shows on the check page.
    first = short.questions[0]
    supplier.follow(supplier.page.get_by_role("link", name=f"Change your answer to “{first.text}”"))
    assert supplier.h1() == short.title
    answers[first.key] = first.options[1].key
    tick_answers(supplier, {first.key: answers[first.key]})
    supplier.follow(supplier.page.get_by_role("button", name="Save and check your answers"))
    assert supplier.h1() == "Check your answers before sending them"
    assert supplier.summary_list()[first.text].startswith(first.options[1].label)
    assert f"Your score is {percent(short, answers)}" in supplier.main_text()
    weak = first.options[1]
    assert weak.recommendation in supplier.main_text()
    supplier.page.get_by_label("Your name").fill("Ann Hotelier")
    supplier.page.get_by_label("Your job title (optional)").fill("Director")
    supplier.page.get_by_label("I have read the recommendations").check()
    supplier.follow(supplier.page.get_by_role("button", name="Send my answers"))
    assert supplier.h1() == "Your answers have been sent"

    # The lead reviews and accepts.
    lead.go("/organisations/alpha-police/assessments")
    assert "1 self-assessment is waiting for your review" in lead.main_text()
    lead.follow(lead.page.get_by_role("link", name=HOTEL))
    details = lead.summary_list()
    assert details["Status"] == "Awaiting review"
    assert details["Answered by"] == "Supplier self-assessment: Ann Hotelier, Director"
    lead.follow(lead.page.get_by_role("button", name="Accept the assessment"))
    assert lead.summary_list()["Status"].startswith("Complete")
    score = lead.page.locator("h2:text-is('Score') + p")
    assert score.inner_text() == percent(short, answers)


def test_the_questionnaire_with_the_keyboard_alone(
    new_tab: Callable[[], Tab], forms: dict[str, Definition]
) -> None:
    """Start and answer the short form with Tab, arrow keys, Space, Enter and typing only."""
    short = forms["short"]
    tab = new_tab()
    tab.sign_in_behind_the_scenes(PROCUREMENT_A, PASSWORD)
    open_supplier(tab, KENNELS)
    page = tab.page

    tab_to(page, page.get_by_role("button", name="Assess this supplier"))
    tab.press_to_next_page("Enter")
    # Into the year (its checked radio takes the focus), on to the form, then down to "short".
    tab_to(page, "input[name=financial_year]:checked")
    state = press(page, "Tab")
    assert state["name"] == "questionnaire" and focused_matches(page, "[value=standard]")
    press(page, "ArrowDown")
    assert page.get_by_label("Short form for small suppliers and charities").is_checked()
    tab_to(page, "[name=submit]", limit=3)
    tab.press_to_next_page("Enter")
    assert tab.h1() == f"Assess {KENNELS}"

    # The task list: Tab to the first section and open it.
    sections = short.sections
    tab_to(page, page.get_by_role("link", name=sections[0].buyer_title or sections[0].title))
    tab.press_to_next_page("Enter")

    # Continuing with nothing answered: the error summary takes the focus, and its link leads
    # to the first question.
    first = sections[0].questions[0]
    tab_to(page, "[name=next]")
    tab.press_to_next_page("Enter")
    assert focused_matches(page, ".govuk-error-summary")
    assert press(page, "Tab")["text"] == f"Choose an answer to “{first.buyer_text}”"
    page.keyboard.press("Enter")
    assert focused_matches(page, f"input[name='q-{first.key}']")

    answers = choose(short, weaker=1)
    evidence = "Policy approved by the board in May 2024"
    for section in sections:
        assert tab.h1() == (section.buyer_title or section.title)
        for question in section.questions:
            # Tab enters a group with nothing chosen on its first option; Space chooses it,
            # and an arrow key moves the choice down.
            if not focused_matches(page, f"input[name='q-{question.key}']"):
                tab_to(page, f"input[name='q-{question.key}']")
            press(page, "Space")
            steps = [o.key for o in question.options].index(answers[question.key])
            for _ in range(steps):
                press(page, "ArrowDown")
            assert (
                page.locator(f"input[name='q-{question.key}']:checked").get_attribute("value")
                == answers[question.key]
            )
            if question is first:
                # The evidence is behind a "details" summary: Enter opens it, then type.
                press(page, "Tab")
                assert focused_matches(page, "summary")
                press(page, "Enter")
                tab_to(page, f"textarea[name='evidence-{question.key}']", limit=2)
                page.keyboard.type(evidence)
        tab_to(page, "[name=next]", limit=5)
        tab.press_to_next_page("Enter")
    # Every section done: back on the task list, Submit completes the assessment.
    tab_to(page, "[name=finish]")
    tab.press_to_next_page("Enter")
    assert tab.banner() == f"The assessment of {KENNELS} is complete"
    assert page.locator("h2:text-is('Score') + p").inner_text() == percent(short, answers)
    assert evidence in tab.main_text()
