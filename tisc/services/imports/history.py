"""A body's imports after the fact: the list, one import, an earlier import of the same file,
and undoing one (with what undoing it would remove, for its confirmation page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Select, delete, exists, func, select

from tisc.database import db
from tisc.models import ImportStatus, Organisation, SpendImport, SpendLine, Supplier, User
from tisc.services.audit import chain as audit
from tisc.services.errors import NotFoundError, ValidationError
from tisc.services.register import spend_lines
from tisc.services.register.merge import KEPT_RECORDS


@dataclass(frozen=True)
class UndoPreview:
    """What undoing an import would take out of the register."""

    payments: int
    total: Decimal
    suppliers_removed: int  # brought in by this import alone, with nothing recorded about them
    suppliers_kept: int  # brought in by it, but kept: other payments or records about them


def _suppliers_going_with(record: SpendImport, *, other_lines_only: bool) -> Select:
    # A supplier this import brought in goes with it only while nobody has recorded anything
    # about it (a contract, an assessment, due diligence...) and no other import pays it.
    lines = exists().where(SpendLine.supplier_id == Supplier.id)
    if other_lines_only:  # before the undo: this import's own lines are still there
        lines = lines.where(SpendLine.import_id.is_distinct_from(record.id))
    return select(Supplier.id).where(
        Supplier.created_by_import_id == record.id,
        ~lines,
        *(~exists().where(model.supplier_id == Supplier.id) for model in KEPT_RECORDS),
    )


def undo_preview(*, org: Organisation, record: SpendImport) -> UndoPreview:
    """The payments (and their total) and suppliers that undoing the import would remove."""
    payments, total = db.session.execute(
        select(func.count(), func.sum(SpendLine.amount)).where(
            SpendLine.organisation_id == org.id, SpendLine.import_id == record.id
        )
    ).one()
    brought_in = (
        db.session.scalar(
            select(func.count())
            .select_from(Supplier)
            .where(Supplier.created_by_import_id == record.id)
        )
        or 0
    )
    removed = (
        db.session.scalar(
            select(func.count()).select_from(
                _suppliers_going_with(record, other_lines_only=True).subquery()
            )
        )
        or 0
    )
    return UndoPreview(payments, total or Decimal("0.00"), removed, brought_in - removed)


def list_imports(*, org: Organisation) -> Sequence[SpendImport]:
    """The body's imports, newest first."""
    return db.session.scalars(
        select(SpendImport)
        .where(SpendImport.organisation_id == org.id)
        .order_by(SpendImport.created_at.desc(), SpendImport.id.desc())
    ).all()


def get_import(*, org: Organisation, import_id: int) -> SpendImport:
    """One of the body's imports; NotFoundError for another body's."""
    record = db.session.get(SpendImport, import_id)
    if record is None or record.organisation_id != org.id:
        raise NotFoundError("There is no such import")
    return record


def previous_import_of(*, org: Organisation, checksum: str) -> SpendImport | None:
    """The body's earlier, still-standing import of an identical file."""
    return db.session.scalar(
        select(SpendImport)
        .where(
            SpendImport.organisation_id == org.id,
            SpendImport.checksum == checksum,
            SpendImport.status == ImportStatus.COMPLETED,
        )
        .order_by(SpendImport.id.desc())
    )


def undo_import(*, org: Organisation, record: SpendImport, user: User | None) -> int:
    """Take an import's lines out of the register, and the suppliers it alone brought in.

    Returns how many spend lines were removed.
    """
    if record.status is ImportStatus.UNDONE:
        raise ValidationError("This import has already been undone")
    years = db.session.scalars(
        select(SpendLine.financial_year).where(SpendLine.import_id == record.id).distinct()
    ).all()
    removed = db.session.execute(delete(SpendLine).where(SpendLine.import_id == record.id)).rowcount
    orphans = _suppliers_going_with(record, other_lines_only=False)
    removed_ids = db.session.scalars(
        delete(Supplier).where(Supplier.id.in_(orphans)).returning(Supplier.id)
    ).all()
    suppliers_removed = len(removed_ids)
    spend_lines.refresh_years(organisation_id=org.id, years=years)
    record.status = ImportStatus.UNDONE
    record.undone_at = datetime.now(UTC)
    record.undone_by_id = user.id if user else None
    db.session.flush()
    audit.record_event(
        action="undo",
        record_type=SpendImport.__tablename__,
        record_id=record.id,
        organisation_id=org.id,
        summary=(
            f'Undid the import of "{record.file_name}": removed {removed:,} spend lines '
            f"and {suppliers_removed:,} suppliers it alone brought in"
        ),
        before={"status": ImportStatus.COMPLETED},
        after={
            "status": record.status,
            "spend_lines_removed": removed,
            "suppliers_removed": suppliers_removed,
            "supplier_ids_removed": sorted(removed_ids),
        },
    )
    return removed
