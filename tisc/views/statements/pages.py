"""The statements blueprint and what its two sides share: the year asked for, today, the
endpoints of each side, registering the risk and state routes, and the statement as a page
with the links this user may follow. The routes are in tisc.views.statements.partnership
(partnership side) and tisc.views.statements.bodies (body side); the forms they hand over to
are in tisc.views.statements.handlers.

Endpoints are written out in full (JOINT, SINGLE, BODY_STEPS), never assembled, so that a search
for one finds every caller. The life cycle's steps, their URL words and words shown are in
tisc.rules.statement_lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from flask import Blueprint, url_for

from tisc.forms.statements import ActionForm
from tisc.models import Statement, StatementRisk
from tisc.rules.disclosures import Disclosure
from tisc.rules.statement_lifecycle import (
    APPROVAL,
    PUBLICATION,
    REGISTRY_SUBMISSION,
    SIGNATORIES,
    Side,
    Step,
    offered,
    open_for_changes,
    steps_of,
    waiting_for,
)
from tisc.rules.statements import MAX_RISKS, ChecklistItem, Deadline
from tisc.rules.year_choice import YearChoice
from tisc.rules.years import FinancialYear, long_date
from tisc.services.statements import access
from tisc.services.statements import records as statements
from tisc.services.statements.disclosures import statement_disclosures
from tisc.services.statements.figure_checks import SectionFinding, statement_findings
from tisc.services.statements.figures import statement_figures
from tisc.web.access import signed_in_user
from tisc.web.years import asked_year, year_choice
from tisc.web.years import today as web_today

bp = Blueprint("statements", __name__)
View = TypeVar("View", bound=Callable[..., Any])


def today() -> date:
    """Today (the web layer's one clock, so tests can move it for deadlines)."""
    return web_today()


def last_finished_year() -> int:
    """The year whose statement is being written: the financial year before this one."""
    return FinancialYear.containing(today()).start_year - 1


def statement_year() -> FinancialYear:
    """The ?year=2025-26 asked for, else last year (the year whose statement is being written).

    404 for a year that is not 2000-01 to this year: a statement is written after its year, so
    unlike other pages (up to next year) this year is the latest.
    """
    latest = last_finished_year()
    return asked_year(latest=latest + 1) or FinancialYear(latest)


def statement_choice(with_statements: Iterable[int]) -> YearChoice:
    """The year a statement page opens on: the ?year= asked for (as statement_year), else last
    year (the year whose statement is being written) when a statement covers it, else the
    latest year with one."""
    latest = last_finished_year()
    return year_choice(with_statements, current=FinancialYear(latest), latest=latest + 1)


@dataclass(frozen=True)
class SharedEndpoints:
    """Where one side changes a statement's shared parts: the partnership's side for a joint
    statement (JOINT), the body's side for a single one (SINGLE)."""

    section: str
    new_risk: str
    edit_risk: str
    remove_risk: str
    change_state: str


JOINT = SharedEndpoints(
    section="statements.edit_joint_section",
    new_risk="statements.new_joint_risk",
    edit_risk="statements.edit_joint_risk",
    remove_risk="statements.remove_joint_risk",
    change_state="statements.change_joint_state",
)
SINGLE = SharedEndpoints(
    section="statements.edit_section",
    new_risk="statements.new_single_risk",
    edit_risk="statements.edit_single_risk",
    remove_risk="statements.remove_single_risk",
    change_state="statements.change_single_state",
)
# A body's sign-off forms, one for each of its steps (tisc.views.statements.bodies).
BODY_STEPS: dict[Step, str] = {
    SIGNATORIES: "statements.signatories",
    APPROVAL: "statements.approval",
    PUBLICATION: "statements.publication",
    REGISTRY_SUBMISSION: "statements.registry",
}


def _on_blueprint(endpoint: str) -> str:
    """The name a route registers under: the endpoint without "statements."."""
    blueprint, _, name = endpoint.partition(".")
    if blueprint != bp.name:
        raise ValueError(f"{endpoint} is not on the {bp.name} blueprint")
    return name


def risk_routes(base: str, endpoints: SharedEndpoints) -> Callable[[View], View]:
    """Register one view for a side's three risk routes: describe a new risk, change one, ask
    and then remove one. The view takes risk_id (None for a new one) and remove."""

    def register(view: View) -> View:
        methods = ["GET", "POST"]
        bp.route(
            f"{base}/risks/new",
            methods=methods,
            endpoint=_on_blueprint(endpoints.new_risk),
            defaults={"risk_id": None, "remove": False},
        )(view)
        bp.route(
            f"{base}/risks/<int:risk_id>",
            methods=methods,
            endpoint=_on_blueprint(endpoints.edit_risk),
            defaults={"remove": False},
        )(view)
        bp.route(
            f"{base}/risks/<int:risk_id>/remove",
            methods=methods,
            endpoint=_on_blueprint(endpoints.remove_risk),
            defaults={"remove": True},
        )(view)
        return view

    return register


def state_routes(base: str, endpoints: SharedEndpoints) -> Callable[[View], View]:
    """Register one view for the statement's own steps (Side.SHARED of the life cycle): a POST
    to {base}/<the step's URL word> for each, the view taking the step's name as action."""

    def register(view: View) -> View:
        for step in steps_of(Side.SHARED):
            bp.post(
                f"{base}/{step.url_word}",
                endpoint=_on_blueprint(endpoints.change_state),
                defaults={"action": step.name},
            )(view)
        return view

    return register


# --- the statement as a page ----------------------------------------------------------------


@dataclass
class StatementView:
    """A statement with what the page shows beside it and the links this user may follow."""

    statement: Statement
    year: FinancialYear
    period: str
    owner: str
    deadline: Deadline
    checklist: list[ChecklistItem]
    risks: list[StatementRisk]
    body_names: dict[int, str]
    home: str
    can_shared: bool
    not_covered: list[str] = field(default_factory=list)  # members who joined too late
    section_urls: dict[int, str] = field(default_factory=dict)
    # Each managed body's sign-off forms, by step name ("approval"), and its answers to the
    # registry's questions ("answers").
    body_urls: dict[int, dict[str, str]] = field(default_factory=dict)
    # The names of the bodies' steps open in the statement's state.
    body_steps_open: frozenset[str] = frozenset()
    # What a body's part is waiting for before its next step opens.
    body_waiting: str | None = None
    risk_urls: dict[int, tuple[str, str]] = field(default_factory=dict)
    new_risk_url: str | None = None
    # The statement's own steps this user may take now, each with the address it posts to.
    state_actions: list[tuple[Step, str]] = field(default_factory=list)
    action_form: ActionForm | None = None
    # What the figure check found, section by section (only where the page asks for it).
    findings: list[SectionFinding] = field(default_factory=list)
    disclosures: list[Disclosure] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [i.missing for i in self.checklist if i.missing]

    @property
    def open_findings(self) -> list[SectionFinding]:
        return [f for f in self.findings if f.is_open]

    @property
    def areas(self) -> list[ChecklistItem]:
        return [i for i in self.checklist if i.group == "areas"]


def shared_scope(statement: Statement) -> tuple[SharedEndpoints, dict[str, Any]]:
    """Where the statement's shared parts are changed: the partnership's side for a joint
    statement, the body's side for a single one (its endpoints, url_for arguments)."""
    partnership = access.partnership_of(statement)
    if partnership is not None:
        return JOINT, {"partnership_slug": partnership.slug, "statement_id": statement.id}
    org = access.organisation_of(statement)
    return SINGLE, {"org_slug": org.slug, "statement_id": statement.id}


def home_url(statement: Statement) -> str:
    """The statement's page on the side where its shared parts are managed."""
    endpoints, args = shared_scope(statement)
    if endpoints is JOINT:
        return url_for("statements.joint_statement", **args)
    year = FinancialYear(statement.financial_year).slug
    return url_for("statements.body_statement", org_slug=args["org_slug"], year=year)


def statement_view(
    statement: Statement, *, home: str | None = None, figure_check: bool = False
) -> StatementView:
    """Everything the statement page shows, with edit links only where this user may edit;
    with figure_check, what the figure check found in its sections (it computes the figures,
    so only the statement's own page asks for it)."""
    user = signed_in_user()
    year = FinancialYear(statement.financial_year)
    open_for_edits = open_for_changes(statement.state)
    can_shared = access.may_edit_shared(user=user, statement=statement)
    view = StatementView(
        statement=statement,
        year=year,
        period=f"{long_date(year.starts)} to {long_date(year.ends)}",
        owner=access.owner_name(statement),
        deadline=statements.statement_deadline(statement=statement, today=today()),
        checklist=statements.statement_checklist(statement=statement),
        risks=statements.list_risks(statement=statement),
        body_names={b.organisation_id: b.organisation.name for b in statement.bodies},
        home=home or home_url(statement),
        can_shared=can_shared,
        not_covered=[o.name for o in statements.members_not_covered(statement=statement)],
    )
    endpoints, args = shared_scope(statement)
    managed = {
        b.organisation_id: b.organisation.slug
        for b in statement.bodies
        if access.may_manage_body(user=user, org=b.organisation)
    }
    for section in statement.sections if open_for_edits else []:
        if section.organisation_id is None and can_shared:
            view.section_urls[section.id] = url_for(
                endpoints.section, section_id=section.id, **args
            )
        elif section.organisation_id in managed:
            view.section_urls[section.id] = url_for(
                "statements.edit_section",
                org_slug=managed[section.organisation_id],
                statement_id=statement.id,
                section_id=section.id,
            )
    for body in statement.bodies:
        if body.organisation_id in managed:
            slug = managed[body.organisation_id]
            view.body_urls[body.id] = {
                step.name: url_for(endpoint, org_slug=slug, statement_id=statement.id)
                for step, endpoint in BODY_STEPS.items()
            }
            view.body_urls[body.id]["answers"] = url_for(
                "statements.registry_answers", org_slug=slug, statement_id=statement.id
            )
    view.body_steps_open = frozenset(s.name for s in offered(statement.state, Side.BODY))
    view.body_waiting = waiting_for(statement.state)
    if can_shared and open_for_edits:
        for risk in view.risks:
            view.risk_urls[risk.id] = (
                url_for(endpoints.edit_risk, risk_id=risk.id, **args),
                url_for(endpoints.remove_risk, risk_id=risk.id, **args),
            )
        if len(view.risks) < MAX_RISKS:
            view.new_risk_url = url_for(endpoints.new_risk, **args)
    if figure_check:
        figures = statement_figures(statement=statement, today=today())
        view.findings = statement_findings(statement=statement, figures=figures)
        view.disclosures = statement_disclosures(statement=statement, figures=figures)
    if can_shared:
        view.state_actions = [
            (step, url_for(endpoints.change_state, action=step.name, **args))
            for step in offered(statement.state, Side.SHARED)
        ]
        view.action_form = ActionForm(formdata=None, version=str(statement.version_id))
    return view
