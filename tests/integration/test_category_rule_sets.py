"""A partnership's own rules for automatic categories: a coordinator saves a new version of the
name rules, every body's suppliers follow it with its reason, versions are listed, downloaded
and restored; refusals name their line and change nothing; others cannot see or save them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Factory, attachment, page
from tests.integration import table_snapshot
from tests.integration.register_support import (
    REGISTER_TABLES,
    Pay,
    as_user,
    banner,
    error_messages,
    import_payments,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import AuditEvent, CategoryRuleSet, CategorySource, Role, Supplier
from tisc.services.register.auto_categories import NAME_RULES

RULES = "/partnerships/north-east/categories/rules"
NAMES = RULES + "/name-rules"
CLEANING = "Cleaning services and materials"
COORDINATOR = "coordinator@example.org"
SHIPPED = NAME_RULES.read_text(encoding="utf-8")
KENNELS = SHIPPED + f'kennels,"{CLEANING}",high\n'
TABLES = (*REGISTER_TABLES, "category_rule_sets")


def _form(client: FlaskClient, url: str = NAMES) -> dict[str, str]:
    """What the page's form sends as it stands."""
    form = page(client.get(url)).select_one("form[method=post]:has(textarea)")
    return {
        "version": form.select_one("[name=version]")["value"],
        "text": form.select_one("textarea").get_text(),
        "note": "",
    }


def _kennels(app: Flask, slug: str = "alpha-police") -> Supplier:
    with app.app_context():
        found = db.session.get(Supplier, supplier_id(app, slug, "Happy Kennels Ltd"))
        db.session.expunge(found)
        return found


def _save(client: FlaskClient, text: str, note: str = "") -> object:
    return client.post(NAMES, data={**_form(client), "text": text, "note": note})


def _versions(client: FlaskClient) -> list[list[str]]:
    table = page(client.get(NAMES)).select_one("table:has(#versions-caption)")
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")][:3]
        for row in table.select("tbody tr")
    ]


@pytest.fixture
def kennels(app: Flask, two_bodies: dict) -> None:
    for slug in ("alpha-police", "beta-opcc"):
        import_payments(app, slug, Pay("Happy Kennels Ltd", "2024-05-01", "60000.00"))


def test_the_categories_page_links_to_the_rules(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, COORDINATOR)
    links = page(client.get("/partnerships/north-east/categories")).select("main a")
    assert RULES in [a["href"] for a in links if a.get_text() == "Rules for automatic categories"]
    overview = page(client.get(RULES))
    assert [a.get_text(strip=True) for a in overview.select("tbody th a")] == [
        "Words in suppliers' names",
        "Well-known suppliers",
    ]
    assert [td.get_text(strip=True) for td in overview.select("tbody td:last-child")] == [
        "Version 1: the file shipped with tisc",
        "Version 1: the file shipped with tisc",
    ]


def test_a_new_name_rule_categorises_every_body_and_restoring_takes_it_away(
    app: Flask, kennels: None
) -> None:
    assert _kennels(app).category_id is None
    client = as_user(app, COORDINATOR)
    shown = page(client.get(NAMES))
    assert shown.select_one("textarea").get_text() == SHIPPED
    assert "Version 1: the file shipped with tisc" in shown.select_one("main").get_text()

    saved = _save(client, KENNELS, note="Kennels are cleaned under the cleaning contract")
    assert saved.status_code == 302
    after = client.get(saved.headers["Location"])
    assert banner(after) == ("Version 2 of these rules is in force. 2 suppliers changed category.")
    found = _kennels(app)
    for body in ("alpha-police", "beta-opcc"):  # every body of the partnership follows
        other = _kennels(app, body)
        assert (other.category.name, other.category_source, other.category_reason) == (
            CLEANING,
            CategorySource.NAME,
            "name contains KENNELS",
        )
    rows = page(after).select("table:has(#rules-caption) tbody tr")
    assert ["kennels", CLEANING, "high"] in [
        [c.get_text(strip=True) for c in r.select("th, td")] for r in rows
    ]
    history = _versions(client)
    assert history[0][0] == "2 In force"
    assert "by Test Person" in history[0][1]
    assert history[0][2] == "Kennels are cleaned under the cleaning contract"
    assert history[1] == ["1", "The file shipped with tisc", ""]

    download = client.get(NAMES + "/versions/2/download")
    assert download.status_code == 200
    assert attachment(download.headers) == (
        "attachment",
        {"filename": "north-east-name_rules-version-2.csv"},
    )
    assert download.get_data(as_text=True) == KENNELS

    restore = NAMES + "/versions/1/restore"
    asked = page(client.get(restore))
    assert asked.select_one("h1").get_text(strip=True) == (
        "Are you sure you want to put version 1 back in force?"
    )
    assert _kennels(app).category_id == found.category_id  # asking changes nothing
    done = client.post(restore, data={"confirmed": "yes"})
    assert done.headers["Location"].endswith(NAMES)
    assert banner(client.get(NAMES)) == (
        "Version 1 is back in force as version 3. 2 suppliers changed category."
    )
    for body in ("alpha-police", "beta-opcc"):
        gone = _kennels(app, body)
        assert (gone.category_id, gone.category_source, gone.category_reason) == (
            None,
            CategorySource.NONE,
            None,
        )
    assert [row[0] for row in _versions(client)] == ["3 In force", "2", "1"]
    assert _versions(client)[0][2] == "Restored version 1 (the file shipped with tisc)"
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == "category_rule_sets")
        ).all()
        assert len(events) == 2
        recorded = str(events[0].after)
        assert "kennels" not in recorded  # the text stays out of the trail: its size and hash
        assert str(len(KENNELS.encode())) in recorded


def test_the_other_partnership_keeps_the_shipped_rules(app: Flask, kennels: None) -> None:
    import_payments(app, "gamma-police", Pay("Happy Kennels Ltd", "2024-05-01", "60000.00"))
    assert _save(as_user(app, COORDINATOR), KENNELS).status_code == 302
    with app.app_context():
        gamma = db.session.get(Supplier, supplier_id(app, "gamma-police", "Happy Kennels Ltd"))
        assert gamma.category_id is None


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            f'words,category,confidence\nroofing,"{CLEANING}",high\n\nkennels,Cleanng,high\n',
            ["Line 4: ‘Cleanng’ is not one of this partnership's categories"],
        ),
        (
            f'words,category,confidence\nkennels,"{CLEANING}",medium\n',
            ["Line 2: the confidence must be high or low"],
        ),
        (
            f'words,confidence\nkennels,"{CLEANING}"\n',
            [
                "Line 1: the first line must name the columns words, category and confidence "
                "(category is missing)"
            ],
        ),
        ("words,category\n" + "#" * 200_001, ["The rules must be 200 KB or smaller"]),
        ("", ["Enter the rules"]),
    ],
)
def test_a_refusal_names_its_line_and_changes_nothing(
    app: Flask, kennels: None, text: str, problems: list[str]
) -> None:
    client = as_user(app, COORDINATOR)
    before = table_snapshot.snapshot(app, TABLES)
    refused = _save(client, text)
    assert refused.status_code == 400
    assert error_messages(refused) == problems[:1]
    listed = [li.get_text(strip=True) for li in page(refused).select("#rule-problems li")]
    assert listed == (problems if len(problems) > 1 else [])
    assert page(refused).select_one("textarea").get_text().strip() == text.strip()
    assert table_snapshot.snapshot(app, TABLES) == before


def test_many_problems_are_listed_up_to_twenty_and_counted(app: Flask, two_bodies: dict) -> None:
    text = "words,category\n" + "".join(f"word{n},Nothing\n" for n in range(25))
    refused = _save(as_user(app, COORDINATOR), text)
    assert error_messages(refused) == [
        "Line 2: ‘Nothing’ is not one of this partnership's categories"
    ]
    listed = [li.get_text(strip=True) for li in page(refused).select("#rule-problems li")]
    assert len(listed) == 21
    assert listed[19] == "Line 21: ‘Nothing’ is not one of this partnership's categories"
    assert listed[-1] == "And 5 more problems"


def test_a_version_saved_meanwhile_refuses_the_stale_form(app: Flask, kennels: None) -> None:
    first, second = as_user(app, COORDINATOR), as_user(app, "admin@example.org")
    loaded = _form(second)
    assert _save(first, KENNELS).status_code == 302
    before = table_snapshot.snapshot(app, TABLES)
    stale = second.post(
        NAMES, data={**loaded, "text": SHIPPED + "skips,Waste and recycling,high\n"}
    )
    assert stale.status_code == 400
    assert error_messages(stale)[0].startswith("Someone else saved these rules while you were")
    assert table_snapshot.snapshot(app, TABLES) == before
    # The form now carries the version in force: sending it again saves.
    again = page(stale).select_one("[name=version]")["value"]
    assert again == "2"
    text = KENNELS + f'dog grooming,"{CLEANING}",low\n'
    assert second.post(NAMES, data={**loaded, "version": again, "text": text}).status_code == 302
    assert [row[0] for row in _versions(second)] == ["3 In force", "2", "1"]


def test_restoring_the_version_in_force_is_refused(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, COORDINATOR)
    done = client.post(NAMES + "/versions/1/restore", data={"confirmed": "yes"})
    assert done.status_code == 302
    assert error_messages(client.get(NAMES)) == ["Version 1 is already in force"]
    with app.app_context():
        assert db.session.scalars(select(CategoryRuleSet)).all() == []


@pytest.mark.parametrize(
    "url",
    [
        NAMES + "/versions/2/download",
        NAMES + "/versions/2/restore",
        RULES + "/name_rules",
        RULES + "/other",
    ],
)
def test_a_version_or_kind_that_does_not_exist_answers_404(
    app: Flask, two_bodies: dict, url: str
) -> None:
    assert as_user(app, COORDINATOR).get(url).status_code == 404


def test_another_partnerships_coordinator_gets_404_and_a_lead_cannot_save(
    app: Flask, factory: Factory, kennels: None
) -> None:
    factory.user("coordinator.elsewhere@example.org", Role.COORDINATOR, partnership="elsewhere")
    outsider = as_user(app, "coordinator.elsewhere@example.org")
    lead = as_user(app, "procurement.alpha-police@example.org")
    before = table_snapshot.snapshot(app, TABLES)
    for url in (RULES, NAMES, NAMES + "/versions/1/download", NAMES + "/versions/1/restore"):
        # The lead's body is in the partnership, but its set-up is not the lead's to see.
        assert outsider.get(url).status_code == 404, url
        assert lead.get(url).status_code == 404, url
    for client in (outsider, lead):
        sent = client.post(NAMES, data={"text": KENNELS, "version": "1"})
        assert sent.status_code == 404
        restored = client.post(NAMES + "/versions/1/restore", data={"confirmed": "yes"})
        assert restored.status_code == 404
    assert table_snapshot.snapshot(app, TABLES) == before
    assert _kennels(app).category_id is None


def test_a_partnerships_reference_list_is_used_in_place_of_the_shipped_one(
    app: Flask, kennels: None
) -> None:
    client = as_user(app, COORDINATOR)
    url = RULES + "/reference-suppliers"
    loaded = _form(client, url)
    text = f'# Our own list\nname,category\nHappy Kennels,"{CLEANING}"\n'
    assert client.post(url, data={**loaded, "text": text}).status_code == 302
    found = _kennels(app)
    assert (found.category.name, found.category_source, found.category_reason) == (
        CLEANING,
        CategorySource.REFERENCE,
        "Happy Kennels is on the reference list of well-known suppliers",
    )
    shown = page(client.get(url))
    assert [
        [c.get_text(strip=True) for c in row.select("th, td")]
        for row in shown.select("table:has(#rules-caption) tbody tr")
    ] == [["Happy Kennels", CLEANING]]
    assert shown.select_one("#rules-caption").get_text(strip=True) == "1 rule in force"
    # The name rules are still the shipped file's.
    assert _form(client)["version"] == "1"
