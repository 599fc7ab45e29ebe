"""All models, imported here so that Alembic and the app see one metadata."""

from tisc.models.base import Base
from tisc.models.categories import Category, CategoryChange, CategoryMapping, SpendThreshold
from tisc.models.imports import (
    ImportMapping,
    ImportStatus,
    PendingUpload,
    PersonalPayee,
    SpendImport,
)
from tisc.models.organisations import Organisation, OrganisationKind, Partnership
from tisc.models.suppliers import (
    CategorySource,
    Contract,
    SpendLine,
    Supplier,
    SupplierEvent,
    SupplierYear,
)
from tisc.models.users import LoginThrottle, Membership, Role, User

__all__ = [
    "Base",
    "Category",
    "CategoryChange",
    "CategoryMapping",
    "CategorySource",
    "Contract",
    "ImportMapping",
    "ImportStatus",
    "LoginThrottle",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Partnership",
    "PendingUpload",
    "PersonalPayee",
    "Role",
    "SpendImport",
    "SpendLine",
    "SpendThreshold",
    "Supplier",
    "SupplierEvent",
    "SupplierYear",
    "User",
]
