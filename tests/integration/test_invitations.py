"""Supplier self-assessment by link: invite, answer, save, return, acknowledge, submit,
review, change an answer, accept; and links that do not work."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask import Flask
from sqlalchemy import select

from tests.conftest import page
from tests.integration.assessment_support import (
    LEAD,
    best_answers,
    count,
    definition,
    tier_a_supplier,
)
from tests.integration.assessment_support import invite as _invite
from tests.integration.register_support import as_user, error_messages, main_text
from tisc.extensions import db
from tisc.models import (
    AssessmentAnswer,
    AssessmentSource,
    AssessmentStatus,
    Invitation,
    SubSupplier,
    SupplierAssessment,
)
from tisc.rules.years import long_date
from tisc.services.assessments.invitations import hash_token


def _invitation(app: Flask) -> Invitation:
    with app.app_context():
        found = db.session.scalars(select(Invitation)).one()
        db.session.expunge(found)
        return found


def _status(app: Flask) -> AssessmentStatus:
    with app.app_context():
        return db.session.scalars(select(SupplierAssessment.status)).one()


def _version(client, url: str) -> str:
    return page(client.get(url)).select_one("main form input[name=version]")["value"]


def test_the_whole_journey_from_invitation_to_acceptance(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    link, text = _invite(app, supplier, contact_name="Sam Jones", contact_email="sam@sparkle.test")
    assert re.fullmatch(r"/respond/[A-Za-z0-9_-]{43}", link)
    assert "Dear Sam Jones" in text and "Sparkle Cleaning Ltd" in text
    invitation = _invitation(app)
    # Only the hash is stored.
    assert invitation.token_hash == hash_token(link.rsplit("/", 1)[1])
    assert link.rsplit("/", 1)[1] not in invitation.token_hash

    lead = as_user(app, LEAD)
    outbox = main_text(lead.get("/organisations/alpha-police/invitations"))
    assert "To send" in outbox
    lead.post(
        f"/organisations/alpha-police/invitations/{invitation.id}/sent", data={"version": "1"}
    )
    assert "Sent" in main_text(lead.get("/organisations/alpha-police/invitations"))

    supplier_client = app.test_client()  # no account, no sign-in
    form = definition(app)
    answers = best_answers(form)
    first = dict(list(answers.items())[:5])
    saved = supplier_client.post(
        link,
        data={
            **first,
            "version": _version(supplier_client, link),
            "subs-0-name": "Bright Chemicals",
            "subs-0-tier": "2",
            "subs-0-country": "Poland",
            "subs-0-supplies": "Cleaning fluids",
            "save": "y",
        },
    )
    assert saved.status_code == 302
    # Coming back with the same link shows the saved answers and sub-supplier.
    back = page(supplier_client.get(link))
    assert len(back.select("input[type=radio][checked]")) == 5
    assert back.select_one("input[name=subs-0-name]")["value"] == "Bright Chemicals"
    assert "Started by the supplier" in main_text(
        lead.get("/organisations/alpha-police/invitations")
    )

    # The fees question answered badly: the check page lists its recommendation.
    fees = form.question("recruitment-fees")
    weak = next(o for o in fees.options if o.score is not None and 0 < o.score < 4)
    answers["q-recruitment-fees"] = weak.key
    finished = supplier_client.post(
        link,
        data={
            **answers,
            "version": _version(supplier_client, link),
            "subs-0-name": "Bright Chemicals",
            "subs-0-tier": "2",
            "subs-0-country": "Poland",
            "subs-0-supplies": "Cleaning fluids",
            "finish": "y",
        },
    )
    assert finished.status_code == 302 and finished.headers["Location"].endswith("/check")
    check = supplier_client.get(link + "/check")
    assert weak.recommendation in main_text(check)

    # Sending without acknowledging the recommendations is refused.
    version = _version(supplier_client, link + "/check")
    refused = supplier_client.post(
        link + "/check", data={"respondent_name": "Sam Jones", "version": version}
    )
    assert error_messages(refused) == ["Confirm that you have read the recommendations"]
    assert _status(app) is AssessmentStatus.WITH_SUPPLIER

    sent = supplier_client.post(
        link + "/check",
        data={
            "respondent_name": "Sam Jones",
            "respondent_role": "Director",
            "acknowledged": "y",
            "version": version,
        },
    )
    assert sent.status_code == 200
    assert page(sent).select_one("h1").get_text(strip=True) == "Your answers have been sent"
    assert _status(app) is AssessmentStatus.AWAITING_REVIEW
    # The link is used: it says so, when, and who to ask, with no answers on it.
    used = supplier_client.get(link)
    assert used.status_code == 410
    assert page(used).select_one("h1").get_text(strip=True) == "This link has already been used"
    with app.app_context():
        sent_at = db.session.get(SupplierAssessment, invitation.assessment_id).submitted_at
    assert f"used to send answers on {long_date(sent_at)}" in main_text(used)
    assert f"({LEAD})" in main_text(used)  # who to ask
    assert "Sparkle" not in main_text(used)
    assert "Page not found" not in main_text(used)

    # The lead reviews, changes one answer with a reason, and accepts.
    assessment_id = invitation.assessment_id
    detail_url = f"/organisations/alpha-police/assessments/{assessment_id}"
    assert "Answered: review it" in main_text(lead.get("/organisations/alpha-police/invitations"))
    change_url = f"{detail_url}/answers/policy/change"
    no_reason = lead.post(change_url, data={"option": "no", "version": _version(lead, change_url)})
    assert error_messages(no_reason) == ["Enter why you are changing the supplier’s answer"]
    changed = lead.post(
        change_url,
        data={
            "option": "no",
            "reason": "No policy on their website",
            "version": _version(lead, change_url),
        },
    )
    assert changed.status_code == 302
    accepted = lead.post(f"{detail_url}/accept", data={"version": _version(lead, detail_url)})
    assert accepted.status_code == 302
    with app.app_context():
        assessment = db.session.get(SupplierAssessment, assessment_id)
        assert assessment.status is AssessmentStatus.COMPLETE
        assert assessment.source is AssessmentSource.SUPPLIER
        assert assessment.respondent_name == "Sam Jones"
        assert assessment.acknowledged_at is not None
        policy = next(a for a in assessment.answers if a.question_key == "policy")
        assert (policy.supplier_option_key, policy.option_key) == ("yes-published", "no")
        assert policy.adjusted_reason == "No policy on their website"
        assert assessment.score < Decimal(100)
        subs = db.session.scalars(select(SubSupplier)).all()
        assert [(s.name, s.tier, s.country) for s in subs] == [("Bright Chemicals", 2, "Poland")]
    shown = main_text(lead.get(detail_url))
    assert "Changed from the supplier’s answer" in shown
    assert "Bright Chemicals" in shown
    assert "Accepted" in main_text(lead.get("/organisations/alpha-police/invitations"))


def test_altered_expired_and_cancelled_links_show_a_plain_message(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    link, _ = _invite(app, supplier)
    visitor = app.test_client()
    token = link.rsplit("/", 1)[1]
    altered = "/respond/" + token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, "/respond/short", "/respond/" + "x" * 43 + "/check"):
        response = visitor.get(bad)
        assert response.status_code == 404, bad
        assert page(response).select_one("h1").get_text(strip=True) == "This link does not work"
        assert "Sparkle" not in response.get_data(as_text=True)
    # A post to an altered link saves nothing.
    visitor.post(altered, data={"q-policy": "no", "version": "1", "save": "y"})
    assert count(app, AssessmentAnswer) == 0

    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    expired = visitor.get(link)
    assert expired.status_code == 410
    assert page(expired).select_one("h1").get_text(strip=True) == "This link has expired"
    assert "Anything you saved is kept" in main_text(expired)
    assert "Expired" in main_text(as_user(app, LEAD).get("/organisations/alpha-police/invitations"))

    # A new link replaces the old one.
    lead = as_user(app, LEAD)
    renewed = lead.post(
        f"/organisations/alpha-police/invitations/{_invitation(app).id}/new-link",
        data={"version": str(_invitation(app).version_id)},
    )
    new = re.sub(r"^https?://[^/]+", "", page(renewed).select_one("#invitation-link")["value"])
    assert visitor.get(new).status_code == 200
    assert visitor.get(link).status_code == 404

    detail = f"/organisations/alpha-police/assessments/{_invitation(app).assessment_id}"
    confirm = detail + "/cancel"  # the confirmation page sends its version and confirmed=yes
    lead.post(confirm, data={"version": _version(lead, confirm), "confirmed": "yes"})
    cancelled = visitor.get(new)
    assert cancelled.status_code == 410
    assert "no longer in use" in main_text(cancelled)


def test_repeated_bad_links_are_throttled(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    link, _ = _invite(app, supplier)
    visitor = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES"] * 2
    for _ in range(limit):
        assert visitor.get("/respond/" + "z" * 43).status_code == 404
    locked = visitor.get("/respond/" + "y" * 43)
    assert locked.status_code == 429
    assert "Too many links that do not work" in main_text(locked)
    # A supplier with a working link behind the same address is not locked out.
    assert visitor.get(link).status_code == 200


def test_a_supplier_reaches_nothing_but_its_own_questionnaire(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    link, _ = _invite(app, supplier)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    for url in (
        f"/organisations/alpha-police/suppliers/{supplier}",
        f"/organisations/alpha-police/assessments/{_invitation(app).assessment_id}",
        "/organisations/alpha-police/invitations",
    ):
        response = visitor.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    # The token never leaves in a Referer header, and the page is never cached.
    response = visitor.get(link)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_invitation_refusals_change_nothing(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    lead = as_user(app, LEAD)
    url = f"/organisations/alpha-police/suppliers/{supplier}/invite"
    for data, message in (
        (
            {"contact_email": "not-an-email", "days": "30"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"days": "120"}, "The link must last from 1 to 90 days"),
        ({"days": ""}, "Enter how many days the link should work"),
    ):
        response = lead.post(
            url, data={"financial_year": "2024", "questionnaire": "standard", **data}
        )
        assert error_messages(response) == [message]
    assert count(app, Invitation) == 0
    assert count(app, SupplierAssessment) == 0
    other = as_user(app, "procurement.beta-opcc@example.org")
    assert other.get(f"/organisations/beta-opcc/suppliers/{supplier}/invite").status_code == 404
    viewer = as_user(app, "viewer.alpha-police@example.org")
    assert (
        viewer.post(
            url, data={"financial_year": "2024", "questionnaire": "standard", "days": "30"}
        ).status_code
        == 403
    )
    assert count(app, Invitation) == 0


def test_invite_supplier_prints_a_working_link(app: Flask, two_bodies: dict) -> None:
    tier_a_supplier(app)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "invite-supplier",
            "--org",
            "alpha-police",
            "--supplier",
            "SPARKLE CLEANING LIMITED",
            "--days",
            "10",
        ]
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip().splitlines()[0]
    assert re.fullmatch(r"http://127\.0\.0\.1:5000/respond/[A-Za-z0-9_-]{43}", link)
    assert app.test_client().get(link.removeprefix("http://127.0.0.1:5000")).status_code == 200
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        left = invitation.expires_at.replace(tzinfo=UTC) - datetime.now(UTC)
        assert timedelta(days=9, hours=23) < left <= timedelta(days=10)
        assert invitation.assessment.financial_year == 2024


def test_invite_supplier_refuses_unknown_suppliers_and_bad_days(
    app: Flask, two_bodies: dict
) -> None:
    tier_a_supplier(app)
    runner = app.test_cli_runner()
    unknown = runner.invoke(
        args=["invite-supplier", "--org", "alpha-police", "--supplier", "Nobody Ltd"]
    )
    assert unknown.exit_code == 1
    assert "Alpha Police has no supplier called 'Nobody Ltd'" in unknown.output
    too_long = runner.invoke(
        args=[
            "invite-supplier",
            "--org",
            "alpha-police",
            "--supplier",
            "Sparkle Cleaning Ltd",
            "--days",
            "91",
        ]
    )
    assert too_long.exit_code == 1
    assert "The link must last from 1 to 90 days" in too_long.output
    assert count(app, Invitation) == 0


class RecordingMailer:
    """A mailer plugged in by MAIL_BACKEND="module:factory", keeping what it sends."""

    name = "recording"
    sent: list[tuple[str, str, str]] = []

    def send(self, *, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


def recording_mailer() -> RecordingMailer:
    return RecordingMailer()


def test_email_is_off_by_default_and_pluggable(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    assert app.config["MAIL_BACKEND"] == "none"
    link, text = _invite(app, supplier, contact_email="sam@sparkle.test")
    assert "Invitation sent" not in text
    assert _invitation(app).sent_at is None

    app.config["MAIL_BACKEND"] = "tests.integration.test_invitations:recording_mailer"
    RecordingMailer.sent.clear()
    with app.app_context():
        db.session.execute(
            SupplierAssessment.__table__.update().values(status=AssessmentStatus.CANCELLED.value)
        )
        db.session.commit()
    link, text = _invite(app, supplier, contact_email="sam@sparkle.test")
    assert "Invitation sent" in text
    [(to, subject, body)] = RecordingMailer.sent
    assert to == "sam@sparkle.test"
    assert subject == "Modern slavery questions for Sparkle Cleaning Ltd from Alpha Police"
    assert link in body
    with app.app_context():
        newest = db.session.scalars(select(Invitation).order_by(Invitation.id.desc())).first()
        assert newest.sent_by == "recording" and newest.sent_at is not None


def test_opening_the_link_shows_in_the_outbox(app: Flask, two_bodies: dict) -> None:
    supplier = tier_a_supplier(app)
    link, _ = _invite(app, supplier)
    lead = as_user(app, LEAD)
    assert "To send" in main_text(lead.get("/organisations/alpha-police/invitations"))
    app.test_client().get(link)
    assert _invitation(app).first_opened_at is not None
    assert "Opened" in main_text(lead.get("/organisations/alpha-police/invitations"))


def test_a_bad_sub_supplier_row_is_listed_in_the_error_summary(
    app: Flask, two_bodies: dict
) -> None:
    supplier = tier_a_supplier(app)
    link, _ = _invite(app, supplier)
    visitor = app.test_client()
    refused = visitor.post(
        link,
        data={
            "q-policy": "yes-published",
            "version": _version(visitor, link),
            # A browser sends every row; the first is left blank.
            **{f"subs-0-{part}": "" for part in ("name", "tier", "country", "supplies")},
            "subs-1-name": "Bright Chemicals",
            "subs-1-tier": "9",
            "subs-1-country": "Poland",
            "subs-1-supplies": "Fluids",
            "save": "y",
        },
    )
    assert refused.status_code == 200
    soup = page(refused)
    assert soup.title.get_text().startswith("Error: ")
    summary = soup.select(".govuk-error-summary li a")
    assert [(a.get_text(strip=True), a["href"]) for a in summary] == [
        ("Choose the tier of sub-supplier 2", "#subs-1-tier")
    ]
    assert count(app, AssessmentAnswer) == 0
    assert count(app, SubSupplier) == 0


def test_a_save_that_races_another_gets_the_conflict_message(app: Flask, two_bodies: dict) -> None:
    from tisc.services.assessments import records as assessments
    from tisc.services.assessments.records import AnswerInput
    from tisc.services.errors import ConflictError

    supplier = tier_a_supplier(app)
    _invite(app, supplier)
    with app.app_context():
        db.session.expire_on_commit = False
        assessment = db.session.scalars(select(SupplierAssessment)).one()
        version = assessment.version_id
        assert assessment.questionnaire.definition and assessment.answers == []
        db.session.commit()  # this request's read is over; its write comes later
        # Another request saves between this one's check and its write.
        with db.engine.begin() as other:
            other.execute(SupplierAssessment.__table__.update().values(version_id=version + 1))
        try:
            assessments.save_answers(
                assessment=assessment,
                answers={"policy": AnswerInput("no")},
                expected_version=version,
                editable=(AssessmentStatus.WITH_SUPPLIER,),
            )
        except ConflictError as error:
            assert "Someone else saved this assessment" in error.message
        else:
            raise AssertionError("the racing save was not refused")
        db.session.rollback()
    assert count(app, AssessmentAnswer) == 0
