"""A procurement's PPN 009 risk assessment: the suggestion from what tisc knows, and recording
the assessment (first by whom and when, then each review)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tisc.database import db
from tisc.models import Ppn009Assessment, Procurement, User
from tisc.rules.goods_risk import DOL, PPN
from tisc.rules.ppn009 import (
    Characteristic,
    CountryRisk,
    Level,
    Mitigation,
    Suggestion,
    join_mitigations,
    overall_problem,
    suggest,
)
from tisc.services.due_diligence.goods_risk import goods_risk
from tisc.services.errors import ConflictError, NotFoundError, ValidationError

_COUNTRY_SEPARATORS = re.compile(r"[;,\n]+")


def country_risks(*, title: str, countries: str | None) -> list[CountryRisk]:
    """Each country named (separated by commas or semicolons) and what the US DoL list says
    of it: the goods of the title listed for it, and whether it is listed at all."""
    lists = goods_risk()
    found: list[CountryRisk] = []
    for text in _COUNTRY_SEPARATORS.split(countries or ""):
        text = " ".join(text.split())
        if not text:
            continue
        name = lists.country(text)
        if name is None:
            found.append(CountryRisk(text, listed=False, forced_labour=False))
            continue
        listed = any(e.country == name and (e.child or e.forced) for e in lists.listed)
        goods = [f for f in lists.findings(supplies=title, country=name) if f.source == DOL]
        forced = any(f.severity.value == "forced" for f in goods)
        found.append(CountryRisk(name, listed, forced, tuple(f.good for f in goods)))
    return found


def suggestion_for(*, procurement: Procurement) -> Suggestion:
    """The suggestion shown on the assessment page: from the procurement's category, its
    title against the PPN 009 commodities, and the countries it names."""
    category = procurement.category
    commodities = [
        f.good
        for f in goods_risk().findings(supplies=procurement.title, country=None)
        if f.source == PPN
    ]
    return suggest(
        category_name=category.name if category else None,
        category_risk=category.risk if category else None,
        commodities=commodities,
        countries=country_risks(title=procurement.title, countries=procurement.countries),
    )


@dataclass(frozen=True)
class AssessmentInput:
    """What a person gives for an assessment (checked by the service, not trusted)."""

    levels: Mapping[Characteristic, str | None]
    notes: Mapping[Characteristic, str | None]
    overall: str | None
    reasons: str | None
    mitigations: Sequence[Mitigation]
    mitigation_note: str | None = None


def _level(value: str | None) -> Level | None:
    return Level(value) if value in {level.value for level in Level} else None


def _checked(given: AssessmentInput) -> dict:
    levels: dict[Characteristic, Level] = {}
    for characteristic in Characteristic:
        level = _level(given.levels.get(characteristic))
        if level is None:
            raise ValidationError(
                f"Select the {characteristic.label.lower()} risk", field=characteristic.value
            )
        levels[characteristic] = level
    overall = _level(given.overall)
    problem = overall_problem(levels, overall)
    if problem:
        raise ValidationError(problem, field="overall")
    reasons = (given.reasons or "").strip()
    if not reasons:
        raise ValidationError("Enter the reasons for the overall risk", field="reasons")
    values: dict = {c.value: level for c, level in levels.items()}
    for characteristic in Characteristic:
        note = (given.notes.get(characteristic) or "").strip() or None
        values[f"{characteristic.value}_note"] = note
    values.update(
        overall=overall,
        reasons=reasons,
        mitigations=join_mitigations(given.mitigations),
        mitigation_note=(given.mitigation_note or "").strip() or None,
    )
    return values


def record_assessment(
    *,
    procurement: Procurement,
    user: User | None,
    today: date,
    expected_version: int | None,
    given: AssessmentInput,
) -> Ppn009Assessment:
    """Record the procurement's assessment, or review the one it has: the first recording
    keeps who and when (the date PPN 009's "before the tender notice" is judged by); a review
    keeps who reviewed and when. `expected_version` is the version the form was shown with
    (None for a first recording); ConflictError if someone else saved first."""
    if procurement.id is None:
        raise NotFoundError("There is no such procurement")
    values = _checked(given)
    assessment = procurement.assessment
    if assessment is None:
        if expected_version is not None:
            raise ConflictError(_CONFLICT)
        assessment = Ppn009Assessment(
            procurement_id=procurement.id,
            assessed_on=today,
            assessed_by_id=user.id if user else None,
            **values,
        )
        db.session.add(assessment)
        procurement.assessment = assessment
    else:
        if assessment.version_id != expected_version:
            raise ConflictError(_CONFLICT)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.reviewed_on = today
        assessment.reviewed_by_id = user.id if user else None
    db.session.flush()
    return assessment


_CONFLICT = (
    "Someone else saved this assessment while you were editing. "
    "Your changes were not saved: check the assessment below and try again."
)
