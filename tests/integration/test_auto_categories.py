"""Categories found automatically, each with its reason: from another body's decision, the
reference list and words in the name, after the finance text; a person's choice always wins;
the register, the supplier page and the export say how; `categorise` on demand."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from sqlalchemy import select

from tests.integration.register_support import (
    Pay,
    as_user,
    category_id,
    import_payments,
    register,
    snapshot,
    supplier_id,
)
from tisc.extensions import db
from tisc.models import CategorySource, Supplier

URL = "/organisations/alpha-police/suppliers"
CONSTRUCTION = "Construction, building works and maintenance"
CLEANING = "Cleaning services and materials"
HOTELS = "Hotels and accommodation"


def _supplier(app: Flask, slug: str, name: str) -> Supplier:
    sid = supplier_id(app, slug, name)
    with app.app_context():
        found = db.session.get(Supplier, sid)
        db.session.expunge(found)
        return found


def _choose(app: Flask, slug: str, name: str, category: str) -> None:
    """A person's choice, as the supplier page saves it."""
    sid, cid = supplier_id(app, slug, name), category_id(app, category)
    with app.app_context():
        found = db.session.get(Supplier, sid)
        found.category_id = cid
        found.category_source = CategorySource.CHOSEN
        found.category_reason = None
        db.session.commit()


def _cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["categorise", *args])


def test_names_and_the_reference_list_categorise_with_a_reason(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("ACME ROOFING LTD", "2024-05-01", "60000.00"),
        Pay("WILLMOTT DIXON CONSTRUCTION LTD", "2024-05-01", "1650000.00"),
        Pay("Sparkle Cleaning Contractors", "2024-05-01", "100.00"),
        Pay("Kennel Club Ltd", "2024-05-01", "70000.00"),
    )
    roofing = _supplier(app, "alpha-police", "ACME ROOFING LTD")
    assert (roofing.category.name, roofing.category_source, roofing.category_reason) == (
        CONSTRUCTION,
        CategorySource.NAME,
        "name contains ROOFING",
    )
    dixon = _supplier(app, "alpha-police", "WILLMOTT DIXON CONSTRUCTION LTD")
    assert dixon.category_source is CategorySource.REFERENCE  # the stronger source
    assert (
        dixon.category_reason == "Willmott Dixon is on the reference list of well-known suppliers"
    )
    assert _supplier(app, "alpha-police", "Sparkle Cleaning Contractors").category.name == CLEANING
    kennel = _supplier(app, "alpha-police", "Kennel Club Ltd")
    assert (kennel.category_id, kennel.category_source, kennel.category_reason) == (
        None,
        CategorySource.NONE,
        None,
    )

    client = as_user(app, "viewer.alpha-police@example.org")
    rows = register(client, f"{URL}?year=2024-25")
    assert rows["ACME ROOFING LTD"].tier == "Tier A"
    assert "High risk" in rows["ACME ROOFING LTD"].flags
    assert rows["Kennel Club Ltd"].tier == "Tier A"  # needs a category
    exported = client.get(f"{URL}/export.csv?year=2024-25")
    lines = {r["Supplier"]: r for r in csv.DictReader(io.StringIO(exported.data.decode()))}
    assert lines["ACME ROOFING LTD"]["Category"] == CONSTRUCTION
    assert (
        f"{CONSTRUCTION} is a high-risk category (automatic: name contains ROOFING)"
        in lines["ACME ROOFING LTD"]["Flag reasons"]
    )


def test_another_bodys_decision_counts_and_a_persons_choice_wins(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app, "beta-opcc", Pay("Shared Services Ltd", "2024-05-01", "10.00", company="01234567")
    )
    _choose(app, "beta-opcc", "Shared Services Ltd", CLEANING)
    import_payments(
        app,
        "alpha-police",
        Pay("SHARED SERVICES LIMITED", "2024-05-01", "80000.00", company="01234567"),
        Pay("Acme Roofing Ltd", "2024-05-01", "10.00"),
    )
    shared = _supplier(app, "alpha-police", "SHARED SERVICES LIMITED")
    beta_id = supplier_id(app, "beta-opcc", "Shared Services Ltd")
    with app.app_context():
        beta = db.session.get(Supplier, beta_id)
        beta_name = beta.organisation.name
    assert (shared.category.name, shared.category_source) == (CLEANING, CategorySource.PARTNERSHIP)
    assert shared.category_reason == f"{beta_name} categorised this supplier"

    # A person's choice in this body stays, whatever the rules say, and needs no reason.
    _choose(app, "alpha-police", "Acme Roofing Ltd", HOTELS)
    result = _cli(app, "--org", "alpha-police", "--json")
    assert result.exit_code == 0, result.output
    roofing = _supplier(app, "alpha-police", "Acme Roofing Ltd")
    assert (roofing.category.name, roofing.category_source, roofing.category_reason) == (
        HOTELS,
        CategorySource.CHOSEN,
        None,
    )


def test_categorise_counts_by_source_and_a_dry_run_writes_nothing(
    app: Flask, two_bodies: dict
) -> None:
    import_payments(
        app,
        "alpha-police",
        Pay("Acme Roofing Ltd", "2024-05-01", "60000.00"),
        Pay("Biffa Waste Services Ltd", "2024-05-01", "60000.00"),
        Pay("Mystery Ltd", "2024-05-01", "60000.00"),
        Pay("Castle Consulting Partners", "2024-05-01", "60000.00"),  # a low-confidence rule
        Pay("Hotel Stay Ltd", "2024-05-01", "60.00", category="HOTEL ACCOMMODATION"),
    )
    # Forget the categories found at import, as a register from before this release would.
    with app.app_context():
        for found in db.session.scalars(select(Supplier)):
            found.category_id, found.category_source, found.category_reason = (
                None,
                CategorySource.NONE,
                None,
            )
            found.suggested_category_id = found.suggested_source = found.suggested_reason = None
        db.session.commit()
    before = snapshot(app)
    dry = _cli(app, "--org", "alpha-police", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert snapshot(app) == before
    counted = json.loads(dry.output)
    assert counted == {
        "suppliers": 5,
        "categorised": 3,
        "automatic": 3,
        "for_review": 1,  # Castle Consulting: a suggestion, not applied
        "uncategorised": 2,
        "changed": 4,
        "by_source": {"keyword": 1, "name": 1, "reference": 1},
    }
    done = _cli(app, "--org", "alpha-police", "--json")
    assert json.loads(done.output) == counted
    assert snapshot(app) != before
    again = json.loads(_cli(app, "--partnership", "north-east", "--json").output)
    assert again["changed"] == 0  # nothing left to change
    said = _cli(app, "--org", "alpha-police")
    assert said.output.startswith(
        "Changed the category of 0 suppliers. Of 5 suppliers, 3 have a category (3 found "
        "automatically) and 2 wait for a person to choose one (1 with a suggestion to review)."
    )
    neither = _cli(app)
    assert (
        neither.exit_code == 2 and "Give either --org SLUG or --partnership SLUG" in neither.output
    )


WASTE = "Waste and recycling"
EXPORT = (
    "Supplier Name,Payment Date,Net Amount,Expense Type,Cost Centre,Narrative,CPV Code\n"
    # The expense type says nothing; the cost centre that paid suggests, for review.
    "Greenway Ltd,01/05/2024,60000.00,Supplies and Services,Waste Management,Invoice 1,\n"
    # A later payment's cost centre is the one kept.
    "Northern Works Ltd,01/05/2024,10.00,Supplies and Services,Finance,Invoice 2,\n"
    "Northern Works Ltd,02/05/2024,60000.00,Supplies and Services,,Invoice 3,45261000-1\n"
    # The narrative (description) names the work.
    "Brightside Ltd,01/05/2024,60000.00,Supplies and Services,Finance,Office cleaning May,\n"
    # Nothing anywhere: no category.
    "Mystery Ltd,01/05/2024,60000.00,Supplies and Services,Finance,Invoice 4,\n"
)


def test_the_description_and_cpv_code_categorise_and_the_cost_centre_suggests(
    app: Flask, two_bodies: dict
) -> None:
    from tisc.services.accounts import organisations
    from tisc.services.imports import importing

    with app.app_context():
        summary = importing.import_spend(
            org=organisations.get_organisation(slug="alpha-police"),
            user=None,
            data=EXPORT.encode(),
            filename="council.csv",
        )
        db.session.commit()
    assert summary.imported == 5, summary.problems
    found = {
        name: (
            s.category.name if s.category else None,
            s.category_source,
            s.category_reason,
            s.suggested_reason,
        )
        for name in ("Greenway Ltd", "Northern Works Ltd", "Brightside Ltd", "Mystery Ltd")
        for s in [_supplier_with_category(app, name)]
    }
    assert found == {
        # A cost centre names the team that paid, not what it bought: only a suggestion.
        "Greenway Ltd": (
            None,
            CategorySource.NONE,
            None,
            "cost centre ‘Waste Management’ contains ‘waste’",
        ),
        # The cost centre of its later payment is empty: the earlier one ("Finance") is kept,
        # says nothing, and the CPV code of the later payment does.
        "Northern Works Ltd": (
            CONSTRUCTION,
            CategorySource.CPV,
            f"CPV code 45261000 is within {CONSTRUCTION}’s code 45000000",
            None,
        ),
        "Brightside Ltd": (
            CLEANING,
            CategorySource.KEYWORD,
            "description ‘Office cleaning May’ contains ‘cleaning’",
            None,
        ),
        "Mystery Ltd": (None, CategorySource.NONE, None, None),
    }
    rows = register(as_user(app, "procurement.alpha-police@example.org"), f"{URL}?year=2024-25")
    assert rows["Brightside Ltd"].tier == "Tier A"  # over the threshold, high risk
    assert rows["Brightside Ltd"].category.startswith(CLEANING)
    assert rows["Greenway Ltd"].category == (
        f"Supplies and Services Suggested: {WASTE} (not sure: cost centre ‘Waste Management’ "
        "contains ‘waste’)"
    )
    assert rows["Mystery Ltd"].tier == "Tier A" and "Needs a category" in rows["Mystery Ltd"].flags


def _supplier_with_category(app: Flask, name: str) -> Supplier:
    sid = supplier_id(app, "alpha-police", name)
    with app.app_context():
        found = db.session.get(Supplier, sid)
        _ = found.category
        db.session.expunge(found)
        return found
