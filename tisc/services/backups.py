"""Backing up and restoring the whole database: `flask --app tisc backup` and `restore`.

SQLite: sqlite3's online backup API, which copies a consistent snapshot while the service keeps
running, into one self-contained file (journal mode DELETE, so no -wal file beside it).
PostgreSQL: pg_dump's custom format, restored with pg_restore in one transaction. When the
database URL sets a search_path (one schema per deployment, as the tests do), only that
schema is dumped and restored.

A backup is recognised by its first bytes: "SQLite format 3" or pg_dump's "PGDMP". A file of
the other kind, or of neither, is refused before anything is changed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import URL

from tisc.database import db
from tisc.services.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# A table every tisc database has: a SQLite file without it is some other program's.
MARKER_TABLE = "organisations"
TOOL_SECONDS = 60 * 60  # pg_dump and pg_restore of a large register take a while


class BackupError(DomainError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """What was written or read back: the database kind, the file and its size."""

    kind: str  # "sqlite" or "postgresql"
    path: Path
    size: int


def database_kind() -> str:
    """ "sqlite" or "postgresql": the configured database's kind."""
    return db.engine.dialect.name


def backup_database(*, out: Path) -> BackupResult:
    """Write a backup of the whole database to `out` (replacing a file already there)."""
    if not out.parent.is_dir():
        raise BackupError(f"There is no folder {out.parent} to write the backup in.")
    if out.is_dir():
        raise BackupError(f"{out} is a folder: give a file name for the backup.")
    if database_kind() == "sqlite":
        _sqlite_backup(out)
    else:
        _pg_dump(out)
    return BackupResult(database_kind(), out, out.stat().st_size)


def backup_kind(path: Path) -> str | None:
    """ "sqlite" or "postgresql" from a backup file's first bytes; None for anything else."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def restore_database(*, path: Path) -> BackupResult:
    """Replace everything in the database with the backup's contents.

    BackupError, with nothing changed, when the file is not a backup of this kind of database.
    """
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    kind, wanted = backup_kind(path), database_kind()
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if kind is None:
        raise BackupError(
            f"{path.name} is not a backup made by `flask --app tisc backup`: nothing was restored."
        )
    if kind != wanted:
        raise BackupError(
            f"{path.name} is a {names[kind]} backup, but this service's database is "
            f"{names[wanted]}: nothing was restored."
        )
    # Pooled connections would keep a view of the old database (and, on PostgreSQL, locks).
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
    db.engine.dispose()
    return BackupResult(kind, path, path.stat().st_size)


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("The database is held in memory, so there is nothing to back up.")
    return Path(database).resolve()


def _sqlite_backup(out: Path) -> None:
    source_path = _sqlite_path()
    if out.resolve() == source_path:
        raise BackupError("The backup cannot be written over the database itself.")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(partial)
    try:
        # One step: a consistent snapshot, even while the service writes.
        source.backup(target)
        # One file that stands alone, not a database expecting a -wal file beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed its integrity check: try the backup again.")
    finally:
        target.close()
        source.close()
    partial.replace(out)


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            check = source.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path.name} is damaged ({error}): nothing was restored.") from None
        if check != "ok":
            raise BackupError(f"{path.name} fails its integrity check: nothing was restored.")
        if MARKER_TABLE not in tables:
            raise BackupError(
                f"{path.name} is a SQLite database but not a backup of this service: "
                "nothing was restored."
            )
        target = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            source.backup(target)  # page by page, in one transaction on the target
        finally:
            target.close()
    finally:
        source.close()


# --- PostgreSQL -------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed (or not on PATH), and PostgreSQL backups need it: "
            f"install the PostgreSQL client tools (Debian: apt-get install postgresql-client)."
        )
    return found


def _connection() -> tuple[str, dict[str, str], str | None]:
    """(libpq URI without the password, environment holding it, schema from search_path)."""
    url: URL = db.engine.url
    schema = None
    options = url.query.get("options")
    for option in (options,) if isinstance(options, str) else options or ():
        for part in unquote(option).split():
            if part.startswith("-csearch_path="):
                schema = part.removeprefix("-csearch_path=").split(",")[0].strip('"')
    plain = url.set(drivername="postgresql", password=None)
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)  # not in argv, which others can read
    return plain.render_as_string(hide_password=False), environment, schema


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    try:
        finished = subprocess.run(  # noqa: S603 - our own tool, arguments from our settings
            command, env=environment, capture_output=True, text=True, timeout=TOOL_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} took longer than {TOOL_SECONDS // 60} minutes.") from None
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()[-3:]
        raise BackupError(f"{what} failed: {' '.join(detail)}")


def _pg_dump(out: Path) -> None:
    uri, environment, schema = _connection()
    partial = out.with_name(out.name + ".partial")
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    command += [f"--schema={schema}"] if schema else []
    command += [f"--file={partial}", f"--dbname={uri}"]
    _run(command, environment, "pg_dump")
    partial.replace(out)


def _pg_restore(path: Path) -> None:
    uri, environment, schema = _connection()
    listing = subprocess.run(  # noqa: S603 - our own tool on the given file
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"{path.name} cannot be read as a backup: nothing was restored.")
    # Lines like "215; 1259 16386 TABLE public organisations postgres".
    tables = {
        (parts[4], parts[5])
        for parts in map(str.split, listing.stdout.splitlines())
        if len(parts) >= 6 and parts[3] == "TABLE"
    }
    if (schema, MARKER_TABLE) not in tables and not (
        schema is None and any(name == MARKER_TABLE for _schema, name in tables)
    ):
        where = f" of the schema {schema}" if schema else ""
        raise BackupError(
            f"{path.name} is a PostgreSQL backup but not{where} of this service: "
            "nothing was restored."
        )
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",  # all of it or, on any error, none of it
        "--exit-on-error",
        f"--dbname={uri}",
        str(path),
    ]
    _run(command, environment, "pg_restore")
