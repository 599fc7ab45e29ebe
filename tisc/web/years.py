"""Which financial year a page is about: the year in its address (the <year:…> converter) or
the ?year= asked for, within the years the service keeps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, ValidationError

from tisc.rules.years import FinancialYear

EARLIEST = 2000  # 2000/01: the first year the service keeps records for


def this_year() -> FinancialYear:
    """The financial year today is in."""
    return FinancialYear.containing(date.today())


def kept_year(text: str, *, latest: int | None = None) -> FinancialYear:
    """The financial year "2025-26" (or "2025/26", "2025-2026") names, if the service keeps it:
    from 2000/01 up to `latest` (by default next year; 9999-00 is not a page).

    Raises ValueError for text that is not such a year.
    """
    year = FinancialYear.parse(text)
    last = this_year().start_year + 1 if latest is None else latest
    if not EARLIEST <= year.start_year <= last:
        raise ValueError(f"{year.label} is not a year the service keeps")
    return year


class FinancialYearConverter(BaseConverter):
    """<year:name> in a route: a financial year the service keeps, given to the view as a
    FinancialYear. Any other text matches no route, so it answers 404."""

    def to_python(self, value: str) -> FinancialYear:
        try:
            return kept_year(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value: FinancialYear | int | str) -> str:
        if isinstance(value, int):
            value = FinancialYear(value)
        if isinstance(value, FinancialYear):
            return value.slug
        return super().to_url(value)


def asked_year(*, latest: int | None = None) -> FinancialYear | None:
    """The ?year=2025-26 asked for, or None when none was; 404 when it is not a year the
    service keeps (up to `latest`, as kept_year)."""
    asked = request.args.get("year")
    if not asked:
        return None
    try:
        return kept_year(asked, latest=latest)
    except ValueError:
        abort(404)


def chosen_year(available: Sequence[int]) -> FinancialYear | None:
    """The ?year= asked for (404 if unreadable), else the first (newest) of `available`, else
    None: a page of figures opens on the newest year that has any."""
    asked = asked_year()
    if asked is not None:
        return asked
    return FinancialYear(available[0]) if available else None


def init_app(app: Flask) -> None:
    """Register the <year:…> converter (before any blueprint's routes are added)."""
    app.url_map.converters["year"] = FinancialYearConverter
