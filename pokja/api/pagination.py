"""Keyset (cursor) pagination (DESIGN §9 "Lists"): the handler returns a ``select()``; this
applies a whitelisted order, fetches ``limit + 1`` rows, and answers ``next_cursor`` and a
``Link`` header. flask-smorest's own paginator counts pages and does not fit SQLAlchemy 2."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import QueryableAttribute

from pokja.errors import DomainError
from pokja.extensions import db_session
from pokja.models.base import AnySelect

# A sort column: a mapped attribute (``Case.id``) or any column expression.
_Column = sa.ColumnElement[Any] | QueryableAttribute[Any]


# (column, descending) pairs.
Order = Sequence[tuple[_Column, bool]]


MAX_PAGE_SIZE = 200


DEFAULT_PAGE_SIZE = 50


class PageArgsSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    limit = ma.fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Page size (at most {MAX_PAGE_SIZE})"},
    )
    cursor = ma.fields.String(
        metadata={"description": "Opaque cursor from the previous page's `next_cursor`"}
    )
    count = ma.fields.Boolean(
        load_default=False, metadata={"description": "Add the total number of matching items"}
    )


class _Cursor:
    """Encodes the sort key of the last row of a page. Opaque to clients on purpose."""

    @staticmethod
    def encode(values: Sequence[Any]) -> str:
        def plain(value: Any) -> Any:
            if isinstance(value, datetime | date):
                return value.isoformat()
            if isinstance(value, uuid.UUID):
                return str(value)
            return value

        raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(cursor: str, columns: Sequence[_Column]) -> list[Any]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
            if not isinstance(values, list) or len(values) != len(columns):
                raise ValueError("wrong shape")
            return [_from_plain(v, c) for v, c in zip(values, columns, strict=True)]
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
            raise DomainError("The cursor is not valid.", code="invalid_cursor") from exc


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor for these sort-key values (reads that page on their own)."""
    return _Cursor.encode(values)


def decode_cursor(cursor: str, columns: Sequence[_Column]) -> list[Any]:
    """The sort-key values of a cursor for ``columns``; a malformed one is a 400 problem."""
    return _Cursor.decode(cursor, columns)


def _from_plain(value: Any, column: _Column) -> Any:
    if value is None:
        return None
    python_type = column.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if not isinstance(value, python_type):
        raise TypeError("cursor value of wrong type")
    return value


def _after(columns: Order, values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """Rows strictly after ``values`` in the order ``columns`` ((column, descending) pairs).

    Written as an OR of prefixes rather than a row-value comparison so that mixed directions
    work and both SQLite and PostgreSQL can use the index.
    """
    clauses = []
    for i, (column, descending) in enumerate(columns):
        equal_prefix = [c == v for (c, _), v in zip(columns[:i], values[:i], strict=True)]
        step = column < values[i] if descending else column > values[i]
        clauses.append(sa.and_(*equal_prefix, step))
    return sa.or_(*clauses)


# Turns the rows of one page into the items to serialize (e.g. batch-loads what they need).
Present = Callable[[list[Any]], list[Any]]


def keyset_page(
    stmt: AnySelect,
    order: Order,
    *,
    limit: int,
    cursor: str | None,
    count: bool,
    present: Present | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Run ``stmt`` for one page: ``limit + 1`` rows tell whether there is a next page.

    ``stmt`` selects one entity, or several columns whose first is the entity carrying the
    order columns (e.g. a case and its per-row full-access flag). ``present`` maps the page's
    rows to the items to serialize.
    """
    total = None
    if count:
        total = db_session().scalar(
            sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
        )
    columns = [c for c, _ in order]
    if cursor:
        stmt = stmt.where(_after(order, _Cursor.decode(cursor, columns)))
    stmt = stmt.order_by(*(c.desc() if d else c.asc() for c, d in order)).limit(limit + 1)
    result = db_session().execute(stmt)
    descriptions = stmt.column_descriptions
    # Rows of one entity (or column) are scalars; rows that start with an entity carry their
    # order columns on it; rows of plain columns (read models) carry them by name.
    single = len(descriptions) == 1
    entity_first = isinstance(descriptions[0]["expr"], type)
    rows = list(
        result.unique().scalars() if single else result.unique() if entity_first else result
    )
    next_cursor = None
    headers: dict[str, str] = {}
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1] if single or not entity_first else rows[-1][0]
        next_cursor = _Cursor.encode([getattr(last, str(c.key)) for c in columns])
        args = request.args.to_dict()
        args["cursor"] = next_cursor
        headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    body: dict[str, Any] = {"items": present(rows) if present else rows, "next_cursor": next_cursor}
    if total is not None:
        body["total"] = total
    return body, headers


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(
                allow_none=True,
                metadata={"description": "Pass as `cursor` to get the next page; null at the end"},
            ),
            "total": ma.fields.Integer(
                metadata={"description": "Number of matching items, when `count=true`"}
            ),
        },
    )


LINK_HEADER = {
    "Link": {
        "description": 'Next page, as `<url>; rel="next"`, when there is one',
        "schema": {"type": "string"},
    }
}
