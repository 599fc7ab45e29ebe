"""A supplier's completed Slavery and Trafficking Risk Template (STRT) as evidence on its record.

Uploading keeps the file, waiting, and shows what maps; confirming puts the mapped answers into
the supplier's draft assessment for the year (a new one, or the blanks of the one there is),
each answer's evidence naming the STRT question it came from, and keeps the file with the
assessment. The assessment stays a draft: the lead reviews it, completes what did not map and
submits it (a document claims only what the records show).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import delete, select

from tisc.config import ROOT
from tisc.database import db
from tisc.documents.strt import RefusedStrt, read_strt
from tisc.models import (
    AssessmentSource,
    AssessmentStatus,
    Organisation,
    Questionnaire,
    StrtFile,
    Supplier,
    SupplierAssessment,
    User,
)
from tisc.rules.file_names import safe_file_name
from tisc.rules.questionnaire import Definition
from tisc.rules.strt import StrtAnswer, StrtReading, StrtRule, parse_mapping, read_answers
from tisc.rules.years import FinancialYear
from tisc.services.assessments.questionnaires import (
    current_questionnaire,
    install_default_questionnaires,
)
from tisc.services.assessments.records import (
    MAX_EVIDENCE,
    AnswerInput,
    active_assessment,
    check_year,
    new_assessment,
    save_answers,
)
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.register.categories import organisation_partnership

MAPPING = ROOT / "suppliers" / "strt_mapping.csv"


@lru_cache(maxsize=1)
def strt_rules() -> tuple[StrtRule, ...]:
    """The shipped mapping (suppliers/strt_mapping.csv), read once per process."""
    return parse_mapping(MAPPING.read_text(encoding="utf-8"))


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class StrtPreview:
    """What confirming would do: the form it fills, the draft (if any) and each STRT answer."""

    strt_file: StrtFile
    supplier: Supplier
    questionnaire: Questionnaire
    draft: SupplierAssessment | None
    reading: StrtReading

    @property
    def definition(self) -> Definition:
        return self.questionnaire.definition

    def question_text(self, answer: StrtAnswer) -> str:
        question = self.definition.question(answer.question_key or "")
        return (question.buyer_text or question.text) if question else ""

    def option_label(self, answer: StrtAnswer) -> str:
        question = self.definition.question(answer.question_key or "")
        option = question.option(answer.option_key) if question else None
        return option.label if option else ""


def _draft_or_refuse(*, supplier: Supplier, financial_year: int) -> SupplierAssessment | None:
    """The supplier's draft for the year, None when it has none; refuses any other."""
    existing = active_assessment(supplier=supplier, financial_year=financial_year)
    if existing is None or existing.status is AssessmentStatus.DRAFT:
        return existing
    raise ValidationError(
        f"{supplier.name} already has an assessment for "
        f"{FinancialYear(financial_year).label} ({existing.status.label.lower()}), so the "
        "template cannot fill it. Cancel that assessment first, or choose another year.",
        field="financial_year",
    )


def _questionnaire(
    *, org: Organisation, supplier: Supplier, draft: SupplierAssessment | None
) -> Questionnaire:
    if draft is not None:
        return draft.questionnaire
    partnership = organisation_partnership(org)
    if partnership is None:
        raise ValidationError("This body is not in a partnership, so it has no questionnaire")
    # The form a new assessment starts on (the start page's default).
    key = "short" if supplier.charity_number else "standard"
    try:
        return current_questionnaire(partnership=partnership, key=key)
    except NotFoundError:
        install_default_questionnaires(partnership=partnership)
        return current_questionnaire(partnership=partnership, key=key)


def _reading(
    data: bytes, name: str, definition: Definition, draft: SupplierAssessment | None
) -> StrtReading:
    try:
        workbook = read_strt(data, name)
    except RefusedStrt as error:
        raise ValidationError(error.message, field="file") from None
    answered = draft.answer_map if draft is not None else None
    reading = read_answers(workbook.rows, strt_rules(), definition, answered=answered)
    if not reading.recognised:
        raise ValidationError(
            f"{name} does not look like a completed Slavery and Trafficking Risk Template: "
            "none of its questions were found in any sheet. Nothing has been saved.",
            field="file",
        )
    return reading


def _own_supplier(org: Organisation, supplier: Supplier) -> None:
    if supplier.organisation_id != org.id:
        raise NotFoundError("There is no such supplier")


def upload_strt(
    *,
    org: Organisation,
    supplier: Supplier,
    financial_year: int,
    filename: str,
    data: bytes,
    user: User | None,
) -> StrtFile:
    """Check a completed template and keep it until its preview is confirmed.

    ValidationError when the file cannot be read, holds none of the template's questions, or
    the supplier's assessment for the year is past being a draft; nothing is kept then. A
    newer upload replaces one still waiting for the same supplier.
    """
    _own_supplier(org, supplier)
    check_year(financial_year)
    name = safe_file_name(filename, default="strt.xlsx")
    draft = _draft_or_refuse(supplier=supplier, financial_year=financial_year)
    questionnaire = _questionnaire(org=org, supplier=supplier, draft=draft)
    _reading(data, name, questionnaire.definition, draft)
    db.session.execute(
        delete(StrtFile).where(
            StrtFile.organisation_id == org.id,
            StrtFile.supplier_id == supplier.id,
            StrtFile.assessment_id.is_(None),
        )
    )
    strt_file = StrtFile(
        organisation_id=org.id,
        supplier_id=supplier.id,
        financial_year=financial_year,
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=user.id if user else None,
    )
    db.session.add(strt_file)
    db.session.flush()
    return strt_file


def get_strt_file(*, org: Organisation, supplier: Supplier, file_id: int) -> StrtFile:
    """One of the supplier's template files in this body; NotFoundError for any other."""
    strt_file = db.session.get(StrtFile, file_id)
    if (
        strt_file is None
        or strt_file.organisation_id != org.id
        or strt_file.supplier_id != supplier.id
    ):
        raise NotFoundError("There is no such file. Upload the template again.")
    return strt_file


def strt_preview(*, org: Organisation, supplier: Supplier, strt_file: StrtFile) -> StrtPreview:
    """What the waiting file's answers would fill, read again from the kept bytes."""
    _own_supplier(org, supplier)
    if strt_file.assessment_id is not None:
        raise ValidationError("This template has already been imported")
    draft = _draft_or_refuse(supplier=supplier, financial_year=strt_file.financial_year)
    questionnaire = _questionnaire(org=org, supplier=supplier, draft=draft)
    reading = _reading(strt_file.data, strt_file.file_name, questionnaire.definition, draft)
    return StrtPreview(strt_file, supplier, questionnaire, draft, reading)


def _evidence(strt_file: StrtFile, answer: StrtAnswer, on: datetime) -> str:
    text = (
        f"From STRT {strt_file.file_name}, {on:%d %B %Y}: sheet “{answer.sheet}”, row "
        f"{answer.row}: “{answer.question_text}” answered “{answer.answer_text}”."
    )
    return text[:MAX_EVIDENCE]


def import_strt(
    *, org: Organisation, supplier: Supplier, strt_file: StrtFile, user: User | None
) -> SupplierAssessment:
    """Fill the supplier's draft for the year (made now if there is none) with the mapped
    answers, and keep the file with it. The draft is never submitted here."""
    preview = strt_preview(org=org, supplier=supplier, strt_file=strt_file)
    assessment = preview.draft or new_assessment(
        org=org,
        supplier=supplier,
        financial_year=strt_file.financial_year,
        questionnaire_key=preview.questionnaire.key,
        source=AssessmentSource.BUYER,
        status=AssessmentStatus.DRAFT,
        user=user,
    )
    on = _now()
    save_answers(
        assessment=assessment,
        answers={
            a.question_key: AnswerInput(a.option_key, evidence=_evidence(strt_file, a, on))
            for a in preview.reading.mapped
            if a.question_key
        },
        expected_version=None,
    )
    strt_file.assessment_id = assessment.id
    strt_file.imported_at = on
    db.session.flush()
    return assessment


def assessment_strt_files(*, assessment: SupplierAssessment) -> list[StrtFile]:
    """The templates whose answers went into the assessment, oldest first."""
    return list(
        db.session.scalars(
            select(StrtFile)
            .where(StrtFile.assessment_id == assessment.id)
            .order_by(StrtFile.imported_at, StrtFile.id)
        )
    )


def get_assessment_strt_file(*, assessment: SupplierAssessment, file_id: int) -> StrtFile:
    """One template kept with the assessment; NotFoundError for any other file."""
    strt_file = db.session.get(StrtFile, file_id)
    if strt_file is None or strt_file.assessment_id != assessment.id:
        raise NotFoundError("There is no such file")
    return strt_file
