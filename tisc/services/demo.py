"""Demo data: the North East partnership, its 14 bodies, users, suppliers and spend."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from tisc.extensions import db
from tisc.models import Membership, Organisation, Role, SpendLine, Supplier, User
from tisc.rules.money import to_pounds
from tisc.rules.names import normalise_supplier_name
from tisc.rules.years import FinancialYear
from tisc.security import hash_password
from tisc.services import organisations as org_service

DEMO_DIR = Path(__file__).resolve().parents[2] / "suppliers" / "demo"
DEMO_YEARS = (FinancialYear(2024), FinancialYear(2025))
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

    @property
    def message(self) -> str:
        if not self.created:
            return "Demo data is already loaded: nothing to do."
        return (
            f"Loaded demo data: {self.organisations} organisations, {self.users} users, "
            f"{self.suppliers} suppliers, {self.spend_lines} spend lines."
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


def _load(name: str) -> dict[str, Any]:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def seed_demo(*, password: str, suppliers_per_body: int = 300) -> SeedReport:
    """Create the demo partnership and everything in it, once; a second call does nothing."""
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
    supplier_count = line_count = 0
    for index, org in enumerate(orgs):
        rng = random.Random(SEED + index)  # noqa: S311 - synthetic data, not security
        made, lines = _create_register(
            org=org, catalogue=catalogue, rng=rng, size=suppliers_per_body
        )
        supplier_count += made
        line_count += lines
    db.session.flush()
    return SeedReport(True, len(orgs), users, supplier_count, line_count)


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


def _create_register(
    *, org: Organisation, catalogue: dict[str, Any], rng: random.Random, size: int
) -> tuple[int, int]:
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
    suppliers: list[Supplier] = []
    chosen: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(suppliers) < size:
        category = rng.choices(categories, weights)[0]
        name = _supplier_name(rng, catalogue, category)
        key = normalise_supplier_name(name)
        if key in seen:
            continue
        seen.add(key)
        has_number = rng.random() < 0.7 and not category.get("commissioners_favour")
        suppliers.append(
            Supplier(
                organisation_id=org.id,
                name=name,
                normalised_name=key,
                company_number=f"{rng.randrange(1_000_000, 15_000_000):08d}"
                if has_number
                else None,
                category_text=category["finance_text"],
            )
        )
        chosen.append(category)
    db.session.add_all(suppliers)
    db.session.flush()

    lines: list[dict[str, Any]] = []
    for supplier, category in zip(suppliers, chosen, strict=True):
        # A few big suppliers take most of the money, as in real registers.
        scale = category["typical_payment"] * rng.lognormvariate(0, 0.9)
        for year in DEMO_YEARS:
            if rng.random() < 0.15:
                continue  # not used this year
            for _ in range(max(1, int(rng.expovariate(1 / 6)))):
                amount = to_pounds(Decimal(str(round(scale * rng.lognormvariate(0, 0.5), 2))))
                if rng.random() < 0.03:
                    amount = -amount  # a credit note
                day = year.starts + timedelta(days=rng.randrange(365))
                lines.append(
                    {
                        "organisation_id": org.id,
                        "supplier_id": supplier.id,
                        "payment_date": day,
                        "financial_year": FinancialYear.containing(day).start_year,
                        "amount": amount,
                        "reference": f"{org.slug[:3].upper()}{len(lines) + 1:07d}",
                        "category_text": category["finance_text"],
                    }
                )
    db.session.execute(insert(SpendLine), lines)
    return len(suppliers), len(lines)
