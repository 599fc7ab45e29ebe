"""A supplier's private link under attack: one POST of 8,000 sub-supplier rows (about 640 KB),
against the floor of opening the same link. Before the body limit it ran 30 s and ended in a
worker timeout; the goal is a refusal in well under a second."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from urllib.parse import urlencode

from flask import Flask


def attack_body(rows: int = 8000) -> str:
    """The form from the issue: many sub-supplier rows, each a few fields."""
    fields: dict[str, str] = {"save": "y"}
    for index in range(rows):
        fields |= {
            f"subs-{index}-name": f"Sub-supplier number {index:05d} Limited",
            f"subs-{index}-tier": "2",
            f"subs-{index}-country": "United Kingdom",
            f"subs-{index}-supplies": "Cleaning products",
        }
    return urlencode(fields)


def measure(app: Flask, password: str, queue: multiprocessing.Queue) -> None:
    """Seed the demo, make a fresh link to an open invitation, then time GET and the POST."""
    from sqlalchemy import select

    from tisc.demo import seed as demo
    from tisc.extensions import db
    from tisc.models import AssessmentStatus, Invitation, SupplierAssessment
    from tisc.services.assessments import invitations

    with app.app_context():
        demo.seed_demo(password=password)
        invitation = db.session.scalars(
            select(Invitation)
            .join(Invitation.assessment)
            .where(SupplierAssessment.status == AssessmentStatus.WITH_SUPPLIER)
            .order_by(Invitation.id)
        ).first()
        token = invitations.new_link(invitation=invitation, days=30)
        db.session.commit()
    link = f"/respond/{token}"
    client = app.test_client()
    body = attack_body()

    def timed(send) -> float:
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            status = send()
            samples.append(time.perf_counter() - started)
        assert status in (200, 413), status
        return statistics.median(samples)

    floor = timed(lambda: client.get(link).status_code)
    refused = timed(
        lambda: (
            client.post(
                link, data=body, content_type="application/x-www-form-urlencoded"
            ).status_code
        )
    )
    queue.put({"floor_ms": floor * 1000, "refused_ms": refused * 1000, "bytes": len(body)})
