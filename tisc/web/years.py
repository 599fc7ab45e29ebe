"""Which financial year a page is about: the year in its address (the <year:…> converter) or
the ?year= asked for, within the years the service keeps, else the year the page opens on
(year_choice); and today's date, the one clock pages read (today)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from flask import Flask, abort, current_app, has_app_context, request, url_for
from werkzeug.routing import BaseConverter, ValidationError

from tisc.rules.year_choice import YearChoice, choose_year
from tisc.rules.years import FinancialYear

EARLIEST = 2000  # 2000/01: the first year the service keeps records for


def today() -> date:
    """Today for every page: the TODAY setting (YYYY-MM-DD, set by tests and to show the demo
    on another day) when there is one, else the real date. The one clock views read; outside an
    application (a script, a URL matched without a request) it is the real date."""
    fixed = current_app.config.get("TODAY") if has_app_context() else None
    if isinstance(fixed, date):
        return fixed
    return date.fromisoformat(fixed) if fixed else date.today()


def moved_now() -> datetime | None:
    """The moment pages take as now when the TODAY setting moves the clock (that day, at the
    real time of day, UTC); None, meaning the real clock, when it does not."""
    if not has_app_context() or not current_app.config.get("TODAY"):
        return None
    return datetime.combine(today(), datetime.now(UTC).timetz())


def this_year() -> FinancialYear:
    """The financial year today is in."""
    return FinancialYear.containing(today())


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


def year_choice(
    with_data: Iterable[int],
    *,
    current: FinancialYear | None = None,
    latest: int | None = None,
) -> YearChoice:
    """The year a page shows and why (rules.year_choice): the ?year= asked for (404 if it is
    not a year the service keeps, up to `latest`), else the year we are in (or `current`) when
    it has data, else the latest year with data. The page says which, with
    components/year_note.html."""
    return choose_year(
        asked=asked_year(latest=latest), with_data=with_data, current=current or this_year()
    )


def year_url(year: FinancialYear) -> str:
    """This page (same route and address parts) for another year: where an empty year's note
    points. Query filters are dropped: they may not apply to the other year."""
    return url_for(request.endpoint or "", **{**(request.view_args or {}), "year": year.slug})


def init_app(app: Flask) -> None:
    """Register the <year:…> converter (before any blueprint's routes are added) and
    year_url for templates."""
    app.url_map.converters["year"] = FinancialYearConverter
    app.jinja_env.globals["year_url"] = year_url
