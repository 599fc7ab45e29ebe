"""Demo assessments, invitations and due-diligence records, in realistic proportions.

Most tier A suppliers are assessed (some by the body, some by self-assessment), about half
are mapped beyond Tier 1 and have sent a staff engagement plan; guidance has gone to most
suppliers over the threshold; contract reviews mostly discuss modern slavery. A few
invitations sit in each outbox in every state, and some bodies adopt a partner's assessment.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from tisc.database import db
from tisc.models import (
    ContractReview,
    DueDiligence,
    Organisation,
    SubSupplier,
    Supplier,
)
from tisc.rules.questionnaire import Definition
from tisc.rules.risk import Tier
from tisc.rules.years import FinancialYear
from tisc.services.assessments import invitations
from tisc.services.assessments import records as assessments
from tisc.services.assessments.invitations import SubSupplierInput
from tisc.services.assessments.records import AnswerInput
from tisc.services.due_diligence.records import GUIDANCE_METHODS
from tisc.services.register import rows as register

COUNTRIES = (
    "United Kingdom",
    "Poland",
    "China",
    "India",
    "Bangladesh",
    "Turkey",
    "Vietnam",
    "Romania",
    "Malaysia",
    "Germany",
)
SUPPLIES = (
    "Raw materials",
    "Packaging",
    "Chemicals",
    "Fabric",
    "Components",
    "Agency labour",
    "Transport",
    "Electronics parts",
    "Food ingredients",
    "Cleaning products",
)


def _answers(definition: Definition, rng: random.Random, quality: float) -> dict[str, AnswerInput]:
    """Answers that are best practice with probability `quality`, else weaker."""
    result = {}
    for question in definition.questions:
        best = [o for o in question.options if o.score == 4]
        weaker = [o for o in question.options if o.score != 4 and not o.critical]
        critical = [o for o in question.options if o.critical]
        if critical and rng.random() < 0.015:
            option = rng.choice(critical)
        elif rng.random() < quality or not weaker:
            option = rng.choice(best)
        else:
            option = rng.choice(weaker)
        evidence = "Seen at the contract review meeting" if rng.random() < 0.15 else None
        result[question.key] = AnswerInput(option.key, evidence)
    return result


def _tiered(org: Organisation, year: int, tier: Tier) -> list[Supplier]:
    filters = register.RegisterFilters(financial_year=year, tier=tier)
    return [row.supplier for row in register.register_rows(org=org, filters=filters)]


def _day(rng: random.Random, year: int, latest: date) -> date:
    start = FinancialYear(year).starts
    span = max((min(FinancialYear(year).ends, latest) - start).days, 1)
    return start + timedelta(days=rng.randrange(span))


def _assess_by_body(
    org: Organisation, supplier: Supplier, year: int, rng: random.Random, latest: date
) -> None:
    form = "short" if rng.random() < 0.2 else "standard"
    assessment = assessments.start_assessment(
        org=org, supplier=supplier, financial_year=year, questionnaire_key=form, user=None
    )
    definition = assessment.questionnaire.definition
    quality = rng.uniform(0.35, 0.95)
    assessments.save_answers(
        assessment=assessment, answers=_answers(definition, rng, quality), expected_version=None
    )
    if rng.random() < 0.9:
        assessments.submit_assessment(assessment=assessment, user=None, expected_version=None)
        # Dated in its year, up to the demo's day, not when the demo was loaded.
        day = _day(rng, year, latest)
        at = datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)
        assessment.submitted_at = at
        assessment.completed_at = at if assessment.completed_at else None


def _self_assessment(
    org: Organisation, supplier: Supplier, year: int, rng: random.Random, stage: str, now: datetime
) -> None:
    """An invitation left at `stage`: to_send, sent, expired, started, answered or accepted."""
    invitation, _token = invitations.create_invitation(
        org=org,
        supplier=supplier,
        financial_year=year,
        questionnaire_key="standard",
        user=None,
        contact_name="Account manager",
        contact_email=f"contracts@{supplier.normalised_name.split()[0].lower()}.example",
        days=30,
    )
    # Invitations went out over the last few weeks (before `now`); an expired one 33 days ago.
    created = now - timedelta(days=33 if stage == "expired" else rng.randrange(1, 25))
    invitation.created_at = created
    invitation.expires_at = created + timedelta(days=30)
    if stage == "to_send":
        return
    invitations.mark_sent(invitation=invitation)
    invitation.sent_at = created + timedelta(hours=2)
    if stage in ("sent", "expired"):
        return
    definition = invitation.assessment.questionnaire.definition
    answers = _answers(definition, rng, rng.uniform(0.4, 0.95))
    subs = [
        SubSupplierInput(
            f"{rng.choice(('Northern', 'Global', 'Eastern', 'Atlas', 'Union'))} "
            f"{rng.choice(SUPPLIES).split()[0]} Co",
            rng.choice(("2", "3")),
            rng.choice(COUNTRIES),
            rng.choice(SUPPLIES),
        )
        for _ in range(rng.randrange(1, 4))
    ]
    if stage == "started":
        answers = dict(list(answers.items())[: len(answers) // 2])
    invitations.save_supplier_answers(
        invitation=invitation, answers=answers, sub_suppliers=subs, expected_version=None
    )
    invitation.last_saved_at = min(created + timedelta(days=rng.randrange(1, 5)), now)
    if stage == "started":
        return
    invitations.submit_supplier_answers(
        invitation=invitation,
        respondent_name="Alex Morgan",
        respondent_role="Operations director",
        acknowledged=True,
        expected_version=None,
    )
    answered = min(created + timedelta(days=rng.randrange(2, 9)), now)
    invitation.last_saved_at = invitation.assessment.submitted_at = answered
    invitation.assessment.acknowledged_at = answered
    if stage == "accepted":
        assessments.accept_assessment(
            assessment=invitation.assessment, user=None, expected_version=None
        )
        invitation.assessment.completed_at = min(answered + timedelta(days=2), now)


def _records(
    org: Organisation,
    supplier: Supplier,
    year: int,
    tier: Tier,
    rng: random.Random,
    latest: date,
    level: float = 1.0,
) -> None:
    """Guidance, plan, mapping and a review, each with a chance scaled by `level`."""
    record = DueDiligence(organisation_id=org.id, supplier_id=supplier.id, financial_year=year)
    if rng.random() < 0.8 * level:
        record.guidance_sent_on = _day(rng, year, latest)
        record.guidance_method = rng.choice(tuple(GUIDANCE_METHODS))
    if tier is Tier.A and rng.random() < 0.6 * level:
        record.plan_requested_on = _day(rng, year, latest)
        if rng.random() < 0.7:
            record.plan_received_on = min(record.plan_requested_on + timedelta(days=21), latest)
            record.plan_note = "Plan covers agency staff and night shifts; reviewed by the lead."
    db.session.add(record)
    if tier is Tier.A and rng.random() < 0.5 * level:
        for _ in range(rng.randrange(1, 4)):
            db.session.add(
                SubSupplier(
                    organisation_id=org.id,
                    supplier_id=supplier.id,
                    financial_year=year,
                    name=f"{rng.choice(('Harbour', 'Summit', 'Orient', 'Baltic'))} Supplies Ltd",
                    tier=rng.choice((2, 2, 3)),
                    country=rng.choice(COUNTRIES),
                    supplies=rng.choice(SUPPLIES),
                    risk_notes="Labour-intensive stage; ask for audit reports."
                    if rng.random() < 0.4
                    else None,
                )
            )
    if tier is Tier.A and rng.random() < 0.5 * level:
        day = _day(rng, year, latest)
        db.session.add(
            ContractReview(
                organisation_id=org.id,
                supplier_id=supplier.id,
                reviewed_on=day,
                financial_year=FinancialYear.containing(day).start_year,
                modern_slavery_discussed=rng.random() < 0.75,
                notes="Quarterly contract review.",
                actions="Supplier to share its staff engagement plan."
                if rng.random() < 0.5
                else None,
            )
        )


def seed_due_diligence(*, orgs: Sequence[Organisation], year: int, seed: int, today: date) -> int:
    """Assessments, invitations and records for each body's tier A and B suppliers, dated up
    to `today`; how many assessments were made."""
    latest = today
    now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    made = 0
    stages = ("to_send", "sent", "expired", "started", "answered", "accepted", "accepted")
    for index, org in enumerate(orgs):
        rng = random.Random(seed + 1000 + index)  # noqa: S311 - synthetic data, not security
        tier_a, tier_b = _tiered(org, year, Tier.A), _tiered(org, year, Tier.B)
        for position, supplier in enumerate(tier_a):
            if position < len(stages):
                _self_assessment(org, supplier, year, rng, stages[position], now)
                made += 1
            elif rng.random() < 0.65:
                _assess_by_body(org, supplier, year, rng, latest)
                made += 1
            _records(org, supplier, year, Tier.A, rng, latest)
        # Early in the year few suppliers are tier A yet: the other links go to last year's
        # tier A suppliers, so the outbox shows every state on any day.
        missing = stages[len(tier_a) :]
        earlier = [s for s in _tiered(org, year - 1, Tier.A) if s not in tier_a] if missing else []
        invited: set[int] = set()
        for stage, supplier in zip(missing, earlier, strict=False):
            _self_assessment(org, supplier, year, rng, stage, now)
            invited.add(supplier.id)
            made += 1
        for supplier in tier_b:
            if rng.random() < 0.3 and supplier.id not in invited:
                _assess_by_body(org, supplier, year, rng, latest)
                made += 1
            if rng.random() < 0.5:
                _records(org, supplier, year, Tier.B, rng, latest)
        db.session.flush()
    return made + _adopt_shared(orgs, year)


def seed_earlier_year(*, orgs: Sequence[Organisation], year: int, seed: int, today: date) -> int:
    """A first year of due diligence, less far along: fewer assessments (all by the body,
    so scores show over time when the same suppliers are assessed again) and records, dated
    up to `today`."""
    latest = today
    made = 0
    for index, org in enumerate(orgs):
        rng = random.Random(seed + 3000 + index)  # noqa: S311 - synthetic data, not security
        for supplier in _tiered(org, year, Tier.A):
            if rng.random() < 0.4:
                _assess_by_body(org, supplier, year, rng, latest)
                made += 1
            _records(org, supplier, year, Tier.A, rng, latest, level=0.55)
        for supplier in _tiered(org, year, Tier.B):
            if rng.random() < 0.3:
                _records(org, supplier, year, Tier.B, rng, latest, level=0.5)
        db.session.flush()
    return made


def _adopt_shared(orgs: Sequence[Organisation], year: int) -> int:
    """Where a partner has a complete assessment of the same business, adopt it (once each)."""
    adopted = 0
    for org in orgs[1::3]:
        for supplier in _tiered(org, year, Tier.B)[:40]:
            if assessments.active_assessment(supplier=supplier, financial_year=year):
                continue
            shared = assessments.shared_assessments(org=org, supplier=supplier)
            if shared:
                assessments.adopt_assessment(
                    org=org, supplier=supplier, shared=shared[0], financial_year=year, user=None
                )
                adopted += 1
    return adopted
