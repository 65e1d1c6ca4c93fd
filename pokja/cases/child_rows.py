"""Child rows aggregated into one column of their parent's row, on either database: a case's
subjects, violation types, external numbers and open decisions on its row, a Pokja's agencies
and rules on its context (DESIGN §12 "hot reads": a page's children in the same statement).

On PostgreSQL, arrays of plain values (:func:`text_rows`, :func:`value_list`) where the values'
text is what the reader wants: building a JSON object per child (:func:`json_rows`) was most of
the case list's execution there. On SQLite, whose JSON functions are all it has,
``json_group_array`` over an ordered subquery.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by


class _JsonList(sa.types.TypeDecorator[list[Any]]):
    """A JSON list as a text column: SQLite hands the aggregate back as text (a CAST to JSON
    would make SQLite read the text as a number)."""

    impl = sa.Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value  # decoded by psycopg already, a list of its own
        return json.loads(value) if isinstance(value, str) else list(value)


def json_rows(
    dialect: str, columns: dict[str, Any], where: Any, order: Any, parent: Any
) -> sa.ColumnElement[Any]:
    """A subquery correlated to ``parent`` aggregating the matching rows into a JSON list of
    objects, ordered, on either database (``[]`` when there is none)."""
    pairs: list[Any] = []
    for key, column in columns.items():
        pairs += [sa.literal_column(f"'{key}'"), column]
    if dialect == "postgresql":
        # psycopg decodes json itself: no result processing per row.
        agg = sa.func.json_agg(aggregate_order_by(sa.func.json_build_object(*pairs), *order))
        # Correlated to the parent alone: the enclosing statement may have the aggregated
        # table in its own FROM too (the caller's agency beside the Pokja's agencies).
        listed = (
            sa.select(sa.type_coerce(agg, postgresql.JSON))
            .where(where)
            .correlate(parent)
            .scalar_subquery()
        )
        return sa.func.coalesce(listed, sa.literal_column("'[]'::json"), type_=postgresql.JSON)
    # SQLite before 3.44 has no ORDER BY inside an aggregate: aggregate an ordered subquery.
    inner = sa.select(sa.func.json_object(*pairs).label("o")).where(where).order_by(*order)
    ordered = inner.correlate(parent).subquery()
    rows = sa.func.json_group_array(sa.func.json(ordered.c.o))
    return sa.select(sa.type_coerce(rows, _JsonList)).correlate(parent).scalar_subquery()


class _TextRows(sa.types.TypeDecorator[list[dict[str, Any]]]):
    """The rows of :func:`text_rows` on PostgreSQL (a two-dimensional text array, which
    psycopg decodes into lists) as a list of dicts by column name, the shape of
    :func:`json_rows`."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, keys: tuple[str, ...]) -> None:
        super().__init__()
        self.keys = keys

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> list[dict[str, Any]]:
        keys = self.keys
        return [dict(zip(keys, row, strict=True)) for row in value or ()]


def text_rows(
    dialect: str, columns: dict[str, Any], where: Any, order: Any, parent: Any
) -> sa.ColumnElement[Any]:
    """:func:`json_rows` of columns whose JSON is their text (text and UUID columns; dates
    and instants for a reader that parses their ISO text): the same list of objects, read on
    PostgreSQL as ``ARRAY(SELECT ARRAY[col::text, ...])``.

    Building a JSON object per child row (``json_build_object``) is most of a case-list
    page's execution on PostgreSQL, and decoding the JSON a good part of its reading; a text
    array costs next to nothing on either side (bench/RESULTS.md)."""
    if dialect != "postgresql":
        return json_rows(dialect, columns, where, order, parent)
    fields = postgresql.array([sa.cast(column, sa.Text) for column in columns.values()])
    inner = sa.select(fields).where(where).order_by(*order).correlate(parent)
    return sa.func.array(inner.scalar_subquery(), type_=_TextRows(tuple(columns)))


def value_list(
    dialect: str, column: Any, where: Any, order: Any, parent: Any
) -> sa.ColumnElement[Any]:
    """A subquery correlated to ``parent`` listing one column of the matching rows, ordered,
    on either database (``[]`` when there is none).

    On PostgreSQL an ``ARRAY(SELECT ...)`` of plain values: building a JSON object per child
    (:func:`json_rows`) is most of a list page's execution there, and an array of scalars
    costs next to nothing (bench/RESULTS.md)."""
    inner = sa.select(column).where(where).order_by(*order).correlate(parent)
    if dialect == "postgresql":
        return sa.func.array(inner.scalar_subquery(), type_=postgresql.ARRAY(sa.String()))
    ordered = inner.subquery()
    rows = sa.func.json_group_array(next(iter(ordered.c)))
    return sa.select(sa.type_coerce(rows, _JsonList)).correlate(parent).scalar_subquery()
