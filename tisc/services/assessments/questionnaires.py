"""Questionnaire versions: the defaults from suppliers/questionnaires, and publishing new ones."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from tisc.config import ROOT
from tisc.database import db
from tisc.models import Partnership, Questionnaire, User
from tisc.rules.questionnaire import KEYS, QuestionnaireError, cached_definition
from tisc.services.errors import NotFoundError, ValidationError

DEFAULTS = ROOT / "suppliers" / "questionnaires"


def _latest_version(partnership: Partnership, key: str) -> int:
    return (
        db.session.scalar(
            select(func.max(Questionnaire.version)).where(
                Questionnaire.partnership_id == partnership.id, Questionnaire.key == key
            )
        )
        or 0
    )


def publish_questionnaire(
    *, partnership: Partnership, source: str, user: User | None
) -> Questionnaire:
    """Check a definition and publish it as the partnership's newest version of its form.

    Assessments already started keep the version they began with.
    """
    try:
        # The same text always reads the same (the defaults are published for every new
        # partnership), so it is read once per process.
        definition = cached_definition(source)
    except QuestionnaireError as error:
        raise ValidationError(str(error), field="file") from None
    latest = _latest_version(partnership, definition.key)
    if definition.version <= latest:
        raise ValidationError(
            f"Version {latest} of the {definition.key} form is already published: "
            f"give this one version = {latest + 1} or higher",
            field="file",
        )
    questionnaire = Questionnaire(
        partnership_id=partnership.id,
        key=definition.key,
        version=definition.version,
        title=definition.title,
        short_form=definition.short_form,
        source=source,
        published_by_id=user.id if user else None,
    )
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire


def install_default_questionnaires(*, partnership: Partnership) -> list[Questionnaire]:
    """Publish the files in suppliers/questionnaires that the partnership does not have yet."""
    installed = []
    for key in KEYS:
        source = (DEFAULTS / f"{key}.toml").read_text(encoding="utf-8")
        if cached_definition(source).version > _latest_version(partnership, key):
            installed.append(
                publish_questionnaire(partnership=partnership, source=source, user=None)
            )
    return installed


def current_questionnaires(*, partnership: Partnership) -> dict[str, Questionnaire]:
    """The newest version of each form, by key ("standard", "short")."""
    newest = (
        select(Questionnaire.key, func.max(Questionnaire.version).label("version"))
        .where(Questionnaire.partnership_id == partnership.id)
        .group_by(Questionnaire.key)
        .subquery()
    )
    rows = db.session.scalars(
        select(Questionnaire)
        .join(
            newest,
            (Questionnaire.key == newest.c.key) & (Questionnaire.version == newest.c.version),
        )
        .where(Questionnaire.partnership_id == partnership.id)
    ).all()
    return {q.key: q for q in sorted(rows, key=lambda q: KEYS.index(q.key))}


def current_questionnaire(*, partnership: Partnership, key: str) -> Questionnaire:
    """The newest version of one form; NotFoundError when the partnership has none."""
    questionnaire = current_questionnaires(partnership=partnership).get(key)
    if questionnaire is None:
        raise NotFoundError("There is no such questionnaire")
    return questionnaire


def questionnaire_versions(*, partnership: Partnership) -> Sequence[Questionnaire]:
    """Every published version, newest first within each form."""
    return db.session.scalars(
        select(Questionnaire)
        .where(Questionnaire.partnership_id == partnership.id)
        .order_by(Questionnaire.key.desc(), Questionnaire.version.desc())
    ).all()


def get_questionnaire(*, partnership: Partnership, questionnaire_id: int) -> Questionnaire:
    """One version of the partnership's questionnaire; NotFoundError for another's."""
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None or questionnaire.partnership_id != partnership.id:
        raise NotFoundError("There is no such questionnaire")
    return questionnaire
