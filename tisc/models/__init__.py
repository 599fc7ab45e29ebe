"""All models, imported here so that Alembic and the app see one metadata."""

from tisc.models.base import Base
from tisc.models.organisations import Organisation, OrganisationKind, Partnership
from tisc.models.suppliers import SpendLine, Supplier
from tisc.models.users import LoginThrottle, Membership, Role, User

__all__ = [
    "Base",
    "LoginThrottle",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Partnership",
    "Role",
    "SpendLine",
    "Supplier",
    "User",
]
