"""Inviting many suppliers at once to assess themselves, from the register's bulk work: a
self-assessment and an invitation for each supplier that has no assessment for the year yet,
written in a few statements, with a line in each supplier's history and one audit event listing
them. The links are made one at a time from the outbox when the lead sends them, because a
link is shown only once and only its hash is kept."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from tisc.database import db, id_batches
from tisc.models import (
    AssessmentSource,
    AssessmentStatus,
    Invitation,
    Organisation,
    Supplier,
    SupplierAssessment,
    SupplierEvent,
    User,
)
from tisc.models.assessments import ACTIVE
from tisc.rules.years import FinancialYear
from tisc.services.assessments.invitations import TOKEN_BYTES, hash_token
from tisc.services.assessments.questionnaires import (
    current_questionnaires,
    install_default_questionnaires,
)
from tisc.services.assessments.records import check_year
from tisc.services.audit import chain as audit
from tisc.services.errors import ValidationError
from tisc.services.register.bulk import together
from tisc.services.register.categories import organisation_partnership

_CHUNK = 1000  # rows per INSERT


@dataclass(frozen=True)
class BulkInvitations:
    """What inviting did: how many invitations were made, and how many suppliers already had an
    assessment for the year (left as they were)."""

    invited: int
    already_assessed: int


def already_assessed(*, org: Organisation, supplier_ids: Sequence[int], financial_year: int) -> int:
    """How many of the suppliers have an assessment for the year that is not cancelled."""
    return len(_assessed(org, supplier_ids, financial_year))


def _assessed(org: Organisation, supplier_ids: Sequence[int], financial_year: int) -> set[int]:
    found: set[int] = set()
    for batch in id_batches(SupplierAssessment.supplier_id, supplier_ids):
        found.update(
            db.session.scalars(
                select(SupplierAssessment.supplier_id).where(
                    SupplierAssessment.organisation_id == org.id,
                    SupplierAssessment.financial_year == financial_year,
                    SupplierAssessment.status.in_(ACTIVE),
                    batch,
                )
            )
        )
    return found


def invite_suppliers(
    *,
    org: Organisation,
    supplier_ids: Sequence[int],
    financial_year: int,
    user: User | None,
    days: int,
) -> BulkInvitations:
    """Invite each of the body's suppliers without an assessment for the year: the short form
    for a charity, the standard form for the rest, each link lasting `days`."""
    check_year(financial_year)
    if not 1 <= days <= 90:
        raise ValidationError("The link must last from 1 to 90 days", field="days")
    partnership = organisation_partnership(org)
    if partnership is None:
        raise ValidationError("This body is not in a partnership, so it has no questionnaire")
    forms = current_questionnaires(partnership=partnership)
    if set(forms) != {"standard", "short"}:
        # A partnership made before questionnaires existed gets the defaults now.
        install_default_questionnaires(partnership=partnership)
        forms = current_questionnaires(partnership=partnership)
    assessed = _assessed(org, supplier_ids, financial_year)
    charities: dict[int, bool] = {}
    for batch in id_batches(Supplier.id, supplier_ids):
        rows = db.session.execute(
            select(Supplier.id, Supplier.charity_number.is_not(None)).where(
                Supplier.organisation_id == org.id, batch
            )
        )
        charities.update({supplier_id: charity for supplier_id, charity in rows})
    chosen = [i for i in dict.fromkeys(supplier_ids) if i in charities and i not in assessed]
    now = datetime.now(UTC)
    expires = now + timedelta(days=days)
    by = user.id if user else None
    summary = (
        f"Invited to assess itself for {FinancialYear(financial_year).label}{together(len(chosen))}"
    )
    for start in range(0, len(chosen), _CHUNK):
        chunk = chosen[start : start + _CHUNK]
        made = db.session.execute(
            insert(SupplierAssessment).returning(
                SupplierAssessment.id, SupplierAssessment.supplier_id, sort_by_parameter_order=True
            ),
            [
                {
                    "organisation_id": org.id,
                    "supplier_id": i,
                    "financial_year": financial_year,
                    "questionnaire_id": forms["short" if charities[i] else "standard"].id,
                    "status": AssessmentStatus.WITH_SUPPLIER,
                    "source": AssessmentSource.SUPPLIER,
                    "created_by_id": by,
                }
                for i in chunk
            ],
        ).all()
        db.session.execute(
            insert(Invitation),
            [
                {
                    "organisation_id": org.id,
                    "supplier_id": supplier_id,
                    "assessment_id": assessment_id,
                    # A link nobody is shown: the outbox makes the one to send.
                    "token_hash": hash_token(secrets.token_urlsafe(TOKEN_BYTES)),
                    "expires_at": expires,
                    "link_made": False,
                    "created_by_id": by,
                }
                for assessment_id, supplier_id in made
            ],
        )
        db.session.execute(
            insert(SupplierEvent),
            [{"supplier_id": i, "user_id": by, "summary": summary} for i in chunk],
        )
    if chosen:
        audit.record_event(
            action="bulk-invite",
            record_type=Supplier.__tablename__,
            record_id=None,
            organisation_id=org.id,
            summary=f"Invited {len(chosen):,} suppliers to assess themselves for "
            f"{FinancialYear(financial_year).label}",
            after={
                "suppliers": len(chosen),
                "supplier_ids": chosen,
                "financial_year": financial_year,
            },
        )
    db.session.flush()
    return BulkInvitations(invited=len(chosen), already_assessed=len(assessed & set(charities)))


def done_message(done: BulkInvitations) -> str:
    """What the outbox says afterwards."""
    said = (
        f"{done.invited:,} supplier{'' if done.invited == 1 else 's'} invited to assess "
        f"{'itself' if done.invited == 1 else 'themselves'}: make each link below when you "
        "send it"
    )
    if done.already_assessed:
        one = done.already_assessed == 1
        said += (
            f". {done.already_assessed:,} already {'has' if one else 'have'} an assessment for "
            f"the year and {'was' if one else 'were'} left as {'it was' if one else 'they were'}"
        )
    return said
