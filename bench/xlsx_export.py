"""`python -m bench.xlsx_export`: how long the register's XLSX export takes to write.

100,000 register rows (TISC_BENCH_EXPORT_ROWS changes it), shaped as `export_rows` yields
them (names, Decimal spend, counts, flag reasons up to ~130 characters), are written by
`tisc.documents.exports.write_xlsx` with the register's columns, and by `write_csv` alongside
as a floor: the machine is shared, so the XLSX time is also given as a ratio to the CSV time
measured in the same run. (bench/xlsx.py measures reading .xlsx files, not writing them.)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from bench.data import CATEGORIES, supplier_names

ROWS = int(os.environ.get("TISC_BENCH_EXPORT_ROWS", "100000"))


def register_rows(count: int, seed: int = 5) -> list[tuple]:
    """Rows as `tisc.services.register.rows.export_rows` yields them."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    names = supplier_names(max(10, count), rng)
    reasons = [
        "",
        "Spend of £50,000.01 this year is over £50,000.00",
        "Spend of £50,000.01 this year is over £50,000.00; Cleaning services and materials is "
        "a high-risk category (automatic: finance category ‘Janitorial’ contains ‘janitorial’)",
    ]
    rows = []
    for n in range(count):
        spend = Decimal(rng.randrange(-5_000, 9_000_000)) / 100
        rows.append(
            (
                "West Yorkshire Police",
                names[n % len(names)],
                f"{rng.randrange(10**6, 10**7):08d}" if rng.random() < 0.6 else None,
                rng.choice(CATEGORIES),
                rng.choice(["High", "Medium", "Low"]),
                "2024/25",
                spend,
                rng.randrange(1, 400),
                "Yes" if spend > 50_000 else "No",
                rng.choice(["Yes", "No"]),
                rng.choice("ABCD"),
                rng.choice(reasons),
            )
        )
    return rows


def timed(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    from tisc.documents import exports
    from tisc.services.register.export import EXPORT_COLUMNS

    rows = register_rows(ROWS)
    header = [getattr(c, "header", c) for c in EXPORT_COLUMNS]
    csv_seconds = timed(lambda: exports.write_csv(header, rows), 3)
    size = len(exports.write_xlsx(EXPORT_COLUMNS, rows, title="Register"))
    xlsx_seconds = timed(lambda: exports.write_xlsx(EXPORT_COLUMNS, rows, title="Register"), 3)
    print(
        f"Register export, {ROWS:,} rows x {len(header)} columns: "
        f"CSV {csv_seconds:.2f} s; XLSX {xlsx_seconds:.2f} s ({size / 1e6:.1f} MB) "
        f"= {xlsx_seconds / csv_seconds:.1f}x the CSV"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
