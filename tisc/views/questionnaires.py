"""A partnership's questionnaires: each version read-only, its source, and publishing a new one.

Also what the "How ratings work" page shows (tisc.views.main.ratings), worked out by calling
the rules themselves so the page cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for
from flask_login import current_user

from tisc.forms.questionnaires import PublishQuestionnaireForm
from tisc.models import Questionnaire
from tisc.rules.authz import Permission, permissions_from, roles_in_partnership
from tisc.rules.money import DEFAULT_THRESHOLD, is_over_threshold
from tisc.rules.questionnaire import (
    BEST_SCORE,
    Definition,
    Option,
    Question,
    Score,
    Section,
    score_answers,
)
from tisc.rules.rating import SCORE_BANDS, RatingResult, residual_rating, starting_rating
from tisc.rules.risk import RiskLevel, Tier, priority_tier
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


# --- "How ratings work" ------------------------------------------------------------------------

_STARTS = (
    ("High-risk category", RiskLevel.HIGH),
    ("Medium-risk category", RiskLevel.MEDIUM),
    ("Low-risk category", RiskLevel.LOW),
    ("Category not known yet", None),
)
_NUMBERS = {1: "one", 2: "two", 3: "three"}


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _steps_text(steps: int) -> str:
    if steps == 0:
        return "No change"
    count = _NUMBERS.get(abs(steps), str(abs(steps)))
    unit = "step" if abs(steps) == 1 else "steps"
    return f"{count.capitalize()} {unit} towards {'green' if steps > 0 else 'red'}"


def _bands() -> list[dict[str, Any]]:
    """Each score band with its effect and the rating it gives from each starting point."""
    rows = []
    upper: Decimal | None = None
    for lowest, steps in SCORE_BANDS:
        if upper is None:
            scores = f"{_percent(lowest)} or more"
        elif lowest == 0:
            scores = f"Below {_percent(upper)}"
        else:
            scores = f"{_percent(lowest)} to {_percent(upper - Decimal('0.1'))}"
        results = [
            residual_rating(risk=risk, tier=Tier.B, score=lowest).rating for _, risk in _STARTS
        ]
        rows.append({"scores": scores, "effect": _steps_text(steps), "results": results})
        upper = lowest
    return rows


def _example_score() -> Score:
    """A four-question assessment scored by the real rules."""
    asked = (
        ("Has a written modern slavery policy", 3, 4),
        ("Puts its supplier code into contracts", 2, 2),
        ("Makes sure workers pay no recruitment fees", 5, 0),
        ("Checks labour agencies it uses on site", 4, None),
    )
    questions = []
    for number, (text, weight, _score) in enumerate(asked, start=1):
        options = (
            Option("best", "Yes", BEST_SCORE),
            Option("partly", "Partly", 2, "Do more"),
            Option("no", "No", 0, "Start"),
            Option("not-applicable", "Not applicable", None),
        )
        questions.append(Question(f"q{number}", text, weight, options))
    definition = Definition(
        "standard", 1, "Example", False, False, "Example", (Section("s", "S", tuple(questions)),)
    )
    chosen = {None: "not-applicable", BEST_SCORE: "best", 2: "partly", 0: "no"}
    answers = {q.key: chosen[score] for q, (_, _, score) in zip(questions, asked, strict=True)}
    return score_answers(definition, answers)


@dataclass(frozen=True)
class RatingExample:
    """A supplier in words, with the rating the rules give it."""

    supplier: str
    risk: RiskLevel
    spend: Decimal
    tier: Tier
    score: Decimal | None
    critical: tuple[str, ...]
    result: RatingResult


def _example(
    supplier: str,
    risk: RiskLevel,
    spend: str,
    score: str | None,
    critical: tuple[str, ...] = (),
) -> RatingExample:
    amount = Decimal(spend)
    tier = priority_tier(risk=risk, over_threshold=is_over_threshold(amount, DEFAULT_THRESHOLD))
    value = Decimal(score) if score is not None else None
    result = residual_rating(risk=risk, tier=tier, score=value, critical=critical)
    return RatingExample(supplier, risk, amount, tier, value, critical, result)


def ratings_context() -> dict[str, Any]:
    """What the "How ratings work" page shows, each figure worked out by the rules."""
    managed = {
        m.partnership.id: m.partnership
        for m in current_user.memberships
        if m.partnership is not None
        and Permission.MANAGE_QUESTIONNAIRE
        in permissions_from(roles_in_partnership(current_user, m.partnership))
    }
    return {
        "partnerships": list(managed.values()),
        "threshold": DEFAULT_THRESHOLD,
        "tiers": [
            (risk_label, [priority_tier(risk=risk, over_threshold=o) for o in (True, False)])
            for risk_label, risk in _STARTS
        ],
        "actions": list(Tier),
        "best": BEST_SCORE,
        "bands": _bands(),
        "starts": [
            f"{label} (starts {starting_rating(risk).label.lower()})" for label, risk in _STARTS
        ],
        "score": _example_score(),
        "examples": [
            _example("A cleaning contractor", RiskLevel.HIGH, "120000.00", "82.5"),
            _example(
                "A hotel group",
                RiskLevel.MEDIUM,
                "65000.00",
                "72.0",
                ("Workers' passports are kept by the employer",),
            ),
            _example("A security firm", RiskLevel.HIGH, "50000.01", None),
        ],
    }
