"""Supplier self-assessment invitations: unguessable links, the outbox, and the supplier's side.

A link carries a random token; only its SHA-256 is stored, so a copy of the database gives
no working links. A link reaches one assessment of one supplier and nothing else.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from flask import current_app
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from tisc.database import db
from tisc.mail import configured_mailer
from tisc.models import (
    AssessmentSource,
    AssessmentStatus,
    Invitation,
    InvitationPosts,
    LoginThrottle,
    Organisation,
    SubSupplier,
    Supplier,
    User,
)
from tisc.rules import throttle
from tisc.rules.questionnaire import Score, score_answers
from tisc.rules.years import long_date
from tisc.services.assessments.records import (
    AnswerInput,
    assessment_sub_suppliers,
    check_assessment_version,
    flush_or_conflict,
    new_assessment,
    require_complete,
    save_answers,
)
from tisc.services.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    ThrottledError,
    ValidationError,
)

TOKEN_BYTES = 32
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_SUB_SUPPLIERS = 50
# POSTs one link may make in a window (INVITATION_POSTS_PER_WINDOW and
# INVITATION_POST_WINDOW_SECONDS override them): a supplier saves, checks and sends a few
# times a minute at most; anything faster is a script.
POSTS_PER_WINDOW = 10
POST_WINDOW_SECONDS = 60


class InvalidLinkError(DomainError):
    """The link does not work: unknown or altered (404), or used, expired or withdrawn (410,
    with a title that says which)."""

    status_code = 404

    def __init__(self, message: str, *, title: str | None = None, gone: bool = False) -> None:
        super().__init__(message)
        self.title = title
        if gone:
            self.status_code = 410


def _contact(invitation: Invitation) -> str:
    """Who the supplier can ask about its link, in words: the lead who made it, and the body."""
    org = invitation.organisation.name
    lead = db.session.get(User, invitation.created_by_id) if invitation.created_by_id else None
    if lead is None or not lead.active:
        return f"contact {org}"
    return f"contact {lead.name} at {org} ({lead.email})"


def hash_token(token: str) -> str:
    """What is stored for a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _new_token(invitation: Invitation, days: int) -> str:
    if not 1 <= days <= 90:
        raise ValidationError("The link must last from 1 to 90 days", field="days")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = _now() + timedelta(days=days)
    return token


def invitation_state(invitation: Invitation, *, now: datetime | None = None) -> str:
    """Where an invitation is, in words for the outbox."""
    status = invitation.assessment.status
    if status is AssessmentStatus.CANCELLED:
        return "Cancelled"
    if status is AssessmentStatus.COMPLETE:
        return "Accepted"
    if status is AssessmentStatus.AWAITING_REVIEW:
        return "Answered: review it"
    if _aware(invitation.expires_at) <= (now or _now()):
        return "Expired"
    if invitation.last_saved_at:
        return "Started by the supplier"
    if invitation.first_opened_at:
        return "Opened"
    return "Sent" if invitation.sent_at else "To send"


@dataclass(frozen=True)
class Message:
    """The email to send a supplier, ready to copy."""

    to: str | None
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        """A mailto: address that opens the message, link and all, in the reader's email app."""
        query = urlencode({"subject": self.subject, "body": self.body}, quote_via=quote)
        return f"mailto:{quote(self.to or '', safe='@')}?{query}"


def invitation_message(*, invitation: Invitation, link: str) -> Message:
    """The email inviting the supplier to answer, in plain words."""
    org, supplier = invitation.organisation, invitation.supplier
    expires = long_date(_aware(invitation.expires_at))
    greeting = f"Dear {invitation.contact_name}," if invitation.contact_name else "Hello,"
    body = (
        f"{greeting}\n\n"
        f"{org.name} asks {supplier.name} to answer a short set of questions about how you "
        "find and prevent modern slavery in your business and supply chain. We ask every "
        "supplier in higher-risk areas to do this; it is not a sign that anything is wrong.\n\n"
        f"Answer here (no account needed; you can save and come back):\n{link}\n\n"
        f"The link works until {expires}. Your answers can be shared with the other police "
        "bodies in our partnership, so that you answer once rather than for each of us.\n\n"
        f"If you have questions, reply to this email.\n\n{org.name}"
    )
    return Message(
        invitation.contact_email,
        f"Modern slavery questions for {supplier.name} from {org.name}",
        body,
    )


def _check_contact(name: str | None, email: str | None) -> tuple[str | None, str | None]:
    name = (name or "").strip()[:200] or None
    email = (email or "").strip() or None
    if email and (len(email) > 320 or not _EMAIL.match(email)):
        raise ValidationError(
            "Enter an email address in the correct format, like name@example.com",
            field="contact_email",
        )
    return name, email


def create_invitation(
    *,
    org: Organisation,
    supplier: Supplier,
    financial_year: int,
    questionnaire_key: str,
    user: User | None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    days: int = 30,
) -> tuple[Invitation, str]:
    """Invite the supplier to assess itself; returns the invitation and its token.

    The token is shown once: only its hash is kept. When email is configured and a
    contact address is given, the message is sent at once.
    """
    name, email = _check_contact(contact_name, contact_email)
    assessment = new_assessment(
        org=org,
        supplier=supplier,
        financial_year=financial_year,
        questionnaire_key=questionnaire_key,
        source=AssessmentSource.SUPPLIER,
        status=AssessmentStatus.WITH_SUPPLIER,
        user=user,
    )
    invitation = Invitation(
        organisation_id=org.id,
        supplier_id=supplier.id,
        assessment_id=assessment.id,
        contact_name=name,
        contact_email=email,
        created_by_id=user.id if user else None,
    )
    token = _new_token(invitation, days)
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def send_if_configured(*, invitation: Invitation, link: str) -> bool:
    """Send the invitation by the configured mailer; False when email is off or no address."""
    mailer = configured_mailer()
    if mailer is None or not invitation.contact_email:
        return False
    message = invitation_message(invitation=invitation, link=link)
    mailer.send(to=invitation.contact_email, subject=message.subject, body=message.body)
    invitation.sent_at, invitation.sent_by = _now(), mailer.name
    db.session.flush()
    return True


def get_invitation(*, org: Organisation, invitation_id: int) -> Invitation:
    """One of the body's invitations; NotFoundError for another body's."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != org.id:
        raise NotFoundError("There is no such invitation")
    return invitation


def _check_version(invitation: Invitation, expected_version: int | None) -> None:
    if expected_version is not None and invitation.version_id != expected_version:
        raise ConflictError("Someone else changed this invitation just now: look at it again")


def _open(invitation: Invitation) -> None:
    if invitation.assessment.status is not AssessmentStatus.WITH_SUPPLIER:
        raise ValidationError("The supplier has already answered or the invitation was cancelled")


def new_link(*, invitation: Invitation, days: int = 30, expected_version: int | None = None) -> str:
    """Replace the link (the old one stops working), for a lost or expired one."""
    _check_version(invitation, expected_version)
    _open(invitation)
    token = _new_token(invitation, days)
    invitation.sent_at, invitation.sent_by = None, None
    invitation.link_made = True
    flush_or_conflict()
    return token


def mark_sent(*, invitation: Invitation, expected_version: int | None = None) -> None:
    """The lead has sent the link from the body's own email."""
    _check_version(invitation, expected_version)
    _open(invitation)
    if not invitation.link_made:
        raise ValidationError("Make the link first, then send it to the supplier")
    invitation.sent_at, invitation.sent_by = _now(), "by hand"
    flush_or_conflict()


OUTBOX_PAGE = 50


def outbox(*, org: Organisation, page: int = 1) -> tuple[Sequence[Invitation], int, int]:
    """A page of the body's invitations, newest first, how many there are in all (a bulk
    invitation can make thousands) and the page shown (the last one when asked for more)."""
    total = (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.organisation_id == org.id)
        )
        or 0
    )
    page = max(1, min(page, -(-total // OUTBOX_PAGE) or 1))
    found = db.session.scalars(
        select(Invitation)
        .where(Invitation.organisation_id == org.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(OUTBOX_PAGE)
        .offset((page - 1) * OUTBOX_PAGE)
    ).all()
    return found, total, page


# --- the supplier's side ------------------------------------------------------------------------


def _throttle_record(client: str) -> LoginThrottle:
    digest = hashlib.sha256(f"invitation-link:{client}".encode()).hexdigest()
    record = db.session.get(LoginThrottle, digest)
    if record is None:
        record = LoginThrottle(email_digest=digest, failed_login_count=0)
        db.session.add(record)
    return record


def open_invitation(*, token: str, client: str, now: datetime | None = None) -> Invitation:
    """The invitation a link belongs to, if the link still works.

    InvalidLinkError with a plain message, or ThrottledError after too many links that do
    not work from one client (the count is flushed; the caller commits it). Neither reveals
    anything about the supplier or the body. A first visit is recorded as "opened".
    """
    now = now or _now()
    cfg = current_app.config
    invitation = None
    if _TOKEN.match(token or ""):
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == hash_token(token))
        )
    if invitation is None:
        # Only links that do not work count, so that many suppliers behind one address
        # (an office, a proxy) are never locked out by someone else's mistakes. A token
        # has 256 random bits: the throttle limits noise, not guessing.
        record = _throttle_record(client)
        if throttle.is_locked(record, now=now):
            raise ThrottledError(
                f"Too many links that do not work. Wait {cfg['LOGIN_LOCK_MINUTES']} minutes "
                "and try again."
            )
        throttle.record_failure(
            record,
            now=now,
            max_failures=cfg["LOGIN_MAX_FAILURES"] * 2,
            lock_minutes=cfg["LOGIN_LOCK_MINUTES"],
        )
        db.session.flush()
        raise InvalidLinkError(
            "Check that you copied all of it from the email, or ask the person who sent it "
            "for a new one.",
            title="This link does not work",
        )
    status = invitation.assessment.status
    if status in (AssessmentStatus.AWAITING_REVIEW, AssessmentStatus.COMPLETE):
        sent = invitation.assessment.submitted_at or invitation.last_saved_at
        when = f" on {long_date(_aware(sent))}" if sent else ""
        raise InvalidLinkError(
            f"This link has already been used to send answers{when}. Thank you: there is "
            f"nothing more to do. If you need to change an answer, {_contact(invitation)}.",
            title="This link has already been used",
            gone=True,
        )
    if status is AssessmentStatus.CANCELLED:
        raise InvalidLinkError(
            f"{invitation.organisation.name} no longer needs answers through this link. "
            f"If you think this is a mistake, {_contact(invitation)}.",
            title="This link is no longer in use",
            gone=True,
        )
    if _aware(invitation.expires_at) <= now:
        raise InvalidLinkError(
            f"This link expired on {long_date(_aware(invitation.expires_at))}. Anything you "
            f"saved is kept: to finish your answers, {_contact(invitation)} and ask for a "
            "new link.",
            title="This link has expired",
            gone=True,
        )
    if invitation.first_opened_at is None:
        invitation.first_opened_at = now
        db.session.flush()
    return invitation


def count_link_post(*, invitation: Invitation, now: datetime | None = None) -> None:
    """Count a POST on the link; ThrottledError when the link has made too many this window.

    One UPDATE statement counts (a new window starts at 1), so two workers counting at once
    never lose a POST. The caller commits.
    """
    now = now or _now()
    cfg = current_app.config
    limit = cfg.get("INVITATION_POSTS_PER_WINDOW", POSTS_PER_WINDOW)
    seconds = cfg.get("INVITATION_POST_WINDOW_SECONDS", POST_WINDOW_SECONDS)
    if db.session.get(InvitationPosts, invitation.id) is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    InvitationPosts(invitation_id=invitation.id, window_started_at=now, posts=0)
                )
        except IntegrityError:
            pass  # another worker made the row first: count in it
    table = InvitationPosts.__table__
    new_window = table.c.window_started_at <= now - timedelta(seconds=seconds)
    db.session.execute(
        update(table)
        .where(table.c.invitation_id == invitation.id)
        .values(
            posts=case((new_window, 1), else_=table.c.posts + 1),
            window_started_at=case((new_window, now), else_=table.c.window_started_at),
        )
    )
    posts = db.session.execute(
        select(table.c.posts).where(table.c.invitation_id == invitation.id)
    ).scalar_one()
    if posts > limit:
        wait = "a minute" if seconds <= 60 else f"{-(-seconds // 60)} minutes"
        raise ThrottledError(
            f"This form has been sent too many times in a short while. Wait {wait} and try "
            "again: the answers you saved before are kept."
        )


@dataclass(frozen=True)
class SubSupplierInput:
    """A sub-supplier row as typed by the supplier."""

    name: str
    tier: str
    country: str
    supplies: str


def _sub_suppliers(invitation: Invitation, rows: Sequence[SubSupplierInput]) -> list[SubSupplier]:
    kept: list[SubSupplier] = []
    # Field names follow the form's rows: "subs-0-name" is the first row's name.
    for index, row in enumerate(rows):
        name, country, supplies = row.name.strip(), row.country.strip(), row.supplies.strip()
        if not (name or country or supplies):
            continue
        where, field = f"sub-supplier {index + 1}", f"subs-{index}"
        if not name:
            raise ValidationError(f"Enter the name of {where}", field=f"{field}-name")
        if row.tier not in ("2", "3"):
            raise ValidationError(f"Choose the tier of {where}", field=f"{field}-tier")
        if not country:
            raise ValidationError(f"Enter the country of {where}", field=f"{field}-country")
        if not supplies:
            raise ValidationError(f"Enter what {where} supplies to you", field=f"{field}-supplies")
        kept.append(
            SubSupplier(
                organisation_id=invitation.organisation_id,
                supplier_id=invitation.supplier_id,
                financial_year=invitation.assessment.financial_year,
                assessment_id=invitation.assessment_id,
                name=name[:300],
                tier=int(row.tier),
                country=country[:100],
                supplies=supplies[:300],
            )
        )
    if len(kept) > MAX_SUB_SUPPLIERS:
        raise ValidationError(f"List {MAX_SUB_SUPPLIERS} sub-suppliers at most")
    return kept


def save_supplier_answers(
    *,
    invitation: Invitation,
    answers: Mapping[str, AnswerInput],
    sub_suppliers: Sequence[SubSupplierInput] | None,
    expected_version: int | None,
) -> None:
    """Keep the supplier's answers (and sub-suppliers) so far; they can come back later."""
    assessment = invitation.assessment
    save_answers(
        assessment=assessment,
        answers=answers,
        expected_version=expected_version,
        editable=(AssessmentStatus.WITH_SUPPLIER,),
    )
    if sub_suppliers is not None and assessment.questionnaire.definition.sub_suppliers:
        rows = _sub_suppliers(invitation, sub_suppliers)
        for old in assessment_sub_suppliers(assessment=assessment):
            db.session.delete(old)
        db.session.add_all(rows)
    invitation.last_saved_at = _now()
    flush_or_conflict()


def supplier_score(*, invitation: Invitation) -> Score:
    """The score of the supplier's answers so far, with its recommendations."""
    assessment = invitation.assessment
    return score_answers(assessment.questionnaire.definition, assessment.answer_map)


def submit_supplier_answers(
    *,
    invitation: Invitation,
    respondent_name: str,
    respondent_role: str,
    acknowledged: bool,
    expected_version: int | None,
) -> None:
    """The supplier sends its answers for review, having acknowledged the recommendations
    (when its answers led to any: with none there is nothing to acknowledge)."""
    assessment = invitation.assessment
    check_assessment_version(assessment, expected_version)
    if assessment.status is not AssessmentStatus.WITH_SUPPLIER:
        raise ValidationError("These answers have already been sent")
    require_complete(assessment)
    respondent_name = (respondent_name or "").strip()
    if not respondent_name:
        raise ValidationError("Enter your name", field="respondent_name")
    recommended = supplier_score(invitation=invitation).recommendations
    if recommended and not acknowledged:
        raise ValidationError(
            "Confirm that you have read the recommendations", field="acknowledged"
        )
    now = _now()
    assessment.respondent_name = respondent_name[:200]
    assessment.respondent_role = (respondent_role or "").strip()[:200] or None
    assessment.submitted_at = now
    assessment.acknowledged_at = now if recommended else None
    assessment.status = AssessmentStatus.AWAITING_REVIEW
    flush_or_conflict()
