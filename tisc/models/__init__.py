"""All models, imported here so that Alembic and the app see one metadata."""

from tisc.models.assessments import (
    AssessmentAnswer,
    AssessmentSource,
    AssessmentStatus,
    Invitation,
    Questionnaire,
    SupplierAssessment,
)
from tisc.models.audit import AuditEvent
from tisc.models.base import Base
from tisc.models.categories import Category, CategoryChange, CategoryMapping, SpendThreshold
from tisc.models.due_diligence import ContractReview, DueDiligence, SubSupplier
from tisc.models.imports import (
    ImportMapping,
    ImportStatus,
    PendingUpload,
    PersonalPayee,
    SpendImport,
)
from tisc.models.organisations import Organisation, OrganisationKind, Partnership
from tisc.models.plans import (
    ActionPlan,
    Audience,
    Commitment,
    ItemStatus,
    PlanItem,
    ProgressUpdate,
    Rag,
    TrainingRecord,
)
from tisc.models.statements import (
    Statement,
    StatementBody,
    StatementDocument,
    StatementRisk,
    StatementSection,
    StatementState,
    StatementTemplate,
)
from tisc.models.suppliers import (
    CategorySource,
    Contract,
    SpendLine,
    Supplier,
    SupplierEvent,
    SupplierYear,
)
from tisc.models.users import (
    KnownSignInAddress,
    LoginAddressThrottle,
    LoginThrottle,
    Membership,
    PasswordLink,
    Role,
    User,
)

__all__ = [
    "ActionPlan",
    "AssessmentAnswer",
    "AssessmentSource",
    "AssessmentStatus",
    "Audience",
    "AuditEvent",
    "Base",
    "Category",
    "CategoryChange",
    "CategoryMapping",
    "CategorySource",
    "Commitment",
    "Contract",
    "ContractReview",
    "DueDiligence",
    "ImportMapping",
    "ImportStatus",
    "Invitation",
    "ItemStatus",
    "KnownSignInAddress",
    "LoginAddressThrottle",
    "LoginThrottle",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Partnership",
    "PasswordLink",
    "PendingUpload",
    "PersonalPayee",
    "PlanItem",
    "ProgressUpdate",
    "Questionnaire",
    "Rag",
    "Role",
    "SpendImport",
    "SpendLine",
    "SpendThreshold",
    "Statement",
    "StatementBody",
    "StatementDocument",
    "StatementRisk",
    "StatementSection",
    "StatementState",
    "StatementTemplate",
    "SubSupplier",
    "Supplier",
    "SupplierAssessment",
    "SupplierEvent",
    "SupplierYear",
    "TrainingRecord",
    "User",
]
