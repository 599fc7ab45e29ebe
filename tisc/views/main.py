"""The start page, each role's home page, and the accessibility and privacy pages."""

from flask import Blueprint, render_template, session
from flask_login import current_user

from tisc.services.accounts.users import user_organisations
from tisc.web.access import public, signed_in

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
    """The risk and rating rules in plain English, with examples worked out by the rules."""
    from tisc.views.questionnaires import ratings_context

    return render_template("main/ratings.html", title="How ratings work", **ratings_context())
