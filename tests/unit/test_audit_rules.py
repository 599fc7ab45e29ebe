"""Audit rules: values as JSON, secrets hidden, what changed, and the hash chain."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from tisc.models import Role
from tisc.rules.audit import (
    GENESIS_HASH,
    HASHED_FIELDS,
    SECRET_CHANGED,
    SECRET_SET,
    canonical_json,
    changed_values,
    check_chain,
    clean_summary,
    event_hash,
    full_values,
    jsonable,
    stored_json,
    utc_text,
)


def test_values_become_plain_json() -> None:
    assert jsonable(Decimal("50000.10")) == "50000.10"
    assert jsonable(date(2025, 4, 1)) == "2025-04-01"
    assert jsonable(Role.BOARD) == "board"
    assert jsonable({"a": [Decimal("1.5"), None, True]}) == {"a": ["1.5", None, True]}
    assert jsonable(3) == 3 and jsonable(True) is True


def test_times_are_written_in_utc_whatever_zone_they_came_in() -> None:
    summer = timezone(timedelta(hours=1))
    assert utc_text(datetime(2026, 7, 1, 13, 0, 0, 5, tzinfo=summer)) == (
        "2026-07-01T12:00:00.000005Z"
    )
    # SQLite gives back naive times that were stored in UTC.
    assert utc_text(datetime(2026, 7, 1, 12, 0)) == "2026-07-01T12:00:00.000000Z"
    assert jsonable(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "2026-07-01T12:00:00.000000Z"


def test_binary_content_is_kept_as_its_size_and_hash_not_its_bytes() -> None:
    data = b"PK\x03\x04" + bytes(5000)
    assert jsonable(data) == {"bytes": 5004, "sha256": hashlib.sha256(data).hexdigest()}
    assert "PK" not in stored_json({"content": data})


def test_secrets_never_appear_in_created_or_changed_values() -> None:
    created = full_values({"email": "a@example.org", "password_hash": "$argon2id$v=19$abc"})
    assert created == {"email": "a@example.org", "password_hash": SECRET_SET}
    before, after = changed_values({"token_hash": "old-digest"}, {"token_hash": "new-digest"})
    assert before == {"token_hash": SECRET_CHANGED} and after == {"token_hash": SECRET_CHANGED}
    assert "digest" not in json.dumps([before, after])


def test_only_real_changes_count() -> None:
    before, after = changed_values(
        {
            "name": "Acme",
            "amount": Decimal("1.0"),
            "role": Role.BOARD,
            "at": datetime(2026, 1, 1, 9, 0),
            "notes": None,
            "version_id": 3,
            "updated_at": datetime(2026, 1, 1),
            "active": True,
        },
        {
            "name": "Acme Ltd",
            "amount": Decimal("1.00"),
            "role": "board",
            "at": datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
            "notes": "",
            "version_id": 4,
            "updated_at": datetime(2026, 2, 1),
            "active": 1,
        },
    )
    assert before == {"name": "Acme", "notes": None, "active": True}
    assert after == {"name": "Acme Ltd", "notes": "", "active": 1}


def test_created_values_leave_out_book_keeping() -> None:
    assert full_values({"id": 4, "version_id": 1, "created_at": 1, "updated_at": 2}) == {"id": 4}


def test_canonical_json_has_one_spelling() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    assert canonical_json({"a": "é", "b": 1}) == canonical_json({"b": 1, "a": "é"})


def test_summaries_are_one_short_line() -> None:
    assert clean_summary("Changed\x00 supplier\n\t#4") == "Changed supplier #4"
    long = clean_summary("x" * 1000)
    assert len(long) == 300 and long.endswith("…")


KEY = b"unit-test-audit-key"


def _chain(count: int, *, unkeyed_up_to: int = 0) -> list[dict]:
    events, prev = [], GENESIS_HASH
    for number in range(1, count + 1):
        fields = {
            "id": number,
            "at": datetime(2026, 1, 1, 12, number, tzinfo=UTC),
            "actor_user_id": 7,
            "actor_label": "lead@example.org",
            "organisation_id": 1,
            "partnership_id": None,
            "action": "update",
            "record_type": "suppliers",
            "record_id": str(number),
            "summary": f"Changed supplier #{number}",
            "before": '{"name":"A"}',
            "after": '{"name":"B"}',
        }
        digest = event_hash(prev, fields, key=None if number <= unkeyed_up_to else KEY)
        events.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
    return events


def test_an_untouched_chain_passes() -> None:
    events = _chain(5)
    result = check_chain(events, key=KEY)
    assert result.ok and result.checked == 5 and result.last_hash == events[-1]["hash"]
    assert check_chain([], key=KEY).ok


def test_the_hash_covers_every_field() -> None:
    event = _chain(1)[0]
    for name, other in [
        ("summary", "Changed nothing"),
        ("actor_label", "someone else"),
        ("actor_user_id", 8),
        ("organisation_id", 2),
        ("before", '{"name":"Z"}'),
        ("after", None),
        ("at", datetime(2026, 1, 1, 12, 2, tzinfo=UTC)),
        ("record_id", "99"),
    ]:
        assert event_hash(event["prev_hash"], {**event, name: other}, key=KEY) != event["hash"], (
            name
        )


def test_a_changed_event_is_named() -> None:
    events = _chain(5)
    events[2] = {**events[2], "summary": "Changed supplier #3 (quietly)"}
    result = check_chain(events, key=KEY)
    assert (result.ok, result.broken_id, result.checked) == (False, 3, 2)
    assert "changed" in result.reason


def test_a_deleted_event_is_found_at_the_gap() -> None:
    events = _chain(5)
    del events[1]
    result = check_chain(events, key=KEY)
    assert result.broken_id == 3 and "after #1 is missing" in result.reason
    assert check_chain(_chain(3)[1:], key=KEY).broken_id == 2


def test_a_rewritten_event_with_a_fresh_hash_breaks_the_link_after_it() -> None:
    events = _chain(4)
    forged = {**events[1], "summary": "Nothing to see"}
    forged["hash"] = event_hash(forged["prev_hash"], forged, key=KEY)  # even with the key
    events[1] = forged
    result = check_chain(events, key=KEY)
    assert result.broken_id == 3 and "does not follow" in result.reason


def _recomputed_without_the_key(events: list[dict], start: int) -> list[dict]:
    """What someone with database rights but not the key can do: change event `start` and
    recompute its hash and every later one with plain SHA-256."""
    forged, prev = [], events[start - 2]["hash"] if start > 1 else GENESIS_HASH
    for event in events[start - 1 :]:
        changed = {**event, "prev_hash": prev}
        if event["id"] == start:
            changed["summary"] = "Nothing to see"
        changed["hash"] = prev = event_hash(prev, changed, key=None)
        forged.append(changed)
    return events[: start - 1] + forged


def test_a_chain_recomputed_without_the_key_is_found_at_the_rewritten_event() -> None:
    result = check_chain(_recomputed_without_the_key(_chain(6), 3), key=KEY)
    assert (result.ok, result.broken_id, result.checked) == (False, 3, 2)
    assert "not made with the audit key" in result.reason


def test_another_key_fails_at_the_first_event() -> None:
    assert check_chain(_chain(3), key=b"another key").broken_id == 1


def test_unkeyed_events_pass_only_up_to_the_cut_over() -> None:
    legacy = _chain(6, unkeyed_up_to=2)
    assert check_chain(legacy, key=KEY, unkeyed_up_to=2).ok
    assert check_chain(legacy, key=KEY).broken_id == 1  # no cut-over given: not keyed
    # Past the cut-over, plain SHA-256 is refused: no downgrading the rest of the trail.
    assert (
        check_chain(_recomputed_without_the_key(legacy, 4), key=KEY, unkeyed_up_to=2).broken_id == 4
    )
    assert check_chain(_chain(6, unkeyed_up_to=4), key=KEY, unkeyed_up_to=2).broken_id == 3


def test_the_keyed_hash_is_hmac_sha256_over_the_previous_hash_and_the_fields() -> None:
    import hmac

    event = _chain(1)[0]
    payload = {name: event[name] for name in HASHED_FIELDS}
    payload["at"] = utc_text(event["at"])
    message = (GENESIS_HASH + canonical_json(payload)).encode()
    assert event["hash"] == hmac.new(KEY, message, hashlib.sha256).hexdigest()
    assert event_hash(GENESIS_HASH, event, key=None) == hashlib.sha256(message).hexdigest()


def test_renumbered_events_fail() -> None:
    events = _chain(3)
    events[2] = {**events[2], "id": 4}
    assert check_chain(events, key=KEY).broken_id == 4


def test_very_long_text_is_kept_by_length_and_hash() -> None:
    from tisc.rules.audit import LONG_TEXT, changed_values

    long = "x" * (LONG_TEXT + 1)
    digest = {"characters": LONG_TEXT + 1, "sha256": hashlib.sha256(long.encode()).hexdigest()}
    assert full_values({"figures": long, "text": "y" * LONG_TEXT}) == {
        "figures": digest,
        "text": "y" * LONG_TEXT,
    }
    assert changed_values({"figures": "short"}, {"figures": long}) == (
        {"figures": "short"},
        {"figures": digest},
    )
