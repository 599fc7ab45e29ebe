"""Organisations and partnerships: finding, listing, creating and editing them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import Organisation, OrganisationKind, Partnership
from tisc.rules.names import WEB_ADDRESS_NAME_LENGTH, web_address_name
from tisc.rules.statement_wording import StatementBasis
from tisc.services.assessments.questionnaires import install_default_questionnaires
from tisc.services.errors import ConflictError, DuplicateError, NotFoundError, ValidationError
from tisc.services.plans.commitments import install_default_commitments
from tisc.services.register.categories import install_default_categories
from tisc.services.statements.records import cover_new_members

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_slug(slug: str | None, name: str) -> str:
    """The web address name given, or when none is given, the one made from the name."""
    slug = (slug or "").strip() or web_address_name(name)
    if not slug:
        raise ValidationError(
            "Enter a web address name, using lowercase letters, numbers and hyphens",
            field="slug",
        )
    if not SLUG.match(slug) or len(slug) > WEB_ADDRESS_NAME_LENGTH:
        raise ValidationError(
            "Web address name must be lowercase letters, numbers and single hyphens, "
            "like west-yorkshire-police",
            field="slug",
        )
    return slug


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter the name", field="name")
    if len(name) > 200:
        raise ValidationError("Name must be 200 characters or fewer", field="name")
    return name


def find_organisation(*, slug: str) -> Organisation | None:
    """The organisation with this slug, or None."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def get_organisation(*, slug: str) -> Organisation:
    """The organisation with this slug; NotFoundError when there is none."""
    org = find_organisation(slug=slug)
    if org is None:
        raise NotFoundError(f"There is no organisation with the web address name {slug!r}")
    return org


def find_partnership(*, slug: str) -> Partnership | None:
    """The partnership with this slug, or None."""
    return db.session.scalar(select(Partnership).where(Partnership.slug == slug))


def get_partnership(*, slug: str) -> Partnership:
    """The partnership with this slug; NotFoundError when there is none."""
    partnership = find_partnership(slug=slug)
    if partnership is None:
        raise NotFoundError(f"There is no partnership with the web address name {slug!r}")
    return partnership


def list_organisations() -> Sequence[Organisation]:
    """Every organisation, by name."""
    return db.session.scalars(select(Organisation).order_by(Organisation.name)).all()


def list_partnerships() -> Sequence[Partnership]:
    """Every partnership, by name."""
    return db.session.scalars(select(Partnership).order_by(Partnership.name)).all()


def count_organisations() -> int:
    """How many organisations exist."""
    return db.session.scalar(select(func.count()).select_from(Organisation)) or 0


def create_partnership(
    *, slug: str | None, name: str, description: str | None = None
) -> Partnership:
    """Create a partnership; with no slug (web address name), one is made from the name.
    DuplicateError if the slug is taken."""
    name = _check_name(name)
    slug = _check_slug(slug, name)
    if find_partnership(slug=slug) is not None:
        raise DuplicateError(
            f"A partnership with the web address name {slug!r} already exists: "
            "enter a different web address name",
            field="slug",
        )
    partnership = Partnership(slug=slug, name=name, description=description or None)
    db.session.add(partnership)
    db.session.flush()
    install_default_categories(partnership=partnership)
    install_default_questionnaires(partnership=partnership)
    install_default_commitments(partnership=partnership)
    return partnership


def create_organisation(
    *,
    slug: str | None,
    name: str,
    kind: OrganisationKind | str,
    partnership: Partnership | None = None,
    region: str | None = None,
    senior_lead_name: str | None = None,
    senior_lead_title: str | None = None,
    website: str | None = None,
    address: str | None = None,
) -> Organisation:
    """Create an organisation, optionally as a member of a partnership; with no slug (web
    address name), one is made from the name."""
    name = _check_name(name)
    slug = _check_slug(slug, name)
    try:
        kind = OrganisationKind(kind)
    except ValueError:
        raise ValidationError("Kind must be force, commissioner or other", field="kind") from None
    if find_organisation(slug=slug) is not None:
        raise DuplicateError(
            f"An organisation with the web address name {slug!r} already exists: "
            "enter a different web address name",
            field="slug",
        )
    org = Organisation(
        slug=slug,
        name=name,
        kind=kind,
        region=region or None,
        senior_lead_name=senior_lead_name or None,
        senior_lead_title=senior_lead_title or None,
        website=website or None,
        address=address or None,
    )
    if partnership is not None:
        org.partnerships.append(partnership)
    db.session.add(org)
    db.session.flush()
    if partnership is not None:
        cover_new_members(partnership=partnership)  # its draft joint statements cover it too
    return org


EDITABLE_ORGANISATION_FIELDS = (
    "name",
    "kind",
    "region",
    "senior_lead_name",
    "senior_lead_title",
    "website",
    "address",
)


def update_organisation(*, org: Organisation, expected_version: int, **changes: object) -> None:
    """Change an organisation's details; ConflictError if it changed since the form loaded."""
    if org.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this organisation while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    unknown = set(changes) - set(EDITABLE_ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        changes["name"] = _check_name(str(changes["name"]))
    if "kind" in changes:
        changes["kind"] = OrganisationKind(str(changes["kind"]))
    for field, value in changes.items():
        setattr(org, field, value if value != "" else None)
    db.session.flush()


def organisations_by_slugs(*, slugs: Sequence[str]) -> list[Organisation]:
    """The organisations with these slugs; NotFoundError naming any that do not exist."""
    found = db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs))).all()
    missing = set(slugs) - {o.slug for o in found}
    if missing:
        raise NotFoundError(
            f"There is no organisation with the web address name {', '.join(sorted(missing))}"
        )
    return list(found)


def update_partnership(
    *,
    partnership: Partnership,
    expected_version: int,
    name: str,
    description: str | None,
    members: Sequence[Organisation],
    statement_basis: StatementBasis | str | None = None,
) -> None:
    """Change a partnership's name, description, members and (when given) the basis its
    statements are made on."""
    if partnership.version_id != expected_version:
        raise ConflictError(
            "Someone else changed this partnership while you were editing. "
            "Your changes were not saved: check the details below and try again."
        )
    partnership.name = _check_name(name)
    partnership.description = description or None
    if statement_basis is not None:
        try:
            partnership.statement_basis = StatementBasis(statement_basis)
        except ValueError:
            raise ValidationError(
                "Choose whether the statements are voluntary or required by section 54",
                field="statement_basis",
            ) from None
    partnership.organisations = list(members)
    db.session.flush()
    cover_new_members(partnership=partnership)  # draft joint statements cover new members too
