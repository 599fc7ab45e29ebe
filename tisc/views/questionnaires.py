"""A partnership's questionnaires: each version read-only, its source, and publishing a new one."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms.questionnaires import PublishQuestionnaireForm
from tisc.models import Questionnaire
from tisc.rules.authz import Permission
from tisc.rules.questionnaire import (
    BEST_SCORE,
)
from tisc.services.accounts import users
from tisc.services.assessments import questionnaires
from tisc.services.errors import NotFoundError
from tisc.web import downloads
from tisc.web.access import partnership_access, signed_in_user
from tisc.web.saving import saving

bp = Blueprint(
    "questionnaires", __name__, url_prefix="/partnerships/<partnership_slug>/questionnaires"
)


def _publishers(items: list[Questionnaire]) -> dict[int, str]:
    """The names of the people who published these versions, by user id."""
    names: dict[int, str] = {}
    for user_id in {q.published_by_id for q in items if q.published_by_id is not None}:
        try:
            names[user_id] = users.get_user(user_id=user_id).name
        except NotFoundError:
            continue
    return names


@bp.get("")
@partnership_access(Permission.MANAGE_QUESTIONNAIRE)
def index(partnership_slug: str) -> str:
    """The current version of each form, and the older versions."""
    current = questionnaires.current_questionnaires(partnership=g.partnership)
    current_ids = {q.id for q in current.values()}
    versions = list(questionnaires.questionnaire_versions(partnership=g.partnership))
    return render_template(
        "questionnaires/index.html",
        title="Questionnaires",
        partnership=g.partnership,
        current=list(current.values()),
        older=[q for q in versions if q.id not in current_ids],
        publishers=_publishers(versions),
    )


@bp.get("/<int:questionnaire_id>")
@partnership_access(Permission.MANAGE_QUESTIONNAIRE)
def preview(partnership_slug: str, questionnaire_id: int) -> str:
    """One version of a questionnaire, read-only, with every answer's score."""
    questionnaire = questionnaires.get_questionnaire(
        partnership=g.partnership, questionnaire_id=questionnaire_id
    )
    current = questionnaires.current_questionnaires(partnership=g.partnership)
    return render_template(
        "questionnaires/preview.html",
        title=f"{questionnaire.title}, version {questionnaire.version}",
        partnership=g.partnership,
        questionnaire=questionnaire,
        definition=questionnaire.definition,
        is_current=questionnaire.id in {q.id for q in current.values()},
        publishers=_publishers([questionnaire]),
        best=BEST_SCORE,
    )


@bp.get("/<int:questionnaire_id>/source.toml")
@partnership_access(Permission.MANAGE_QUESTIONNAIRE)
def download(partnership_slug: str, questionnaire_id: int) -> Response:
    """The version's definition exactly as it was published, as a .toml file."""
    questionnaire = questionnaires.get_questionnaire(
        partnership=g.partnership, questionnaire_id=questionnaire_id
    )
    filename = f"{g.partnership.slug}-{questionnaire.key}-v{questionnaire.version}.toml"
    return downloads.download(questionnaire.source, filename)


@bp.route("/publish", methods=["GET", "POST"])
@partnership_access(Permission.MANAGE_QUESTIONNAIRE)
def publish(partnership_slug: str) -> tuple[str, int] | Response:
    """Upload a new version of a form; assessments already started keep theirs."""
    form = PublishQuestionnaireForm()
    if form.validate_on_submit():
        with saving(form, field="file") as saved:
            published = questionnaires.publish_questionnaire(
                partnership=g.partnership, source=form.source(), user=signed_in_user()
            )
        if saved:
            flash(
                f"Version {published.version} of the {published.title} has been published",
                "success",
            )
            return redirect(url_for("questionnaires.index", partnership_slug=partnership_slug))
    return (
        render_template(
            "questionnaires/publish.html",
            title="Publish a new questionnaire version",
            partnership=g.partnership,
            form=form,
        ),
        400 if form.errors else 200,
    )
