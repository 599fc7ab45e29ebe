"""How far a background import job has got, in a percentage and in words, and whether it has
stopped: pure rules over the job's stage, counts and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# The stages of reading a file and importing it, in order, each with its share of the time a
# large file takes (measured on a 60,000-row workbook: reading is most of it).
READING = "Reading the file"
CHECKING = "Checking every row"
MATCHING = "Matching suppliers"
WRITING = "Writing to the register"
CHECK_STAGES: tuple[tuple[str, int], ...] = ((READING, 70), (CHECKING, 20), (MATCHING, 10))
IMPORT_STAGES: tuple[tuple[str, int], ...] = (
    (READING, 55),
    (CHECKING, 15),
    (MATCHING, 5),
    (WRITING, 25),
)
# A job nobody has heard from for this long has stopped (its worker was killed, or its
# machine): the page offers to try again. Each stage reports when it starts, and no stage of
# the largest file the service takes lasts this long.
STALLED_AFTER = timedelta(minutes=10)
# A job still waiting after this long may have no worker to run it: the page says so.
WAITING_LONG_AFTER = timedelta(minutes=1)


def percent_done(*, stage: str | None, importing: bool, written: int = 0, to_write: int = 0) -> int:
    """The percentage done at the start of `stage` (0 before the first), and through the
    writing stage by the lines written; never 100 until the job has finished."""
    stages = IMPORT_STAGES if importing else CHECK_STAGES
    done = 0
    for name, share in stages:
        if name == stage:
            if name == WRITING and to_write > 0:
                done += share * min(written, to_write) // to_write
            return min(done, 99)
        done += share
    return 0


@dataclass(frozen=True)
class JobTimes:
    """When a job was made, last heard from, and whether its worker is known to be gone."""

    created_at: datetime
    heartbeat_at: datetime | None
    worker_gone: bool = False


def has_stalled(times: JobTimes, *, running: bool, now: datetime) -> bool:
    """A running job whose worker is gone, or that nobody has heard from for too long."""
    if not running:
        return False
    if times.worker_gone:
        return True
    last = times.heartbeat_at or times.created_at
    return now - last > STALLED_AFTER


def waiting_long(times: JobTimes, *, queued: bool, now: datetime) -> bool:
    """A job still waiting for a worker a minute after it was asked for."""
    return queued and now - times.created_at > WAITING_LONG_AFTER
