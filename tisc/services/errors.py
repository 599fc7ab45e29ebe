"""Domain errors raised by services and mapped to HTTP responses in one place (tisc.web.errors)."""

from sqlalchemy.orm.exc import StaleDataError

from tisc.database import db


class DomainError(Exception):
    """A request the domain refuses; the message is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    """The record does not exist, or is not visible to this user."""

    status_code = 404


class DuplicateError(DomainError):
    """A record with the same unique key already exists."""

    status_code = 409


class ConflictError(DomainError):
    """Someone else changed the record since the form was loaded."""

    status_code = 409


class ValidationError(DomainError):
    """The input breaks a rule of the domain."""

    status_code = 400


class ThrottledError(DomainError):
    """Too many failed attempts; try again later."""

    status_code = 429


def flush_or_conflict(message: str) -> None:
    """Write now, so that a record someone else changed since its form was loaded (optimistic
    locking) is refused with `message` rather than an error page."""
    try:
        db.session.flush()
    except StaleDataError:
        raise ConflictError(message) from None
