"""The start page, each role's home page, how ratings work, and the accessibility and privacy
pages."""

from flask import Blueprint, render_template, session
from flask_login import current_user

from tisc.models import Partnership
from tisc.rules.authz import Permission, permissions_from, roles_in_partnership
from tisc.rules.money import DEFAULT_THRESHOLD
from tisc.rules.ratings_guide import ratings_guide
from tisc.services.accounts.users import user_organisations
from tisc.services.register.thresholds import user_thresholds
from tisc.web.access import public, signed_in, signed_in_user
from tisc.web.years import this_year

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def home() -> str:
    """Signed out: what the service is. Signed in: what each of your roles can do next."""
    if not current_user.is_authenticated:
        return render_template("main/start.html", title="Modern slavery transparency")
    organisations = user_organisations(user=current_user)
    session["org_count"] = len(organisations)
    return render_template(
        "main/home.html",
        title="Home",
        organisations=organisations,
        memberships=current_user.memberships,
    )


@bp.get("/accessibility")
@public
def accessibility() -> str:
    """The accessibility statement."""
    return render_template("main/accessibility.html", title="Accessibility statement")


@bp.get("/privacy")
@public
def privacy() -> str:
    """How the service uses personal data."""
    return render_template("main/privacy.html", title="Privacy notice")


@bp.get("/how-ratings-work")
@signed_in
def ratings() -> str:
    """The risk and rating rules in plain English, with examples worked out by the rules for
    the threshold the reader's partnership uses this year."""
    thresholds = user_thresholds(user=signed_in_user(), financial_year=this_year().start_year)
    return render_template(
        "main/ratings.html",
        title="How ratings work",
        guide=ratings_guide(thresholds.amount),
        thresholds=thresholds,
        default_threshold=DEFAULT_THRESHOLD,
        questionnaires=_questionnaire_partnerships(),
    )


def _questionnaire_partnerships() -> list[Partnership]:
    """The partnerships whose questionnaires the reader manages (the page links to them)."""
    managed = {
        m.partnership.id: m.partnership
        for m in current_user.memberships
        if m.partnership is not None
        and Permission.MANAGE_QUESTIONNAIRE
        in permissions_from(roles_in_partnership(current_user, m.partnership))
    }
    return list(managed.values())
