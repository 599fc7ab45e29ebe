"""Audit trail rules without a database: values as JSON, the hash chain, before and after.

An event's hash is HMAC-SHA256, keyed with the audit key (kept outside the database), over the
previous event's hash followed by a canonical JSON of the event's own fields, so changing,
removing or reordering any stored event breaks every hash from there on, and `verify-audit`
names the first event that no longer fits. Without the key nobody can make a hash that fits:
rewriting an event and recomputing every later hash with plain SHA-256 is found too.

Events written before the trail was keyed hold plain SHA-256 hashes. They are checked as such
only up to a cut-over that is given from outside the database (`unkeyed_up_to`); every later
event must carry a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

GENESIS_HASH = "0" * 64
# Stand-ins for what must never be written into the trail.
SECRET_CHANGED = "(changed)"  # noqa: S105 - a marker, not a password
SECRET_SET = "(set)"  # noqa: S105 - a marker, not a password
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})
# Book-keeping that changes on every save and says nothing about what someone did.
IGNORED_COLUMNS = frozenset({"version_id", "created_at", "updated_at"})
SUMMARY_LENGTH = 300
# The fields an event's hash covers, in the order they are written out.
HASHED_FIELDS = (
    "id",
    "at",
    "actor_user_id",
    "actor_label",
    "organisation_id",
    "partnership_id",
    "action",
    "record_type",
    "record_id",
    "summary",
    "before",
    "after",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


_PLAIN = frozenset({type(None), bool, int, str})


def jsonable(value: Any) -> Any:
    """A value as plain JSON: money and dates as text, enums by value, bytes by size and hash."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, bool | int | str) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, Mapping):
        return {str(k): v if type(v) in _PLAIN else jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=canonical_json) if isinstance(value, set | frozenset) else items
    return str(value)


def utc_text(moment: datetime) -> str:
    """A time as ISO 8601 in UTC with microseconds; a naive time is taken to be UTC already."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, non-ASCII kept as it is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stored_json(values: Mapping[str, Any] | None) -> str | None:
    """Before or after values as the text stored (and hashed) with an event."""
    return None if values is None else canonical_json(jsonable(values))


def event_hash(prev_hash: str, fields: Mapping[str, Any], *, key: bytes | None) -> str:
    """HMAC-SHA256 with `key` (hex) over the previous hash and the canonical JSON of the
    hashed fields; with no key, plain SHA-256, as events were hashed before the trail was
    keyed."""
    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    if isinstance(payload["at"], datetime):
        payload["at"] = utc_text(payload["at"])
    message = (prev_hash + canonical_json(payload)).encode("utf-8")
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def clean_summary(text: str) -> str:
    """A one-line summary: control characters out, at most SUMMARY_LENGTH characters."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


# Text longer than this (a generated document's figures, say) is kept by length and hash:
# the trail proves what it was without holding pages of it. Narrative sections fit well within.
LONG_TEXT = 20_000


def _shortened(value: Any) -> Any:
    if isinstance(value, str) and len(value) > LONG_TEXT:
        return {"characters": len(value), "sha256": hashlib.sha256(value.encode()).hexdigest()}
    return value


def hide_secrets(values: Mapping[str, Any], *, marker: str) -> dict[str, Any]:
    """The values with every secret column replaced by a marker (None stays None).

    Very long text is replaced by its length and SHA-256 as well.
    """
    return {
        key: (marker if key in SECRET_COLUMNS and value is not None else _shortened(value))
        for key, value in values.items()
    }


def full_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A created or deleted record's values for the trail: no book-keeping, no secrets."""
    kept = {k: v for k, v in values.items() if k not in IGNORED_COLUMNS}
    return hide_secrets(kept, marker=SECRET_SET)


def changed_values(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of the columns that really changed, secrets as "(changed)".

    Equal values are no change, however they are spelt: Decimal("1.0") and Decimal("1.00"),
    an enum and its value, a naive UTC time read back from SQLite and the aware one set.
    """
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        if key in IGNORED_COLUMNS:
            continue
        was, now = before.get(key), after.get(key)
        if was == now and type(was) is type(now):
            continue
        if (was is None) == (now is None) and _same(was, now):
            continue
        old[key], new[key] = jsonable(was), jsonable(now)
    return hide_secrets(old, marker=SECRET_CHANGED), hide_secrets(new, marker=SECRET_CHANGED)


def _same(was: Any, now: Any) -> bool:
    if isinstance(was, Decimal | int) and isinstance(now, Decimal | int):
        return not isinstance(was, bool) and not isinstance(now, bool) and was == now
    return jsonable(was) == jsonable(now)


# --- checking a chain -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainResult:
    """The outcome of walking a chain: how many events were checked, and the first break."""

    checked: int
    broken_id: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def check_chain(
    events: Iterable[Mapping[str, Any]], *, key: bytes, unkeyed_up_to: int = 0
) -> ChainResult:
    """Walk events in id order (each a mapping of HASHED_FIELDS plus prev_hash and hash).

    Events up to id `unkeyed_up_to` (written before the trail was keyed) are checked with
    plain SHA-256, every later one with `key`. Stops at the first event whose id skips a
    number, whose prev_hash is not the hash of the event before it, or whose own hash does not
    match its fields.
    """
    previous_hash = GENESIS_HASH
    previous_id = 0
    checked = 0
    for event in events:
        event_id = int(event["id"])
        if event_id != previous_id + 1:
            missing = "the first event" if previous_id == 0 else f"the event after #{previous_id}"
            return ChainResult(checked, event_id, f"{missing} is missing")
        if event["prev_hash"] != previous_hash:
            return ChainResult(checked, event_id, "it does not follow from the event before it")
        keyed = event_id > unkeyed_up_to
        if not hmac.compare_digest(
            event["hash"], event_hash(event["prev_hash"], event, key=key if keyed else None)
        ):
            reason = "its contents have changed since it was written"
            if keyed and event["hash"] == event_hash(event["prev_hash"], event, key=None):
                reason += (
                    " (its hash is plain SHA-256, not made with the audit key: rewritten by "
                    "someone without the key, or written before the trail was keyed)"
                )
            return ChainResult(checked, event_id, reason)
        checked += 1
        previous_id, previous_hash = event_id, event["hash"]
    return ChainResult(checked, last_hash=previous_hash)
