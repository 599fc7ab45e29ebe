"""Every kind of change writes an audit event with who, where, what, before and after."""

from __future__ import annotations

import re

from flask import Flask

from tests.conftest import PASSWORD, page
from tests.fixtures.templates.builders import docx_bytes
from tests.integration.assessment_support import best_answers, definition, tier_a_supplier
from tests.integration.audit_support import (
    LEAD,
    all_text,
    events,
    last_id,
    one,
    org_id,
    partnership_id,
    user_id,
)
from tests.integration.plan_support import add_item, add_training, start, this_year, update
from tests.integration.register_support import (
    CLEANING_TEXT,
    Pay,
    as_user,
    error_messages,
    import_payments,
    supplier_id,
)
from tests.integration.statement_support import create, section, set_text
from tisc.extensions import db
from tisc.models import Invitation, PersonalPayee, SpendLine, Supplier
from tisc.services.accounts import organisations
from tisc.services.errors import DomainError
from tisc.services.imports import history as import_history
from tisc.services.plans import training
from tisc.services.register import payees
from tisc.services.statements import templates as statement_templates

NEW_PASSWORD = "quartz meadow lantern violin"


def test_a_person_editing_a_supplier_is_recorded_with_the_change(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(app, "alpha-police", Pay("Acme Cleaning", "10/05/2024", "100.00"))
    sid = supplier_id(app, "alpha-police", "Acme Cleaning")
    mark = last_id(app)
    lead = as_user(app, LEAD)
    url = f"/organisations/alpha-police/suppliers/{sid}/edit"
    html = page(lead.get(url))
    response = lead.post(
        url,
        data={
            "name": "Acme Cleaning Services",
            "company_number": "",
            "category_id": "",
            "notes": "Met them in May",
            "version": html.select_one("input[name=version]")["value"],
        },
    )
    assert response.status_code == 302, error_messages(response)
    event = one(app, after=mark, record_type="suppliers")
    assert (event["action"], event["record_id"]) == ("update", str(sid))
    assert (event["actor_user_id"], event["actor_label"]) == (user_id(app, LEAD), LEAD)
    assert (event["organisation_id"], event["partnership_id"]) == (
        org_id(app, "alpha-police"),
        None,
    )
    assert event["before"]["name"] == "Acme Cleaning" and event["before"]["notes"] is None
    assert event["after"]["name"] == "Acme Cleaning Services"
    assert event["after"]["notes"] == "Met them in May"
    assert "version_id" not in event["after"] and "updated_at" not in event["after"]
    assert "name" in event["summary"] and "Acme Cleaning Services" in event["summary"]


def test_an_import_is_one_event_with_its_figures_not_one_per_line(
    app: Flask, two_bodies: dict
) -> None:
    mark = last_id(app)
    payments = [Pay(f"Supplier {n}", "10/05/2024", "10.50", CLEANING_TEXT) for n in range(40)]
    summary = import_payments(app, "alpha-police", *payments, filename="may.csv")
    imported = one(app, after=mark, action="import")
    assert imported["record_type"] == "spend_imports"
    assert imported["record_id"] == str(summary.import_id)
    assert imported["organisation_id"] == org_id(app, "alpha-police")
    assert imported["after"]["file_name"] == "may.csv"
    assert imported["after"]["imported"] == 40 and imported["after"]["suppliers_created"] == 40
    assert imported["after"]["total_imported"] == "420.00"
    assert '"may.csv"' in imported["summary"] and "40 of 40 rows" in imported["summary"]
    # Forty suppliers and lines came in, yet only the import and their categories are events.
    assert [e["action"] for e in events(app, after=mark)] == ["categorise", "import"]

    mark = last_id(app)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        record = import_history.get_import(org=org, import_id=summary.import_id)
        import_history.undo_import(org=org, record=record, user=None)
        db.session.commit()
        assert db.session.query(SpendLine).count() == 0
    undone = one(app, after=mark, action="undo")
    assert undone["before"] == {"status": "completed"}
    assert undone["after"]["spend_lines_removed"] == 40
    assert undone["after"]["suppliers_removed"] == 40


def test_the_command_line_is_named_as_the_actor(app: Flask, two_bodies: dict, tmp_path) -> None:
    export = tmp_path / "june.csv"
    export.write_text("Supplier Name,Payment Date,Amount\nBrightway Ltd,01/06/2024,99.00\n")
    result = app.test_cli_runner().invoke(args=["import-spend", str(export), "--org", "beta-opcc"])
    assert result.exit_code == 0, result.output
    event = one(app, action="import")
    assert (event["actor_label"], event["actor_user_id"]) == ("command line: import-spend", None)
    assert event["organisation_id"] == org_id(app, "beta-opcc")
    mark = last_id(app)
    result = app.test_cli_runner().invoke(
        args=[
            "create-org",
            "--slug",
            "delta-police",
            "--name",
            "Delta",
            "--kind",
            "force",
            "--partnership",
            "north-east",
        ]
    )
    assert result.exit_code == 0, result.output
    created = one(app, after=mark, record_type="organisations", action="create")
    assert created["actor_label"] == "command line: create-org"
    assert created["after"]["slug"] == "delta-police"
    assert created["after"]["partnerships"] == [partnership_id(app, "north-east")]
    assert created["organisation_id"] == org_id(app, "delta-police")


def test_users_memberships_and_passwords_are_recorded_without_any_secret(
    app: Flask, client, two_bodies: dict
) -> None:
    admin = as_user(app, "admin@example.org")
    mark = last_id(app)
    # The admin types no password (issue 14): the person creates theirs from a one-time link.
    response = admin.post(
        "/admin/users/new",
        data={
            "email": "new.person@example.org",
            "name": "New Person",
            "role": "viewer",
            "scope": "organisation:alpha-police",
        },
    )
    assert response.status_code == 200, error_messages(response)
    link = page(response).select_one("#password-link").get_text(strip=True)
    new_id = user_id(app, "new.person@example.org")
    created = one(app, record_type="users", record_id=str(new_id))
    assert created["actor_label"] == "admin@example.org"
    assert created["after"]["password_hash"] == "(set)"
    membership = one(app, record_type="memberships", action="create", after=mark)
    assert membership["after"]["role"] == "viewer"
    assert membership["organisation_id"] == org_id(app, "alpha-police")

    mark = last_id(app)
    chosen = app.test_client().post(
        link.removeprefix("http://localhost"),
        data={"password": PASSWORD, "confirm_password": PASSWORD},
    )
    assert chosen.status_code == 302, error_messages(chosen)
    event = one(app, after=mark, record_type="users")
    assert event["actor_user_id"] == new_id
    assert event["actor_label"] == "new.person@example.org"  # by their link, not signed in
    assert event["after"] == {"password_hash": "(changed)"}

    mark = last_id(app)
    person = as_user(app, "new.person@example.org")
    changed = person.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302, error_messages(changed)
    event = one(app, after=mark, record_type="users")
    assert event["actor_label"] == "new.person@example.org"
    assert event["before"] == {"password_hash": "(changed)"}
    assert event["after"] == {"password_hash": "(changed)"}
    text = all_text(app)
    assert "$argon2" not in text and PASSWORD not in text and NEW_PASSWORD not in text
    assert link.rsplit("/", 1)[1] not in text


def test_a_supplier_answering_by_link_is_named_by_its_invitation(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    invited = lead.post(
        f"/organisations/alpha-police/suppliers/{supplier}/invite",
        data={"financial_year": "2024", "questionnaire": "standard", "days": "30"},
    )
    assert invited.status_code == 200, error_messages(invited)
    link = page(invited).select_one("#invitation-link")["value"]
    token = link.rsplit("/", 1)[1]
    path = re.sub(r"^https?://[^/]+", "", link)
    with app.app_context():
        invitation = db.session.query(Invitation).one()
        invitation_id, token_hash = invitation.id, invitation.token_hash
    created = one(app, record_type="invitations", action="create")
    assert created["actor_label"] == LEAD and created["after"]["token_hash"] == "(set)"

    mark = last_id(app)
    supplier_client = app.test_client()
    opened = page(supplier_client.get(path))  # a GET that writes: the first opening
    who = f"supplier by invitation link #{invitation_id}"
    first = one(app, after=mark, record_type="invitations")
    assert first["actor_label"] == who and first["actor_user_id"] is None
    assert list(first["after"]) == ["first_opened_at"]

    mark = last_id(app)
    answers = dict(list(best_answers(definition(app)).items())[:3])
    version = opened.select_one("main form input[name=version]")["value"]
    saved = supplier_client.post(path, data={**answers, "version": version, "save": "y"})
    assert saved.status_code == 302
    saved_events = events(app, after=mark)
    assert {e["actor_label"] for e in saved_events} == {who}
    folded = next(e for e in saved_events if e["action"] == "answers")
    assert folded["record_type"] == "assessments"
    assert folded["organisation_id"] == org_id(app, "alpha-police")
    assert sorted(folded["after"]) == sorted(k.removeprefix("q-") for k in answers)
    text = all_text(app)
    assert token not in text and token_hash not in text


def test_plans_training_statements_and_templates_are_recorded_with_their_body(
    app: Flask, two_bodies: dict
) -> None:
    year = this_year()
    start(app, "alpha-police", year)
    item = add_item(app, "alpha-police", year, "Visit the laundry contractor")
    mark = last_id(app)
    update(app, item, "in_progress", "amber", "Waiting for a date")
    progress = one(app, after=mark, record_type="progress_updates")
    assert progress["organisation_id"] == org_id(app, "alpha-police")  # through its item
    assert progress["after"]["rag_reason"] == "Waiting for a date"
    changed_item = one(app, after=mark, record_type="plan_items")
    assert changed_item["before"] == {"rag_reason": "Not started yet", "status": "not_started"}
    assert changed_item["after"] == {"rag_reason": "Waiting for a date", "status": "in_progress"}

    record = add_training(app, "beta-opcc", year, "procurement", 10, 4)
    mark = last_id(app)
    with app.app_context():
        org = organisations.get_organisation(slug="beta-opcc")
        found = training.get_training(org=org, record_id=record)
        training.delete_training(
            org=org, record=found, user=None, expected_version=found.version_id
        )
        db.session.commit()
    removed = one(app, after=mark, record_type="training_records")
    assert removed["action"] == "delete" and removed["after"] is None
    assert (
        removed["before"]["staff_in_scope"] == 10 and removed["before"]["audience"] == "procurement"
    )
    assert removed["organisation_id"] == org_id(app, "beta-opcc")

    statement = create(app, 2024)
    mark = last_id(app)
    set_text(app, statement, "introduction", "Our joint statement, rewritten.")
    changed = one(app, after=mark, record_type="statement_sections")
    assert changed["record_id"] == str(section(app, statement, "introduction").id)
    assert changed["partnership_id"] == partnership_id(app, "north-east")
    assert changed["organisation_id"] is None
    assert changed["after"] == {"text": "Our joint statement, rewritten."}

    data = docx_bytes("{{ title }} for {{ year }}")
    with app.app_context():
        statement_templates.upload_template(
            name="Plain", file_name="plain.docx", data=data, user=None
        )
        db.session.commit()
    uploaded = one(app, record_type="statement_templates")
    assert uploaded["after"]["content"]["bytes"] == len(data)
    assert len(uploaded["after"]["content"]["sha256"]) == 64


def test_a_refused_or_rolled_back_change_leaves_no_event(app: Flask, two_bodies: dict) -> None:
    mark = last_id(app)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        payees.add_personal_payee(org=org, name="J Smith")
        db.session.flush()  # written, then thrown away
        db.session.rollback()
        try:
            payees.add_personal_payee(org=org, name="   ")
        except DomainError:
            db.session.rollback()
        payees.add_personal_payee(org=org, name="A Jones")
        db.session.commit()
        assert [p.name for p in db.session.query(PersonalPayee)] == ["A Jones"]
    kept = events(app, after=mark)
    assert [(e["action"], e["after"]["name"]) for e in kept] == [("create", "A Jones")]


def test_merging_suppliers_records_the_moves_the_session_cannot_see(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Ltd", "10/05/2024", "100.00"),
        Pay("Acmee Trading", "11/05/2024", "50.00"),
    )
    keep = supplier_id(app, "alpha-police", "Acme Ltd")
    merge = supplier_id(app, "alpha-police", "Acmee Trading")
    mark = last_id(app)
    with app.app_context():
        from tisc.services.register import merge as supplier_merge

        org = organisations.get_organisation(slug="alpha-police")
        supplier_merge.merge_suppliers(
            org=org,
            keep=db.session.get(Supplier, keep),
            merge=db.session.get(Supplier, merge),
            user=None,
        )
        db.session.commit()
    merged = one(app, after=mark, action="merge")
    assert merged["record_id"] == str(keep)
    assert merged["after"]["moved"]["spend_lines"] == 1
    removed = one(app, after=mark, action="delete")
    assert removed["record_id"] == str(merge) and removed["before"]["name"] == "Acmee Trading"


def test_a_record_removed_after_its_values_expired_still_shows_what_it_was(
    app: Flask, two_bodies: dict
) -> None:
    with app.app_context():
        org = organisations.get_organisation(slug="gamma-police")
        payee = payees.add_personal_payee(org=org, name="K Brown")
        db.session.commit()  # every attribute of `payee` is expired now
        mark = last_id(app)
        db.session.delete(payee)
        db.session.commit()
    removed = one(app, after=mark)
    assert (removed["action"], removed["record_type"]) == ("delete", "personal_payees")
    assert removed["before"]["name"] == "K Brown"
    assert removed["organisation_id"] == org_id(app, "gamma-police")


def test_a_record_created_then_changed_in_one_transaction_shows_its_old_values(
    app: Flask, two_bodies: dict
) -> None:
    mark = last_id(app)
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        supplier = Supplier(organisation_id=org.id, name="Newco", normalised_name="newco")
        db.session.add(supplier)
        db.session.flush()  # inserted with no notes and no company number
        supplier.notes, supplier.company_number = "Checked", "01234567"
        db.session.commit()
    created, changed = events(app, after=mark)
    assert created["action"] == "create" and created["after"]["notes"] is None
    assert changed["before"] == {"company_number": None, "notes": None}
    assert changed["after"] == {"company_number": "01234567", "notes": "Checked"}


def test_a_request_labels_changes_by_whoever_is_signed_in_when_they_are_written(
    app: Flask, two_bodies: dict
) -> None:
    from flask_login import login_user

    from tisc.models import User
    from tisc.services.audit.chain import Actor, current_actor

    lead_id = user_id(app, LEAD)
    with app.test_request_context("/"):
        app.preprocess_request()
        assert current_actor() == Actor(None, "someone not signed in")
        login_user(db.session.get(User, lead_id))
        assert current_actor() == Actor(lead_id, LEAD)  # asked late, not when the request began
    with app.app_context():
        assert current_actor() == Actor(None, "system")  # the request's label ended with it


def test_records_the_database_removes_with_a_removed_supplier_are_recorded(
    app: Flask, two_bodies: dict
) -> None:
    from datetime import date

    from tisc.services.due_diligence import records as due_diligence_records

    import_payments(
        app,
        "alpha-police",
        Pay("Acme Ltd", "10/05/2024", "100.00"),
        Pay("Acmee Trading", "11/05/2024", "50.00"),
    )
    merge = supplier_id(app, "alpha-police", "Acmee Trading")
    with app.app_context():
        org = organisations.get_organisation(slug="alpha-police")
        merged = db.session.get(Supplier, merge)
        sub = due_diligence_records.add_sub_supplier(
            org=org,
            supplier=merged,
            financial_year=2024,
            user=None,
            name="Fabric Mill",
            tier=2,
            country="Elsewhere",
            supplies="Cloth",
        )
        review = due_diligence_records.add_contract_review(
            org=org,
            supplier=merged,
            user=None,
            reviewed_on=date(2024, 6, 1),
            contract_id=None,
            modern_slavery_discussed=True,
            today=date(2024, 7, 1),
        )
        db.session.commit()
        sub_id, review_id = sub.id, review.id
    mark = last_id(app)
    with app.app_context():
        # A merge now hands these over (tests/integration/test_duplicates.py); removing the
        # supplier outright is what leaves them to the database's ON DELETE CASCADE.
        db.session.delete(db.session.get(Supplier, merge))
        db.session.commit()
    # The database's ON DELETE CASCADE took them with the supplier: the trail must say so.
    removed = one(app, after=mark, record_type="sub_suppliers")
    assert (removed["action"], removed["record_id"]) == ("delete", str(sub_id))
    assert removed["before"]["name"] == "Fabric Mill" and removed["after"] is None
    assert removed["organisation_id"] == org_id(app, "alpha-police")
    assert f"with supplier #{merge}" in removed["summary"]
    reviewed = one(app, after=mark, record_type="contract_reviews")
    assert (reviewed["action"], reviewed["record_id"]) == ("delete", str(review_id))
    assert reviewed["before"]["modern_slavery_discussed"] is True
