"""Supplier assessments: scoring by the body, review of self-assessments, ratings, sharing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm.exc import StaleDataError

from tisc.database import db
from tisc.models import (
    AssessmentAnswer,
    AssessmentSource,
    AssessmentStatus,
    Invitation,
    Organisation,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    SupplierYear,
    User,
)
from tisc.models.assessments import ACTIVE
from tisc.models.organisations import partnership_organisations
from tisc.rules.questionnaire import Definition, Score, score_answers
from tisc.rules.rating import RatingResult, residual_rating
from tisc.rules.risk import Assessment, RiskLevel, Tier
from tisc.rules.years import FinancialYear
from tisc.services.assessments.questionnaires import (
    current_questionnaire,
    install_default_questionnaires,
)
from tisc.services.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from tisc.services.register import rows as register
from tisc.services.register.categories import organisation_partnership

MAX_EVIDENCE = 5000


@dataclass(frozen=True)
class AnswerInput:
    """One answer as typed into a form."""

    option_key: str | None
    evidence: str | None = None
    evidence_link: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


STALE = (
    "Someone else saved this assessment while you were working on it. "
    "Your changes have not been saved: look at it again and make them once more."
)


def check_assessment_version(record: SupplierAssessment, expected_version: int | None) -> None:
    """ConflictError when the form was shown with an older version of the record."""
    if expected_version is not None and record.version_id != expected_version:
        raise ConflictError(STALE)


def flush_or_conflict(message: str = STALE) -> None:
    """Write now; a save that raced another one becomes a conflict message, not an error page."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(message) from None


# --- reading ----------------------------------------------------------------------------------


def get_assessment(*, org: Organisation, assessment_id: int) -> SupplierAssessment:
    """One of the body's assessments; NotFoundError for another body's."""
    assessment = db.session.get(SupplierAssessment, assessment_id)
    if assessment is None or assessment.organisation_id != org.id:
        raise NotFoundError("There is no such assessment")
    return assessment


def supplier_assessments(*, supplier: Supplier) -> Sequence[SupplierAssessment]:
    """Every assessment of the supplier by its body, newest year first (scores over time)."""
    return db.session.scalars(
        select(SupplierAssessment)
        .where(SupplierAssessment.supplier_id == supplier.id)
        .order_by(SupplierAssessment.financial_year.desc(), SupplierAssessment.id.desc())
    ).all()


def list_assessments(
    *, org: Organisation, financial_year: int | None = None, status: AssessmentStatus | None = None
) -> Sequence[SupplierAssessment]:
    """The body's assessments, newest first, optionally for one year or in one state."""
    query = select(SupplierAssessment).where(SupplierAssessment.organisation_id == org.id)
    if financial_year is not None:
        query = query.where(SupplierAssessment.financial_year == financial_year)
    if status is not None:
        query = query.where(SupplierAssessment.status == status)
    return db.session.scalars(
        query.order_by(SupplierAssessment.financial_year.desc(), SupplierAssessment.id.desc())
    ).all()


def complete_assessments(
    *, org: Organisation, financial_year: int
) -> dict[int, SupplierAssessment]:
    """supplier id -> the supplier's complete assessment for the year."""
    found = db.session.scalars(
        select(SupplierAssessment)
        .where(
            SupplierAssessment.organisation_id == org.id,
            SupplierAssessment.financial_year == financial_year,
            SupplierAssessment.status == AssessmentStatus.COMPLETE,
        )
        .order_by(SupplierAssessment.completed_at)
    ).all()
    return {a.supplier_id: a for a in found}


def complete_assessments_of(
    *, organisation_ids: Sequence[int], financial_year: int
) -> list[SupplierAssessment]:
    """The bodies' complete assessments for the year, oldest completed first (as
    complete_assessments reads them)."""
    return list(
        db.session.scalars(
            select(SupplierAssessment)
            .where(
                SupplierAssessment.organisation_id.in_(list(organisation_ids)),
                SupplierAssessment.financial_year == financial_year,
                SupplierAssessment.status == AssessmentStatus.COMPLETE,
            )
            .order_by(SupplierAssessment.completed_at)
        )
    )


def active_assessment(*, supplier: Supplier, financial_year: int) -> SupplierAssessment | None:
    """The supplier's assessment for the year that is not cancelled, if there is one."""
    return db.session.scalar(
        select(SupplierAssessment).where(
            SupplierAssessment.supplier_id == supplier.id,
            SupplierAssessment.financial_year == financial_year,
            SupplierAssessment.status.in_(ACTIVE),
        )
    )


# --- ratings ----------------------------------------------------------------------------------


def supplier_rating(
    *, risk: RiskLevel | None, tier: Tier, assessment: SupplierAssessment | None
) -> RatingResult:
    """The residual rating from the inherent risk, tier and a complete assessment (or none)."""
    complete = assessment is not None and assessment.status is AssessmentStatus.COMPLETE
    return residual_rating(
        risk=risk,
        tier=tier,
        score=assessment.score if complete else None,
        critical=assessment.critical_reasons if complete else (),
    )


def supplier_year_flags(
    *, org: Organisation, supplier: Supplier, financial_year: int
) -> Assessment:
    """The supplier's flags and tier in a year, also for a year with no spend yet."""
    year = db.session.get(SupplierYear, (supplier.id, financial_year))
    if year is None:
        year = SupplierYear(
            supplier_id=supplier.id,
            financial_year=financial_year,
            organisation_id=org.id,
            annual_spend=Decimal(0),
            payments=0,
        )
    return register.assess_supplier_year(org=org, supplier=supplier, year=year)


@dataclass(frozen=True)
class RatedAssessment:
    """An assessment with its score worked out, the supplier's flags and the rating."""

    assessment: SupplierAssessment
    definition: Definition
    score: Score
    flags: Assessment
    rating: RatingResult


def rate_assessment(*, org: Organisation, assessment: SupplierAssessment) -> RatedAssessment:
    """Score the answers and rate the supplier as this assessment would (or does) leave it."""
    definition = assessment.questionnaire.definition
    score = score_answers(definition, assessment.answer_map)
    flags = supplier_year_flags(
        org=org, supplier=assessment.supplier, financial_year=assessment.financial_year
    )
    risk = assessment.supplier.category.risk if assessment.supplier.category else None
    if assessment.status is AssessmentStatus.COMPLETE:
        rating = supplier_rating(risk=risk, tier=flags.tier, assessment=assessment)
    else:
        # A preview: what the rating would be if the answers were accepted as they stand.
        rating = residual_rating(
            risk=risk,
            tier=flags.tier,
            score=score.percent if score.complete else None,
            critical=[a.option.critical for a in score.critical if a.option.critical],
        )
    return RatedAssessment(assessment, definition, score, flags, rating)


# --- starting and answering --------------------------------------------------------------------


def check_year(financial_year: int) -> int:
    """A financial year an assessment may be for: not before 2015/16, not after next year."""
    if not 2015 <= financial_year <= FinancialYear.containing(_now().date()).start_year + 1:
        raise ValidationError("Choose a financial year from the list", field="financial_year")
    return financial_year


def new_assessment(
    *,
    org: Organisation,
    supplier: Supplier,
    financial_year: int,
    questionnaire_key: str,
    source: AssessmentSource,
    status: AssessmentStatus,
    user: User | None,
) -> SupplierAssessment:
    """A new assessment of the supplier for the year, on the newest version of a form.

    DuplicateError when the supplier already has one for that year (cancel it first).
    """
    if supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")
    check_year(financial_year)
    existing = active_assessment(supplier=supplier, financial_year=financial_year)
    if existing is not None:
        raise DuplicateError(
            f"{supplier.name} already has an assessment for "
            f"{FinancialYear(financial_year).label} ({existing.status.label.lower()})",
            field="financial_year",
        )
    partnership = organisation_partnership(org)
    if partnership is None:
        raise ValidationError("This body is not in a partnership, so it has no questionnaire")
    if questionnaire_key not in ("standard", "short"):
        raise ValidationError("Choose the standard or the short form", field="questionnaire")
    try:
        questionnaire = current_questionnaire(partnership=partnership, key=questionnaire_key)
    except NotFoundError:
        # A partnership made before questionnaires existed gets the defaults now.
        install_default_questionnaires(partnership=partnership)
        questionnaire = current_questionnaire(partnership=partnership, key=questionnaire_key)
    assessment = SupplierAssessment(
        organisation_id=org.id,
        supplier_id=supplier.id,
        financial_year=financial_year,
        questionnaire_id=questionnaire.id,
        status=status,
        source=source,
        created_by_id=user.id if user else None,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def start_assessment(
    *,
    org: Organisation,
    supplier: Supplier,
    financial_year: int,
    questionnaire_key: str,
    user: User | None,
) -> SupplierAssessment:
    """A draft assessment that the body's procurement lead answers."""
    return new_assessment(
        org=org,
        supplier=supplier,
        financial_year=financial_year,
        questionnaire_key=questionnaire_key,
        source=AssessmentSource.BUYER,
        status=AssessmentStatus.DRAFT,
        user=user,
    )


def _clean_link(link: str | None, question_key: str) -> str | None:
    link = (link or "").strip()
    if not link:
        return None
    if not link.startswith(("https://", "http://")) or len(link) > 500 or " " in link:
        raise ValidationError(
            "Enter the evidence link as a web address starting with https://",
            field=f"link-{question_key}",
        )
    return link


def save_answers(
    *,
    assessment: SupplierAssessment,
    answers: Mapping[str, AnswerInput],
    expected_version: int | None,
    editable: Sequence[AssessmentStatus] = (AssessmentStatus.DRAFT,),
) -> None:
    """Store answers ({question key: AnswerInput}); blank ones are left unanswered.

    Refuses an answer that is not one of the question's options, and a stale form.
    """
    check_assessment_version(assessment, expected_version)
    if assessment.status not in editable:
        raise ValidationError("This assessment can no longer be changed")
    definition = assessment.questionnaire.definition
    existing = {a.question_key: a for a in assessment.answers}
    for question in definition.questions:
        given = answers.get(question.key)
        if given is None:
            continue
        evidence = (given.evidence or "").strip() or None
        if evidence and len(evidence) > MAX_EVIDENCE:
            raise ValidationError(
                f"Evidence must be {MAX_EVIDENCE} characters or fewer",
                field=f"evidence-{question.key}",
            )
        link = _clean_link(given.evidence_link, question.key)
        if not given.option_key:
            if question.key in existing:
                assessment.answers.remove(existing[question.key])
            continue
        if question.option(given.option_key) is None:
            raise ValidationError(
                f"Choose one of the answers given for “{question.text}”", field=f"q-{question.key}"
            )
        answer = existing.get(question.key)
        if answer is None:
            answer = AssessmentAnswer(question_key=question.key, option_key=given.option_key)
            assessment.answers.append(answer)
        answer.option_key = given.option_key
        answer.evidence, answer.evidence_link = evidence, link
    assessment.updated_at = _now()  # bumps the version even when only answers changed
    flush_or_conflict()


def require_complete(assessment: SupplierAssessment) -> Score:
    score = score_answers(assessment.questionnaire.definition, assessment.answer_map)
    if score.unanswered:
        first = score.unanswered[0]
        count = len(score.unanswered)
        more = f" ({count} questions are unanswered)" if count > 1 else ""
        raise ValidationError(f"Answer “{first.text}”{more}", field=f"q-{first.key}")
    if score.percent is None:
        raise ValidationError(
            "Every answer is “not applicable”: answer at least one question that applies"
        )
    return score


def _complete(assessment: SupplierAssessment, score: Score, user: User | None) -> None:
    assessment.status = AssessmentStatus.COMPLETE
    assessment.score_tenths = None if score.percent is None else int(score.percent * 10)
    assessment.critical_flags = "\n".join(a.option.critical or "" for a in score.critical) or None
    assessment.completed_at = _now()
    assessment.completed_by_id = user.id if user else None


def submit_assessment(
    *, assessment: SupplierAssessment, user: User | None, expected_version: int | None
) -> None:
    """The lead's own assessment is finished: every question answered, scored, complete."""
    check_assessment_version(assessment, expected_version)
    if assessment.status is not AssessmentStatus.DRAFT:
        raise ValidationError("Only a draft can be submitted")
    score = require_complete(assessment)
    assessment.submitted_at = _now()
    _complete(assessment, score, user)
    flush_or_conflict()


def adjust_answer(
    *,
    assessment: SupplierAssessment,
    question_key: str,
    option_key: str,
    reason: str,
    user: User,
    expected_version: int | None,
) -> None:
    """Change a supplier's answer while reviewing it, keeping what the supplier said and why."""
    check_assessment_version(assessment, expected_version)
    if assessment.status is not AssessmentStatus.AWAITING_REVIEW:
        raise ValidationError("Answers can be adjusted only while the assessment awaits review")
    question = assessment.questionnaire.definition.question(question_key)
    if question is None:
        raise NotFoundError("There is no such question")
    if question.option(option_key) is None:
        raise ValidationError("Choose one of the answers given", field="option")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Enter why you are changing the supplier’s answer", field="reason")
    if len(reason) > MAX_EVIDENCE:
        raise ValidationError(f"Reason must be {MAX_EVIDENCE} characters or fewer", field="reason")
    answer = next((a for a in assessment.answers if a.question_key == question_key), None)
    if answer is None:
        raise NotFoundError("There is no such answer")
    if option_key == answer.option_key:
        raise ValidationError("Choose a different answer, or go back", field="option")
    if answer.supplier_option_key is None:
        answer.supplier_option_key = answer.option_key
    answer.option_key = option_key
    answer.adjusted_reason, answer.adjusted_by_id, answer.adjusted_at = reason, user.id, _now()
    assessment.updated_at = _now()
    flush_or_conflict()


def accept_assessment(
    *, assessment: SupplierAssessment, user: User | None, expected_version: int | None
) -> None:
    """The lead accepts a supplier's submitted self-assessment: it is scored and complete."""
    check_assessment_version(assessment, expected_version)
    if assessment.status is not AssessmentStatus.AWAITING_REVIEW:
        raise ValidationError("Only a submitted self-assessment can be accepted")
    _complete(assessment, require_complete(assessment), user)
    flush_or_conflict()


def cancel_assessment(
    *, assessment: SupplierAssessment, user: User | None, expected_version: int | None
) -> None:
    """Cancel an assessment that is not complete (its link stops working; history is kept)."""
    check_assessment_version(assessment, expected_version)
    if assessment.status is AssessmentStatus.CANCELLED:
        raise ValidationError("This assessment is already cancelled")
    if assessment.status is AssessmentStatus.COMPLETE:
        raise ValidationError("A complete assessment cannot be cancelled")
    assessment.status = AssessmentStatus.CANCELLED
    flush_or_conflict()


# --- sharing across the partnership ------------------------------------------------------------


def _partner_ids(org: Organisation) -> list[int]:
    # The partnership whose questionnaire the body uses; a second partnership's members
    # (and its board) must not see the first one's assessments through a shared body.
    partnership = organisation_partnership(org)
    if partnership is None:
        return []
    rows = db.session.execute(
        select(partnership_organisations.c.organisation_id).where(
            partnership_organisations.c.partnership_id == partnership.id,
            partnership_organisations.c.organisation_id != org.id,
        )
    ).scalars()
    return sorted(set(rows))


def shared_assessments(*, org: Organisation, supplier: Supplier) -> Sequence[SupplierAssessment]:
    """Complete assessments of the same business by other bodies in the partnership.

    The same business: the same company number, or the same normalised name where the
    two do not have different company numbers. Only original assessments are offered
    (not ones that were themselves adopted).
    """
    partners = _partner_ids(org)
    if not partners:
        return []
    same = [Supplier.normalised_name == supplier.normalised_name]
    if supplier.company_number:
        same = [
            Supplier.company_number == supplier.company_number,
            and_(same[0], Supplier.company_number.is_(None)),
        ]
    return db.session.scalars(
        select(SupplierAssessment)
        .join(Supplier, Supplier.id == SupplierAssessment.supplier_id)
        .where(
            SupplierAssessment.organisation_id.in_(partners),
            SupplierAssessment.status == AssessmentStatus.COMPLETE,
            SupplierAssessment.source != AssessmentSource.ADOPTED,
            or_(*same),
        )
        .order_by(SupplierAssessment.financial_year.desc(), SupplierAssessment.completed_at.desc())
    ).all()


def get_shared_assessment(
    *, org: Organisation, supplier: Supplier, assessment_id: int
) -> SupplierAssessment:
    """A partner's assessment of this business; NotFoundError for anything else."""
    for shared in shared_assessments(org=org, supplier=supplier):
        if shared.id == assessment_id:
            return shared
    raise NotFoundError("There is no such assessment")


def adopt_assessment(
    *,
    org: Organisation,
    supplier: Supplier,
    shared: SupplierAssessment,
    financial_year: int,
    user: User | None,
) -> SupplierAssessment:
    """Take a partner's complete assessment as this body's, instead of asking again."""
    if shared not in shared_assessments(org=org, supplier=supplier):
        raise NotFoundError("There is no such assessment")
    check_year(financial_year)
    if active_assessment(supplier=supplier, financial_year=financial_year) is not None:
        raise DuplicateError(
            f"{supplier.name} already has an assessment for {FinancialYear(financial_year).label}",
            field="financial_year",
        )
    adopted = SupplierAssessment(
        organisation_id=org.id,
        supplier_id=supplier.id,
        financial_year=financial_year,
        questionnaire_id=shared.questionnaire_id,
        status=AssessmentStatus.COMPLETE,
        source=AssessmentSource.ADOPTED,
        score_tenths=shared.score_tenths,
        critical_flags=shared.critical_flags,
        respondent_name=shared.respondent_name,
        respondent_role=shared.respondent_role,
        submitted_at=shared.submitted_at,
        acknowledged_at=shared.acknowledged_at,
        completed_at=_now(),
        completed_by_id=user.id if user else None,
        created_by_id=user.id if user else None,
        adopted_from_id=shared.id,
    )
    adopted.answers = [
        AssessmentAnswer(
            question_key=a.question_key,
            option_key=a.option_key,
            evidence=a.evidence,
            evidence_link=a.evidence_link,
            supplier_option_key=a.supplier_option_key,
            adjusted_reason=a.adjusted_reason,
        )
        for a in shared.answers
    ]
    db.session.add(adopted)
    db.session.flush()
    for sub in db.session.scalars(
        select(SubSupplier).where(SubSupplier.assessment_id == shared.id)
    ):
        db.session.add(
            SubSupplier(
                organisation_id=org.id,
                supplier_id=supplier.id,
                financial_year=financial_year,
                assessment_id=adopted.id,
                name=sub.name,
                tier=sub.tier,
                country=sub.country,
                supplies=sub.supplies,
                risk_notes=sub.risk_notes,
            )
        )
    db.session.flush()
    return adopted


def assessment_sub_suppliers(*, assessment: SupplierAssessment) -> Sequence[SubSupplier]:
    """The sub-suppliers the supplier listed in this assessment."""
    return db.session.scalars(
        select(SubSupplier)
        .where(SubSupplier.assessment_id == assessment.id)
        .order_by(SubSupplier.id)
    ).all()


def assessment_invitation(*, assessment: SupplierAssessment) -> Invitation | None:
    """The invitation behind a self-assessment, if any."""
    return db.session.scalar(select(Invitation).where(Invitation.assessment_id == assessment.id))


@dataclass(frozen=True)
class HistoryRow:
    """An assessment on the supplier page, with the rating it gives the supplier that year."""

    assessment: SupplierAssessment
    rating: RatingResult | None  # None until it is complete


def assessment_history(*, org: Organisation, supplier: Supplier) -> list[HistoryRow]:
    """The supplier's assessments by this body, newest year first, with their ratings."""
    rows = []
    risk = supplier.category.risk if supplier.category else None
    for assessment in supplier_assessments(supplier=supplier):
        rating = None
        if assessment.status is AssessmentStatus.COMPLETE:
            flags = supplier_year_flags(
                org=org, supplier=supplier, financial_year=assessment.financial_year
            )
            rating = supplier_rating(risk=risk, tier=flags.tier, assessment=assessment)
        rows.append(HistoryRow(assessment, rating))
    return rows
