"""Uploaded files waiting for their columns to be confirmed."""

from __future__ import annotations

from sqlalchemy import delete

from tisc.database import db
from tisc.models import Organisation, PendingUpload, User
from tisc.rules.file_names import safe_file_name
from tisc.services.errors import NotFoundError


def store_upload(
    *, org: Organisation, user: User | None, filename: str, data: bytes
) -> PendingUpload:
    """Keep an uploaded file until its mapping is confirmed (and clear the user's old ones).

    The name is the browser's, so anything: it is kept cleaned (safe_file_name), as it is
    shown on pages and sent back in the names of downloads.
    """
    db.session.execute(
        delete(PendingUpload).where(
            PendingUpload.organisation_id == org.id,
            PendingUpload.user_id == (user.id if user else None),
        )
    )
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
    """Forget a pending upload."""
    db.session.delete(upload)
    db.session.flush()
