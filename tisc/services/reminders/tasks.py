"""A person's tasks, gathered from the records of the bodies and partnerships they belong to:
action plan items due or overdue, supplier invitations unanswered after 14 days, assessments
older than 12 months, exclusions to tell the Procurement Review Unit, contract reviews due,
statements awaiting the body's approval, and statement deadlines.
When each is due is `rules/reminders`; who gets which is `TASK_ROLES`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import (
    AssessmentStatus,
    Contract,
    ContractReview,
    ExclusionDecision,
    Invitation,
    Organisation,
    PlanItem,
    Statement,
    StatementBody,
    Supplier,
    SupplierAssessment,
    User,
)
from tisc.rules import reminders as rules
from tisc.rules.authz import Role
from tisc.rules.debarment import Decision
from tisc.rules.plans import ItemStatus
from tisc.rules.reminders import Due, ReminderKind
from tisc.rules.statement_lifecycle import StatementState
from tisc.rules.years import FinancialYear

# Who is reminded of which kind of task, by the role they hold in the body (a procurement lead
# chases suppliers; a statement owner keeps the action plan and the statement).
TASK_ROLES: dict[ReminderKind, Role] = {
    ReminderKind.ACTION_OVERDUE: Role.STATEMENT,
    ReminderKind.INVITATION_UNANSWERED: Role.PROCUREMENT,
    ReminderKind.ASSESSMENT_STALE: Role.PROCUREMENT,
    ReminderKind.EXCLUSION_NOTICE: Role.PROCUREMENT,
    ReminderKind.CONTRACT_REVIEW: Role.PROCUREMENT,
    ReminderKind.STATEMENT_APPROVAL: Role.STATEMENT,
    ReminderKind.STATEMENT_DEADLINE: Role.STATEMENT,
}


@dataclass(frozen=True)
class Task:
    """One task: its kind, the record it is about ("plan_item:12"), what to do, for which body,
    when it is due (with the reminder's period), and the page where it is done (an endpoint and
    its arguments, made into a link by the view or the command)."""

    kind: ReminderKind
    record: str
    what: str
    body: str
    due: Due
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)

    def when(self, today: date) -> str:
        return rules.when_words(self.due, today)


def _day(value: datetime) -> date:
    """The local calendar day of a time kept in UTC (naive times are UTC, as SQLite returns)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone().date()


def _bodies(user: User, role: Role) -> list[Organisation]:
    """The bodies where the person holds this role."""
    return [m.organisation for m in user.memberships if m.role is role and m.organisation]


def _actions(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    items = db.session.scalars(
        select(PlanItem)
        .where(
            PlanItem.organisation_id.in_(by_id),
            PlanItem.status != ItemStatus.DONE,
            PlanItem.due_date.is_not(None),
            PlanItem.due_date <= today + timedelta(days=rules.ACTION_DUE_SOON_DAYS),
        )
        .order_by(PlanItem.due_date, PlanItem.id)
    )
    for item in items:
        due = rules.action_due(item.due_date, item.status == ItemStatus.DONE, today)
        org = by_id[item.organisation_id]
        if due is not None:
            yield Task(
                ReminderKind.ACTION_OVERDUE,
                f"plan_item:{item.id}",
                f"Update the action “{item.title}”",
                org.name,
                due,
                "plans.item",
                {"org_slug": org.slug, "item_id": item.id},
            )


def _invitations(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    cutoff = datetime.combine(
        today - timedelta(days=rules.INVITATION_ANSWER_DAYS - 1), datetime.min.time(), UTC
    )
    found = db.session.execute(
        select(Invitation, Supplier.name)
        .join(SupplierAssessment, SupplierAssessment.id == Invitation.assessment_id)
        .join(Supplier, Supplier.id == Invitation.supplier_id)
        .where(
            Invitation.organisation_id.in_(by_id),
            Invitation.sent_at.is_not(None),
            Invitation.sent_at < cutoff,
            SupplierAssessment.status == AssessmentStatus.WITH_SUPPLIER,
            Supplier.archived_at.is_(None),
        )
        .order_by(Invitation.sent_at, Invitation.id)
    )
    for invitation, supplier_name in found:
        assert invitation.sent_at is not None
        due = rules.invitation_due(_day(invitation.sent_at), False, today)
        org = by_id[invitation.organisation_id]
        if due is not None:
            yield Task(
                ReminderKind.INVITATION_UNANSWERED,
                f"invitation:{invitation.id}",
                f"Chase {supplier_name}: their self-assessment is not answered",
                org.name,
                due,
                "invitations.outbox",
                {"org_slug": org.slug},
            )


def _assessments(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    newest = func.max(SupplierAssessment.completed_at)
    found = db.session.execute(
        select(Supplier.id, Supplier.name, Supplier.organisation_id, newest)
        .join(SupplierAssessment, SupplierAssessment.supplier_id == Supplier.id)
        .where(
            Supplier.organisation_id.in_(by_id),
            Supplier.archived_at.is_(None),
            SupplierAssessment.organisation_id == Supplier.organisation_id,
            SupplierAssessment.status == AssessmentStatus.COMPLETE,
            SupplierAssessment.completed_at.is_not(None),
        )
        .group_by(Supplier.id, Supplier.name, Supplier.organisation_id)
        .order_by(newest, Supplier.id)
    )
    for supplier_id, name, org_id, completed_at in found:
        due = rules.assessment_due(_day(completed_at), today)
        if due is None:
            continue
        org = by_id[org_id]
        yield Task(
            ReminderKind.ASSESSMENT_STALE,
            f"supplier:{supplier_id}",
            f"Assess {name} again: its assessment is 12 months old",
            org.name,
            due,
            "suppliers.detail",
            {"org_slug": org.slug, "supplier_id": supplier_id},
        )


def _exclusions(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    found = db.session.execute(
        select(ExclusionDecision, Supplier.name)
        .join(Supplier, Supplier.id == ExclusionDecision.supplier_id)
        .where(
            ExclusionDecision.organisation_id.in_(by_id),
            ExclusionDecision.decision == Decision.EXCLUDED,
            ExclusionDecision.notified_on.is_(None),
        )
        .order_by(ExclusionDecision.decided_on, ExclusionDecision.id)
    )
    for record, supplier_name in found:
        due = rules.exclusion_due(record.decision, record.decided_on, None, today)
        org = by_id[record.organisation_id]
        if due is not None:
            yield Task(
                ReminderKind.EXCLUSION_NOTICE,
                f"exclusion_decision:{record.id}",
                f"Tell the Procurement Review Unit that {supplier_name} is excluded",
                org.name,
                due,
                "exclusions.edit_decision",
                {
                    "org_slug": org.slug,
                    "supplier_id": record.supplier_id,
                    "decision_id": record.id,
                },
            )


def _contracts(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    latest = (
        select(func.max(ContractReview.reviewed_on))
        .where(ContractReview.contract_id == Contract.id, ContractReview.reviewed_on <= today)
        .correlate(Contract)
        .scalar_subquery()
    )
    found = db.session.execute(
        select(Contract, Supplier.name, latest)
        .join(Supplier, Supplier.id == Contract.supplier_id)
        .where(
            Contract.organisation_id.in_(by_id),
            Supplier.archived_at.is_(None),
            Contract.start_date <= today,
            Contract.end_date >= today,
        )
        .order_by(Contract.start_date, Contract.id)
    )
    for contract, supplier_name, reviewed_on in found:
        due = rules.contract_review_due(reviewed_on, contract.start_date, contract.end_date, today)
        org = by_id[contract.organisation_id]
        if due is not None:
            yield Task(
                ReminderKind.CONTRACT_REVIEW,
                f"contract:{contract.id}",
                f"Review the contract “{contract.title}” with {supplier_name}",
                org.name,
                due,
                "contracts.detail",
                {"org_slug": org.slug, "contract_id": contract.id},
            )


def _approvals(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    found = db.session.execute(
        select(StatementBody.id, StatementBody.organisation_id, Statement.financial_year)
        .join(Statement, Statement.id == StatementBody.statement_id)
        .where(
            StatementBody.organisation_id.in_(by_id),
            Statement.state == StatementState.AWAITING_APPROVAL,
            StatementBody.approved_on.is_(None),
        )
        .order_by(Statement.financial_year, StatementBody.id)
    )
    for body_id, org_id, year in found:
        financial_year = FinancialYear(year)
        due = rules.approval_due(True, False, financial_year.statement_due, today)
        org = by_id[org_id]
        if due is not None:
            yield Task(
                ReminderKind.STATEMENT_APPROVAL,
                f"statement_body:{body_id}",
                f"Record your body's approval of the {financial_year.label} statement",
                org.name,
                due,
                "statements.body_statement",
                {"org_slug": org.slug},
            )


def _statements(orgs: list[Organisation], today: date) -> Iterable[Task]:
    by_id = {o.id: o for o in orgs}
    found = db.session.execute(
        select(StatementBody.id, StatementBody.organisation_id, Statement.financial_year)
        .join(Statement, Statement.id == StatementBody.statement_id)
        .where(
            StatementBody.organisation_id.in_(by_id),
            StatementBody.published_on.is_(None),
        )
        .order_by(Statement.financial_year, StatementBody.id)
    )
    for body_id, org_id, year in found:
        financial_year = FinancialYear(year)
        due = rules.statement_due(financial_year.statement_due, False, today)
        org = by_id[org_id]
        if due is not None:
            yield Task(
                ReminderKind.STATEMENT_DEADLINE,
                f"statement_body:{body_id}",
                f"Publish the {financial_year.label} modern slavery statement",
                org.name,
                due,
                "statements.body_statement",
                {"org_slug": org.slug},
            )


GATHER = {
    ReminderKind.ACTION_OVERDUE: _actions,
    ReminderKind.INVITATION_UNANSWERED: _invitations,
    ReminderKind.ASSESSMENT_STALE: _assessments,
    ReminderKind.EXCLUSION_NOTICE: _exclusions,
    ReminderKind.CONTRACT_REVIEW: _contracts,
    ReminderKind.STATEMENT_APPROVAL: _approvals,
    ReminderKind.STATEMENT_DEADLINE: _statements,
}


def tasks_for(*, user: User, today: date) -> list[Task]:
    """The person's tasks on the day, for the bodies where they hold the role each kind needs:
    overdue first, then due soon, each by the day it is due."""
    found: list[Task] = []
    for kind, gather in GATHER.items():
        orgs = _bodies(user, TASK_ROLES[kind])
        if orgs:
            found.extend(gather(orgs, today))
    return sorted(found, key=lambda t: (not t.due.overdue, t.due.due_on, t.kind, t.record))


def people_to_remind() -> list[User]:
    """Active people with a role in a body, in the order they were added."""
    return list(
        db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)).all()
    )
