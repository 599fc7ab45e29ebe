"""Bulk work on spend lines: fingerprints, fast inserts, and refreshing annual totals.

Imports write up to millions of lines, so this module talks to the driver directly
(executemany on SQLite, COPY on PostgreSQL) inside the request's one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, delete, insert, select, text

from tisc.database import db
from tisc.documents.spendfiles.parsing import factorize_objects
from tisc.models import SpendLine, SupplierYear

LINE_COLUMNS = (
    "organisation_id",
    "supplier_id",
    "import_id",
    "line_key",
    "row_number",
    "payment_date",
    "financial_year",
    "amount_pence",
    "reference",
    "category_text",
    "description",
    "cost_centre",
)
# Lines sent to the database at a time: small enough to keep memory flat, big enough that
# the per-slice overhead does not count.
COPY_ROWS = 50_000
KEY_FIELDS = ("reference", "name_key", "payment_date", "amount_pence", "description", "cost_centre")


def line_keys(lines: pd.DataFrame) -> np.ndarray:
    """A signed 64-bit fingerprint per line: the same payment gets the same key in any file.

    Identical lines within one file are all real (finance systems repeat them), so the
    n-th repeat gets its own key; the n-th repeat in an overlapping file then matches it.

    The keys are `pd.util.hash_pandas_object` of KEY_FIELDS and the repeat count, as they
    always were (a key stored by an earlier import must match); only the work is arranged
    to be faster: text columns of repeated values are hashed once per distinct value, and
    the repeats are counted only when there are any.
    """
    columns = {name: _hashable(lines[name], repeated=name != "reference") for name in KEY_FIELDS}
    content = pd.util.hash_pandas_object(
        pd.DataFrame(columns, index=lines.index, copy=False), index=False, categorize=False
    )
    if content.duplicated().any():
        repeat = content.groupby(content).cumcount().to_numpy()
    else:
        repeat = np.zeros(len(content), dtype=np.int64)
    combined = pd.util.hash_pandas_object(
        pd.DataFrame({"content": content.to_numpy(), "repeat": repeat}), index=False
    )
    return combined.to_numpy().view(np.int64)


def _hashable(values: pd.Series, *, repeated: bool) -> pd.Series | pd.Categorical:
    """A key column as hash_pandas_object hashes it to the same values: text of `repeated`
    values as a Categorical of its distinct values (what `categorize=True` does inside
    pandas, with a faster factorisation), other text as plain objects, numbers as they are."""
    if values.dtype.kind in "iufMm" or values.dtype == bool:
        return values
    texts = values.to_numpy(dtype=object)
    if not repeated:
        return pd.Series(texts, index=values.index, dtype=object, copy=False)
    codes, uniques = factorize_objects(texts)
    return pd.Categorical.from_codes(
        codes, dtype=pd.CategoricalDtype(pd.Index(uniques, dtype=object, copy=False))
    )


def existing_keys(*, organisation_id: int) -> np.ndarray:
    """Every line key the body already has."""
    keys = db.session.scalars(
        select(SpendLine.line_key).where(SpendLine.organisation_id == organisation_id)
    ).all()
    return np.fromiter(keys, dtype=np.int64, count=len(keys))


def insert_lines(frame: pd.DataFrame) -> None:
    """Insert spend lines from a frame with LINE_COLUMNS (amounts in pence, dates as ISO text)."""
    if frame.empty:
        return
    frame = frame[list(LINE_COLUMNS)]
    connection = db.session.connection()
    driver = connection.connection.driver_connection
    columns = ", ".join(LINE_COLUMNS)
    if connection.dialect.name == "postgresql":
        # COPY, its rows formatted by psycopg's C code (half the time pandas' to_csv took)
        # and sent as they are made, so the server stores lines while more are formatted.
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY spend_lines ({columns}) FROM STDIN") as copy,
        ):
            for row in plain_rows(frame):
                copy.write_row(row)
    elif connection.dialect.name == "sqlite":
        # A supplier's lines together (in file order, so their ids keep it): each goes in
        # next to the last in the supplier index, which saved SQLite an eighth of its work.
        order = np.argsort(frame["supplier_id"].to_numpy(), kind="stable")
        placeholders = ", ".join("?" for _ in LINE_COLUMNS)
        driver.executemany(
            f"INSERT INTO spend_lines ({columns}) VALUES ({placeholders})",  # noqa: S608
            plain_rows(frame, order),
        )
    else:  # any other database: portable, slower
        db.session.execute(insert(SpendLine.__table__), frame.to_dict("records"))


def plain_rows(frame: pd.DataFrame, order: np.ndarray | None = None) -> Iterator[tuple[Any, ...]]:
    """The frame's rows (in `order`, positions, if given) as tuples of plain Python values
    (int, str, None), as a driver takes them.

    Columns are converted a slice at a time: iterating a pandas string column yields its
    cells one Python call at a time, which cost a second a million rows.
    """
    for start in range(0, len(frame), COPY_ROWS):
        if order is None:
            chunk = frame.iloc[start : start + COPY_ROWS]
        else:
            chunk = frame.take(order[start : start + COPY_ROWS])
        yield from zip(*(chunk[column].tolist() for column in chunk.columns), strict=True)


def add_to_years(*, organisation_id: int, lines: pd.DataFrame) -> None:
    """Add new lines (supplier_id, financial_year, amount_pence) to the annual totals.

    Summing the new lines in memory and adding them to the stored totals is much faster
    than regrouping every line the body has after each import.
    """
    if lines.empty:
        return
    added = (
        lines.groupby(["supplier_id", "financial_year"], sort=False)["amount_pence"]
        .agg(["sum", "count"])
        .reset_index()
    )
    if db.session.connection().dialect.name == "postgresql":
        _add_to_years_at_once(organisation_id, added)
        return
    # SQLite: the same upsert through the driver's executemany (SQLAlchemy's per-row
    # parameter handling took most of the time, all of it inside the write lock).
    db.session.connection().connection.driver_connection.executemany(
        "INSERT INTO supplier_years"
        " (supplier_id, financial_year, organisation_id, spend_pence, payments)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (supplier_id, financial_year) DO UPDATE SET"
        " spend_pence = supplier_years.spend_pence + excluded.spend_pence,"
        " payments = supplier_years.payments + excluded.payments",
        zip(
            added["supplier_id"].astype("int64").tolist(),
            added["financial_year"].astype("int64").tolist(),
            [organisation_id] * len(added),
            added["sum"].astype("int64").tolist(),
            added["count"].astype("int64").tolist(),
            strict=True,
        ),
    )


def _add_to_years_at_once(organisation_id: int, added: pd.DataFrame) -> None:
    """PostgreSQL: every (supplier, year) total in one statement, the columns sent as arrays
    (row by row, 40,000 totals took two seconds of round trips)."""
    db.session.execute(
        text(
            "INSERT INTO supplier_years"
            " (supplier_id, financial_year, organisation_id, spend_pence, payments)"
            " SELECT s, y, :org, p, n FROM unnest(CAST(:s AS INTEGER[]), CAST(:y AS INTEGER[]),"
            " CAST(:p AS BIGINT[]), CAST(:n AS INTEGER[])) AS added (s, y, p, n)"
            " ON CONFLICT (supplier_id, financial_year) DO UPDATE SET"
            " spend_pence = supplier_years.spend_pence + excluded.spend_pence,"
            " payments = supplier_years.payments + excluded.payments"
        ),
        {
            "org": organisation_id,
            "s": added["supplier_id"].astype("int64").tolist(),
            "y": added["financial_year"].astype("int64").tolist(),
            "p": added["sum"].astype("int64").tolist(),
            "n": added["count"].astype("int64").tolist(),
        },
    )


def analyse_if_large(rows: int) -> None:
    """After a big import, refresh PostgreSQL's planner statistics so pages stay fast."""
    connection = db.session.connection()
    if rows >= 10_000 and connection.dialect.name == "postgresql":
        for table in ("spend_lines", "supplier_years", "suppliers"):
            connection.exec_driver_sql(f"ANALYZE {table}")


def refresh_years(*, organisation_id: int, years: Iterable[int]) -> None:
    """Recompute the supplier_years totals of a body for the given financial years."""
    years = sorted({int(y) for y in years})
    if not years:
        return
    db.session.execute(
        delete(SupplierYear).where(
            SupplierYear.organisation_id == organisation_id,
            SupplierYear.financial_year.in_(years),
        )
    )
    db.session.execute(
        text(
            "INSERT INTO supplier_years"
            " (supplier_id, financial_year, organisation_id, spend_pence, payments)"
            " SELECT supplier_id, financial_year, organisation_id, SUM(amount_pence), COUNT(*)"
            " FROM spend_lines WHERE organisation_id = :org AND financial_year IN :years"
            " GROUP BY supplier_id, financial_year, organisation_id"
        ).bindparams(bindparam("years", expanding=True)),
        {"org": organisation_id, "years": years},
    )


def refresh_suppliers(*, supplier_ids: Sequence[int]) -> None:
    """Recompute every year's totals for some suppliers (after a merge)."""
    if not supplier_ids:
        return
    ids = list(supplier_ids)
    db.session.execute(delete(SupplierYear).where(SupplierYear.supplier_id.in_(ids)))
    db.session.execute(
        text(
            "INSERT INTO supplier_years"
            " (supplier_id, financial_year, organisation_id, spend_pence, payments)"
            " SELECT supplier_id, financial_year, organisation_id, SUM(amount_pence), COUNT(*)"
            " FROM spend_lines WHERE supplier_id IN :ids"
            " GROUP BY supplier_id, financial_year, organisation_id"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": ids},
    )
