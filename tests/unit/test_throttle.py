from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tisc.rules.throttle import (
    is_locked,
    record_failure,
    record_failure_in_window,
    record_success,
)

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@dataclass
class Record:
    failed_login_count: int = 0
    locked_until: datetime | None = None


def fail(record: Record, times: int, at: datetime = NOW) -> None:
    for _ in range(times):
        record_failure(record, now=at, max_failures=5, lock_minutes=15)


def test_four_failures_do_not_lock_and_the_fifth_does() -> None:
    record = Record()
    fail(record, 4)
    assert not is_locked(record, now=NOW)
    fail(record, 1)
    assert is_locked(record, now=NOW)
    assert record.locked_until == NOW + timedelta(minutes=15)


def test_the_lock_ends_and_the_count_starts_again() -> None:
    record = Record()
    fail(record, 5)
    later = NOW + timedelta(minutes=15, seconds=1)
    assert not is_locked(record, now=later)
    fail(record, 1, at=later)
    assert record.failed_login_count == 1
    assert not is_locked(record, now=later)


def test_success_clears_the_count() -> None:
    record = Record()
    fail(record, 3)
    record_success(record)
    assert (record.failed_login_count, record.locked_until) == (0, None)


def test_naive_times_from_sqlite_are_read_as_utc() -> None:
    record = Record(
        failed_login_count=5, locked_until=(NOW + timedelta(minutes=1)).replace(tzinfo=None)
    )
    assert is_locked(record, now=NOW)


@dataclass
class AddressRecord:
    failed_login_count: int = 0
    locked_until: datetime | None = None
    window_started_at: datetime | None = None


def fail_in_window(record: AddressRecord, times: int, at: datetime = NOW) -> None:
    for _ in range(times):
        record_failure_in_window(record, now=at, max_failures=20, window_minutes=15)


def test_an_address_is_locked_at_its_limit_within_a_window() -> None:
    record = AddressRecord()
    fail_in_window(record, 19)
    assert not is_locked(record, now=NOW)
    fail_in_window(record, 1, at=NOW + timedelta(minutes=14))
    assert is_locked(record, now=NOW + timedelta(minutes=14))


def test_failures_spread_over_many_windows_never_lock_an_address() -> None:
    record = AddressRecord()
    for window in range(10):
        fail_in_window(record, 19, at=NOW + timedelta(minutes=15 * window))
    assert not is_locked(record, now=NOW + timedelta(minutes=150))
    assert record.failed_login_count == 19


def test_an_address_lock_ends_after_a_window_and_counting_starts_again() -> None:
    record = AddressRecord()
    fail_in_window(record, 20)
    later = NOW + timedelta(minutes=15, seconds=1)
    assert not is_locked(record, now=later)
    fail_in_window(record, 1, at=later)
    assert record.failed_login_count == 1 and record.window_started_at == later
