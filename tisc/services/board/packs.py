"""Board packs kept with their date, and "since the last board": each pack's figures are kept
as a snapshot (tisc.models.BoardPack), and the next pack, and the dashboard, compare today's
with the newest one kept for the year before the day they are dated
(tisc.rules.board_since)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from tisc.database import db
from tisc.models import ActionPlan, BoardPack, ItemStatus, Partnership, PlanItem, User
from tisc.rules.board_since import compare
from tisc.rules.years import FinancialYear, long_date
from tisc.services.board.dashboard import BoardView


def pack_figures(*, view: BoardView) -> dict[str, Any]:
    """The snapshot of what a pack shows: each body's word on each commitment, each action's
    state and the partnership's KPIs (keys are strings: JSON's)."""
    items = db.session.scalars(
        select(PlanItem)
        .join(ActionPlan, ActionPlan.id == PlanItem.plan_id)
        .where(
            ActionPlan.organisation_id.in_([row.org.id for row in view.rows]),
            ActionPlan.financial_year == view.financial_year,
        )
        .order_by(PlanItem.id)
    )
    return {
        "bodies": {
            str(row.org.id): {
                "name": row.org.name,
                "cells": {str(cell.commitment.id): cell.label for cell in row.cells},
            }
            for row in view.rows
        },
        "commitments": {str(c.id): c.heading for c in view.commitments},
        "items": {
            str(item.id): {
                "body": str(item.organisation_id),
                "title": item.title,
                "done": item.status is ItemStatus.DONE,
                "overdue": item.is_overdue(view.today),
            }
            for item in items
        },
        "kpis": {
            key: {
                "label": found.value.definition.label,
                "percent": None if found.value.percent is None else str(found.value.percent),
            }
            for key, found in view.total_kpis.values.items()
        },
    }


def keep_pack(*, view: BoardView, user: User | None, by: str | None = None) -> BoardPack:
    """Keep the figures of the pack dated `view.today`, for the next board to compare with;
    `by` names who kept it when no user did (the command line)."""
    pack = BoardPack(
        partnership_id=view.partnership.id,
        financial_year=view.financial_year,
        report_date=view.today,
        figures=pack_figures(view=view),
        created_by_id=user.id if user else None,
        created_by_name=(user.name or user.email) if user else by,
    )
    db.session.add(pack)
    db.session.flush()
    return pack


def list_packs(*, partnership: Partnership, financial_year: int) -> list[BoardPack]:
    """The packs kept for a year, newest first."""
    return list(
        db.session.scalars(
            select(BoardPack)
            .where(
                BoardPack.partnership_id == partnership.id,
                BoardPack.financial_year == financial_year,
            )
            .order_by(BoardPack.report_date.desc(), BoardPack.id.desc())
        )
    )


def last_pack(*, partnership: Partnership, financial_year: int, before: date) -> BoardPack | None:
    """The newest pack kept for the year dated before `before` (the last board's)."""
    return db.session.scalars(
        select(BoardPack)
        .where(
            BoardPack.partnership_id == partnership.id,
            BoardPack.financial_year == financial_year,
            BoardPack.report_date < before,
        )
        .order_by(BoardPack.report_date.desc(), BoardPack.id.desc())
        .limit(1)
    ).first()


def since_last_board(*, view: BoardView) -> list[str]:
    """What changed since the last pack kept for the year, in words; says so when there is
    none to compare with."""
    last = last_pack(
        partnership=view.partnership, financial_year=view.financial_year, before=view.today
    )
    if last is None:
        return [
            f"No earlier board pack is kept for {FinancialYear(view.financial_year).label}, "
            "so there is nothing to compare with yet."
        ]
    changes = compare(last.figures, pack_figures(view=view))
    return changes.lines(long_date(last.report_date))
