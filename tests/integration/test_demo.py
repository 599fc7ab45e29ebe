"""The demo data: 14 bodies, their users and suppliers; safe to load twice.

Seeding takes a while: on SQLite the tests that read the demo get a copy of one seeded file
(made once per test process), on PostgreSQL each seeds its own schema.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, make_url, select

from tests.conftest import (
    database_file,
    database_url,
    empty_postgres_tables,
    make_app,
    page,
    restore_postgres_snapshot,
    save_postgres_snapshot,
    sign_in,
)
from tisc.extensions import db
from tisc.models import (
    ActionPlan,
    AssessmentSource,
    AssessmentStatus,
    Invitation,
    ItemStatus,
    Membership,
    Organisation,
    OrganisationKind,
    PlanItem,
    Rag,
    SpendLine,
    Supplier,
    SupplierAssessment,
    TrainingRecord,
    User,
)
from tisc.rules.debarment import MatchKind, NotificationState
from tisc.rules.years import FinancialYear
from tisc.services.assessments.invitations import invitation_state
from tisc.services.due_diligence.overview import due_diligence_figures
from tisc.services.exclusions.decisions import list_decisions
from tisc.services.exclusions.matches import find_matches

DEMO_PASSWORD = "demo passphrase for tests"
# The day the demo is built around: never the real date, so no test depends on it.
DEMO_DAY = date(2026, 9, 30)
LAST, THIS = 2025, 2026  # the financial years around DEMO_DAY


def seed(app: Flask, day: date = DEMO_DAY) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


SNAPSHOT = "demo"


@pytest.fixture(scope="module")
def seeded_file(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path | None
) -> Path | None:
    """SQLite: an empty database with the demo seeded into it, once; None on PostgreSQL,
    where the seeded tables are kept in a snapshot schema instead."""
    if sqlite_template is None:
        app = make_app(SQLALCHEMY_DATABASE_URI=database_url(Path()), DEMO_PASSWORD=DEMO_PASSWORD)
        with app.app_context():
            empty_postgres_tables()
        seed(app)
        with app.app_context():
            save_postgres_snapshot(SNAPSHOT)
            db.session.remove()
            db.engine.dispose()
        return None
    folder = tmp_path_factory.mktemp("demo")
    shutil.copyfile(sqlite_template, database_file(folder))
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(folder), DEMO_PASSWORD=DEMO_PASSWORD)
    seed(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return database_file(folder)


@pytest.fixture
def demo(app: Flask, seeded_file: Path | None) -> None:
    """The test's own database with the demo loaded (a copy of seeded_file on SQLite),
    DEMO_PASSWORD the password of every demo account."""
    app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
    if seeded_file is None:
        with app.app_context():
            restore_postgres_snapshot(SNAPSHOT)
        return
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # nothing may have the file open while it is replaced
    path = Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    assert not path.with_name(f"{path.name}-wal").exists()
    shutil.copyfile(seeded_file, path)


def counts(app: Flask) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Organisation, User, Membership, Supplier, SpendLine)
        )


@pytest.mark.slow
def test_seed_loads_the_partnership_once(app: Flask) -> None:
    app.config["DEMO_PASSWORD"] = DEMO_PASSWORD
    output = seed(app)
    assert output.startswith("Loaded demo data: 14 organisations, 45 users")
    first = counts(app)
    assert seed(app).strip() == "Demo data is already loaded: nothing to do."
    assert counts(app) == first

    with app.app_context():
        orgs = db.session.scalars(select(Organisation)).all()
        kinds = sorted(o.kind for o in orgs)
        assert kinds.count(OrganisationKind.FORCE) == 7
        assert kinds.count(OrganisationKind.COMMISSIONER) == 7
        assert {"west-yorkshire-police", "west-yorkshire-opcc"} <= {o.slug for o in orgs}
        for org in orgs:
            assert [p.slug for p in org.partnerships] == ["north-east"]
            suppliers = db.session.scalar(
                select(func.count()).where(Supplier.organisation_id == org.id)
            )
            assert suppliers >= 100, org.slug
        # Both demo years have spend, every line sits in its own financial year,
        # and some suppliers are over £50,000 in a year.
        years = set(db.session.scalars(select(SpendLine.financial_year).distinct()))
        assert years == {LAST, THIS}
        # Nothing is paid after the day the demo is built around.
        assert db.session.scalar(select(func.max(SpendLine.payment_date))) <= DEMO_DAY
        for line in db.session.scalars(select(SpendLine).limit(500)):
            assert FinancialYear.containing(line.payment_date).start_year == line.financial_year
            assert isinstance(line.amount, Decimal)
        big = db.session.execute(
            select(SpendLine.supplier_id)
            .group_by(SpendLine.supplier_id, SpendLine.financial_year)
            .having(func.sum(SpendLine.amount) > 50000)
        ).all()
        assert len(big) > 20


@pytest.mark.slow
def test_the_demo_has_due_diligence_in_realistic_proportions(app: Flask, demo: None) -> None:
    with app.app_context():
        statuses = Counter(db.session.scalars(select(SupplierAssessment.status)))
        sources = Counter(db.session.scalars(select(SupplierAssessment.source)))
        # Every state shows somewhere, and most assessments are complete.
        assert set(statuses) == set(AssessmentStatus) - {AssessmentStatus.CANCELLED}
        assert statuses[AssessmentStatus.COMPLETE] > sum(statuses.values()) / 2
        assert set(sources) == set(AssessmentSource)
        now = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)  # DEMO_DAY
        states = Counter(
            invitation_state(i, now=now) for i in db.session.scalars(select(Invitation))
        )
        for state in ("To send", "Sent", "Expired", "Started by the supplier", "Accepted"):
            assert states[state] >= 10, (state, states)
        assert states["Answered: review it"] == 14
        # Both years have assessments, so scores show over time.
        years = set(db.session.scalars(select(SupplierAssessment.financial_year)))
        assert years == {LAST, THIS}
        for org in db.session.scalars(select(Organisation)):
            figures = due_diligence_figures(org=org, financial_year=THIS)
            assert 0 < figures.assessed < figures.needing_assessment, org.slug
            assert 0 < figures.guidance_sent < figures.suppliers_over_threshold, org.slug
            assert figures.mapped_beyond_tier1 <= figures.high_risk_over_threshold
            assert figures.plans_received <= figures.plans_requested


@pytest.mark.slow
def test_the_demo_has_action_plans_with_two_years_of_history(app: Flask, demo: None) -> None:
    today = DEMO_DAY
    with app.app_context():
        plans = db.session.scalars(select(ActionPlan)).all()
        by_year = Counter(p.financial_year for p in plans)
        # Every body has last year's plan; one has not started this one (the board shows it).
        assert by_year == {LAST: 14, THIS: 13}
        items = db.session.scalars(select(PlanItem)).all()
        newest = [i for i in items if i.plan.financial_year == THIS]
        assert any(i.is_overdue(today) for i in newest)
        assert any(not i.is_overdue(today) and i.status is not ItemStatus.DONE for i in newest)
        assert {i.rag for i in newest} == set(Rag)
        # Red and amber always say why; every item has a timeline that ends where it stands.
        for item in items:
            assert item.rag is Rag.GREEN or item.rag_reason, item.title
            assert item.updates, item.title
            latest = item.updates[0]
            assert (latest.status, latest.rag) == (item.status, item.rag)
        carried = [i for i in newest if i.carried_over_from_id is not None]
        assert carried
        for item in carried:
            before = db.session.get(PlanItem, item.carried_over_from_id)
            assert before.plan.financial_year == LAST
            assert before.status is not ItemStatus.DONE
        assert {i.commitment_id is None for i in newest} == {True, False}
        training = Counter(
            (r.organisation_id, r.financial_year)
            for r in db.session.scalars(select(TrainingRecord))
        )
        assert len(training) == 28


def test_if_empty_leaves_a_database_with_organisations_alone(app: Flask, factory) -> None:
    factory.org("own-body")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demo data not loaded" in result.output
    assert counts(app)[0] == 1


@pytest.mark.slow
def test_every_demo_user_can_sign_in_and_sees_their_body(
    app: Flask, client: FlaskClient, demo: None
) -> None:
    for email, expected in [
        ("procurement.west-yorkshire-police@example.org", "/organisations/west-yorkshire-police"),
        ("statement.cleveland-opcc@example.org", "/organisations/cleveland-opcc"),
        ("viewer.durham-constabulary@example.org", "/organisations/durham-constabulary"),
        ("coordinator@example.org", "/partnerships/north-east"),
        ("board@example.org", "/partnerships/north-east"),
        ("admin@example.org", "/admin/users"),
    ]:
        assert sign_in(client, email, DEMO_PASSWORD).status_code == 302, email
        links = {a["href"] for a in page(client.get("/")).select("main a")}
        assert expected in links, (email, links)
        assert client.get(expected).status_code == 200
        client.post("/sign-out")


@pytest.mark.slow
def test_the_board_sees_all_fourteen_bodies_with_their_spend(
    app: Flask, client: FlaskClient, demo: None
) -> None:
    sign_in(client, "board@example.org", DEMO_PASSWORD)
    table = page(client.get("/partnerships/north-east?year=2025-26")).select_one("table")
    rows = table.select("tbody tr")
    assert len(rows) == 14
    spend_cells = [row.select("td")[1].get_text(strip=True) for row in rows]
    assert all(re.fullmatch(r"£[\d,]+\.\d\d", cell) for cell in spend_cells), spend_cells


def test_seed_demo_is_refused_in_production(monkeypatch) -> None:
    from tests.conftest import make_app

    monkeypatch.setenv("TISC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("TISC_DEMO_PASSWORD", "would be published")
    app = make_app(TISC_ENV="production")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "not allowed in production" in result.output


def _joint_statement_document(app: Flask) -> bytes:
    """The demo partnership's statement for last year, generated on the demo's day."""
    from tisc.models import Statement
    from tisc.services.statements import documents

    with app.app_context():
        statement = db.session.scalars(
            select(Statement).where(
                Statement.partnership_id.is_not(None), Statement.financial_year == LAST
            )
        ).one()
        document = documents.generate_statement_document(
            statement=statement, user=None, today=DEMO_DAY
        )
        db.session.commit()
        return document.content


def test_the_demo_statement_claims_only_what_its_records_show(app: Flask, demo: None) -> None:
    import io

    import docx

    from tisc.models import Statement
    from tisc.rules.figure_words import money_in_words
    from tisc.services.statements.figures import statement_figures

    document = docx.Document(io.BytesIO(_joint_statement_document(app)))
    texts = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    with app.app_context():
        statement = db.session.scalars(
            select(Statement).where(
                Statement.partnership_id.is_not(None), Statement.financial_year == LAST
            )
        ).one()
        waiting = [b.organisation.name for b in statement.bodies if b.approved_on is None]
        figures = statement_figures(statement=statement, today=DEMO_DAY)
    said = "\n".join(texts)
    if waiting:  # words that follow the records: no approval claimed that is not recorded
        assert "has approved it" not in said
        for name in waiting:
            assert f"To be approved by {name}" in said
    else:
        assert (
            texts.count(
                "Each body covered by this statement has approved it: the dates and decision "
                "references are under Approval and sign-off."
            )
            == 2
        )
        assert "To be approved" not in said
    for prompt in ("F9", "[say", "update this field", "made under section 54"):
        assert not [t for t in texts if prompt in t], prompt
    assert "None" not in cells and "None recorded" not in cells
    # Every sum of money in the prose is one the figures hold, rounded as printed.
    uncategorised = sum(
        (c.spend for c in figures.total.categories if c.category_id is None), Decimal(0)
    )
    computed = {
        money_in_words(figures.total.this_year.spend),
        money_in_words(uncategorised),
    }
    in_prose = set(re.findall(r"£[\d,]+(?:\.\d+)?(?: million)?", "\n".join(texts)))
    assert money_in_words(figures.total.this_year.spend) in in_prose  # ((spend)) in the text
    assert in_prose - {"£50,000"} <= computed  # £50,000: the threshold, said as a rule
    assert not [t for t in texts if "((" in t]  # every live figure named was filled in


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) not installed",
)
def test_the_demo_statement_is_short_as_libreoffice_paginates_it(app: Flask, demo: None) -> None:
    import subprocess

    from tisc.services.statements.documents import convert_to_pdf

    pdf = convert_to_pdf(_joint_statement_document(app))
    pages = (
        subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\f")
    )
    pages = [p for p in pages if p.strip()]
    annex = next(n for n, text in enumerate(pages, 1) if "Annex: figures by body" in text)
    assert annex - 1 <= 12, "the statement itself is at most 12 pages"
    assert len(pages) <= 20, "the statement and its annex are at most 20 pages"


def _demo_board_pack(app: Flask) -> bytes:
    """The demo partnership's board pack for this year, on the demo's day."""
    from tisc.services.accounts.organisations import get_partnership
    from tisc.services.board.dashboard import board_view
    from tisc.services.board.report import board_report_docx

    with app.app_context():
        partnership = get_partnership(slug="north-east")
        view = board_view(partnership=partnership, financial_year=THIS, today=DEMO_DAY)
        return board_report_docx(view=view, report_date=DEMO_DAY, partnership=partnership)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) not installed",
)
def test_the_demo_board_pack_is_six_pages_at_most_as_libreoffice_paginates_it(
    app: Flask, demo: None
) -> None:
    import subprocess

    from tisc.documents.pdf import docx_to_pdf

    pdf = docx_to_pdf(_demo_board_pack(app))
    pages = (
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split("\f")
    )
    pages = [" ".join(p.split()) for p in pages if p.strip()]
    assert len(pages) <= 6, f"the pack of 14 bodies is {len(pages)} pages"
    # Page 1 opens with the executive summary; the heat-map and its key share page 2.
    assert pages[0].startswith("Board pack: North East")
    assert "Executive summary, 30 September 2026. 14 member bodies." in pages[0]
    assert re.search(r"\d+ actions overdue, \d+ red; West Yorkshire", pages[0])
    assert "Decisions asked of the board" in pages[0]
    assert pages[1].startswith("Where each body stands on each commitment")
    # The key, on the same page: every word a cell may say, with its meaning.
    for word in ("Red", "Amber", "Green", "No plan", "No action", "Overdue"):
        assert f"{word}:" in pages[1], word
    assert "2026, not done" in pages[1]
    # Implausible swings are flagged: the demo's forces' staff in scope moved by more than 25%.
    flags = next(p for p in pages if p.startswith("Denominators that moved more than 25%"))
    assert "Staff in scope" in flags and "Northumbria Police" in flags


def test_the_demo_board_summary_says_what_the_database_holds(app: Flask, demo: None) -> None:
    from tisc.services.accounts.organisations import get_partnership
    from tisc.services.board.dashboard import board_view
    from tisc.services.board.glance import board_glance

    with app.app_context():
        partnership = get_partnership(slug="north-east")
        view = board_view(partnership=partnership, financial_year=THIS, today=DEMO_DAY)
        summary = board_glance(view=view).summary
        members = [org.id for org in partnership.organisations]
        items = (
            select(func.count(PlanItem.id))
            .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
            .where(ActionPlan.financial_year == THIS, ActionPlan.organisation_id.in_(members))
        )
        overdue = db.session.scalar(
            items.where(PlanItem.due_date < DEMO_DAY, PlanItem.status != ItemStatus.DONE)
        )
        red = db.session.scalar(items.where(PlanItem.rag == Rag.RED))
        planned = set(
            db.session.scalars(
                select(ActionPlan.organisation_id).where(ActionPlan.financial_year == THIS)
            )
        )
        without = [org.name for org in partnership.organisations if org.id not in planned]
    found = re.fullmatch(r"(\d+) actions overdue, (\d+) red; (.+) has no plan", summary)
    assert found, summary
    assert (int(found.group(1)), int(found.group(2))) == (overdue, red)
    assert [found.group(3)] == without


@pytest.mark.slow
def test_the_demo_has_procurements_at_every_risk_level_and_a_contract_short_of_kpis(
    app: Flask, demo: None
) -> None:
    from tisc.rules.ppn009 import Level
    from tisc.services.procurements import contract_management
    from tisc.services.procurements.figures import procurement_counts
    from tisc.services.procurements.procurements import list_procurements
    from tisc.services.register.contracts import list_contracts

    with app.app_context():
        org = db.session.scalar(
            select(Organisation).where(Organisation.slug == "west-yorkshire-police")
        )
        found = list_procurements(org=org)
        levels = sorted(p.assessment.overall for p in found if p.assessment)
        assert set(levels) == set(Level)
        late = [p for p in found if p.assessment.assessed_on > (p.tender_notice_on or DEMO_DAY)]
        assert [p.title for p in late] == ["Officer uniforms and boots"]
        summaries = contract_management.contract_summaries(contracts=list_contracts(org=org))
        short = [s.contract.title for s in summaries if s.check.missing]
        assert short == ["Officer uniforms and boots"]
        assert any(s.contract.modern_slavery_clause and s.check.kpis >= 3 for s in summaries)
        every = db.session.scalars(select(Organisation)).all()
        counts = procurement_counts(organisations=every, financial_year=THIS)
        assert counts.contracts >= 3 and counts.missing_kpis >= 1


def test_the_demo_has_a_debarment_match_and_an_exclusion_due(app: Flask, demo: None) -> None:
    with app.app_context():
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
        matches = find_matches(organisations=orgs, today=DEMO_DAY)
        assert [(m.supplier_name, m.kind) for m in matches] == [
            ("Example Hand Car Wash Services Ltd", MatchKind.COMPANY_NUMBER)
        ]
        supplier = db.session.get(Supplier, matches[0].supplier_id)
        (row,) = list_decisions(org=matches[0].organisation, supplier=supplier, today=DEMO_DAY)
        assert (row.notification.state, row.notification.days) == (NotificationState.DUE, 18)


def test_the_demo_has_two_closed_incidents_with_remediation_and_one_open(
    app: Flask, demo: None
) -> None:
    from tisc.rules.incidents import IncidentStatus
    from tisc.services.incidents.counts import incident_counts
    from tisc.services.incidents.records import list_incidents

    with app.app_context():
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
        found = list_incidents(org=orgs[0])
        assert [i.status for i in found] == [IncidentStatus.OPEN, *[IncidentStatus.CLOSED] * 2]
        assert all(i.remediation_list and i.outcome for i in found[1:])
        assert all(list_incidents(org=org) == [] for org in orgs[1:])
        counts = incident_counts(
            organisations=orgs, financial_year=FinancialYear.containing(DEMO_DAY).start_year
        )
        assert (counts.found, counts.open, counts.closed) == (3, 1, 2)
