"""Uploaded files waiting for their columns to be confirmed."""

from __future__ import annotations

from sqlalchemy import Select, delete, select

from tisc.database import db
from tisc.models import ImportJob, JobKind, Organisation, PendingUpload, User
from tisc.rules.file_names import safe_file_name
from tisc.services.errors import NotFoundError


def store_upload(
    *, org: Organisation, user: User | None, filename: str, data: bytes
) -> PendingUpload:
    """Keep an uploaded file until its mapping is confirmed (and clear the user's old ones).

    The name is the browser's, so anything: it is kept cleaned (safe_file_name), as it is
    shown on pages and sent back in the names of downloads.
    """
    older = select(PendingUpload.id).where(
        PendingUpload.organisation_id == org.id,
        PendingUpload.user_id == (user.id if user else None),
    )
    _forget_checks(older)
    db.session.execute(delete(PendingUpload).where(PendingUpload.id.in_(older)))
    upload = PendingUpload(
        organisation_id=org.id,
        user_id=user.id if user else None,
        file_name=safe_file_name(filename, default="upload"),
        data=data,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def get_upload(*, org: Organisation, user: User | None, upload_id: int) -> PendingUpload:
    """A pending upload of this user in this body; NotFoundError otherwise."""
    upload = db.session.get(PendingUpload, upload_id)
    if (
        upload is None
        or upload.organisation_id != org.id
        or upload.user_id != (user.id if user else None)
    ):
        raise NotFoundError("That upload has expired. Upload the file again.")
    return upload


def discard_upload(*, upload: PendingUpload) -> None:
    """Forget a pending upload, and what its checks found."""
    _forget_checks(select(PendingUpload.id).where(PendingUpload.id == upload.id))
    db.session.delete(upload)
    db.session.flush()


def _forget_checks(upload_ids: Select) -> None:
    # What a background check found is about its file only; an import job outlives its
    # upload (its page says what it did), so only checks go.
    db.session.execute(
        delete(ImportJob).where(
            ImportJob.upload_id.in_(upload_ids), ImportJob.kind == JobKind.CHECK
        )
    )
