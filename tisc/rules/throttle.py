"""Sign-in throttling: after too many failures an address is locked for a while."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Throttled(Protocol):
    """Anything that counts failed sign-ins: a user, or the record for an unknown address."""

    failed_login_count: int
    locked_until: datetime | None


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything tisc stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_locked(record: Throttled, *, now: datetime) -> bool:
    """True while the record is locked."""
    return record.locked_until is not None and _aware(record.locked_until) > now


def record_failure(
    record: Throttled, *, now: datetime, max_failures: int, lock_minutes: int
) -> None:
    """Count a failure; the failure that reaches the limit locks the record."""
    if record.locked_until is not None and _aware(record.locked_until) <= now:
        # An expired lock starts a fresh count.
        record.failed_login_count = 0
        record.locked_until = None
    record.failed_login_count = (record.failed_login_count or 0) + 1
    if record.failed_login_count >= max_failures:
        record.locked_until = now + timedelta(minutes=lock_minutes)


def record_success(record: Throttled) -> None:
    """A successful sign-in clears the count."""
    record.failed_login_count = 0
    record.locked_until = None


class Windowed(Throttled, Protocol):
    """A failure count that starts again when its window ends: a client address's."""

    window_started_at: datetime | None


def record_failure_in_window(
    record: Windowed, *, now: datetime, max_failures: int, window_minutes: int
) -> None:
    """Count a failure in the record's window, which opens at the first failure.

    Reaching the limit locks the record for a window; after that (or after a window with
    fewer failures) counting starts again. Success never clears it: a client that holds one
    account of its own cannot wipe its count by signing in between guesses at others.
    """
    window = timedelta(minutes=window_minutes)
    lock_over = record.locked_until is not None and _aware(record.locked_until) <= now
    window_over = (
        record.window_started_at is None or _aware(record.window_started_at) + window <= now
    )
    if lock_over or (window_over and not is_locked(record, now=now)):
        record.failed_login_count = 0
        record.locked_until = None
        record.window_started_at = now
    record.failed_login_count = (record.failed_login_count or 0) + 1
    if record.failed_login_count >= max_failures:
        record.locked_until = now + window
