"""Importing finance exports into a body's register: preview, import, dry run, history, undo."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from flask import current_app
from sqlalchemy import func, select

from tisc.database import db
from tisc.documents.spendfiles import (
    FIELD_LABELS,
    FIELDS,
    ColumnGuess,
    ParsedFile,
    Problem,
    RawTable,
    RefusedFile,
    guess_columns,
    iso_dates,
    parse_rows,
    read_table,
)
from tisc.models import (
    ImportMapping,
    Organisation,
    PersonalPayee,
    SpendImport,
    SpendLine,
    User,
)
from tisc.rules.file_names import safe_file_name
from tisc.rules.import_outcome import YearTotal, nothing_to_import, year_totals
from tisc.services.audit import chain as audit
from tisc.services.errors import ValidationError
from tisc.services.register import spend_lines
from tisc.services.register.categories import Decision, categorise_suppliers
from tisc.services.register.matching import (
    MatchPlan,
    NewSupplier,
    decide_categories,
    plan_matches,
)

PROBLEM_LIMIT = 5000
Progress = Callable[[str], None]
# The stages import_spend reports to its progress callback, in order.
IMPORT_STAGES = (
    "Reading the file",
    "Checking every row",
    "Matching suppliers",
    "Adding suppliers",
    "Writing spend lines",
    "Refreshing totals and flags",
)


def _pounds(pence: int) -> Decimal:
    return Decimal(int(pence)).scaleb(-2)


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run or preview, would do)."""

    rows_read: int
    imported: int
    excluded: int
    rejected: int
    duplicates_skipped: int
    total_imported: Decimal
    total_excluded: Decimal
    suppliers_created: int
    problems: list[Problem]
    dry_run: bool = False
    import_id: int | None = None
    year_totals: list[YearTotal] = field(default_factory=list)
    # How many problems there were, when `problems` holds only the first of them.
    problem_count: int | None = None

    @property
    def problems_found(self) -> int:
        """How many problems the file has (all of them, not only those kept)."""
        return len(self.problems) if self.problem_count is None else self.problem_count

    @property
    def years(self) -> list[int]:
        """The financial years (the year each starts in) the import adds payments to."""
        return [total.year.start_year for total in self.year_totals]

    @property
    def why_nothing(self) -> str:
        """Why the file adds no payment (for a file that adds none), as its counts say."""
        return nothing_to_import(
            rows_read=self.rows_read,
            rejected=self.rejected,
            duplicates=self.duplicates_skipped,
            excluded=self.excluded,
        )

    def as_json(self) -> dict[str, Any]:
        """The summary as the CLI's --json prints it; money as strings of pounds and pence."""
        return {
            "rows_read": self.rows_read,
            "imported": self.imported,
            "excluded": self.excluded,
            "rejected": self.rejected,
            "duplicates_skipped": self.duplicates_skipped,
            "total_imported": f"{self.total_imported:.2f}",
            "total_excluded": f"{self.total_excluded:.2f}",
            "suppliers_created": self.suppliers_created,
            "problems": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.problems
            ],
            "dry_run": self.dry_run,
            "import_id": self.import_id,
        }

    def kept(self, *, problems: int) -> dict[str, Any]:
        """The summary as a background check keeps it for its page: `as_json` with the years,
        the first `problems` problems and how many there were (`from_kept` reads it back)."""
        kept = self.as_json()
        kept["problems"] = kept["problems"][:problems]
        kept["problem_count"] = self.problems_found
        kept["year_totals"] = [total.as_json() for total in self.year_totals]
        return kept

    @classmethod
    def from_kept(cls, kept: dict[str, Any]) -> ImportSummary:
        """A summary kept by `kept`, money back in Decimal pounds and pence."""
        return cls(
            rows_read=int(kept["rows_read"]),
            imported=int(kept["imported"]),
            excluded=int(kept["excluded"]),
            rejected=int(kept["rejected"]),
            duplicates_skipped=int(kept["duplicates_skipped"]),
            total_imported=Decimal(kept["total_imported"]),
            total_excluded=Decimal(kept["total_excluded"]),
            suppliers_created=int(kept["suppliers_created"]),
            problems=[Problem(p["row"], p["column"], p["message"]) for p in kept["problems"]],
            dry_run=bool(kept["dry_run"]),
            import_id=kept["import_id"],
            year_totals=[YearTotal.from_json(total) for total in kept["year_totals"]],
            problem_count=int(kept["problem_count"]),
        )


@dataclass
class Plan:
    """Everything an import will write, worked out before writing anything."""

    table: RawTable
    mapping: dict[str, str | None]
    parsed: ParsedFile
    lines: pd.DataFrame  # the new lines only, with name_key, line_key and supplier identity
    duplicates: int
    matches: MatchPlan
    checksum: str
    # The new suppliers' categories where they were decided before writing (a background
    # import decides them before it takes the write lock); the rest are decided as written.
    decisions: dict[NewSupplier, Decision] = field(default_factory=dict)

    def summary(self, *, dry_run: bool, import_id: int | None = None) -> ImportSummary:
        return ImportSummary(
            rows_read=self.parsed.rows_read,
            imported=len(self.lines),
            excluded=len(self.parsed.excluded),
            rejected=len({p.row for p in self.parsed.problems}),
            duplicates_skipped=self.duplicates,
            total_imported=_pounds(self.lines["amount_pence"].sum()),
            total_excluded=_pounds(self.parsed.excluded["amount_pence"].sum()),
            suppliers_created=len(self.matches.new_suppliers),
            problems=self.parsed.problems,
            dry_run=dry_run,
            import_id=import_id,
            year_totals=self._year_totals(),
        )

    def _year_totals(self) -> list[YearTotal]:
        by_year = self.lines.groupby("financial_year")["amount_pence"].agg(["count", "sum"])
        return year_totals(
            (int(year), int(row["count"]), int(row["sum"])) for year, row in by_year.iterrows()
        )


def read_spend_file(
    *, data: bytes, filename: str, sheet: str | None = None, uploaded: bool = False
) -> RawTable:
    """Read an export; ValidationError (on the file field) when it cannot be used at all.

    `uploaded`: the file came through the browser, so the (smaller) upload row limit applies.
    """
    config = current_app.config
    max_rows = config["MAX_UPLOAD_ROWS"] if uploaded else config["MAX_IMPORT_ROWS"]
    limit = config["MAX_IMPORT_BYTES"]
    if len(data) > limit:
        raise ValidationError(
            f"The file is {len(data) / 2**20:,.0f} MB; the largest this service imports is "
            f"{limit / 2**20:,.0f} MB. Split it into smaller files.",
            field="file",
        )
    try:
        return read_table(data, filename=filename, sheet=sheet or None, max_rows=max_rows)
    except RefusedFile as error:
        raise ValidationError(error.message, field="file") from None


def saved_mapping(*, org: Organisation) -> dict[str, str | None]:
    """The mapping the body last confirmed ({} when none)."""
    record = db.session.get(ImportMapping, org.id)
    return dict(record.mapping) if record else {}


def guess_table_columns(*, table: RawTable) -> ColumnGuess:
    """The file's columns guessed by alias, then by header words and content (with why)."""
    return guess_columns(list(table.columns), table.rows)


def effective_mapping(
    *,
    org: Organisation,
    table: RawTable,
    requested: dict[str, str | None] | None = None,
    guess: ColumnGuess | None = None,
) -> dict[str, str | None]:
    """Guessed from the headers (and content), then the body's saved choices, then what was
    asked for. Pass the `guess` when the caller has made it already."""
    columns = table.columns
    mapping = dict((guess or guess_table_columns(table=table)).mapping)
    for name, column in saved_mapping(org=org).items():
        # A remembered choice wins when this file has that column; "not in the file"
        # last time says nothing about this file.
        if name in mapping and column in columns:
            mapping[name] = column
    for name, column in (requested or {}).items():
        if name not in FIELDS:
            raise ValidationError(
                f"There is no field called {name!r}. Use one of: {', '.join(FIELDS)}", field=name
            )
        if column and column not in columns:
            raise ValidationError(
                f"The file has no column called {column!r} for {FIELD_LABELS[name].lower()}",
                field=name,
            )
        mapping[name] = column or None
    return mapping


def _personal_names(org: Organisation) -> frozenset[str]:
    return frozenset(
        db.session.scalars(
            select(PersonalPayee.normalised_name).where(PersonalPayee.organisation_id == org.id)
        )
    )


def check_rows(
    *,
    org: Organisation,
    table: RawTable,
    mapping: dict[str, str | None] | None = None,
    guess: ColumnGuess | None = None,
) -> tuple[dict[str, str | None], ParsedFile]:
    """The columns to use and every row checked against them: only reads the body's choices
    (so a background job checks a file without taking the write lock)."""
    chosen = effective_mapping(org=org, table=table, requested=mapping, guess=guess)
    try:
        parsed = parse_rows(table, chosen, personal_names=_personal_names(org))
    except RefusedFile as error:
        raise ValidationError(error.message, field="mapping") from None
    return chosen, parsed


def match_rows(
    *,
    org: Organisation,
    table: RawTable,
    mapping: dict[str, str | None],
    parsed: ParsedFile,
    checksum: str,
) -> Plan:
    """Checked rows matched against the register: their suppliers, and which lines it has."""
    matches = plan_matches(organisation_id=org.id, lines=parsed.lines)
    lines = parsed.lines.assign(name_key=matches.line_name_keys, identity=matches.line_identities)
    keys = spend_lines.line_keys(lines.assign(payment_date=iso_dates(lines["payment_date"])))
    lines = lines.assign(line_key=keys)
    known = np.isin(keys, spend_lines.existing_keys(organisation_id=org.id))
    new_lines = lines[~known]
    matches = matches.restricted_to(set(new_lines["identity"]))
    return Plan(
        table=table,
        mapping=mapping,
        parsed=parsed,
        lines=new_lines,
        duplicates=int(known.sum()),
        matches=matches,
        checksum=checksum,
    )


def checksum_of(data: bytes) -> str:
    """The file's SHA-256, which tells an import of the same file again."""
    return hashlib.sha256(data).hexdigest()


def plan_import(
    *,
    org: Organisation,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    mapping: dict[str, str | None] | None = None,
    progress: Progress | None = None,
    table: RawTable | None = None,
    guess: ColumnGuess | None = None,
) -> Plan:
    """Read, validate and match a file against the register, writing nothing.

    Pass the `table` (and its columns' `guess`) when the caller has already read the file and
    guessed its columns (the preview page does), so neither is done twice.
    """
    step = progress or (lambda _stage: None)
    step("Reading the file")
    if table is None:
        table = read_spend_file(data=data, filename=filename, sheet=sheet)
    step("Checking every row")
    chosen, parsed = check_rows(org=org, table=table, mapping=mapping, guess=guess)
    step("Matching suppliers")
    return match_rows(
        org=org, table=table, mapping=chosen, parsed=parsed, checksum=checksum_of(data)
    )


def import_spend(
    *,
    org: Organisation,
    user: User | None,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    mapping: dict[str, str | None] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a finance export into the body's register, all or nothing.

    Rows with problems are left out and listed; redacted individuals are counted, never
    made suppliers; lines already in the register are skipped. The caller commits.
    """
    plan = plan_import(
        org=org, data=data, filename=filename, sheet=sheet, mapping=mapping, progress=progress
    )
    if dry_run:  # a check: it lists the problems, even of a file where every row has one
        return plan.summary(dry_run=True)
    if plan.parsed.lines.empty and plan.parsed.excluded.empty:
        raise ValidationError(
            "The file has no usable rows: every row has a problem. "
            "Check the column choices, or see the problems with --dry-run --json.",
            field="file",
        )
    return write_plan(org=org, user=user, plan=plan, filename=filename, progress=progress)


def write_plan(
    *,
    org: Organisation,
    user: User | None,
    plan: Plan,
    filename: str,
    progress: Progress | None = None,
) -> ImportSummary:
    """Write a checked plan into the register (the preview page checks, then confirms)."""
    step = progress or (lambda _stage: None)
    summary = plan.summary(dry_run=False)
    record = SpendImport(
        organisation_id=org.id,
        user_id=user.id if user else None,
        file_name=safe_file_name(filename, default="upload"),  # a browser's or a path's
        checksum=plan.checksum,
        sheet=plan.table.sheet[:100] if plan.table.sheet else None,
        mapping=plan.mapping,
        rows_read=summary.rows_read,
        imported=summary.imported,
        excluded=summary.excluded,
        rejected=summary.rejected,
        duplicates_skipped=summary.duplicates_skipped,
        suppliers_created=summary.suppliers_created,
        total_imported=summary.total_imported,
        total_excluded=summary.total_excluded,
        problems=problem_rows(plan.table, plan.parsed.problems),
        year_totals=[total.as_json() for total in summary.year_totals],
    )
    db.session.add(record)
    db.session.flush()
    step("Adding suppliers")
    decisions = decide_categories(
        org=org, suppliers=plan.matches.new_suppliers.values(), known=plan.decisions
    )
    supplier_ids = plan.matches.create_suppliers(import_id=record.id, decisions=decisions)
    step("Writing spend lines")
    _write_lines(org, record.id, plan.lines, supplier_ids)
    step("Refreshing totals and flags")
    spend_lines.add_to_years(
        organisation_id=org.id,
        lines=pd.DataFrame(
            {
                "supplier_id": plan.lines["identity"].map(supplier_ids).to_numpy(),
                "financial_year": plan.lines["financial_year"].to_numpy(),
                "amount_pence": plan.lines["amount_pence"].to_numpy(),
            }
        ),
    )
    touched = plan.matches.update_category_texts(plan.lines, supplier_ids)
    categorise_suppliers(org=org, supplier_ids=sorted(set(touched)), decided=plan.matches.created)
    _remember_mapping(org, plan.mapping)
    spend_lines.analyse_if_large(summary.imported)
    summary.import_id = record.id
    _audit_import(org, record, summary, category_texts_changed=len(touched))
    return summary


def _audit_import(
    org: Organisation, record: SpendImport, summary: ImportSummary, *, category_texts_changed: int
) -> None:
    # One event for the whole file: its lines and new suppliers are written in bulk.
    audit.record_event(
        action="import",
        record_type=SpendImport.__tablename__,
        record_id=record.id,
        organisation_id=org.id,
        summary=(
            f'Imported "{record.file_name}": {summary.imported:,} of {summary.rows_read:,} rows, '
            f"£{summary.total_imported:,.2f}, {summary.suppliers_created:,} new suppliers"
        ),
        after={
            "file_name": record.file_name,
            "checksum": record.checksum,
            "sheet": record.sheet,
            "mapping": record.mapping,
            "rows_read": summary.rows_read,
            "imported": summary.imported,
            "excluded": summary.excluded,
            "rejected": summary.rejected,
            "duplicates_skipped": summary.duplicates_skipped,
            "suppliers_created": summary.suppliers_created,
            "total_imported": summary.total_imported,
            "total_excluded": summary.total_excluded,
            "financial_years": summary.years,
            "suppliers_category_text_changed": category_texts_changed,
        },
    )


def _write_lines(
    org: Organisation, import_id: int, lines: pd.DataFrame, supplier_ids: dict[str, int]
) -> None:
    if lines.empty:
        return

    def text_or_none(column: str) -> pd.Series:
        return lines[column].where(lines[column] != "", None)

    frame = pd.DataFrame(
        {
            "organisation_id": org.id,
            "supplier_id": lines["identity"].map(supplier_ids).astype("int64"),
            "import_id": import_id,
            "line_key": lines["line_key"].astype("int64"),
            "row_number": lines["row"].astype("int64"),
            "payment_date": iso_dates(lines["payment_date"]),
            "financial_year": lines["financial_year"].astype("int64"),
            "amount_pence": lines["amount_pence"].astype("int64"),
            "reference": text_or_none("reference"),
            "category_text": text_or_none("category_text"),
            "description": text_or_none("description"),
            "cost_centre": text_or_none("cost_centre"),
        }
    )
    spend_lines.insert_lines(frame)


def _remember_mapping(org: Organisation, mapping: dict[str, str | None]) -> None:
    record = db.session.get(ImportMapping, org.id)
    if record is None:
        db.session.add(ImportMapping(organisation_id=org.id, mapping=mapping))
    else:
        record.mapping = dict(mapping)


def problem_rows(table: RawTable, problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """Problems with the original cells of their row, for the download (capped)."""
    if not problems:  # the common case; the lookup below costs 0.2 s a million rows
        return []
    position = {int(n): i for i, n in enumerate(table.row_numbers)}
    result = []
    for problem in problems[:PROBLEM_LIMIT]:
        index = position.get(problem.row) if problem.row is not None else None
        cells = table.rows.iloc[index].tolist() if index is not None else []
        result.append(
            {
                "row": problem.row,
                "column": problem.column,
                "message": problem.message,
                "cells": cells,
            }
        )
    return result


def count_lines(*, org: Organisation) -> int:
    """How many spend lines the body has."""
    return (
        db.session.scalar(
            select(func.count()).select_from(SpendLine).where(SpendLine.organisation_id == org.id)
        )
        or 0
    )
