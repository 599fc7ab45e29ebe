"""Modern slavery statements, the partnership's side: its joint statements, starting a year's,
the statement page with its checklist and deadline, and the coordinators' changes to the joint
parts (sections, risks, sending for approval, marking approved and published).

The body's side (its own paragraph, sign-off and publication, and single statements) is in
tisc.views.statements.bodies; both register on the one "statements" blueprint.
"""

from __future__ import annotations

from flask import Response, abort, g, render_template, request, url_for

from tisc.forms.statements import StartForm
from tisc.models import Statement
from tisc.rules.authz import Permission, permissions_from
from tisc.rules.statement_lifecycle import Side
from tisc.services.statements import records as statements
from tisc.views.statements import bodies as _body_side  # noqa: F401 - registers the body's routes
from tisc.views.statements.documents import documents_panel
from tisc.views.statements.handlers import (
    change_state,
    keep_words_form,
    risk_page,
    section_form,
    start_statement,
)
from tisc.views.statements.pages import (
    JOINT,
    bp,
    risk_routes,
    state_routes,
    statement_view,
    statement_year,
)
from tisc.web.access import partnership_access

__all__ = ["bp"]
BASE = "/partnerships/<partnership_slug>/statements"


def _statement(statement_id: int) -> Statement:
    """The partnership's statement (any other answers 404)."""
    return statements.get_statement(statement_id=statement_id, partnership=g.partnership)


def _home(statement: Statement) -> str:
    return url_for(
        "statements.joint_statement",
        partnership_slug=g.partnership.slug,
        statement_id=statement.id,
    )


@bp.get(BASE)
@partnership_access(Permission.READ_PARTNERSHIP)
def partnership_statements(partnership_slug: str) -> str:
    """The partnership's joint statements by year, and starting the year's."""
    year = statement_year()
    found = statements.list_statements(partnership=g.partnership)
    can_edit = Permission.EDIT_JOINT in permissions_from(g.partnership_roles)
    existing = {s.financial_year for s in found}
    return render_template(
        "statements/index.html",
        title=f"Joint statements – {g.partnership.name}",
        partnership=g.partnership,
        rows=[(s, statement_view(s, home=_home(s))) for s in found],
        year=year,
        can_start=can_edit and year.start_year not in existing,
        has_previous=year.start_year - 1 in existing,
        start_form=StartForm(formdata=None, start_from="last_year"),
    )


@bp.post(f"{BASE}/start")
@partnership_access(Permission.EDIT_JOINT)
def start_joint(partnership_slug: str) -> Response:
    """Start the year's joint statement."""
    return start_statement(
        owner={"partnership": g.partnership},
        year_page=lambda year: url_for(
            "statements.partnership_statements",
            partnership_slug=partnership_slug,
            year=year.slug,
        ),
        home=_home,
    )


@bp.get(f"{BASE}/<int:statement_id>")
@partnership_access(Permission.READ_PARTNERSHIP)
def joint_statement(partnership_slug: str, statement_id: int) -> str:
    """The statement: state, bodies, deadline, checklist, sections and risks."""
    statement = _statement(statement_id)
    v = statement_view(statement, home=_home(statement), figure_check=True)
    return render_template(
        "statements/statement.html",
        title=statement.title,
        partnership=g.partnership,
        v=v,
        statement=statement,
        panel=documents_panel(statement, can_generate=v.can_shared, on_statement_page=True),
    )


@bp.route(f"{BASE}/<int:statement_id>/sections/<int:section_id>", methods=["GET", "POST"])
@partnership_access(Permission.EDIT_JOINT)
def edit_joint_section(partnership_slug: str, statement_id: int, section_id: int) -> str | Response:
    """Change a joint section. A body's own paragraph is its statement role's to change."""
    statement = _statement(statement_id)
    section = statements.get_section(statement=statement, section_id=section_id)
    if section.organisation_id is not None:
        abort(403)
    return section_form(statement, section, _home(statement), _keep_url(section_id))


def _section_url(section_id: int, endpoint: str = "statements.edit_joint_section") -> str:
    return url_for(
        endpoint,
        partnership_slug=g.partnership.slug,
        statement_id=request.view_args["statement_id"],
        section_id=section_id,
    )


def _keep_url(section_id: int) -> str:
    return _section_url(section_id, "statements.keep_joint_words")


@bp.post(f"{BASE}/<int:statement_id>/sections/<int:section_id>/keep")
@partnership_access(Permission.EDIT_JOINT)
def keep_joint_words(partnership_slug: str, statement_id: int, section_id: int) -> str | Response:
    """Keep words of a joint section that the figure check questioned, with a reason."""
    statement = _statement(statement_id)
    section = statements.get_section(statement=statement, section_id=section_id)
    if section.organisation_id is not None:
        abort(403)
    return keep_words_form(
        statement, section, _home(statement), _section_url(section_id), _keep_url(section_id)
    )


@risk_routes(f"{BASE}/<int:statement_id>", JOINT)
@partnership_access(Permission.EDIT_JOINT)
def joint_risk(
    partnership_slug: str, statement_id: int, risk_id: int | None, remove: bool
) -> str | Response:
    """Describe a risk for the registry, change one, or ask and then remove one."""
    statement = _statement(statement_id)
    return risk_page(statement, risk_id, remove, _home(statement))


@state_routes(f"{BASE}/<int:statement_id>", JOINT)
@partnership_access(Side.SHARED.permission(joint=True))
def change_joint_state(partnership_slug: str, statement_id: int, action: str) -> Response:
    """Take one of the statement's own steps: send it for approval, mark it approved, or mark
    it published."""
    statement = _statement(statement_id)
    return change_state(statement, action, _home(statement))
