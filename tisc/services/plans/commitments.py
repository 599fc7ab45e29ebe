"""A partnership's joint commitments: the defaults from statements/commitments.toml, and edits."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tisc.config import ROOT
from tisc.database import db
from tisc.models import Commitment, Partnership
from tisc.rules.kpis import KPI_KEYS, parse_target
from tisc.services.errors import ConflictError, NotFoundError, ValidationError

DEFAULTS = ROOT / "statements" / "commitments.toml"


def install_default_commitments(*, partnership: Partnership) -> list[Commitment]:
    """Add the default commitments the partnership does not have yet (by key)."""
    data = tomllib.loads(DEFAULTS.read_text(encoding="utf-8"))
    have = set(
        db.session.scalars(
            select(Commitment.key).where(Commitment.partnership_id == partnership.id)
        )
    )
    position = (
        db.session.scalar(
            select(func.max(Commitment.position)).where(Commitment.partnership_id == partnership.id)
        )
        or 0
    )
    added = []
    for entry in data["commitments"]:
        if entry["key"] in have:
            continue
        position += 1
        commitment = Commitment(
            partnership_id=partnership.id,
            key=entry["key"],
            position=position,
            title=entry["title"],
            description=entry.get("description"),
            kpi_key=entry.get("kpi"),
            target_percent=parse_target(str(entry["target"])) if "target" in entry else None,
            default_action=entry.get("default_action"),
        )
        db.session.add(commitment)
        added.append(commitment)
    db.session.flush()
    return added


def list_commitments(
    *, partnership: Partnership, active_only: bool = False
) -> Sequence[Commitment]:
    """The partnership's commitments in order."""
    query = select(Commitment).where(Commitment.partnership_id == partnership.id)
    if active_only:
        query = query.where(Commitment.active.is_(True))
    return db.session.scalars(query.order_by(Commitment.position, Commitment.id)).all()


def get_commitment(*, partnership: Partnership, commitment_id: int) -> Commitment:
    """One of the partnership's commitments; NotFoundError for another's."""
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.partnership_id != partnership.id:
        raise NotFoundError("There is no such commitment")
    return commitment


def update_commitment(
    *,
    commitment: Commitment,
    expected_version: int,
    title: str,
    description: str | None,
    default_action: str | None,
    kpi_key: str | None,
    active: bool,
    target: str | None = None,
) -> None:
    """Change a commitment's words, KPI, the KPI's target (a share typed as "90" or "92.5";
    empty for none) or whether new plans include it."""
    if commitment.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this commitment while you were editing it: look again"
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError("Enter the commitment", field="title")
    if len(title) > 300:
        raise ValidationError("The commitment must be 300 characters or fewer", field="title")
    if kpi_key and kpi_key not in KPI_KEYS:
        raise ValidationError("Choose a KPI from the list", field="kpi_key")
    try:
        target_percent = parse_target(target)
    except ValueError as error:
        raise ValidationError(str(error), field="target") from None
    if target_percent is not None and not kpi_key:
        raise ValidationError(
            "Choose the KPI that measures the commitment, or leave the target empty",
            field="kpi_key",
        )
    commitment.title = title
    commitment.description = (description or "").strip() or None
    commitment.default_action = (default_action or "").strip() or None
    commitment.kpi_key = kpi_key or None
    commitment.target_percent = target_percent
    commitment.active = active
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(
            "Someone else changed this commitment while you were editing it: look again"
        ) from None


def kpi_targets(*, partnership: Partnership | None) -> dict[str, Decimal]:
    """The partnership's target for each KPI that has one: the first commitment in use (in
    the commitments' order) that is measured by the KPI and has a target."""
    if partnership is None:
        return {}
    return targets_of(list_commitments(partnership=partnership, active_only=True))


def targets_of(commitments: Sequence[Commitment]) -> dict[str, Decimal]:
    """Each KPI's target from commitments in order: the first that has one."""
    targets: dict[str, Decimal] = {}
    for commitment in commitments:
        if commitment.kpi_key and commitment.target_percent is not None:
            targets.setdefault(commitment.kpi_key, commitment.target_percent)
    return targets
