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

from pokja.api.inputs import PlainText, Schema, WithinCalendar
from pokja.errors import DomainError
from pokja.extensions import db_session
from pokja.models.base import AnySelect, records

# A sort column: a mapped attribute (``Case.id``) or any column expression.
_Column = sa.ColumnElement[Any] | QueryableAttribute[Any]


# (column, descending) pairs.
Order = Sequence[tuple[_Column, bool]]


MAX_PAGE_SIZE = 200


DEFAULT_PAGE_SIZE = 50


class PageArgsSchema(Schema):
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
        return decode_cursor(cursor, [c.type.python_type for c in columns])


# A decoded cursor is input like any other (pokja.api.inputs): no value the database or the
# calendar would refuse reaches the query.
_PLAIN = PlainText(multiline=True)
_WITHIN_CALENDAR = WithinCalendar()


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor of a page's last sort key (for lists not built from one select)."""
    return _Cursor.encode(values)


def decode_cursor(cursor: str, types: Sequence[type]) -> list[Any]:
    """The sort key of :func:`encode_cursor`, each value of its type; 400 when malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError("wrong shape")
        return [_from_plain(v, t) for v, t in zip(values, types, strict=True)]
    except (
        ValueError,
        TypeError,
        OverflowError,
        RecursionError,
        binascii.Error,
        json.JSONDecodeError,
    ) as exc:
        message = "The cursor is not valid."
        raise DomainError(message, code="invalid_cursor", errors={"cursor": [message]}) from exc


def next_link(cursor: str) -> dict[str, str]:
    """The ``Link`` header of the next page: this request with ``cursor`` replaced."""
    args = request.args.to_dict()
    args["cursor"] = cursor
    return {"Link": f'<{request.base_url}?{urlencode(args)}>; rel="next"'}


def _from_plain(value: Any, python_type: type) -> Any:
    if value is None:
        return None
    if python_type is datetime or python_type is date:
        parsed = (datetime if python_type is datetime else date).fromisoformat(value)
        try:
            _WITHIN_CALENDAR(parsed)
        except ma.ValidationError as exc:
            raise ValueError("cursor date out of range") from exc
        return parsed
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if not isinstance(value, python_type) or (isinstance(value, bool) and python_type is not bool):
        raise TypeError("cursor value of wrong type")
    if isinstance(value, str):
        try:
            _PLAIN(value)
        except ma.ValidationError as exc:
            raise ValueError("control character in cursor") from exc
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("cursor integer out of range")
    return value


def _one_direction(order: Order) -> bool:
    return len({descending for _, descending in order}) == 1


def _after(columns: Order, values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """Rows strictly after ``values`` in the order ``columns`` ((column, descending) pairs).

    All in one direction, a row-value comparison (``(a, b) < (x, y)``): PostgreSQL reads it
    as one index condition, so a later page starts at the cursor in the index (an OR of
    prefixes is only a filter: every row before the cursor was read and dropped; and an
    added bound on the first column made the planner think the page short and sort it all).
    Mixed directions, or a NULL in the key, fall back to the OR of prefixes.
    """
    directions = {descending for _, descending in columns}
    if len(columns) > 1 and len(directions) == 1 and None not in values:
        pairs = zip(columns, values, strict=True)
        bounds = [sa.bindparam(None, v, type_=c.type) for (c, _), v in pairs]
        row, cursor = sa.tuple_(*(c for c, _ in columns)), sa.tuple_(*bounds)
        return row < cursor if directions == {True} else row > cursor
    clauses = []
    for i, (column, descending) in enumerate(columns):
        equal_prefix = [c == v for (c, _), v in zip(columns[:i], values[:i], strict=True)]
        step = column < values[i] if descending else column > values[i]
        clauses.append(sa.and_(*equal_prefix, step))
    return sa.or_(*clauses)


# Turns the rows of one page into the items to serialize (e.g. batch-loads what they need).
Present = Callable[[list[Any]], list[Any]]


# The paged forms of statements that are built once (a read model's kept statement): keyed by
# the statement, the order, whether the page starts after a cursor, and the page size, with
# the statement and order kept so that their ids stay theirs.
_PAGED: dict[tuple[int, int, bool, int], tuple[AnySelect, Order, AnySelect]] = {}
_PAGED_KEPT = 4096


def _after_param(i: int) -> str:
    return f"page_after_{i}"


def _paged(stmt: AnySelect, order: Order, limit: int, after: bool) -> AnySelect:
    """``stmt`` as one page of ``limit + 1`` rows in ``order``, starting after the cursor's
    values (bound as ``page_after_<i>``) when ``after``; built once per kept statement."""
    key = (id(stmt), id(order), after, limit)
    kept = _PAGED.get(key)
    if kept is not None and kept[0] is stmt and kept[1] is order:
        return kept[2]
    paged = stmt
    if after:
        row = sa.tuple_(*(c for c, _ in order))
        bounds = sa.tuple_(
            *(sa.bindparam(_after_param(i), type_=c.type) for i, (c, _) in enumerate(order))
        )
        paged = paged.where(row < bounds if order[0][1] else row > bounds)
    paged = paged.order_by(*(c.desc() if d else c.asc() for c, d in order)).limit(limit + 1)
    if len(_PAGED) >= _PAGED_KEPT:
        _PAGED.clear()
    _PAGED[key] = (stmt, order, paged)
    return paged


def keyset_page(
    stmt: AnySelect,
    order: Order,
    *,
    limit: int,
    cursor: str | None,
    count: bool,
    present: Present | None = None,
    plain_rows: bool = False,
    params: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Run ``stmt`` for one page: ``limit + 1`` rows tell whether there is a next page.

    ``stmt`` selects one entity, or several columns whose first is the entity carrying the
    order columns (e.g. a case and its per-row full-access flag). ``present`` maps the page's
    rows to the items to serialize.

    ``plain_rows``: ``stmt`` selects plain columns only (a read model), carrying the order
    columns by name; it runs on the session's connection, so its rows skip the ORM's loading,
    a tenth of a case-list page's CPU.

    ``params``: the values of ``stmt``'s named parameters, for a statement built once and kept
    by its caller (:func:`pokja.cases.read_model.case_list`); its paged forms are kept too, so
    a request neither builds nor compiles a statement.
    """
    total = None
    if count:
        total = db_session().scalar(
            sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()), params
        )
    columns = [c for c, _ in order]
    values = _Cursor.decode(cursor, columns) if cursor else None
    if params is not None and _one_direction(order) and None not in (values or ()):
        params = {**params, **{_after_param(i): v for i, v in enumerate(values or ())}}
        stmt = _paged(stmt, order, limit, values is not None)
    else:
        if values is not None:
            stmt = stmt.where(_after(order, values))
        stmt = stmt.order_by(*(c.desc() if d else c.asc() for c, d in order)).limit(limit + 1)
    if plain_rows:
        single = entity_first = False
        rows = records(db_session().connection().execute(stmt, params))
    else:
        result = db_session().execute(stmt, params)
        descriptions = stmt.column_descriptions
        # Rows of one entity (or column) are scalars; rows that start with an entity carry
        # their order columns on it; rows of plain columns carry them by name.
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
        headers.update(next_link(next_cursor))
    body: dict[str, Any] = {"items": present(rows) if present else rows, "next_cursor": next_cursor}
    if total is not None:
        body["total"] = total
    return body, headers


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (Schema,),
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
