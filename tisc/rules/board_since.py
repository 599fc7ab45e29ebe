"""What changed since the last board, as a pure rule: a kept pack's snapshot of figures against
today's, both plain dictionaries (tisc.services.board.packs makes them):

    {"bodies": {"<org id>": {"name": "...", "cells": {"<commitment id>": "Red"}}},
     "commitments": {"<commitment id>": "1. Risk at start"},
     "items": {"<item id>": {"body": "<org id>", "title": "...", "done": false,
                             "overdue": true}},
     "kpis": {"<kpi key>": {"label": "...", "percent": "30.0"}}}

A rating moved when a body's word on a commitment differs (worse or better when both are
ratings); an action closed when it was not done then and is done now; an action is newly
overdue when it is overdue now and was not then (or did not exist).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RANK = {"Red": 0, "Amber": 1, "Green": 2}
NAMED = 3  # how many of each kind a line names before "and N more"


@dataclass(frozen=True)
class Move:
    """A body's rating on a commitment, then and now."""

    body: str
    commitment: str
    then: str
    now: str

    @property
    def direction(self) -> str:
        """ "worse", "better" or "changed" (to or from no rating)."""
        if self.then in RANK and self.now in RANK:
            return "worse" if RANK[self.now] < RANK[self.then] else "better"
        return "changed"

    @property
    def text(self) -> str:
        return f"{self.body} on {self.commitment} ({self.then} to {self.now})"


@dataclass(frozen=True)
class Since:
    """The changes between two snapshots."""

    moves: tuple[Move, ...]
    closed: tuple[str, ...]  # "Body: action title"
    newly_overdue: tuple[str, ...]

    def lines(self, date_text: str) -> list[str]:
        """The changes in words, for a page or a pack: a count line, then the names."""
        worse = [m for m in self.moves if m.direction == "worse"]
        better = [m for m in self.moves if m.direction == "better"]
        other = [m for m in self.moves if m.direction == "changed"]
        head = (
            f"Since the board pack of {date_text}: {_count(len(self.moves), 'rating')} moved "
            f"({len(worse):,} worse, {len(better):,} better), "
            f"{_count(len(self.closed), 'action')} closed, "
            f"{len(self.newly_overdue):,} newly overdue."
        )
        lines = [head]
        for label, found in (
            ("Worse", [m.text for m in worse]),
            ("Better", [m.text for m in better]),
            ("Changed", [m.text for m in other]),
            ("Closed", list(self.closed)),
            ("Newly overdue", list(self.newly_overdue)),
        ):
            if found:
                lines.append(f"{label}: {_named(found)}.")
        return lines


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def _named(texts: list[str]) -> str:
    shown = "; ".join(texts[:NAMED])
    return shown if len(texts) <= NAMED else f"{shown}; and {len(texts) - NAMED:,} more"


def compare(then: Mapping[str, Any], now: Mapping[str, Any]) -> Since:
    """The changes from the `then` snapshot to the `now` one."""
    moves = []
    headings = {**then.get("commitments", {}), **now.get("commitments", {})}
    for org_id, body in now.get("bodies", {}).items():
        before = then.get("bodies", {}).get(org_id)
        if before is None:
            continue
        for commitment_id, word in body.get("cells", {}).items():
            old = before.get("cells", {}).get(commitment_id)
            if old is not None and old != word:
                moves.append(Move(body["name"], headings[commitment_id], old, word))
    names = {org_id: body["name"] for org_id, body in now.get("bodies", {}).items()}
    closed, overdue = [], []
    for item_id, item in now.get("items", {}).items():
        before = then.get("items", {}).get(item_id)
        label = f"{names.get(item['body'], 'A body')}: {item['title'].rstrip('. ')}"
        if before is not None and not before["done"] and item["done"]:
            closed.append(label)
        if item["overdue"] and (before is None or not before["overdue"]):
            overdue.append(label)
    return Since(tuple(moves), tuple(closed), tuple(overdue))
