"""Saving what a form or a button sends: the version the record was shown with, and one way
to commit a change or, when a service refuses it, roll back and say why."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import flash, request
from flask_wtf import FlaskForm

from tisc.extensions import db
from tisc.forms import add_error
from tisc.services.errors import ConflictError, DomainError

# What a missing or malformed version reads as. No record has it: versions start at 1, and
# 0 stands for "no record yet" (a supplier's first guidance and plan), which it must not match.
NOT_A_VERSION = -1


def expected_version(form: FlaskForm) -> int:
    """The version of the record that the form was shown with (its hidden `version` field).

    Anything but ASCII digits, or nothing at all, is NOT_A_VERSION: the service then refuses
    the save as stale with the usual conflict message, never a server error.
    """
    value = form.version.data or ""  # type: ignore[attr-defined]
    return int(value) if value.isascii() and value.isdigit() else NOT_A_VERSION


def confirmed() -> bool:
    """Whether this POST came from a confirmation page (components/confirm.html sends
    confirmed=yes). A destructive action without it changes nothing: its view shows the
    confirmation page instead."""
    return request.method == "POST" and request.form.get("confirmed") == "yes"


@dataclass
class Saved:
    """What became of a save: true once committed; `error` is the refusal otherwise."""

    error: DomainError | None = None
    committed: bool = False

    def __bool__(self) -> bool:
        return self.committed


@contextmanager
def saving(
    form: FlaskForm | None = None,
    *,
    field: str = "",
    catch_up: Any = None,
    show: Callable[[DomainError], None] | None = None,
    passes: tuple[type[DomainError], ...] = (),
) -> Iterator[Saved]:
    """Commit what the block changes; if a service refuses it (a DomainError), roll back and
    show why. Test the result after the block: true once committed.

    The refusal is shown on `form`, against the field it names or else `field` (the view then
    shows the form again), or flashed when there is no form (the view then redirects), or by
    `show`. With `catch_up`, a record, a refusal because someone else saved it first puts its
    version as saved now on the form, so that sending again works. Refusals of the kinds in
    `passes` are left to the error handler (tisc.web.errors): NotFoundError answers 404.
    """
    saved = Saved()
    try:
        yield saved
    except DomainError as error:
        if isinstance(error, passes):
            raise
        db.session.rollback()
        saved.error = error
        if show is not None:
            show(error)
        elif form is not None:
            add_error(form, error, default_field=field)
        else:
            flash(error.message, "error")
        if catch_up is not None and form is not None and isinstance(error, ConflictError):
            db.session.refresh(catch_up)
            form.version.data = str(catch_up.version_id)  # type: ignore[attr-defined]
    else:
        db.session.commit()
        saved.committed = True
