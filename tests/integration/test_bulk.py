"""Bulk work in the register: tick suppliers (or every one matching the filters), choose an
action, confirm on a page that lists them, and one change is made to all of them, with a line in
each history and one audit event listing them; refusals say why and change nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import page
from tests.integration.audit_support import last_id, one
from tests.integration.register_support import (
    Pay,
    as_user,
    banner,
    category_id,
    error_messages,
    import_payments,
    register,
    snapshot,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import CategorySource, Supplier, SupplierEvent
from tisc.rules.numbers import id_ranges

URL = "/organisations/alpha-police/suppliers"
LEAD = "procurement.alpha-police@example.org"
CLEANING = "Cleaning services and materials"


@pytest.fixture
def three(app: Flask, two_bodies: dict) -> dict[str, int]:
    import_payments(
        app,
        "alpha-police",
        Pay("Mystery One Ltd", "2024-05-01", "60000.00"),
        Pay("Mystery Two Ltd", "2024-05-01", "55000.00"),
        Pay("Small Kennels Ltd", "2024-05-01", "10.00"),
    )
    import_payments(app, "beta-opcc", Pay("Beta Only Ltd", "2024-05-01", "10.00"))
    names = ("Mystery One Ltd", "Mystery Two Ltd", "Small Kennels Ltd")
    return {name: supplier_id(app, "alpha-police", name) for name in names}


def _post(client, data: dict, query: str = "year=2024-25"):
    return client.post(f"{URL}/bulk?{query}", data=data)


def test_ticked_suppliers_get_a_category_after_confirming(app: Flask, three: dict) -> None:
    client = as_user(app, LEAD)
    shown = page(client.get(f"{URL}?year=2024-25"))
    assert shown.select_one("#bulk legend").get_text(strip=True) == (
        "Change several suppliers at once"
    )
    boxes = {b["value"] for b in shown.select("#bulk input[name=supplier]")}
    assert boxes == {str(i) for i in three.values()}
    cleaning = category_id(app, CLEANING)
    chosen = [three["Mystery One Ltd"], three["Mystery Two Ltd"]]
    before = snapshot(app)
    asked = _post(
        client,
        {"action": "category", "category_id": cleaning, "supplier": [str(i) for i in chosen]},
    )
    assert asked.status_code == 200
    question = page(asked)
    assert question.select_one("h1").get_text(strip=True) == (
        f"Give 2 suppliers the category {CLEANING}?"
    )
    assert [li.get_text(strip=True) for li in question.select("#bulk-names li")] == [
        "Mystery One Ltd",
        "Mystery Two Ltd",
    ]
    assert snapshot(app) == before  # asking changes nothing
    fields = {i["name"]: i["value"] for i in question.select("main form input[type=hidden]")}
    assert fields["supplier"] == id_ranges(chosen)  # a few bytes, however many
    audit_from = last_id(app)
    done = client.post(question.select_one("main form")["action"], data=fields)
    assert done.status_code == 302
    assert banner(client.get(done.headers["Location"])) == (
        f"2 suppliers now have the category {CLEANING}"
    )
    with app.app_context():
        for supplier in db.session.scalars(select(Supplier).where(Supplier.id.in_(chosen))):
            assert (supplier.category_id, supplier.category_source) == (
                cleaning,
                CategorySource.CHOSEN,
            )
        histories = db.session.scalars(
            select(SupplierEvent.summary).where(SupplierEvent.supplier_id.in_(chosen))
        ).all()
    assert histories.count(f"Category set to {CLEANING} (with 2 suppliers at once)") == 2
    event = one(app, after=audit_from, action="bulk-category")
    assert event["after"]["supplier_ids"] == chosen
    assert event["after"]["category_id"] == cleaning
    rows = register(client, f"{URL}?year=2024-25")
    assert rows["Mystery One Ltd"].tier == "Tier A" and "High risk" in rows["Mystery One Ltd"].flags
    # Not ticked: unchanged, still without a category.
    assert rows["Small Kennels Ltd"].category == "Not given"
    assert rows["Small Kennels Ltd"].tier == "Tier D"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"supplier": "{one}"}, "Choose what to do with the selected suppliers"),
        ({"action": "archive"}, "Select at least one supplier"),
        ({"action": "category", "supplier": "{one}"}, "Choose the category to give them"),
        ({"action": "archive", "supplier": "{beta}"}, "Select at least one supplier"),
        ({"action": "sell", "supplier": "{one}"}, "Choose what to do with the selected suppliers"),
    ],
)
def test_a_bulk_request_missing_a_choice_is_refused_and_changes_nothing(
    app: Flask, three: dict, data: dict, message: str
) -> None:
    beta = supplier_id(app, "beta-opcc", "Beta Only Ltd")
    sent = {k: v.format(one=three["Mystery One Ltd"], beta=beta) for k, v in data.items()} | {
        "confirmed": "yes"
    }
    client = as_user(app, LEAD)
    before = snapshot(app)
    refused = _post(client, sent)
    assert refused.status_code == 302
    assert error_messages(client.get(refused.headers["Location"])) == [message]
    assert snapshot(app) == before


def test_a_viewer_sees_no_bulk_form(app: Flask, three: dict) -> None:
    shown = page(as_user(app, "viewer.alpha-police@example.org").get(f"{URL}?year=2024-25"))
    assert shown.select_one("#bulk") is None
    assert shown.select("input[name=supplier]") == []


def test_every_one_of_ten_thousand_matching_suppliers_is_archived_at_once(
    app: Flask, two_bodies: dict
) -> None:
    payments = [Pay(f"Bulk Supplier {n:05d} Ltd", "2024-05-01", "100.00") for n in range(10_000)]
    payments.append(Pay("Keep Me Kennels Ltd", "2024-05-01", "60000.00"))
    import_payments(app, "alpha-police", *payments)
    client = as_user(app, LEAD)
    query = "year=2024-25&q=bulk+supplier"
    asked = _post(client, {"action": "archive", "all_matching": "yes"}, query=query)
    question = page(asked)
    assert question.select_one("h1").get_text(strip=True) == "Archive 10,000 suppliers?"
    assert len(question.select("#bulk-names li")) == 20
    assert question.select_one("#bulk-more").get_text(strip=True) == "and 9,980 more."
    fields = {i["name"]: i["value"] for i in question.select("main form input[type=hidden]")}
    assert len(fields["supplier"]) < 100  # 10,000 ids imported together: one range
    audit_from = last_id(app)
    done = client.post(question.select_one("main form")["action"], data=fields)
    assert banner(client.get(done.headers["Location"])) == "10,000 suppliers archived"
    with app.app_context():
        archived = db.session.scalar(
            select(func.count()).select_from(Supplier).where(Supplier.archived_at.is_not(None))
        )
    assert archived == 10_000
    assert list(register(client, f"{URL}?year=2024-25")) == ["Keep Me Kennels Ltd"]
    event = one(app, after=audit_from, action="bulk-archive")
    assert len(event["after"]["supplier_ids"]) == 10_000


def test_ticked_suppliers_are_invited_to_assess_themselves_once(app: Flask, three: dict) -> None:
    from tisc.models import Invitation, SupplierAssessment
    from tisc.models.assessments import AssessmentStatus

    client = as_user(app, LEAD)
    one_id, two_id = three["Mystery One Ltd"], three["Mystery Two Ltd"]
    first = _post(client, {"action": "invite", "supplier": [str(one_id)], "confirmed": "yes"})
    assert first.status_code == 302
    assert first.headers["Location"].endswith("/organisations/alpha-police/invitations")
    # Now both, one of them already invited: it is said on the page and left alone.
    before = snapshot(app)
    asked = page(_post(client, {"action": "invite", "supplier": [str(one_id), str(two_id)]}))
    assert asked.select_one("h1").get_text(strip=True) == (
        "Invite 2 suppliers to assess themselves for 2024/25?"
    )
    said = asked.select_one("main").get_text(" ", strip=True)
    assert "1 of them already has an assessment for 2024/25 and will be left as it is." in said
    assert "a link lasts 30 days" in said
    assert snapshot(app) == before  # asking changes nothing
    fields = {i["name"]: i["value"] for i in asked.select("main form input[type=hidden]")}
    audit_from = last_id(app)
    done = client.post(asked.select_one("main form")["action"], data=fields)
    outbox = client.get(done.headers["Location"])
    assert banner(outbox) == (
        "1 supplier invited to assess itself: make each link below when you send it. 1 already "
        "has an assessment for the year and was left as it was"
    )
    with app.app_context():
        made = db.session.execute(
            select(Invitation.supplier_id, SupplierAssessment.status, SupplierAssessment.source)
            .join(SupplierAssessment, SupplierAssessment.id == Invitation.assessment_id)
            .order_by(Invitation.supplier_id)
        ).all()
        histories = db.session.scalars(
            select(SupplierEvent.summary).where(SupplierEvent.supplier_id == two_id)
        ).all()
    assert [(s, status) for s, status, _ in made] == [
        (one_id, AssessmentStatus.WITH_SUPPLIER),
        (two_id, AssessmentStatus.WITH_SUPPLIER),
    ]
    assert "Invited to assess itself for 2024/25" in histories  # alone: no "with 1 supplier"
    event = one(app, after=audit_from, action="bulk-invite")
    assert event["after"]["supplier_ids"] == [two_id]
    # Each waits in the outbox to be sent; the lead makes its link there.
    rows = page(outbox).select("main table tbody tr")
    assert len(rows) == 2 and all("To send" in r.get_text() for r in rows)


def test_inviting_another_bodys_supplier_invites_nobody(app: Flask, three: dict) -> None:
    beta = supplier_id(app, "beta-opcc", "Beta Only Ltd")
    client = as_user(app, LEAD)
    before = snapshot(app)
    refused = _post(client, {"action": "invite", "supplier": [str(beta)], "confirmed": "yes"})
    assert error_messages(client.get(refused.headers["Location"])) == [
        "Select at least one supplier"
    ]
    assert snapshot(app) == before


def test_a_bulk_invitation_has_no_link_until_the_lead_makes_it(app: Flask, three: dict) -> None:
    from tisc.models import Invitation

    client = as_user(app, LEAD)
    one_id = three["Mystery One Ltd"]
    _post(client, {"action": "invite", "supplier": [str(one_id)], "confirmed": "yes"})
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation_id, version = invitation.id, invitation.version_id
    outbox = page(client.get("/organisations/alpha-police/invitations"))
    row = outbox.select_one(f"#invitation-{invitation_id}")
    cells = [c.get_text(" ", strip=True) for c in row.select("td")]
    assert "No link yet" in cells
    buttons = [b.get_text(" ", strip=True) for b in row.select("button")]
    assert buttons == ["Make the link for Mystery One Ltd"]
    # Marking it as sent before its link exists is refused and changes nothing.
    before = snapshot(app)
    refused = client.post(
        f"/organisations/alpha-police/invitations/{invitation_id}/sent",
        data={"version": str(version)},
    )
    assert refused.status_code == 302
    assert banner(client.get(refused.headers["Location"])) == (
        "Make the link first, then send it to the supplier"
    )
    assert snapshot(app) == before
    made = page(
        client.post(
            f"/organisations/alpha-police/invitations/{invitation_id}/new-link",
            data={"version": str(version)},
        )
    )
    link = made.select_one("main").get_text(" ", strip=True)
    assert "/respond/" in link
    again = page(client.get("/organisations/alpha-police/invitations"))
    row = again.select_one(f"#invitation-{invitation_id}")
    assert [b.get_text(" ", strip=True) for b in row.select("button")] == [
        "Mark as sent to Mystery One Ltd",
        "Make a new link for Mystery One Ltd",
    ]


def test_the_outbox_shows_invitations_fifty_at_a_time(app: Flask, two_bodies: dict) -> None:
    payments = [Pay(f"Invite Me {n:03d} Ltd", "2024-05-01", "100.00") for n in range(120)]
    import_payments(app, "alpha-police", *payments)
    client = as_user(app, LEAD)
    asked = page(_post(client, {"action": "invite", "all_matching": "yes"}))
    fields = {i["name"]: i["value"] for i in asked.select("main form input[type=hidden]")}
    client.post(asked.select_one("main form")["action"], data=fields)
    first = page(client.get("/organisations/alpha-police/invitations"))
    assert first.select_one("caption").get_text(" ", strip=True) == ("120 invitations, page 1 of 3")
    assert len(first.select("main table tbody tr")) == 50
    last = page(client.get("/organisations/alpha-police/invitations?page=9"))  # past the end
    assert last.select_one("caption").get_text(" ", strip=True) == "120 invitations, page 3 of 3"
    assert len(last.select("main table tbody tr")) == 20
    numbers = [a.get_text(strip=True) for a in first.select(".govuk-pagination__item a")]
    assert numbers == ["1", "2", "3"]
