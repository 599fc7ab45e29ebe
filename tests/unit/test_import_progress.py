"""How far a background import job has got, and whether it has stopped (rules/import_progress)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tisc.rules.import_progress import (
    CHECKING,
    MATCHING,
    READING,
    STALLED_AFTER,
    WAITING_LONG_AFTER,
    WRITING,
    JobTimes,
    has_stalled,
    percent_done,
    waiting_long,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stage", "importing", "percent"),
    [
        (None, False, 0),
        (READING, False, 0),
        (CHECKING, False, 70),
        (MATCHING, False, 90),
        (READING, True, 0),
        (CHECKING, True, 55),
        (MATCHING, True, 70),
        (WRITING, True, 75),
        ("A stage nobody reports", True, 0),
    ],
)
def test_each_stage_starts_at_the_share_of_the_stages_before_it(
    stage: str | None, importing: bool, percent: int
) -> None:
    assert percent_done(stage=stage, importing=importing) == percent


def test_writing_moves_with_the_lines_written_and_never_reaches_100() -> None:
    assert percent_done(stage=WRITING, importing=True, written=0, to_write=1000) == 75
    assert percent_done(stage=WRITING, importing=True, written=500, to_write=1000) == 87
    assert percent_done(stage=WRITING, importing=True, written=999, to_write=1000) == 99
    # Done is said by the job's status, not by its counts.
    assert percent_done(stage=WRITING, importing=True, written=1000, to_write=1000) == 99
    assert percent_done(stage=WRITING, importing=True, written=5000, to_write=1000) == 99


def test_a_check_has_no_writing_stage() -> None:
    assert percent_done(stage=WRITING, importing=False) == 0


def test_a_running_job_whose_worker_is_gone_has_stalled_at_once() -> None:
    times = JobTimes(created_at=NOW, heartbeat_at=NOW, worker_gone=True)
    assert has_stalled(times, running=True, now=NOW)
    assert not has_stalled(times, running=False, now=NOW)  # finished or waiting: not stopped


def test_a_job_not_heard_from_for_too_long_has_stalled() -> None:
    heard = NOW - STALLED_AFTER
    assert not has_stalled(JobTimes(NOW - timedelta(hours=1), heard), running=True, now=NOW)
    later = NOW + timedelta(seconds=1)
    assert has_stalled(JobTimes(NOW - timedelta(hours=1), heard), running=True, now=later)
    # Never heard from: counted from when it was asked for.
    assert has_stalled(JobTimes(heard - timedelta(seconds=1), None), running=True, now=NOW)


def test_a_queued_job_is_waiting_long_after_a_minute() -> None:
    asked = NOW - WAITING_LONG_AFTER
    assert not waiting_long(JobTimes(asked, None), queued=True, now=NOW)
    assert waiting_long(JobTimes(asked - timedelta(seconds=1), None), queued=True, now=NOW)
    assert not waiting_long(JobTimes(asked - timedelta(hours=1), None), queued=False, now=NOW)
