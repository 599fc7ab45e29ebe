"""The board's dashboard of a partnership and its board report (Word and XLSX).

Read-only: every route is a GET for anyone who reads the partnership (its board and
coordinators).
"""

from __future__ import annotations

import re
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from tisc.rules.authz import Permission, permissions_from
from tisc.rules.board import LEGEND
from tisc.rules.years import FinancialYear, long_date
from tisc.services.board.dashboard import RAG_ORDER, board_plan_years, board_view, board_years
from tisc.services.board.glance import board_glance
from tisc.services.board.packs import keep_pack, list_packs, since_last_board
from tisc.services.board.report import board_report_docx, board_report_xlsx
from tisc.services.due_diligence.goods_risk import heat_map_for_partnership
from tisc.services.incidents.counts import incident_counts
from tisc.services.procurements.figures import act_figures
from tisc.web.access import partnership_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.errors import render_error
from tisc.web.saving import saving
from tisc.web.years import today, year_choice

bp = Blueprint("board", __name__, url_prefix="/partnerships/<partnership_slug>/board")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _report_date() -> date:
    """The ?date=YYYY-MM-DD printed on the report (default today); 400 when unreadable."""
    asked = request.args.get("date", "").strip()
    if not asked:
        return today()
    try:
        if not ISO_DATE.match(asked):
            raise ValueError(asked)
        return date.fromisoformat(asked)
    except ValueError:
        abort(make_response(render_error(400, "Enter the report date like 2026-11-29")))


@bp.get("")
@partnership_access(Permission.READ_PARTNERSHIP)
def dashboard(partnership_slug: str) -> str:
    """Each member body by joint commitment, overdue actions, RAG counts and KPIs for a year."""
    years = board_years(partnership=g.partnership)
    # The year we are in when a body has a plan for it, else the latest year with plans.
    choice = year_choice(board_plan_years(partnership=g.partnership))
    year = choice.year
    day = today()
    view = board_view(partnership=g.partnership, financial_year=year.start_year, today=day)
    return render_template(
        "board/dashboard.html",
        title=f"Board dashboard {year.label} – {g.partnership.name}",
        partnership=g.partnership,
        years=[FinancialYear(y) for y in sorted({*years, year.start_year}, reverse=True)],
        year=year,
        year_choice=choice,
        year_with="with action plans",
        year_none="No action plans for",
        last_year=FinancialYear(year.start_year - 1),
        view=view,
        glance=board_glance(view=view),
        legend=LEGEND,
        since=since_last_board(view=view),
        packs=list_packs(partnership=g.partnership, financial_year=year.start_year),
        can_keep=Permission.EDIT_JOINT in permissions_from(g.partnership_roles),
        grid=heat_map_for_partnership(partnership=g.partnership, financial_year=year.start_year),
        act_figures=act_figures(
            organisations=g.partnership.organisations, financial_year=year.start_year, today=day
        ),
        incidents=incident_counts(
            organisations=g.partnership.organisations, financial_year=year.start_year
        ),
        today=day,
        rags=RAG_ORDER,
    )


@bp.get("/report.<file_format>")
@partnership_access(Permission.READ_PARTNERSHIP)
def report(partnership_slug: str, file_format: str) -> Response:
    """The board report for ?year= and ?date= as Word (.docx) or XLSX."""
    if file_format not in ("docx", "xlsx"):
        abort(404)
    year = year_choice(board_plan_years(partnership=g.partnership)).year
    report_date = _report_date()
    view = board_view(partnership=g.partnership, financial_year=year.start_year, today=report_date)
    write = board_report_docx if file_format == "docx" else board_report_xlsx
    body = write(view=view, report_date=report_date, partnership=g.partnership)
    filename = (
        f"{g.partnership.slug}-board-report-{year.slug}-{report_date.isoformat()}.{file_format}"
    )
    return download(body, filename)


@bp.post("/packs")
@partnership_access(Permission.EDIT_JOINT)
def keep(partnership_slug: str) -> Response:
    """Keep the figures of the board pack for ?year= dated today, for the next board to
    compare with."""
    year = year_choice(board_plan_years(partnership=g.partnership)).year
    day = today()
    view = board_view(partnership=g.partnership, financial_year=year.start_year, today=day)
    with saving() as saved:
        keep_pack(view=view, user=signed_in_user())
    if saved:
        flash(
            f"The board pack of {long_date(day)} is kept: the next pack says what changed since.",
            "success",
        )
    return redirect(
        url_for("board.dashboard", partnership_slug=g.partnership.slug, year=year.slug) + "#since"
    )
