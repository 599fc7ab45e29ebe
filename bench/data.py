"""Generating a realistic finance export of any size, reproducibly."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

WORDS = [
    "Northern",
    "Pennine",
    "Tyne",
    "Humber",
    "Dales",
    "Wolds",
    "Tees",
    "Aire",
    "Calder",
    "Wear",
    "Moorland",
    "Riverside",
    "Ouse",
    "Derwent",
    "Wharfe",
    "Cheviot",
    "Hallam",
    "Coquet",
    "Swale",
    "Ridings",
    "Minster",
    "Whitby",
    "Hexham",
    "Beverley",
    "Redcar",
]
TRADES = [
    "Cleaning",
    "Workwear",
    "Security",
    "Catering",
    "Couriers",
    "Builders",
    "Roofing",
    "Software",
    "Legal",
    "Recruitment",
    "Tyres",
    "Valeting",
    "Waste",
    "Print",
    "Medical",
    "Hotels",
    "Electrical",
    "Plumbing",
    "Fleet",
    "Consulting",
]
SUFFIXES = ("Ltd", "Limited", "LTD", "plc", "LLP", "& Sons Ltd", "Group Ltd", "UK Limited")
CATEGORIES = (
    "CLEANING & JANITORIAL.CLEANING SERVICES",
    "UNIFORMS & CLOTHING.UNIFORMS",
    "ICT.HARDWARE & DEVICES",
    "PROPERTY.CONSTRUCTION & BUILDING WORKS",
    "PROFESSIONAL SERVICES.LEGAL",
    "TRANSPORT.VEHICLE SERVICES & CAR WASH",
    "CATERING.FOOD & CATERING SERVICES",
    "OFFICE SUPPLIES.STATIONERY & PRINT",
)


def supplier_names(count: int, rng: random.Random) -> list[str]:
    """Distinct supplier names."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        words = (rng.choice(WORDS), rng.choice(WORDS), rng.choice(TRADES))
        name = f"{' '.join(words)} {rng.randrange(1, 999)}"
        if name not in seen:
            seen.add(name)
            names.append(f"{name} {rng.choice(SUFFIXES)}")
    return names


# The columns of the generated finance exports, as a force's finance system names them.
EXPORT_HEADER = [
    "Payment Date",
    "Transaction Number",
    "Supplier Name",
    "Company Number",
    "Expense Type",
    "Cost Centre",
    "Net Amount",
]


def write_export(path: Path, *, rows: int, suppliers: int, seed: int = 1) -> None:
    """A finance export in the shapes real ones take: UK dates, £ amounts, credits, references."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    names = supplier_names(suppliers, rng)
    numbers = {n: f"{rng.randrange(10**6, 10**7):08d}" if rng.random() < 0.6 else "" for n in names}
    categories = {n: rng.choice(CATEGORIES) for n in names}
    start = date(2024, 4, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_HEADER)
        for n in range(rows):
            if n < suppliers:
                name = names[n]  # every supplier paid at least once: the register holds them all
            elif n % 2:
                name = names[int(rng.paretovariate(1.2)) % suppliers]
            else:
                name = rng.choice(names)
            pence = int(rng.lognormvariate(9, 1.3))
            amount = f"£{pence // 100:,}.{pence % 100:02d}"
            if rng.random() < 0.02:
                amount = f"({amount})"
            day = start + timedelta(days=rng.randrange(730))
            writer.writerow(
                [
                    day.strftime("%d/%m/%Y"),
                    f"T{n:08d}",
                    name,
                    numbers[name],
                    categories[name],
                    f"CC{rng.randrange(100):03d}",
                    amount,
                ]
            )
