"""Which records the audit trail follows, what each is called, and where its body comes from."""

from __future__ import annotations

from dataclasses import dataclass

from tisc.models import (
    ActionPlan,
    AssessmentAnswer,
    BoardPack,
    Category,
    CategoryMapping,
    CategoryRuleSet,
    Commitment,
    ConnectedParty,
    Contract,
    ContractKpi,
    ContractRating,
    ContractReview,
    DebarmentImport,
    DueDiligence,
    ExclusionDecision,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    PersonalPayee,
    PlanItem,
    Ppn009Assessment,
    Procurement,
    ProgressUpdate,
    Questionnaire,
    SpendThreshold,
    Statement,
    StatementBody,
    StatementDocument,
    StatementFigureKeep,
    StatementRisk,
    StatementSection,
    StatementTemplate,
    StrtFile,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    TrainingRecord,
    User,
)


@dataclass(frozen=True)
class Audited:
    """How one model is audited."""

    label: str  # what a record is called in summaries: "supplier", "plan item"
    # Where the body comes from when the record has no organisation_id/partnership_id of its
    # own (or only one of them): (column holding the parent's id, parent model).
    parent: tuple[str, type] | None = None
    # Columns left out of the trail: derived, or noise on every sign-in.
    ignore: frozenset[str] = frozenset()
    # Many-to-many collections recorded as lists of ids.
    collections: tuple[str, ...] = ()
    # Rows that only make sense with their parent (an assessment's answers): the changes of a
    # flush become one event on the parent, keyed by this column, instead of one per row.
    fold_by: str | None = None


LOGIN_BOOKKEEPING = frozenset(
    {"failed_login_count", "locked_until", "last_login_at", "session_version"}
)

# Not audited, on purpose: spend lines and annual totals (bulk, summarised by the import
# event), supplier history and category change notes (themselves histories), uploads waiting
# for their mapping, a body's remembered column mapping (in the import event), sign-in
# throttles and known sign-in addresses, one-time password links (the password they set is
# the user's change), and the spend import record itself (audit.record_event "import" and "undo").
AUDITED: dict[type, Audited] = {
    Partnership: Audited("partnership"),
    Organisation: Audited("organisation", collections=("partnerships",)),
    User: Audited("user", ignore=LOGIN_BOOKKEEPING),
    Membership: Audited("membership"),
    Supplier: Audited("supplier", ignore=frozenset({"normalised_name"})),
    Contract: Audited("contract"),
    ContractKpi: Audited("contract KPI", parent=("contract_id", Contract)),
    ContractRating: Audited("contract rating", parent=("contract_id", Contract)),
    Procurement: Audited("procurement"),
    Ppn009Assessment: Audited("PPN 009 risk assessment", parent=("procurement_id", Procurement)),
    PersonalPayee: Audited("private individual", ignore=frozenset({"normalised_name"})),
    Category: Audited("category"),
    CategoryMapping: Audited("finance category mapping", ignore=frozenset({"text_key"})),
    SpendThreshold: Audited("spend threshold"),
    # A version's text can be long: its size and SHA-256 say which text it was (the version
    # itself is kept, never changed, and can be downloaded).
    CategoryRuleSet: Audited("rules for automatic categories", ignore=frozenset({"text"})),
    Commitment: Audited("joint commitment"),
    Questionnaire: Audited("questionnaire"),
    SupplierAssessment: Audited("assessment"),
    AssessmentAnswer: Audited(
        "answer", parent=("assessment_id", SupplierAssessment), fold_by="question_key"
    ),
    Invitation: Audited("invitation"),
    DueDiligence: Audited("due diligence record"),
    SubSupplier: Audited("beyond-Tier-1 supplier"),
    ContractReview: Audited("contract review"),
    ActionPlan: Audited("action plan"),
    PlanItem: Audited("plan item"),
    ProgressUpdate: Audited("progress update", parent=("item_id", PlanItem)),
    TrainingRecord: Audited("training record"),
    Statement: Audited("statement"),
    StatementBody: Audited("statement body", parent=("statement_id", Statement)),
    StatementSection: Audited("statement section", parent=("statement_id", Statement)),
    StatementRisk: Audited("statement risk", parent=("statement_id", Statement)),
    StatementDocument: Audited("statement document", parent=("statement_id", Statement)),
    StatementTemplate: Audited("statement template"),
    # The file's bytes stay out of the trail: its name and SHA-256 say which file it was.
    StrtFile: Audited("STRT file", ignore=frozenset({"data"})),
    StatementFigureKeep: Audited("kept statement words", parent=("statement_id", Statement)),
    # The figures are a snapshot of what the pack showed: the trail says that one was kept.
    BoardPack: Audited("board pack", ignore=frozenset({"figures"})),
    # The list's entries are many and never edited: the import's file name and count say
    # which list it was (the entries are kept with it).
    DebarmentImport: Audited("debarment list import"),
    ExclusionDecision: Audited("exclusion decision"),
    ConnectedParty: Audited("connected person or subcontractor"),
}
RECORD_LABELS = {model.__tablename__: spec.label for model, spec in AUDITED.items()}
RECORD_LABELS["spend_imports"] = "spend import"  # recorded by explicit events
# What names a record in a summary, first one present wins.
NAME_ATTRIBUTES = (
    "name",
    "title",
    "email",
    "course",
    "file_name",
    "question_key",
    "category_text",
    "key",
    "role",
    "description",
    "note",
)
