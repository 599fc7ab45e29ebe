"""Helpers for the audit trail tests: reading events back, and ids of bodies and people."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from tisc.extensions import db
from tisc.models import AuditEvent, Organisation, Partnership, User

LEAD = "procurement.alpha-police@example.org"


def events(app: Flask, *, after: int = 0, **where: Any) -> list[dict[str, Any]]:
    """Events with an id above `after` matching the columns given, oldest first, JSON parsed."""
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
        for column, value in where.items():
            query = query.where(getattr(AuditEvent, column) == value)
        found = db.session.scalars(query).all()
        return [
            {
                "id": e.id,
                "actor_user_id": e.actor_user_id,
                "actor_label": e.actor_label,
                "organisation_id": e.organisation_id,
                "partnership_id": e.partnership_id,
                "action": e.action,
                "record_type": e.record_type,
                "record_id": e.record_id,
                "summary": e.summary,
                "before": json.loads(e.before) if e.before else None,
                "after": json.loads(e.after) if e.after else None,
                "raw": f"{e.summary} {e.before} {e.after} {e.actor_label}",
            }
            for e in found
        ]


def one(app: Flask, *, after: int = 0, **where: Any) -> dict[str, Any]:
    """The single event matching; fails with what was found otherwise."""
    found = events(app, after=after, **where)
    assert len(found) == 1, [(e["action"], e["record_type"], e["summary"]) for e in found]
    return found[0]


def last_id(app: Flask) -> int:
    """The newest event's id (0 for an empty trail)."""
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def org_id(app: Flask, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.slug == slug))


def partnership_id(app: Flask, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Partnership.id).where(Partnership.slug == slug))


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def all_text(app: Flask) -> str:
    """Everything the trail holds, as one string, to look for what must never be there."""
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent.actor_label, AuditEvent.summary, AuditEvent.before, AuditEvent.after)
        ).all()
        return "\n".join(" ".join(str(v) for v in row) for row in rows)
