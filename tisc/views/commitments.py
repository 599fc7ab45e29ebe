"""A partnership's joint commitments, which every body's action plan answers: the list for
everyone in the partnership, and edits by its coordinators."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from tisc.forms.plans import CommitmentForm
from tisc.rules.authz import Permission, permissions_from
from tisc.rules.kpis import KPIS, target_text
from tisc.services.plans import commitments
from tisc.web.access import partnership_access
from tisc.web.saving import expected_version, saving

bp = Blueprint("commitments", __name__, url_prefix="/partnerships/<partnership_slug>/commitments")


@bp.get("")
@partnership_access(Permission.READ_PARTNERSHIP)
def index(partnership_slug: str) -> str:
    """The partnership's commitments in order, with the KPI that measures each."""
    return render_template(
        "commitments/index.html",
        title=f"Joint commitments – {g.partnership.name}",
        partnership=g.partnership,
        commitments=commitments.list_commitments(partnership=g.partnership),
        kpi_labels={k.key: k.label for k in KPIS},
        target_text=target_text,
        can_edit=Permission.EDIT_JOINT in permissions_from(g.partnership_roles),
    )


@bp.route("/<int:commitment_id>/edit", methods=["GET", "POST"])
@partnership_access(Permission.EDIT_JOINT)
def edit(partnership_slug: str, commitment_id: int) -> str | Response:
    """Change a commitment's words, its KPI, or whether new plans include it."""
    commitment = commitments.get_commitment(partnership=g.partnership, commitment_id=commitment_id)
    form = CommitmentForm(obj=commitment)
    if not form.is_submitted():
        form.version.data = str(commitment.version_id)
        form.kpi_key.data = commitment.kpi_key or ""
        form.target.data = (
            target_text(commitment.target_percent).rstrip("%")
            if commitment.target_percent is not None
            else ""
        )
    if form.validate_on_submit():
        with saving(form, field="title", catch_up=commitment) as saved:
            commitments.update_commitment(
                commitment=commitment,
                expected_version=expected_version(form),
                title=form.title.data,
                description=form.description.data,
                default_action=form.default_action.data,
                kpi_key=form.kpi_key.data or None,
                active=bool(form.active.data),
                target=form.target.data,
            )
        if saved:
            flash("The commitment has been saved. Plans started from now on use it.", "success")
            return redirect(url_for("commitments.index", partnership_slug=g.partnership.slug))
    return render_template(
        "commitments/form.html",
        title="Change a joint commitment",
        form=form,
        partnership=g.partnership,
    )
