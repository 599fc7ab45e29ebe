"""Error pages and the one place where domain errors become HTTP responses."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tisc.extensions import db
from tisc.services.errors import DomainError

PAGES = {
    400: ("Sorry, there is a problem with your request", "errors/400.html"),
    403: ("You do not have permission to do this", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Sorry, there is a problem with your request", "errors/400.html"),
    409: ("Someone else changed this record", "errors/400.html"),
    410: ("This link no longer works", "errors/410.html"),
    413: ("The file is too large", "errors/413.html"),
    429: ("Too many requests", "errors/400.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


STALE_SAVE = (
    "Someone else changed this record while you were saving it. Your changes were not "
    "saved: go back, look at the record again and make them once more."
)


def render_error(
    status: int, message: str | None = None, *, title: str | None = None
) -> tuple[str, int]:
    """An error page in the service layout, with no stack trace; `title` replaces the
    status's usual heading when the page can say more exactly what happened."""
    usual, template = PAGES.get(status, PAGES[500] if status >= 500 else PAGES[400])
    page = render_template(template, title=title or usual, message=message, status=status)
    return page, status


def init_app(app: Flask) -> None:
    """Register error handlers."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_error(error.code or 500)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[str, int]:
        # A domain error that reached here was not handled by its view: undo its writes.
        db.session.rollback()
        return render_error(error.status_code, error.message)

    @app.errorhandler(StaleDataError)
    def stale_data(_error: StaleDataError) -> tuple[str, int]:
        # Two saves of one record at the same moment: on PostgreSQL both can pass the form's
        # version check, and the second write then finds the version moved on. That is a
        # stale form too, whichever view it was, never a server error.
        db.session.rollback()
        return render_error(409, STALE_SAVE)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500)
