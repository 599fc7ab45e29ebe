""" "Are you sure?" pages in front of destructive actions: archiving a supplier, removing a
finance-category mapping, taking a role away, cancelling an assessment and withdrawing a
statement template. For each: the GET shows the question and, from the records, what will
happen; a POST without confirmed=yes changes nothing and shows the same page; a POST with it
does the action; another body's record is no such page."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import page
from tests.fixtures.templates.builders import docx_bytes
from tests.integration.assessment_support import best_answers, definition, tier_a_supplier
from tests.integration.register_support import (
    UNKNOWN_TEXT,
    Pay,
    as_user,
    banner,
    category_id,
    import_payments,
    main_text,
    snapshot,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import (
    AssessmentAnswer,
    AssessmentStatus,
    Membership,
    Role,
    Statement,
    StatementTemplate,
    Supplier,
    SupplierAssessment,
)
from tisc.services.accounts import organisations, users
from tisc.services.statements import templates as statement_templates
from tisc.services.statements.documents import generate_statement_document

ALPHA = "/organisations/alpha-police"
BETA = "/organisations/beta-opcc"
LEAD = "procurement.alpha-police@example.org"
BETA_LEAD = "procurement.beta-opcc@example.org"
ADMIN = "admin@example.org"
CONFIRMED = {"confirmed": "yes"}


def heading(response: Any) -> str:
    return page(response).select_one("h1").get_text(strip=True)


def confirmation_form(response: Any) -> dict[str, str]:
    """The hidden fields of the confirmation page's form (what its button sends)."""
    form = page(response).select_one("main form")
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


# --- archiving a supplier -------------------------------------------------------------------


@pytest.fixture
def acme(app: Flask, two_bodies: dict) -> int:
    """Acme Ltd in alpha-police's register: 3 payments over 2 financial years, £3,510.50."""
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Ltd", "2023-05-01", "1000.00"),
        Pay("Acme Ltd", "2024-05-01", "2500.50"),
        Pay("Acme Ltd", "2024-06-01", "10.00"),
        Pay("Stays Ltd", "2024-05-01", "5.00"),
    )
    return supplier_id(app, "alpha-police", "Acme Ltd")


def archived_at(app: Flask, sid: int) -> Any:
    with app.app_context():
        return db.session.get(Supplier, sid).archived_at


def test_archiving_a_supplier_asks_first_with_its_payments(app: Flask, acme: int) -> None:
    client = as_user(app, LEAD)
    url = f"{ALPHA}/suppliers/{acme}/archive"
    link = page(client.get(f"{ALPHA}/suppliers/{acme}")).select_one(f"main a[href='{url}']")
    assert link.get_text(strip=True) == "Archive supplier"

    shown = client.get(url)

    assert shown.status_code == 200
    assert heading(shown) == "Are you sure you want to archive Acme Ltd?"
    text = main_text(shown)
    assert "hidden from the supplier register" in text
    assert "the due diligence list of tier A and B suppliers" in text
    assert "Its 3 payments over 2 financial years, totalling £3,510.50," in text
    assert "choose Restore supplier on its page" in text
    assert confirmation_form(shown)["archived"] == "yes"
    assert confirmation_form(shown)["confirmed"] == "yes"
    assert archived_at(app, acme) is None


def test_archiving_without_confirmation_changes_nothing(app: Flask, acme: int) -> None:
    client = as_user(app, LEAD)
    before = snapshot(app)

    response = client.post(f"{ALPHA}/suppliers/{acme}/archive", data={"archived": "yes"})

    assert response.status_code == 200
    assert heading(response) == "Are you sure you want to archive Acme Ltd?"
    assert snapshot(app) == before
    assert archived_at(app, acme) is None


def test_archiving_once_confirmed_archives_and_restoring_needs_no_confirmation(
    app: Flask, acme: int
) -> None:
    client = as_user(app, LEAD)
    url = f"{ALPHA}/suppliers/{acme}/archive"

    response = client.post(url, data=confirmation_form(client.get(url)))

    assert response.headers["Location"] == f"{ALPHA}/suppliers/{acme}"
    assert banner(client.get(response.headers["Location"])) == "Acme Ltd has been archived"
    assert archived_at(app, acme) is not None
    restored = client.post(url, data={"archived": "no"})
    assert restored.status_code == 302
    assert archived_at(app, acme) is None


def test_archiving_another_bodys_supplier_is_no_such_page(app: Flask, acme: int) -> None:
    import_payments(app, "beta-opcc", Pay("Beta Only Ltd", "2024-05-01", "7.00"), filename="b.csv")
    theirs = supplier_id(app, "beta-opcc", "Beta Only Ltd")
    client = as_user(app, LEAD)
    assert client.get(f"{ALPHA}/suppliers/{theirs}/archive").status_code == 404
    assert client.get(f"{BETA}/suppliers/{theirs}/archive").status_code == 404


# --- removing a finance-category mapping ---------------------------------------------------


def _map(app: Flask, slug: str, email: str) -> int:
    """Map UNKNOWN_TEXT to Waste and recycling as the body's lead; the mapping's id."""
    client = as_user(app, email)
    mapped = client.post(
        f"/organisations/{slug}/finance-categories",
        data={
            "category_text": UNKNOWN_TEXT,
            "category_id": category_id(app, "Waste and recycling"),
        },
    )
    assert mapped.status_code == 302
    html = page(client.get(f"/organisations/{slug}/finance-categories"))
    return int(html.select_one("main table a[href$='/remove']")["href"].split("/")[-2])


@pytest.fixture
def mapping(app: Flask, two_bodies: dict) -> int:
    """Two of alpha-police's suppliers follow its mapping of UNKNOWN_TEXT; one does not."""
    import_payments(
        app,
        "alpha-police",
        Pay("Kennel One Ltd", "2024-05-01", "10.00", UNKNOWN_TEXT),
        Pay("Kennel Two Ltd", "2024-05-01", "20.00", UNKNOWN_TEXT.lower()),
        Pay("Elsewhere Ltd", "2024-05-01", "30.00", "ZZ MISC"),
    )
    return _map(app, "alpha-police", LEAD)


def category_of(app: Flask, name: str) -> str:
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        supplier = db.session.scalar(
            select(Supplier).where(Supplier.organisation_id == org.id, Supplier.name == name)
        )
        return supplier.category_source.value


def test_removing_a_mapping_asks_first_with_the_suppliers_that_follow_it(
    app: Flask, mapping: int
) -> None:
    client = as_user(app, LEAD)

    shown = client.get(f"{ALPHA}/finance-categories/{mapping}/remove")

    assert shown.status_code == 200
    assert heading(shown) == f"Are you sure you want to remove the mapping for “{UNKNOWN_TEXT}”?"
    text = main_text(shown)
    assert f"“{UNKNOWN_TEXT}” is mapped to Waste and recycling (High risk)." in text
    assert "2 suppliers take their category from this mapping now." in text
    assert "Suppliers whose category was chosen by hand keep it." in text


def test_removing_a_mapping_without_confirmation_changes_nothing(app: Flask, mapping: int) -> None:
    client = as_user(app, LEAD)
    before = snapshot(app)

    response = client.post(f"{ALPHA}/finance-categories/{mapping}/remove")

    assert response.status_code == 200
    assert heading(response).startswith("Are you sure you want to remove the mapping")
    assert snapshot(app) == before
    assert category_of(app, "Kennel One Ltd") == "mapping"


def test_removing_a_mapping_once_confirmed_removes_it(app: Flask, mapping: int) -> None:
    client = as_user(app, LEAD)

    url = f"{ALPHA}/finance-categories/{mapping}/remove"
    response = client.post(url, data=confirmation_form(client.get(url)))

    assert response.headers["Location"] == f"{ALPHA}/finance-categories"
    assert banner(client.get(response.headers["Location"])) == "The mapping has been removed"
    assert category_of(app, "Kennel One Ltd") == "none"
    assert category_of(app, "Kennel Two Ltd") == "none"


def test_removing_another_bodys_mapping_is_no_such_page(app: Flask, mapping: int) -> None:
    import_payments(
        app, "beta-opcc", Pay("Beta Kennel Ltd", "2024-05-01", "5.00", UNKNOWN_TEXT), filename="b"
    )
    theirs = _map(app, "beta-opcc", BETA_LEAD)
    client = as_user(app, LEAD)
    assert client.get(f"{ALPHA}/finance-categories/{theirs}/remove").status_code == 404


# --- taking a role away ---------------------------------------------------------------------


def memberships(app: Flask, email: str) -> dict[Role, int]:
    """The person's user id under None, and each of their roles' membership ids."""
    with app.app_context():
        user = users.find_user(email=email)
        return {None: user.id, **{m.role: m.id for m in user.memberships}}  # type: ignore[dict-item]


def roles_of(app: Flask, user_id: int) -> set[Role]:
    with app.app_context():
        found = select(Membership.role).where(Membership.user_id == user_id)
        return set(db.session.scalars(found))


def test_removing_a_role_asks_first_and_says_what_they_lose(app: Flask, two_bodies: dict) -> None:
    lead = memberships(app, LEAD)
    client = as_user(app, ADMIN)
    url = f"/admin/users/{lead[None]}/roles/{lead[Role.PROCUREMENT]}/remove"
    links = page(client.get(f"/admin/users/{lead[None]}")).select("main table a[href$='/remove']")
    assert [a["href"] for a in links] == [url]

    shown = client.get(url)

    assert shown.status_code == 200
    assert heading(shown) == (
        "Are you sure you want to remove the Procurement lead role from Test Person?"
    )
    text = main_text(shown)
    assert f"Test Person ({LEAD}) will lose the role Procurement lead in Alpha Police." in text
    assert "It is their only role: they will still be able to sign in, but will see nothing" in text
    assert "In Alpha Police they will no longer be able to:" in text
    lost = [li.get_text(strip=True) for li in page(shown).select("#lost li")]
    assert lost == [
        "see the body's register, assessments, due diligence, action plan and statement",
        "import spend, change suppliers and record assessments and due diligence",
        "read and record the body's incidents of forced labour and their remediation",
    ]


def test_a_role_whose_rights_another_role_keeps_loses_only_the_rest(
    app: Flask, two_bodies: dict
) -> None:
    viewer = memberships(app, "viewer.alpha-police@example.org")
    client = as_user(app, ADMIN)
    added = client.post(
        f"/admin/users/{viewer[None]}/roles",
        data={"role-role": "statement", "role-scope": "organisation:alpha-police"},
    )
    assert added.status_code == 302
    both = memberships(app, "viewer.alpha-police@example.org")

    statement = client.get(f"/admin/users/{both[None]}/roles/{both[Role.STATEMENT]}/remove")
    viewing = client.get(f"/admin/users/{both[None]}/roles/{both[Role.VIEWER]}/remove")

    assert [li.get_text(strip=True) for li in page(statement).select("#lost li")] == [
        "change the action plan, training records and the statement",
        "read and record the body's incidents of forced labour and their remediation",
    ]
    assert "They keep their other role: Viewer (Alpha Police)." in main_text(statement)
    assert page(viewing).select("#lost li") == []
    assert "Their other roles there still let them do everything this role allows." in main_text(
        viewing
    )


def test_removing_a_role_without_confirmation_changes_nothing(app: Flask, two_bodies: dict) -> None:
    lead = memberships(app, LEAD)
    client = as_user(app, ADMIN)

    response = client.post(f"/admin/users/{lead[None]}/roles/{lead[Role.PROCUREMENT]}/remove")

    assert response.status_code == 200
    assert heading(response).startswith("Are you sure you want to remove the Procurement lead")
    assert roles_of(app, lead[None]) == {Role.PROCUREMENT}


def test_removing_a_role_once_confirmed_removes_it(app: Flask, two_bodies: dict) -> None:
    lead = memberships(app, LEAD)
    client = as_user(app, ADMIN)

    url = f"/admin/users/{lead[None]}/roles/{lead[Role.PROCUREMENT]}/remove"
    response = client.post(url, data=confirmation_form(client.get(url)))

    assert response.headers["Location"] == f"/admin/users/{lead[None]}"
    assert banner(client.get(response.headers["Location"])) == "The role has been removed"
    assert roles_of(app, lead[None]) == set()


def test_removing_another_persons_role_is_no_such_page(app: Flask, two_bodies: dict) -> None:
    lead, beta = memberships(app, LEAD), memberships(app, BETA_LEAD)
    client = as_user(app, ADMIN)
    other = f"/admin/users/{lead[None]}/roles/{beta[Role.PROCUREMENT]}/remove"
    assert client.get(other).status_code == 404
    assert as_user(app, LEAD).get(other).status_code == 403


# --- cancelling an assessment ---------------------------------------------------------------


def _draft(app: Flask, org_slug: str, email: str, answered: int) -> int:
    """A draft assessment of the body's tier A supplier for 2024/25 with some answers; its id."""
    supplier = tier_a_supplier(app, org_slug)
    client = as_user(app, email)
    started = client.post(
        f"/organisations/{org_slug}/suppliers/{supplier}/assess",
        data={"financial_year": "2024", "questionnaire": "standard"},
    )
    answer_url = started.headers["Location"]
    answers = dict(list(best_answers(definition(app)).items())[:answered])
    saved = client.post(answer_url, data={**answers, "version": "1", "save": "y"})
    assert saved.status_code == 302
    return int(answer_url.split("/")[-2])


@pytest.fixture
def draft(app: Flask, two_bodies: dict) -> int:
    return _draft(app, "alpha-police", LEAD, answered=3)


def assessment_state(app: Flask, assessment_id: int) -> tuple[AssessmentStatus, int]:
    with app.app_context():
        found = db.session.get(SupplierAssessment, assessment_id)
        answers = select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == found.id)
        return found.status, len(db.session.scalars(answers).all())


def test_cancelling_an_assessment_asks_first_with_its_supplier_year_and_answers(
    app: Flask, draft: int
) -> None:
    client = as_user(app, LEAD)
    url = f"{ALPHA}/assessments/{draft}/cancel"
    link = page(client.get(f"{ALPHA}/assessments/{draft}")).select_one(f"main a[href='{url}']")
    assert link.get_text(strip=True) == "Cancel the assessment"

    shown = client.get(url)

    assert shown.status_code == 200
    assert (
        heading(shown) == "Are you sure you want to cancel the assessment of Sparkle Cleaning Ltd?"
    )
    text = main_text(shown)
    assert "The assessment of Sparkle Cleaning Ltd for 2024/25" in text
    assert "is draft." in text
    assert "Its 3 answers are kept with the cancelled assessment, but it will not be scored" in text
    assert "start a new assessment of Sparkle Cleaning Ltd for 2024/25 instead" in text
    with app.app_context():
        version = db.session.get(SupplierAssessment, draft).version_id
    assert confirmation_form(shown)["version"] == str(version)
    assert assessment_state(app, draft) == (AssessmentStatus.DRAFT, 3)


def test_cancelling_without_confirmation_changes_nothing(app: Flask, draft: int) -> None:
    client = as_user(app, LEAD)
    with app.app_context():
        version = db.session.get(SupplierAssessment, draft).version_id

    response = client.post(f"{ALPHA}/assessments/{draft}/cancel", data={"version": version})

    assert response.status_code == 200
    assert heading(response).startswith("Are you sure you want to cancel the assessment")
    assert assessment_state(app, draft) == (AssessmentStatus.DRAFT, 3)


def test_cancelling_once_confirmed_cancels_and_keeps_the_answers(app: Flask, draft: int) -> None:
    client = as_user(app, LEAD)
    url = f"{ALPHA}/assessments/{draft}/cancel"

    response = client.post(url, data=confirmation_form(client.get(url)))

    assert response.headers["Location"] == f"{ALPHA}/assessments/{draft}"
    assert banner(client.get(response.headers["Location"])) == (
        "The assessment of Sparkle Cleaning Ltd has been cancelled"
    )
    assert assessment_state(app, draft) == (AssessmentStatus.CANCELLED, 3)


def test_cancelling_another_bodys_assessment_is_no_such_page(app: Flask, draft: int) -> None:
    theirs = _draft(app, "beta-opcc", BETA_LEAD, answered=1)
    client = as_user(app, LEAD)
    assert client.get(f"{ALPHA}/assessments/{theirs}/cancel").status_code == 404
    assert client.get(f"{BETA}/assessments/{theirs}/cancel").status_code == 404
    viewer = as_user(app, "viewer.alpha-police@example.org")
    assert viewer.get(f"{ALPHA}/assessments/{draft}/cancel").status_code == 403


# --- withdrawing a statement template -------------------------------------------------------


@pytest.fixture
def template(app: Flask, statement: int) -> int:
    """An uploaded template that two of north-east's statement documents were made with."""
    with app.app_context():
        made = statement_templates.upload_template(
            name="Plain", file_name="plain.docx", data=docx_bytes("{{ title }}"), user=None
        )
        db.session.commit()
        found = db.session.get(Statement, statement)
        for _ in range(2):
            generate_statement_document(statement=found, user=None, template=made)
        db.session.commit()
        return made.id


def is_active(app: Flask, template_id: int) -> bool:
    with app.app_context():
        return db.session.get(StatementTemplate, template_id).active


def test_withdrawing_a_template_asks_first_and_says_documents_are_kept(
    app: Flask, template: int
) -> None:
    client = as_user(app, ADMIN)
    url = f"/admin/statement-templates/{template}/deactivate"
    links = page(client.get("/admin/statement-templates/")).select(f"main a[href='{url}']")
    assert len(links) == 1

    shown = client.get(url)

    assert shown.status_code == 200
    assert heading(shown) == "Are you sure you want to withdraw Plain?"
    text = main_text(shown)
    assert "so new documents will not use it" in text
    assert (
        "The 2 statement documents already made with it are kept exactly as they were made" in text
    )


def test_withdrawing_without_confirmation_changes_nothing(app: Flask, template: int) -> None:
    client = as_user(app, ADMIN)

    response = client.post(f"/admin/statement-templates/{template}/deactivate")

    assert response.status_code == 200
    assert heading(response) == "Are you sure you want to withdraw Plain?"
    assert is_active(app, template)


def test_withdrawing_once_confirmed_stops_offering_it(app: Flask, template: int) -> None:
    client = as_user(app, ADMIN)

    url = f"/admin/statement-templates/{template}/deactivate"
    response = client.post(url, data=confirmation_form(client.get(url)))

    assert response.headers["Location"] == "/admin/statement-templates/"
    assert banner(client.get(response.headers["Location"])) == "Plain will no longer be offered"
    assert not is_active(app, template)


def test_withdrawing_a_template_that_is_not_there_is_no_such_page(
    app: Flask, template: int
) -> None:
    assert as_user(app, ADMIN).get("/admin/statement-templates/99999/deactivate").status_code == 404
    lead = as_user(app, LEAD)
    assert lead.get(f"/admin/statement-templates/{template}/deactivate").status_code == 403
    assert lead.post(f"/admin/statement-templates/{template}/deactivate").status_code == 403


# --- read-only roles -------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["viewer.alpha-police@example.org", "board@example.org"])
def test_read_only_roles_cannot_open_or_send_a_confirmation(
    app: Flask, acme: int, email: str
) -> None:
    client: FlaskClient = as_user(app, email)
    url = f"{ALPHA}/suppliers/{acme}/archive"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"archived": "yes", **CONFIRMED}).status_code == 403
    assert archived_at(app, acme) is None
