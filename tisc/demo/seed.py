"""Demo data: the North East partnership, its 14 bodies, users, suppliers and spend.

The demo is built around one day (`today`, by default the real date): it covers the financial
year that day is in and the year before, with nothing dated after it, so whoever opens it
finds a partnership in the middle of its year.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from tisc.config import ROOT
from tisc.database import db
from tisc.demo.due_diligence import seed_due_diligence, seed_earlier_year
from tisc.demo.exclusions import seed_exclusions
from tisc.demo.incidents import seed_incidents
from tisc.demo.plans import seed_plans
from tisc.demo.procurements import seed_procurements
from tisc.demo.statements import seed_statements
from tisc.models import Membership, Organisation, Role, Supplier, SupplierYear, User
from tisc.rules.names import normalise_supplier_name
from tisc.rules.years import FinancialYear
from tisc.services.accounts import organisations as org_service
from tisc.services.accounts.passwords import hash_password
from tisc.services.audit.chain import acting_as, record_event
from tisc.services.imports import importing as imports
from tisc.services.plans.commitments import list_commitments

DEMO_DIR = ROOT / "suppliers" / "demo"
SEED = 20240401
ORG_ROLES = (Role.PROCUREMENT, Role.STATEMENT, Role.VIEWER)


@dataclass(frozen=True)
class SeedReport:
    """What seed_demo did."""

    created: bool
    organisations: int = 0
    users: int = 0
    suppliers: int = 0
    spend_lines: int = 0
    assessments: int = 0
    plans: int = 0

    @property
    def message(self) -> str:
        if not self.created:
            return "Demo data is already loaded: nothing to do."
        return (
            f"Loaded demo data: {self.organisations} organisations, {self.users} users, "
            f"{self.suppliers} suppliers, {self.spend_lines} spend lines, "
            f"{self.assessments} assessments, {self.plans} action plans."
        )


def demo_emails(org_slugs: list[str]) -> list[tuple[str, Role, str | None]]:
    """Every demo user's email, role and organisation slug (None for partnership roles)."""
    people: list[tuple[str, Role, str | None]] = [
        ("admin@example.org", Role.ADMIN, None),
        ("coordinator@example.org", Role.COORDINATOR, None),
        ("board@example.org", Role.BOARD, None),
    ]
    for slug in org_slugs:
        people += [(f"{role.value}.{slug}@example.org", role, slug) for role in ORG_ROLES]
    return people


DEMO_TARGETS = {
    "assessed": Decimal(80),
    "mapped": Decimal(50),
    "plans": Decimal(50),
    "guidance": Decimal(100),
    "reviews": Decimal(75),
    "trained": Decimal(90),
}


def demo_years(today: date) -> tuple[FinancialYear, FinancialYear]:
    """The two years the demo covers: the one before the year `today` is in, and that year."""
    current = FinancialYear.containing(today)
    return FinancialYear(current.start_year - 1), current


def _load(name: str) -> dict[str, Any]:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def seed_demo(
    *, password: str, suppliers_per_body: int = 300, today: date | None = None
) -> SeedReport:
    """Create the demo partnership and everything in it, once, built around `today` (by
    default the real date); a second call does nothing."""
    with acting_as("demo data"):
        return _seed(
            password=password,
            suppliers_per_body=suppliers_per_body,
            today=today or date.today(),
        )


def _seed(*, password: str, suppliers_per_body: int, today: date) -> SeedReport:
    spec = _load("organisations.json")
    if org_service.find_partnership(slug=spec["partnership"]["slug"]) is not None:
        return SeedReport(created=False)
    partnership = org_service.create_partnership(**spec["partnership"])
    orgs = [
        org_service.create_organisation(partnership=partnership, **fields)
        for fields in spec["organisations"]
    ]
    users = _create_users(partnership_id=partnership.id, orgs=orgs, password=password)
    catalogue = _load("suppliers.json")
    years = demo_years(today)
    supplier_count = line_count = 0
    for index, org in enumerate(orgs):
        rng = random.Random(SEED + index)  # noqa: S311 - synthetic data, not security
        export = finance_export(
            org=org, catalogue=catalogue, rng=rng, size=suppliers_per_body, today=today
        )
        # The demo goes through the real importer, so it looks like real use.
        summary = imports.import_spend(
            org=org,
            user=None,
            data=export,
            filename=f"{org.slug}-payments-{years[0].start_year}-{today.year}.csv",
        )
        supplier_count += summary.suppliers_created
        line_count += summary.imported
        # Suppliers paid in the first year have been looked at; the newer ones stay "new".
        reviewed = db.session.execute(
            update(Supplier)
            .where(
                Supplier.organisation_id == org.id,
                Supplier.id.in_(
                    select(SupplierYear.supplier_id).where(
                        SupplierYear.financial_year == years[0].start_year
                    )
                ),
            )
            .values(reviewed=True)
        )
        record_event(
            action="update",
            record_type="suppliers",
            record_id=None,
            organisation_id=org.id,
            summary=f"Marked {reviewed.rowcount:,} suppliers paid in {years[0].label} as reviewed",
            after={"reviewed": True, "suppliers": reviewed.rowcount},
        )
    db.session.flush()
    assessment_count = seed_earlier_year(
        orgs=orgs, year=years[0].start_year, seed=SEED, today=today
    )
    assessment_count += seed_due_diligence(
        orgs=orgs, year=years[-1].start_year, seed=SEED, today=today
    )
    seed_procurements(orgs=orgs, today=today)
    commitments = list_commitments(partnership=partnership, active_only=True)
    # The targets the demo's coordinators agreed for the KPIs (tisc sets none by itself).
    for commitment in commitments:
        commitment.target_percent = DEMO_TARGETS.get(commitment.kpi_key or "")
    plan_count = seed_plans(
        orgs=orgs,
        commitments=commitments,
        years=[y.start_year for y in years],
        seed=SEED,
        today=today,
    )
    seed_statements(orgs=orgs, partnership=partnership, seed=SEED, today=today)
    seed_exclusions(orgs=orgs, today=today)
    seed_incidents(orgs=orgs, today=today)
    return SeedReport(
        True, len(orgs), users, supplier_count, line_count, assessment_count, plan_count
    )


def _create_users(*, partnership_id: int, orgs: list[Organisation], password: str) -> int:
    # One hash for every demo account: they share a published password anyway, and
    # hashing 45 times at production cost would make `make run` slow for no gain.
    password_hash = hash_password(password)
    by_slug = {o.slug: o for o in orgs}
    people = demo_emails([o.slug for o in orgs])
    for email, role, slug in people:
        org = by_slug.get(slug) if slug else None
        name = f"Demo {role.label.lower()}" + (f", {org.name}" if org else "")
        user = User(email=email, name=name, password_hash=password_hash)
        user.memberships.append(
            Membership(
                role=role,
                organisation_id=org.id if org else None,
                partnership_id=partnership_id if role.scope == "partnership" else None,
            )
        )
        db.session.add(user)
    return len(people)


def _supplier_name(rng: random.Random, catalogue: dict[str, Any], category: dict[str, Any]) -> str:
    stem = rng.choice(category["stems"])
    place = rng.choice(catalogue["places"])
    if category.get("commissioners_favour"):
        return f"{place} {stem}"
    return f"{place} {stem} {rng.choice(catalogue['suffixes'])}"


def finance_export(
    *, org: Organisation, catalogue: dict[str, Any], rng: random.Random, size: int, today: date
) -> bytes:
    """A synthetic finance export for one body, in the shapes real exports take: last year's
    payments and this year's up to `today`.

    Forces write UK dates and "£1,234.56" with credits in brackets; commissioners' offices
    write ISO dates and plain numbers. A few payments go to redacted individuals.
    """
    categories = [
        c
        for c in catalogue["categories"]
        if not (c.get("forces_only") and org.kind == "commissioner")
    ]
    weights = [
        c["weight"] * (4 if c.get("commissioners_favour") and org.kind == "commissioner" else 1)
        for c in categories
    ]
    # A commissioner's office is much smaller than a force.
    size = size if org.kind == "force" else max(40, size // 2)
    chosen: dict[str, tuple[dict[str, Any], str | None]] = {}
    keys: set[str] = set()  # the chosen names' matching keys: no two suppliers are one
    while len(chosen) < size:
        category = rng.choices(categories, weights)[0]
        name = _supplier_name(rng, catalogue, category)
        key = normalise_supplier_name(name)
        if key in keys:
            continue
        keys.add(key)
        has_number = rng.random() < 0.7 and not category.get("commissioners_favour")
        number = f"{rng.randrange(1_000_000, 15_000_000):08d}" if has_number else None
        chosen[name] = (category, number)

    uk_style = org.kind == "force"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{org.name} – payments over £500"])  # a title row above the header
    writer.writerow(
        [
            "Payment Date",
            "Transaction Number",
            "Supplier Name",
            "Company Number",
            "Expense Type",
            "Cost Centre",
            "Net Amount",
        ]
    )
    reference = 0
    years = demo_years(today)
    # Days of each year with payments: all of last year, this year up to today.
    spans = [(y.ends - y.starts).days + 1 for y in years[:-1]]
    spans.append((today - years[-1].starts).days + 1)
    # How far into this year we are: fewer suppliers paid so far, and fewer times each.
    share = spans[-1] / 365
    for name, (category, number) in chosen.items():
        # A few big suppliers take most of the money, as in real registers.
        scale = category["typical_payment"] * rng.lognormvariate(0, 0.9)
        for year, span in zip(years, spans, strict=True):
            part = 1.0 if year is years[0] else share
            if rng.random() < 0.15 + 0.5 * (1 - part):
                continue  # not used this year (so far)
            for _ in range(max(1, round(rng.expovariate(1 / 6) * part))):
                pence = round(scale * rng.lognormvariate(0, 0.5) * 100)
                credit = rng.random() < 0.03
                day = year.starts + timedelta(days=rng.randrange(span))
                reference += 1
                if uk_style:
                    amount = f"£{pence / 100:,.2f}" if not credit else f"(£{pence / 100:,.2f})"
                    paid = day.strftime("%d/%m/%Y")
                else:
                    amount = f"{'-' if credit else ''}{pence // 100}.{pence % 100:02d}"
                    paid = day.isoformat()
                writer.writerow(
                    [
                        paid,
                        f"{org.slug[:3].upper()}{reference:07d}",
                        name,
                        number or "",
                        category["finance_text"],
                        rng.choice(COST_CENTRES),
                        amount,
                    ]
                )
    for n in range(3):
        day = years[-1].starts + timedelta(days=rng.randrange(spans[-1]))
        writer.writerow(
            [
                day.strftime("%d/%m/%Y") if uk_style else day.isoformat(),
                f"RED{n:05d}",
                "Redacted Personal Data",
                "",
                "PERSONAL PAYMENTS",
                "Victim services",
                "650.00",
            ]
        )
    return buffer.getvalue().encode("utf-8")


COST_CENTRES = ("Estates", "Fleet", "Custody", "Operations", "ICT", "Corporate services", "HR")
