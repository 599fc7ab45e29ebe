"""The central debarment list: importing it (the newest import is the list in force) and
reading what is in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from tisc.database import db
from tisc.documents.debarment import read_debarment_list
from tisc.documents.spendfiles import Problem, RefusedFile
from tisc.models import DebarmentEntry, DebarmentImport, User
from tisc.services.errors import ValidationError

# How many of a refused list's problems its message names (the command prints them all).
PROBLEMS_SHOWN = 5


class ListRefused(ValidationError):
    """The list cannot be imported; `problems` are its rows' problems, when that is why."""

    def __init__(self, message: str, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message, field="file")
        self.problems = list(problems)


def problem_words(problem: Problem) -> str:
    """ "Row 4 (Listed from): Enter the start date"."""
    where = f"Row {problem.row}" if problem.row is not None else "The file"
    return f"{where}{f' ({problem.column})' if problem.column else ''}: {problem.message}"


def import_debarment_list(*, data: bytes, filename: str, user: User | None) -> DebarmentImport:
    """Read the list and make it the one in force; ListRefused (nothing kept) when the file
    cannot be read or any row has a problem, since a list read in part could miss a supplier."""
    try:
        read = read_debarment_list(data, filename=filename)
    except RefusedFile as refused:
        raise ListRefused(refused.message) from None
    if read.problems:
        rows = len({problem.row for problem in read.problems})
        shown = "; ".join(problem_words(p) for p in read.problems[:PROBLEMS_SHOWN])
        more = len(read.problems) - PROBLEMS_SHOWN
        tail = f"; and {more:,} more" if more > 0 else ""
        raise ListRefused(
            f"Nothing was imported: {rows:,} {'row has' if rows == 1 else 'rows have'} "
            f"problems. {shown}{tail}.",
            problems=read.problems,
        )
    if not read.entries:
        raise ListRefused(f"{filename} has no suppliers under its header.")
    record = DebarmentImport(
        file_name=filename[:255],
        imported_by_id=user.id if user else None,
        entry_count=len(read.entries),
    )
    db.session.add(record)
    db.session.flush()
    db.session.add_all(
        DebarmentEntry(
            import_id=record.id,
            row_number=entry.row,
            name=entry.name,
            company_number=entry.company_number,
            ppon=entry.ppon,
            ground=entry.ground,
            mandatory=entry.mandatory,
            start_date=entry.start_date,
            end_date=entry.end_date,
        )
        for entry in read.entries
    )
    db.session.flush()
    return record


def current_import() -> DebarmentImport | None:
    """The list in force: the newest import, or None before the first."""
    return db.session.scalar(select(DebarmentImport).order_by(DebarmentImport.id.desc()).limit(1))


def list_imports(*, limit: int = 20) -> Sequence[DebarmentImport]:
    """The newest imports, newest first."""
    return db.session.scalars(
        select(DebarmentImport).order_by(DebarmentImport.id.desc()).limit(limit)
    ).all()


def current_entries() -> Sequence[DebarmentEntry]:
    """Every entry of the list in force, in the list's order (listed or not on a given day)."""
    record = current_import()
    if record is None:
        return []
    return db.session.scalars(
        select(DebarmentEntry)
        .where(DebarmentEntry.import_id == record.id)
        .order_by(DebarmentEntry.row_number, DebarmentEntry.id)
    ).all()


@dataclass(frozen=True)
class ListSummary:
    """The list in force in a line: how many entries, how many on mandatory grounds."""

    record: DebarmentImport | None
    entries: int
    mandatory: int


def list_summary() -> ListSummary:
    """What the admin page says of the list in force."""
    entries = current_entries()
    return ListSummary(current_import(), len(entries), sum(1 for e in entries if e.mandatory))
