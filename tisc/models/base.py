"""The declarative base every model shares, with a constraint naming convention."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, TypeDecorator
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints keep Alembic migrations stable on SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class for all tisc models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """Created and updated times, in UTC."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


def enum_column(enum_cls: type[StrEnum]) -> SAEnum:
    """A column type storing a StrEnum's values as plain strings (no native enum type)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Money(TypeDecorator[Decimal]):
    """Pounds and pence as an exact Decimal, stored as a whole number of pence.

    SQLite has no exact decimal type (NUMERIC columns hold floats), so sums of many
    payments could drift by a penny; integers are exact on every database.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect: Any) -> int | None:
        if value is None:
            return None
        pence = Decimal(value) * 100
        if pence != pence.to_integral_value():
            raise ValueError(f"{value} is not a whole number of pence")
        return int(pence)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(int(value)).scaleb(-2)


class Percent(TypeDecorator[Decimal]):
    """A percentage to one decimal place as an exact Decimal, stored as a whole number of
    tenths (SQLite's NUMERIC holds floats, like money: see Money)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect: Any) -> int | None:
        if value is None:
            return None
        tenths = Decimal(value) * 10
        if tenths != tenths.to_integral_value():
            raise ValueError(f"{value} is not a percentage to one decimal place")
        return int(tenths)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(int(value)).scaleb(-1)
