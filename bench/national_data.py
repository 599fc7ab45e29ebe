"""A national register for `make bench-national`: 84 bodies, five financial years, tens of
millions of spend lines, generated in PostgreSQL itself.

The schema comes from the migrations and the small things (partnerships, bodies, users, the
demo partnership's plans, commitments and statements) from the app's own services; only the
suppliers, their spend lines and the totals the app keeps beside them (supplier_years, each
import's year totals) are written in bulk SQL, as the importer would have left them.

The shape: six partnerships of 14 bodies (seven forces, seven commissioners' offices), the
largest body six times the smallest; per body tens of thousands of suppliers whose payments
fall off steeply with rank (a long tail paid once or twice); 400 national suppliers (company
numbers, larger payments) of which every body uses 300; a quarter of each body's other
suppliers shared with the bodies of its partnership (same name, same company number).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import date

import psycopg

from bench.data import WORDS

FIRST_YEAR, LAST_YEAR = 2021, 2025  # 2021/22 to 2025/26
TODAY = date(2026, 3, 31)  # the demo partnership's day: the end of the last year
NATIONAL_SUPPLIERS, NATIONAL_PER_BODY = 400, 300
LINES_PER_SUPPLIER = 8  # over the five years, so the largest body has ~80,000 suppliers
PASSWORD = "bench national lantern"  # noqa: S105 - throwaway accounts in a throwaway database
GENERATOR_VERSION = 1

# A trade word in the supplier's name and the finance category its payments carry.
TRADES = (
    ("Cleaning", "CLEANING & JANITORIAL.CLEANING SERVICES"),
    ("Workwear", "UNIFORMS & CLOTHING.UNIFORMS"),
    ("Security", "SECURITY.MANNED GUARDING"),
    ("Catering", "CATERING.FOOD & CATERING SERVICES"),
    ("Couriers", "TRANSPORT.COURIERS & LOGISTICS"),
    ("Builders", "PROPERTY.CONSTRUCTION & BUILDING WORKS"),
    ("Roofing", "PROPERTY.REPAIRS & MAINTENANCE"),
    ("Software", "ICT.SOFTWARE & LICENCES"),
    ("Legal", "PROFESSIONAL SERVICES.LEGAL"),
    ("Recruitment", "HR.AGENCY STAFF & RECRUITMENT"),
    ("Tyres", "TRANSPORT.FLEET & VEHICLES"),
    ("Valeting", "TRANSPORT.VEHICLE SERVICES & CAR WASH"),
    ("Waste", "WASTE MANAGEMENT.WASTE & RECYCLING"),
    ("Print", "OFFICE SUPPLIES.STATIONERY & PRINT"),
    ("Medical", "MEDICAL.CUSTODY HEALTHCARE & CONSUMABLES"),
    ("Hotels", "TRAVEL & ACCOMMODATION.HOTELS"),
    ("Electrical", "PROPERTY.REPAIRS & MAINTENANCE"),
    ("Grounds", "PROPERTY.GROUNDS MAINTENANCE"),
    ("Energy", "UTILITIES.ENERGY & WATER"),
    ("Consulting", "PROFESSIONAL SERVICES.CONSULTANCY & AUDIT"),
    ("Armour", "UNIFORMS & CLOTHING.BODY ARMOUR & PPE"),
    ("Computers", "ICT.HARDWARE & DEVICES"),
    ("Janitorial", "CLEANING & JANITORIAL.CLEANING MATERIALS"),
    ("Hygiene", "CLEANING & JANITORIAL.CLEANING SERVICES"),
    ("Vehicles", "TRANSPORT.FLEET & VEHICLES"),
)
# Spellings of the suffix and what normalise_supplier_name makes of each.
SUFFIXES = (
    ("Ltd", "ltd"),
    ("Limited", "ltd"),
    ("LLP", "llp"),
    ("& Sons Ltd", "and sons ltd"),
    ("Group Ltd", "group ltd"),
    ("UK Limited", "uk ltd"),
    ("Services Ltd", "services ltd"),
    ("", ""),
)
COST_CENTRES = ("Estates", "Fleet", "Custody", "Operations", "ICT", "Corporate services", "HR")
# The five other partnerships: seven force areas each (with their commissioners' offices).
REGIONS = {
    "South West": "Avon and Somerset|Devon and Cornwall|Dorset|Gloucestershire|Wiltshire|"
    "Hampshire|Thames Valley",
    "South East": "Kent|Surrey|Sussex|Bedfordshire|Hertfordshire|Essex|City of London",
    "Eastern": "Cambridgeshire|Norfolk|Suffolk|Lincolnshire|Northamptonshire|"
    "Leicestershire|Nottinghamshire",
    "Midlands": "Derbyshire|Staffordshire|Warwickshire|West Mercia|West Midlands|Cheshire|Cumbria",
    "North West and Wales": "Greater Manchester|Lancashire|Merseyside|Dyfed-Powys|Gwent|"
    "North Wales|South Wales",
}
LARGEST = "west-yorkshire-police"  # in the demo partnership, so its board and statement hold it
PARTNERSHIP = "north-east"


@dataclass
class Body:
    """One body's share of the generated register."""

    org_id: int
    slug: str
    index: int  # 0..83
    partnership_index: int  # 0..5
    weight: float
    import_id: int = 0
    lines: int = 0
    suppliers: int = 0


def _array(values: tuple[str, ...] | list[str]) -> str:
    quoted = ",".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"ARRAY[{quoted}]::text[]"


def _names(g: str) -> tuple[str, str]:
    """SQL for a local supplier's name and normalised name from its number `g` (a bigint
    expression): words, trade and a number in the name, so each number has its own name."""
    w1 = f"({_array(WORDS)})[1 + {g} % 25]"
    trade = f"({_array([t for t, _ in TRADES])})[1 + ({g} / 25) % 25]"
    w2 = f"({_array(WORDS)})[1 + ({g} / 625) % 25]"
    number = f"(1 + {g} / 15625)::text"
    suffix = f"(({g} * 7) % {len(SUFFIXES)})"
    spelt = f"({_array([s for s, _ in SUFFIXES])})[1 + {suffix}]"
    normal = f"({_array([n for _, n in SUFFIXES])})[1 + {suffix}]"
    base = f"{w1} || ' ' || {w2} || ' ' || {trade} || ' ' || {number}"
    return f"rtrim({base} || ' ' || {spelt})", f"lower(rtrim({base} || ' ' || {normal}))"


def _national_names(i: str) -> tuple[str, str]:
    w = f"({_array(WORDS)})[1 + {i} % 25]"
    trade = f"({_array([t for t, _ in TRADES])})[1 + ({i} / 25) % 25]"
    base = f"{w} || ' ' || {trade} || ' Group'"
    return f"{base} || ' plc'", f"lower({base}) || ' plc'"


def body_shapes(bodies: list[Body], total_lines: int) -> None:
    """Each body's lines and suppliers from its weight (the largest six times the smallest)."""
    weights = sum(b.weight for b in bodies)
    for body in bodies:
        body.lines = max(2_000, round(total_lines * body.weight / weights))
        body.suppliers = max(NATIONAL_PER_BODY + 200, body.lines // LINES_PER_SUPPLIER)


def weight_of(slug: str, kind: str, rng: random.Random) -> float:
    """How big a body is: forces 2.5 to 6, commissioners' offices 1 to 2; the largest 6.5."""
    if slug == LARGEST:
        return 6.5
    return rng.uniform(2.5, 6.0) if kind == "force" else rng.uniform(1.0, 2.0)


def insert_suppliers(conn: psycopg.Connection, body: Body, categories: dict[str, tuple]) -> None:
    """The body's suppliers, in rank order (rank 0 is paid most), ids contiguous: its 300
    national suppliers first, then local ones (every fourth shared in its partnership)."""
    national_name, national_normal = _national_names(f"((k * 7 + {body.index} * 13) % 400)")
    # Local number: shared within the partnership, or the body's own range.
    g = (
        f"(CASE WHEN (k - {NATIONAL_PER_BODY}) % 4 = 0"
        f" THEN {body.partnership_index}::bigint * 1000000 + (k - {NATIONAL_PER_BODY}) / 4"
        f" ELSE (100 + {body.index})::bigint * 1000000 + k END)"
    )
    local_name, local_normal = _names(g)
    trade = (
        f"(CASE WHEN k < {NATIONAL_PER_BODY} THEN ((k * 7 + {body.index} * 13) % 400) / 25"
        f" ELSE ({g} / 25) % 25 END)"
    )
    texts = _array([text for _, text in TRADES])
    cat_ids = "ARRAY[" + ",".join(str(categories[t][0] or "NULL") for _, t in TRADES) + "]"
    cat_sources = _array([categories[t][1] for _, t in TRADES])
    cat_reasons = _array([categories[t][2] or "" for _, t in TRADES])
    # A fifth of the local suppliers come with no finance category: nothing says what they are.
    blank = f"(k >= {NATIONAL_PER_BODY} AND {g} % 5 = 4)"
    number = (
        f"CASE WHEN k < {NATIONAL_PER_BODY}"
        f" THEN lpad((1000000 + (k * 7 + {body.index} * 13) % 400 * 7919)::text, 8, '0')"
        f" WHEN {g} % 5 < 3 THEN lpad((({g} * 2654435761) % 90000000 + 1000000)::text, 8, '0')"
        " END"
    )
    conn.execute(
        "INSERT INTO suppliers (organisation_id, name, normalised_name, company_number,"  # noqa: S608 - numbers, fixed words
        " category_text, category_id, category_source, category_reason, created_by_import_id,"
        " reviewed, version_id, created_at, updated_at)"
        f" SELECT {body.org_id},"
        f" CASE WHEN k < {NATIONAL_PER_BODY} THEN {national_name} ELSE {local_name} END,"
        f" CASE WHEN k < {NATIONAL_PER_BODY} THEN {national_normal} ELSE {local_normal} END,"
        f" {number},"
        f" CASE WHEN {blank} THEN NULL ELSE ({texts})[1 + {trade}] END,"
        f" CASE WHEN {blank} THEN NULL ELSE ({cat_ids})[1 + {trade}] END,"
        f" CASE WHEN {blank} THEN 'none' ELSE ({cat_sources})[1 + {trade}] END,"
        f" CASE WHEN {blank} THEN NULL ELSE nullif(({cat_reasons})[1 + {trade}], '') END,"
        f" {body.import_id}, true, 1, now(), now()"
        f" FROM generate_series(0, {body.suppliers - 1}) AS k ORDER BY k"
    )


def insert_lines(conn: psycopg.Connection, body: Body, first_id: int) -> None:
    """The body's spend lines: one for every supplier (so each is in the register), the rest
    to rank floor(n * u^3) (u uniform): a few suppliers take most payments, the tail one or
    two. National suppliers' payments are larger. 2% are credits."""
    n_sup = body.suppliers
    texts = _array([text for _, text in TRADES])
    conn.execute(f"SELECT setseed({(body.index + 1) / 100})")
    # The years grow a little (5% a year); the first line of each supplier falls in any year.
    year = f"{FIRST_YEAR} + width_bucket(random(), ARRAY[0, 0.18, 0.37, 0.57, 0.78]::float8[]) - 1"
    conn.execute(
        "INSERT INTO spend_lines (organisation_id, supplier_id, import_id, line_key, row_number,"  # noqa: S608 - numbers, fixed words
        " payment_date, financial_year, amount_pence, reference, category_text, description,"
        " cost_centre)"
        f" SELECT {body.org_id}, {first_id} + rank, {body.import_id},"
        f" hashint8extended(n, {body.org_id}), n + 2,"
        " make_date(fy, 4, 1) + (random() * 364)::int, fy,"
        " (CASE WHEN random() < 0.02 THEN -1 ELSE 1 END) * greatest(100, (exp("
        f"  CASE WHEN rank < {NATIONAL_PER_BODY} THEN 12.3 ELSE 11.0 END"
        "  + 1.3 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::bigint),"
        " 'PAY' || lpad(n::text, 8, '0'),"
        f" CASE WHEN rank >= {NATIONAL_PER_BODY} AND g % 5 = 4 THEN NULL"
        f"  ELSE ({texts})[1 + trade] END,"
        " NULL,"
        f" ({_array(COST_CENTRES)})[1 + (n % {len(COST_CENTRES)})]"
        " FROM ("
        f"  SELECT n, rank, {year} AS fy,"
        f"   CASE WHEN rank < {NATIONAL_PER_BODY}"
        f"    THEN ((rank * 7 + {body.index} * 13) % 400) / 25"
        "    ELSE (g / 25) % 25 END AS trade, g"
        "  FROM ("
        f"   SELECT n, r AS rank, CASE WHEN (r - {NATIONAL_PER_BODY}) % 4 = 0"
        f"    THEN {body.partnership_index}::bigint * 1000000 + (r - {NATIONAL_PER_BODY}) / 4"
        f"    ELSE (100 + {body.index})::bigint * 1000000 + r END AS g"
        "   FROM ("
        f"    SELECT n, CASE WHEN n < {n_sup} THEN n"
        f"     ELSE least({n_sup - 1}, floor({n_sup} * power(random(), 3)))::bigint END AS r"
        f"    FROM generate_series(0::bigint, {body.lines - 1}) AS n OFFSET 0"
        "   ) AS ranked OFFSET 0"
        "  ) AS numbered OFFSET 0"
        " ) AS line"
    )


def definitions(conn: psycopg.Connection, table: str) -> tuple[list[str], list[str]]:
    """A table's constraints (unique, foreign key) and indexes other than its key, as the
    statements that make them and the statements that drop them.

    Dropped for the bulk load and made again after: building an index once is far quicker
    than keeping it up row by row, and the foreign key is checked once over the table."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
        (table,),
    ).fetchall()
    names = {name for name, _ in constraints}
    indexes = [
        (name, definition)
        for name, definition in conn.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = %s::regclass AND NOT x.indisprimary",
            (table,),
        )
        if name not in names
    ]
    make = [f"ALTER TABLE {table} ADD CONSTRAINT {n} {d}" for n, d in constraints]
    make += [d for _, d in indexes]
    drop = [f"ALTER TABLE {table} DROP CONSTRAINT {n}" for n, _ in constraints]
    drop += [f"DROP INDEX {n}" for n, _ in indexes]
    return make, drop


def bulk_load(conn: psycopg.Connection, bodies: list[Body], categories: dict) -> None:
    """Suppliers, spend lines, annual totals and each import's figures, as the importer
    would have left them; then VACUUM ANALYZE (autovacuum is off on some servers).
    `conn` is in autocommit mode."""
    conn.execute("SET work_mem = '256MB'")
    conn.execute("SET maintenance_work_mem = '512MB'")
    conn.execute("SET synchronous_commit = off")
    started = time.perf_counter()
    first_ids = {}
    for body in bodies:
        insert_suppliers(conn, body, categories[body.partnership_index])
        low, high, count = conn.execute(
            "SELECT min(id), max(id), count(*) FROM suppliers WHERE organisation_id = %s"
            " AND created_by_import_id = %s",
            (body.org_id, body.import_id),
        ).fetchone()
        assert high - low + 1 == count == body.suppliers, (body.slug, low, high, count)
        first_ids[body.slug] = low
    print(f"  suppliers: {sum(b.suppliers for b in bodies):,} in {_since(started)}", flush=True)
    make, drop = definitions(conn, "spend_lines")
    make_years, drop_years = definitions(conn, "supplier_years")
    for sql in drop + drop_years:
        conn.execute(sql)
    started = time.perf_counter()
    for number, body in enumerate(bodies, 1):
        insert_lines(conn, body, first_ids[body.slug])
        if number % 12 == 0:
            print(f"  lines: {number} of {len(bodies)} bodies, {_since(started)}", flush=True)
    started = time.perf_counter()
    for sql in make:
        conn.execute(sql)
    print(f"  spend_lines indexes and constraints made again in {_since(started)}", flush=True)
    started = time.perf_counter()
    conn.execute(
        "INSERT INTO supplier_years (supplier_id, financial_year, organisation_id, spend_pence,"
        " payments) SELECT supplier_id, financial_year, organisation_id, sum(amount_pence),"
        " count(*) FROM spend_lines WHERE import_id = ANY(%s)"
        " GROUP BY supplier_id, financial_year, organisation_id",
        ([b.import_id for b in bodies],),
    )
    for sql in make_years:
        conn.execute(sql)
    totals: dict[int, list] = {}
    for import_id, year, payments, pence in conn.execute(
        "SELECT s.created_by_import_id, y.financial_year, sum(y.payments), sum(y.spend_pence)"
        " FROM supplier_years y JOIN suppliers s ON s.id = y.supplier_id"
        " WHERE s.created_by_import_id = ANY(%s) GROUP BY 1, 2 ORDER BY 1, 2",
        ([b.import_id for b in bodies],),
    ):
        totals.setdefault(import_id, []).append(
            {"year": int(year), "payments": int(payments), "pence": int(pence)}
        )
    for body in bodies:
        years = totals[body.import_id]
        conn.execute(
            "UPDATE spend_imports SET rows_read = %s, imported = %s, suppliers_created = %s,"
            " total_imported_pence = %s, year_totals = %s WHERE id = %s",
            (
                body.lines,
                body.lines,
                body.suppliers,
                sum(y["pence"] for y in years),
                json.dumps(years),
                body.import_id,
            ),
        )
    print(f"  supplier_years and import totals in {_since(started)}", flush=True)
    started = time.perf_counter()
    conn.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE in {_since(started)}", flush=True)


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def _category_map(partnerships: list) -> dict[int, dict[str, tuple]]:
    """Each partnership's category (id, source, reason) for every finance category text, as
    the importer decided it for the demo partnership's suppliers (most common decision)."""
    from collections import Counter

    from sqlalchemy import select

    from tisc.database import db
    from tisc.models import Category, Supplier

    rows = db.session.execute(
        select(
            Supplier.category_text,
            Category.name,
            Supplier.category_source,
            Supplier.category_reason,
        )
        .outerjoin(Category, Category.id == Supplier.category_id)
        .where(Supplier.category_text.is_not(None))
    ).all()
    decided: dict[str, Counter] = {}
    for text, name, source, reason in rows:
        decided.setdefault(text, Counter())[(name, str(source), reason)] += 1
    found = {}
    for index, partnership in enumerate(partnerships):
        ids = dict(
            db.session.execute(
                select(Category.name, Category.id).where(Category.partnership_id == partnership.id)
            ).all()
        )
        found[index] = {}
        for _, text in TRADES:
            name, source, reason = (
                decided[text].most_common(1)[0][0] if text in decided else (None, "none", None)
            )
            found[index][text] = (
                ids.get(name),
                source if name else "none",
                reason if name else None,
            )
    return found


def _check_names(conn: psycopg.Connection) -> None:
    """The names made in SQL have the matching keys the app would give them."""
    from tisc.rules.names import normalise_supplier_name

    sample = conn.execute(
        "SELECT name, normalised_name FROM suppliers TABLESAMPLE SYSTEM (1) LIMIT 5000"
    ).fetchall()
    wrong = [(name, key) for name, key in sample if normalise_supplier_name(name) != key]
    assert not wrong, wrong[:5]


def build(url: str, total_lines: int) -> dict[str, object]:
    """Build the national register in the (empty) schema `url` points at; what it made."""
    from flask_migrate import upgrade

    from tisc import create_app
    from tisc.database import db
    from tisc.demo.seed import seed_demo
    from tisc.models import SpendImport
    from tisc.services.accounts import organisations as org_service

    started = time.perf_counter()
    app = create_app({"TISC_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        seed_demo(password=PASSWORD, today=TODAY)
        partnerships = [org_service.get_partnership(slug=PARTNERSHIP)]
        for region, areas in REGIONS.items():
            partnership = org_service.create_partnership(slug=None, name=region)
            partnerships.append(partnership)
            for area in areas.split("|"):
                org_service.create_organisation(
                    slug=None, name=f"{area} Police", kind="force", partnership=partnership
                )
                org_service.create_organisation(
                    slug=None,
                    name=f"{area} Office of the Police and Crime Commissioner",
                    kind="commissioner",
                    partnership=partnership,
                )
        rng = random.Random(84)  # noqa: S311 - synthetic data
        db.session.expire_all()
        bodies: list[Body] = []
        for p_index, partnership in enumerate(partnerships):
            for org in partnership.organisations:
                weight = weight_of(org.slug, org.kind, rng)
                bodies.append(Body(org.id, org.slug, len(bodies), p_index, weight))
        body_shapes(bodies, total_lines)
        for body in bodies:
            record = SpendImport(
                organisation_id=body.org_id,
                file_name=f"{body.slug}-payments-{FIRST_YEAR}-{LAST_YEAR + 1}.csv",
                checksum=f"{body.index:064d}",
                mapping={},
                rows_read=0,
                imported=0,
                excluded=0,
                rejected=0,
                duplicates_skipped=0,
                suppliers_created=0,
                total_imported=0,
                total_excluded=0,
                problems=[],
            )
            db.session.add(record)
            db.session.flush()
            body.import_id = record.id
        categories = _category_map(partnerships)
        db.session.commit()
        db.engine.dispose()
    print(f"  schema, demo partnership and 84 bodies in {_since(started)}", flush=True)
    plain = url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(plain, autocommit=True) as conn:
        bulk_load(conn, bodies, categories)
        _check_names(conn)
    largest = max(bodies, key=lambda b: b.lines)
    smallest = min(bodies, key=lambda b: b.lines)
    return {
        "bodies": len(bodies),
        "generated_lines": sum(b.lines for b in bodies),
        "generated_suppliers": sum(b.suppliers for b in bodies),
        "largest_body": largest.slug,
        "largest_lines": largest.lines,
        "largest_suppliers": largest.suppliers,
        "smallest_lines": smallest.lines,
        "generation_s": round(time.perf_counter() - started, 1),
    }
