"""Administration: organisations, partnerships, users and their roles."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from tisc.forms import choices
from tisc.forms.admin import (
    AddMembershipForm,
    EditUserForm,
    NewUserForm,
    OrganisationForm,
    PartnershipForm,
    PasswordLinkForm,
)
from tisc.models import Organisation, Partnership, PasswordLink, User
from tisc.rules.authz import permissions_lost
from tisc.services.accounts import organisations as org_service
from tisc.services.accounts import password_links
from tisc.services.accounts import users as user_service
from tisc.services.errors import NotFoundError
from tisc.web.access import admin_only
from tisc.web.links import full_url
from tisc.web.saving import confirmed, expected_version, saving

bp = Blueprint("admin", __name__, url_prefix="/admin")

ORG_FIELDS = ("region", "senior_lead_name", "senior_lead_title", "website", "address")


def _scope_choices() -> list[SelectChoice]:
    pairs = [("", "None (administrators only)")]
    pairs += [(f"partnership:{p.slug}", p.name) for p in org_service.list_partnerships()]
    pairs += [(f"organisation:{o.slug}", o.name) for o in org_service.list_organisations()]
    return choices(pairs)


def _resolve_scope(value: str | None) -> tuple[Organisation | None, Partnership | None]:
    kind, _, slug = (value or "").partition(":")
    if kind == "organisation":
        return org_service.get_organisation(slug=slug), None
    if kind == "partnership":
        return None, org_service.get_partnership(slug=slug)
    return None, None


@bp.get("/")
@admin_only
def index() -> str:
    """What administrators can manage."""
    partnerships = org_service.list_partnerships()
    return render_template(
        "admin/index.html",
        title="Administration",
        organisation_count=org_service.count_organisations(),
        partnership_count=len(partnerships),
        partnerships=partnerships,
        user_count=user_service.count_users(),
    )


# --- organisations --------------------------------------------------------------------------


@bp.get("/organisations")
@admin_only
def organisations() -> str:
    """Every organisation."""
    return render_template(
        "admin/organisations.html",
        title="Organisations",
        organisations=org_service.list_organisations(),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@admin_only
def new_organisation() -> str | Response:
    """Add an organisation."""
    form = OrganisationForm()
    form.partnership.choices = choices(
        [("", "None"), *((p.slug, p.name) for p in org_service.list_partnerships())]
    )
    if form.validate_on_submit():
        with saving(form, field="slug") as saved:
            partnership = (
                org_service.get_partnership(slug=form.partnership.data)
                if form.partnership.data
                else None
            )
            org = org_service.create_organisation(
                slug=form.slug.data,
                name=form.name.data,
                kind=form.kind.data,
                partnership=partnership,
                **{field: getattr(form, field).data for field in ORG_FIELDS},
            )
        if saved:
            flash(f"{org.name} has been added", "success")
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/organisation_form.html", title="Add an organisation", form=form, org=None
    )


@bp.route("/organisations/<org_slug>/edit", methods=["GET", "POST"])
@admin_only
def edit_organisation(org_slug: str) -> str | Response:
    """Change an organisation's details (its slug stays, because addresses use it)."""
    org = org_service.get_organisation(slug=org_slug)
    form = OrganisationForm(obj=org)
    del form.partnership, form.slug  # the slug is in addresses, so it does not change
    if form.is_submitted() is False:
        form.version.data = str(org.version_id)
        form.kind.data = org.kind.value
    if form.validate_on_submit():
        with saving(form, field="name", catch_up=org) as saved:
            org_service.update_organisation(
                org=org,
                expected_version=expected_version(form),
                name=form.name.data,
                kind=form.kind.data,
                **{field: getattr(form, field).data for field in ORG_FIELDS},
            )
        if saved:
            flash(f"{org.name} has been saved", "success")
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/organisation_form.html", title=f"Edit {org.name}", form=form, org=org
    )


# --- partnerships ---------------------------------------------------------------------------


@bp.get("/partnerships")
@admin_only
def partnerships() -> str:
    """Every partnership."""
    return render_template(
        "admin/partnerships.html",
        title="Partnerships",
        partnerships=org_service.list_partnerships(),
    )


@bp.route("/partnerships/new", methods=["GET", "POST"])
@admin_only
def new_partnership() -> str | Response:
    """Add a partnership."""
    form = PartnershipForm()
    del form.members
    del form.statement_basis  # voluntary until the partnership says otherwise
    if form.validate_on_submit():
        with saving(form, field="slug") as saved:
            partnership = org_service.create_partnership(
                slug=form.slug.data, name=form.name.data, description=form.description.data
            )
        if saved:
            flash(f"{partnership.name} has been added: now choose its members", "success")
            return redirect(url_for("admin.edit_partnership", partnership_slug=partnership.slug))
    return render_template(
        "admin/partnership_form.html", title="Add a partnership", form=form, partnership=None
    )


@bp.route("/partnerships/<partnership_slug>/edit", methods=["GET", "POST"])
@admin_only
def edit_partnership(partnership_slug: str) -> str | Response:
    """Change a partnership's name, members and the kind of statement its bodies publish."""
    partnership = org_service.get_partnership(slug=partnership_slug)
    form = PartnershipForm(obj=partnership)
    del form.slug  # the slug is in addresses, so it does not change
    form.members.choices = choices((o.slug, o.name) for o in org_service.list_organisations())
    if not form.is_submitted():
        form.members.data = [o.slug for o in partnership.organisations]
        form.statement_basis.data = partnership.statement_basis.value
        form.version.data = str(partnership.version_id)
    if form.validate_on_submit():
        with saving(form, field="name") as saved:
            org_service.update_partnership(
                partnership=partnership,
                expected_version=expected_version(form),
                name=form.name.data,
                description=form.description.data,
                members=org_service.organisations_by_slugs(slugs=form.members.data or []),
                statement_basis=form.statement_basis.data or None,
            )
        if saved:
            flash(f"{partnership.name} has been saved", "success")
            return redirect(url_for("admin.partnerships"))
    return render_template(
        "admin/partnership_form.html",
        title=f"Edit {partnership.name}",
        form=form,
        partnership=partnership,
    )


# --- users ----------------------------------------------------------------------------------


@bp.get("/users")
@admin_only
def users() -> str:
    """Every user with their roles."""
    return render_template("admin/users.html", title="Users", users=user_service.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user() -> str | Response:
    """Add a person with their first role."""
    form = NewUserForm()
    form.scope.choices = _scope_choices()
    if form.validate_on_submit():
        with saving(form, field="scope") as saved:
            organisation, partnership = _resolve_scope(form.scope.data)
            user = user_service.create_user(
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                organisation=organisation,
                partnership=partnership,
            )
            link, token = password_links.issue_password_link(user=user)
        if saved:
            return _show_password_link(user, link, token, new=True)
    return render_template("admin/user_new.html", title="Add a user", form=form)


def _show_password_link(user: User, link: PasswordLink, token: str, *, new: bool) -> str | Response:
    """The one time a password link is shown: only its hash is kept. Sent by email too, when
    email is set up; the user and the link are kept whatever happens to the email."""
    address = full_url("auth.create_password", token=token)
    try:
        sent = password_links.send_password_link(
            user=user, link=address, expires_at=link.expires_at
        )
    except Exception:
        current_app.logger.exception("Sending the password link for user %s failed", user.id)
        flash("The email could not be sent: copy the link and send it yourself", "error")
        sent = False
    subject, body = password_links.password_link_message(
        user=user, link=address, expires_at=link.expires_at
    )
    return render_template(
        "admin/password_link.html",
        title=f"{user.name} has been added" if new else f"A new password link for {user.name}",
        user=user,
        link=address,
        expires_at=link.expires_at,
        sent=sent,
        subject=subject,
        body=body,
        new=new,
    )


def _user_page(
    user: User,
    form: EditUserForm | None = None,
    role_form: AddMembershipForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """A person's page with its three forms; a refused form keeps what was typed."""
    form = form or EditUserForm(obj=user, version=str(user.version_id), formdata=None)
    role_form = role_form or AddMembershipForm(formdata=None, prefix="role")
    role_form.scope.choices = _scope_choices()
    password_form = PasswordLinkForm(formdata=None, prefix="password")
    return (
        render_template(
            "admin/user.html",
            title=user.name,
            user=user,
            form=form,
            role_form=role_form,
            password_form=password_form,
        ),
        status,
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int) -> tuple[str, int] | Response:
    """A person's details and roles."""
    user = user_service.get_user(user_id=user_id)
    form = EditUserForm()
    if not form.is_submitted():
        return _user_page(user)
    if form.validate():
        with saving(form, field="name") as saved:
            user_service.update_user(
                user=user,
                expected_version=expected_version(form),
                name=form.name.data,
                active=form.active.data,
            )
        if saved:
            flash(f"{user.name} has been saved", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return _user_page(user_service.get_user(user_id=user_id), form=form, status=400)


@bp.post("/users/<int:user_id>/roles")
@admin_only
def add_membership(user_id: int) -> tuple[str, int] | Response:
    """Give a person another role."""
    user = user_service.get_user(user_id=user_id)
    role_form = AddMembershipForm(prefix="role")
    role_form.scope.choices = _scope_choices()
    if role_form.validate():
        with saving(role_form, field="scope") as saved:
            organisation, partnership = _resolve_scope(role_form.scope.data)
            user_service.add_membership(
                user=user,
                role=role_form.role.data,
                organisation=organisation,
                partnership=partnership,
            )
        if saved:
            flash("The role has been added", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return _user_page(user_service.get_user(user_id=user_id), role_form=role_form, status=400)


@bp.route("/users/<int:user_id>/roles/<int:membership_id>/remove", methods=["GET", "POST"])
@admin_only
def remove_membership(user_id: int, membership_id: int) -> str | Response:
    """Take a role away, once confirmed (the GET, or a POST without it, asks first)."""
    user = user_service.get_user(user_id=user_id)
    if not confirmed():
        membership = user_service.get_membership(user=user, membership_id=membership_id)
        return render_template(
            "admin/remove_role_confirm.html",
            title=(
                f"Are you sure you want to remove the {membership.role.label} role"
                f" from {user.name}?"
            ),
            user=user,
            membership=membership,
            lost=permissions_lost(user.memberships, membership),
            others=[m for m in user.memberships if m.id != membership.id],
        )
    with saving(passes=(NotFoundError,)) as saved:
        user_service.remove_membership(user=user, membership_id=membership_id)
    if saved:
        flash("The role has been removed", "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.post("/users/<int:user_id>/password-link")
@admin_only
def password_link(user_id: int) -> str | Response:
    """Send a person a new one-time link to set their password (their older links stop
    working); nobody but them ever types it."""
    user = user_service.get_user(user_id=user_id)
    with saving() as saved:
        link, token = password_links.issue_password_link(user=user)
    if not saved:
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _show_password_link(user, link, token, new=False)
