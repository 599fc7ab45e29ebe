"""A partnership's rules for automatic categories (words in suppliers' names, the reference list
of well-known suppliers): the rules in force, a new version edited as CSV, the versions kept,
downloading one and putting one back in force."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for

from tisc.forms.categories import RulesForm
from tisc.rules.authz import Permission
from tisc.rules.rule_files import MAX_BYTES, RuleKind
from tisc.services.errors import DomainError, NotFoundError
from tisc.services.register import category_rules
from tisc.web.access import partnership_access, signed_in_user
from tisc.web.downloads import download
from tisc.web.saving import confirmed, expected_version, saving

bp = Blueprint("category_rules", __name__)

RULES = "/partnerships/<partnership_slug>/categories/rules"
SHOWN_PROBLEMS = 20  # a pasted file can have hundreds: the first ones and a count of the rest


def _kind(slug: str) -> RuleKind:
    kind = RuleKind.from_slug(slug)
    if kind is None:
        abort(404)
    return kind


@bp.get(RULES)
@partnership_access(Permission.MANAGE_CATEGORIES)
def index(partnership_slug: str) -> str:
    """The two kinds of rules, with the version of each in force."""
    return render_template(
        "category_rules/index.html",
        title="Rules for automatic categories",
        partnership=g.partnership,
        in_force=[
            category_rules.rules_in_force(partnership=g.partnership, kind=kind) for kind in RuleKind
        ],
    )


def _changed(result: category_rules.RulesSaved) -> str:
    count = result.suppliers_changed
    return f"{count:,} {'supplier' if count == 1 else 'suppliers'} changed category."


def _show_problems(form: RulesForm, error: DomainError) -> None:
    problems = getattr(error, "problems", [error.message])
    more = len(problems) - SHOWN_PROBLEMS
    shown = problems[:SHOWN_PROBLEMS] + ([f"And {more:,} more problems"] if more > 0 else [])
    field = getattr(form, error.field or "text", form.text)
    field.errors = [*field.errors, *shown]
    form._errors = None  # WTForms caches form.errors; recompute with these messages


@bp.route(RULES + "/<kind_slug>", methods=["GET", "POST"])
@partnership_access(Permission.MANAGE_CATEGORIES)
def rules(partnership_slug: str, kind_slug: str) -> tuple[str, int] | Response:
    """The rules of a kind in force, a form to save a new version, and the versions kept."""
    kind = _kind(kind_slug)
    in_force = category_rules.rules_in_force(partnership=g.partnership, kind=kind)
    form = RulesForm()
    if not form.is_submitted():
        form.text.data = in_force.text
        form.version.data = str(in_force.version.number)
    status = 200
    if form.validate_on_submit():
        with saving(form, show=lambda error: _show_problems(form, error)) as saved:
            result = category_rules.save_rules(
                partnership=g.partnership,
                kind=kind,
                user=signed_in_user(),
                text=form.text.data,
                note=form.note.data,
                based_on=expected_version(form),
            )
        if saved:
            flash(
                f"Version {result.number} of these rules is in force. {_changed(result)}",
                "success",
            )
            return redirect(
                url_for(".rules", partnership_slug=partnership_slug, kind_slug=kind_slug)
            )
        # Sending again saves over the version now in force, which the page shows.
        in_force = category_rules.rules_in_force(partnership=g.partnership, kind=kind)
        form.version.data = str(in_force.version.number)
    if form.errors:
        status = 400
    return (
        render_template(
            "category_rules/rules.html",
            title=kind.spec.title,
            partnership=g.partnership,
            kind=kind,
            in_force=in_force,
            versions=category_rules.list_versions(partnership=g.partnership, kind=kind),
            form=form,
            max_kb=MAX_BYTES // 1000,
        ),
        status,
    )


@bp.get(RULES + "/<kind_slug>/versions/<int:number>/download")
@partnership_access(Permission.MANAGE_CATEGORIES)
def download_version(partnership_slug: str, kind_slug: str, number: int) -> Response:
    """One version's CSV, as it was saved."""
    kind = _kind(kind_slug)
    text = category_rules.version_text(partnership=g.partnership, kind=kind, number=number)
    stem = kind.spec.file_name.removesuffix(".csv")
    return download(text, f"{g.partnership.slug}-{stem}-version-{number}.csv")


def _flash_refusal(number: int) -> Callable[[DomainError], None]:
    def show(error: DomainError) -> None:
        problems = getattr(error, "problems", None)
        if not problems:
            flash({"text": error.message, "href": "#versions-caption"}, "error-summary")
            return
        more = f" (and {len(problems) - 1:,} more problems)" if len(problems) > 1 else ""
        text = (
            f"Version {number} cannot be put back in force: {problems[0]}{more}. "
            "Edit the rules instead."
        )
        flash({"text": text, "href": "#text"}, "error-summary")

    return show


@bp.route(RULES + "/<kind_slug>/versions/<int:number>/restore", methods=["GET", "POST"])
@partnership_access(Permission.MANAGE_CATEGORIES)
def restore(partnership_slug: str, kind_slug: str, number: int) -> str | Response:
    """Put an earlier version back in force, once confirmed (the GET asks first)."""
    kind = _kind(kind_slug)
    back = url_for(".rules", partnership_slug=partnership_slug, kind_slug=kind_slug)
    if not confirmed():
        category_rules.version_text(partnership=g.partnership, kind=kind, number=number)
        return render_template(
            "category_rules/restore_confirm.html",
            title=f"Are you sure you want to put version {number} back in force?",
            partnership=g.partnership,
            kind=kind,
            number=number,
            shipped=number == category_rules.SHIPPED_NUMBER,
            back_url=back,
        )
    with saving(show=_flash_refusal(number), passes=(NotFoundError,)) as saved:
        result = category_rules.restore_version(
            partnership=g.partnership, kind=kind, user=signed_in_user(), number=number
        )
    if saved:
        flash(
            f"Version {number} is back in force as version {result.number}. {_changed(result)}",
            "success",
        )
    return redirect(back)
