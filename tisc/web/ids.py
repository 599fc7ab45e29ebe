"""Whole numbers in addresses: the `<int:…>` converter every route uses, bounded by what the
database holds, so an id out of its range matches no page (404) instead of reaching a query
(where PostgreSQL and SQLite would raise an error)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, ValidationError

from tisc.rules.numbers import DATABASE_INT_MAX, whole_number


class DatabaseIdConverter(IntegerConverter):
    """<int:name>: ASCII digits naming a number from 0 to DATABASE_INT_MAX."""

    def __init__(self, url_map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]

    def to_python(self, value: str) -> int:
        try:
            return whole_number(value, maximum=self.max or DATABASE_INT_MAX)
        except ValueError:
            raise ValidationError() from None


def init_app(app: Flask) -> None:
    """Make `int` the bounded converter (before any blueprint's routes are added)."""
    app.url_map.converters["int"] = DatabaseIdConverter
