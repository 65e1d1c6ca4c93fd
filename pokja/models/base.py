"""Declarative base, column types and mixins shared by every model."""

from __future__ import annotations

import uuid
from collections import namedtuple
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column, registry

# A select() of any columns (SQLAlchemy 2.1 types a select by the tuple of what it returns).
AnySelect: TypeAlias = sa.Select[*tuple[Any, ...]]

# Deterministic constraint names so that Alembic migrations are identical on SQLite and
# PostgreSQL and batch mode on SQLite can find constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Clocks count calendar days or working days (DESIGN §6).
DAY_UNITS = ("calendar", "working")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned time-zone aware.

    SQLite has no time zone support and hands back naive values; without this, a value read
    back from SQLite would compare unequal to the one written and serialize without offset.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        # TypeDecorator answers ``object``; the keyset cursor needs the real type to decode
        # a timestamp it ordered by.
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: sa.Dialect, coltype: Any) -> Any:
        """:meth:`process_result_value` as one plain function where the driver hands back
        datetimes itself (psycopg): every timestamp of every row goes through it, and the
        generic wrapper costs more than the work. A value already in UTC (the connections'
        time zone, see pokja.config) is returned as it is."""
        if self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype):
            return super().result_processor(dialect, coltype)

        def process(value: datetime | None) -> datetime | None:
            if value is None or value.tzinfo is UTC:
                return value
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)

        return process


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), uuid.UUID: sa.Uuid()},
    )


class IdMixin:
    """Opaque UUID primary key (DESIGN §9: IDs are never sequential)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic concurrency: every UPDATE checks and bumps ``version``.

    Two writers holding the same version cannot both succeed: the second UPDATE matches no
    row and SQLAlchemy raises ``StaleDataError``, which the API turns into 412.
    """

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


@lru_cache(maxsize=256)
def _record_type(fields: tuple[str, ...]) -> Any:
    return namedtuple("Record", fields, rename=True)  # type: ignore[misc]


def records(result: sa.Result[Any]) -> list[Any]:
    """A result's rows as named tuples, for code that reads many columns of many rows.

    SQLAlchemy's ``Row`` answers ``row.name`` through its key map, about a microsecond per
    access; a case-list page reads some 3,000 of them, a quarter of its CPU. A named tuple
    of the same values answers by index, twenty times faster.
    """
    record = _record_type(tuple(result.keys()))
    make = record._make
    return [make(row) for row in result.all()]  # all(): one fetch, not one per row


def string_enum(name: str, values: tuple[str, ...], length: int = 32) -> sa.Enum:
    """An enum stored as VARCHAR with a CHECK constraint, portable across databases."""
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        validate_strings=True,
    )


def insert_missing(session: Session, model: Any, values: dict[str, Any]) -> None:
    """INSERT a row unless one with the same key exists, without failing the transaction when a
    concurrent one inserts it first (PostgreSQL then waits for that one, and does nothing)."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(model).values(**values).on_conflict_do_nothing())
        return
    try:
        with session.begin_nested():
            session.execute(sa.insert(model).values(**values))
    except IntegrityError:
        pass
