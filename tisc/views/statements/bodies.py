"""Modern slavery statements, the body's side: the statements covering the body for a year,
its own paragraph, its signatories, approval, publication, registry submission and answers to
the registry's questions; and a
body's single statement (its own, not the partnership's), which its statement role manages
entirely from here. Registered on the "statements" blueprint of tisc.views.statements.pages.
"""

from __future__ import annotations

from flask import Response, abort, g, render_template, url_for

from tisc.forms.statements import StartForm
from tisc.models import Statement, StatementBody
from tisc.rules.authz import Permission
from tisc.rules.statement_lifecycle import (
    APPROVAL,
    PUBLICATION,
    REGISTRY_SUBMISSION,
    SIGNATORIES,
    Side,
    Step,
)
from tisc.rules.years import FinancialYear
from tisc.services.statements import records as statements
from tisc.views.statements.documents import documents_panel
from tisc.views.statements.handlers import (
    answers_form,
    body_form,
    change_state,
    keep_words_form,
    risk_page,
    section_form,
    start_statement,
)
from tisc.views.statements.pages import (
    SINGLE,
    bp,
    last_finished_year,
    risk_routes,
    state_routes,
    statement_choice,
    statement_view,
)
from tisc.web.access import organisation_access

BASE = "/organisations/<org_slug>/statements/<int:statement_id>"


def _statement(statement_id: int) -> Statement:
    """The body's own statement or a joint one covering it (any other answers 404)."""
    return statements.get_statement(statement_id=statement_id, org=g.org)


def _single(statement_id: int) -> Statement:
    """The body's own single statement; a joint one's shared parts are changed on the
    partnership's side (403 here)."""
    statement = _statement(statement_id)
    if statement.organisation_id != g.org.id:
        abort(403)
    return statement


def _home(statement: Statement) -> str:
    year = FinancialYear(statement.financial_year)
    return url_for("statements.body_statement", org_slug=g.org.slug, year=year.slug)


def _body(statement: Statement) -> StatementBody:
    """The body's part in the statement (404 if the statement does not cover it)."""
    return statements.get_body(statement=statement, org=g.org)


def _years(found: list[Statement]) -> list[FinancialYear]:
    latest = last_finished_year()
    years = {latest - 1, latest, latest + 1} | {s.financial_year for s in found}
    return [FinancialYear(y) for y in sorted(years, reverse=True)]


@bp.get("/organisations/<org_slug>/statement")
@organisation_access(Permission.READ_ORGANISATION)
def body_statement(org_slug: str) -> str:
    """The statements covering the body for the year, its part in each, and the rest."""
    found = statements.list_statements(org=g.org)
    choice = statement_choice(s.financial_year for s in found)
    year = choice.year
    this_year = [s for s in found if s.financial_year == year.start_year]
    views = [statement_view(s, figure_check=True) for s in this_year]
    # Every statement's documents: the body generates those of its own statement, and reads
    # (with its own row of the registry summary) those of a joint statement covering it.
    parts = [
        (
            v,
            _body(v.statement),
            documents_panel(
                v.statement,
                can_generate=v.statement.organisation_id == g.org.id and v.can_shared,
                org=g.org,
                on_statement_page=True,
            ),
        )
        for v in views
    ]
    own = any(s.organisation_id == g.org.id for s in this_year)
    can_manage = Permission.MANAGE_STATEMENT in g.org_permissions
    return render_template(
        "statements/body.html",
        title=f"Modern slavery statement {year.label} – {g.org.name}",
        org=g.org,
        year=year,
        years=_years(found),
        year_choice=choice,
        year_with="with a statement",
        year_none="No statement covers this body for",
        year_current="the last full financial year",
        parts=parts,
        can_start=can_manage and not own,
        has_previous=any(
            s.organisation_id == g.org.id and s.financial_year == year.start_year - 1 for s in found
        ),
        start_form=StartForm(formdata=None, start_from="last_year"),
    )


@bp.post("/organisations/<org_slug>/statement/start")
@organisation_access(Permission.MANAGE_STATEMENT)
def start_single(org_slug: str) -> Response:
    """Start the body's own single statement for the year."""
    return start_statement(
        owner={"org": g.org},
        year_page=lambda year: url_for(
            "statements.body_statement", org_slug=g.org.slug, year=year.slug
        ),
    )


@bp.route(f"{BASE}/sections/<int:section_id>", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def edit_section(org_slug: str, statement_id: int, section_id: int) -> str | Response:
    """Change the body's own paragraph, or any section of its single statement."""
    statement = _statement(statement_id)
    section = statements.get_section(statement=statement, section_id=section_id)
    if section.organisation_id is None and statement.organisation_id != g.org.id:
        abort(403)  # a joint section: the coordinators'
    if section.organisation_id not in (None, g.org.id):
        abort(404)  # another body's own paragraph
    return section_form(statement, section, _home(statement), _keep_url(statement, section_id))


def _keep_url(
    statement: Statement, section_id: int, endpoint: str = "statements.keep_words"
) -> str:
    return url_for(endpoint, org_slug=g.org.slug, statement_id=statement.id, section_id=section_id)


@bp.post(f"{BASE}/sections/<int:section_id>/keep")
@organisation_access(Permission.MANAGE_STATEMENT)
def keep_words(org_slug: str, statement_id: int, section_id: int) -> str | Response:
    """Keep words of the body's own paragraph (or of its single statement) that the figure
    check questioned, with a reason."""
    statement = _statement(statement_id)
    section = statements.get_section(statement=statement, section_id=section_id)
    if section.organisation_id is None and statement.organisation_id != g.org.id:
        abort(403)  # a joint section: the coordinators'
    if section.organisation_id not in (None, g.org.id):
        abort(404)  # another body's own paragraph
    return keep_words_form(
        statement,
        section,
        _home(statement),
        _keep_url(statement, section_id, "statements.edit_section"),
        _keep_url(statement, section_id),
    )


def _body_route(step: Step, statement_id: int) -> str | Response:
    statement = _statement(statement_id)
    return body_form(step, statement, _body(statement), _home(statement))


# A body's steps of the life cycle: each route's last word and who may are the step's.
# Their endpoints are listed in tisc.views.statements.pages.BODY_STEPS.


@bp.route(f"{BASE}/{SIGNATORIES.url_word}", methods=["GET", "POST"])
@organisation_access(SIGNATORIES.who.permission())
def signatories(org_slug: str, statement_id: int) -> str | Response:
    """Who signs the statement for the body."""
    return _body_route(SIGNATORIES, statement_id)


@bp.route(f"{BASE}/{APPROVAL.url_word}", methods=["GET", "POST"])
@organisation_access(APPROVAL.who.permission())
def approval(org_slug: str, statement_id: int) -> str | Response:
    """The body's approval: the date and the decision reference."""
    return _body_route(APPROVAL, statement_id)


@bp.route(f"{BASE}/{PUBLICATION.url_word}", methods=["GET", "POST"])
@organisation_access(PUBLICATION.who.permission())
def publication(org_slug: str, statement_id: int) -> str | Response:
    """Where and when the body published the approved statement."""
    return _body_route(PUBLICATION, statement_id)


@bp.route(f"{BASE}/{REGISTRY_SUBMISSION.url_word}", methods=["GET", "POST"])
@organisation_access(REGISTRY_SUBMISSION.who.permission())
def registry(org_slug: str, statement_id: int) -> str | Response:
    """When the body submitted the statement to the national registry."""
    return _body_route(REGISTRY_SUBMISSION, statement_id)


@bp.route(f"{BASE}/registry-answers", methods=["GET", "POST"])
@organisation_access(Permission.MANAGE_STATEMENT)
def registry_answers(org_slug: str, statement_id: int) -> str | Response:
    """The body's answers to the registry's questions (policies, training, grievance
    mechanisms...), for the registry summary."""
    statement = _statement(statement_id)
    return answers_form(statement, _body(statement), _home(statement))


# --- a single statement's shared parts -------------------------------------------------------


@risk_routes(BASE, SINGLE)
@organisation_access(Permission.MANAGE_STATEMENT)
def single_risk(
    org_slug: str, statement_id: int, risk_id: int | None, remove: bool
) -> str | Response:
    """Describe a risk for the registry in the body's single statement, change one, or ask
    and then remove one."""
    statement = _single(statement_id)
    return risk_page(statement, risk_id, remove, _home(statement))


@state_routes(BASE, SINGLE)
@organisation_access(Side.SHARED.permission(joint=False))
def change_single_state(org_slug: str, statement_id: int, action: str) -> Response:
    """Send the body's single statement for approval, mark it approved or published."""
    statement = _single(statement_id)
    return change_state(statement, action, _home(statement))
