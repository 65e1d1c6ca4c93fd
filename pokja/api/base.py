"""Local subclasses of flask-smorest's ``Api``, ``Blueprint`` and ``Schema``.

They own the library defaults we override once (DESIGN STYLE): problem+json errors, keyset
pagination, authentication documentation and ``If-Match`` preconditions, so that no handler
repeats them.
"""

from __future__ import annotations

import base64
import binascii
import http
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import flask_smorest
import marshmallow as ma
import sqlalchemy as sa
from flask import request
from flask_jwt_extended import current_user, verify_jwt_in_request
from flask_smorest.utils import prepare_response
from sqlalchemy.orm import QueryableAttribute

from pokja.api.problems import PROBLEM_MEDIA_TYPE, ProblemSchema, register_error_handlers
from pokja.errors import DomainError, NotPermitted, PreconditionFailed, PreconditionRequired
from pokja.extensions import db

# A sort column: a mapped attribute (``Case.id``) or any column expression.
_Column = sa.ColumnElement[Any] | QueryableAttribute[Any]
# (column, descending) pairs.
Order = Sequence[tuple[_Column, bool]]
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class Schema(ma.Schema):
    """Base schema: unknown fields are rejected (marshmallow's default, stated on purpose)."""

    class Meta:
        unknown = ma.RAISE


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        register_error_handlers(self._app)

    def _register_responses(self) -> None:
        """Document every error response as ``application/problem+json``."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        default: dict[str, Any] = {"description": "Error", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


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
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
            if not isinstance(values, list) or len(values) != len(columns):
                raise ValueError("wrong shape")
            return [_from_plain(v, c) for v, c in zip(values, columns, strict=True)]
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
            raise DomainError("The cursor is not valid.", code="invalid_cursor") from exc


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
    stmt: sa.Select[Any],
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
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
        )
    columns = [c for c, _ in order]
    if cursor:
        stmt = stmt.where(_after(order, _Cursor.decode(cursor, columns)))
    stmt = stmt.order_by(*(c.desc() if d else c.asc() for c, d in order)).limit(limit + 1)
    result = db.session.execute(stmt).unique()
    single = len(stmt.column_descriptions) == 1  # one entity (or column) per row
    rows = list(result.scalars() if single else result)
    next_cursor = None
    headers: dict[str, str] = {}
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1] if single else rows[-1][0]
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
ETAG_HEADER = {"ETag": {"description": "Version of the resource", "schema": {"type": "string"}}}


class Blueprint(flask_smorest.Blueprint):
    def auth_required(self, *roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Require a valid access token (and one of ``roles`` if given); document it."""

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                verify_jwt_in_request()
                if roles and current_user.role not in roles:
                    raise NotPermitted("Your role may not do this.")
                return func(*args, **kwargs)

            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            if roles:
                wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"bearerAuth": []}])(wrapper)

        return decorator

    def paginate_keyset(
        self,
        item_schema: type[ma.Schema],
        order: Order | None = None,
        *,
        sorts: Mapping[str, Order] | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """The handler returns a ``select()``; this runs it as one keyset page.

        Give either one ``order`` or named ``sorts`` (the first is the default), which adds a
        ``sort`` query parameter choosing among them. Each order must end in a unique column
        so that the cursor is unambiguous. The handler may return ``(select, present)``, where
        ``present`` turns the page's rows into the items to serialize (see :func:`keyset_page`).
        """
        if (order is None) == (sorts is None):
            raise TypeError("give either order or sorts")
        orders: Mapping[str, Order] = sorts or {"": order or ()}
        args_schema: type[ma.Schema] = PageArgsSchema
        if sorts:
            args_schema = type(
                "SortedPageArgsSchema",
                (PageArgsSchema,),
                {
                    "sort": ma.fields.String(
                        load_default=next(iter(sorts)),
                        validate=ma.validate.OneOf(list(sorts)),
                        metadata={"description": "Sort order; `-` means descending"},
                    )
                },
            )

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(func)
            def wrapper(
                *args: Any,
                limit: int,
                cursor: str | None = None,
                count: bool = False,
                sort: str = "",
                **kwargs: Any,
            ) -> Any:
                result = func(*args, **kwargs)
                stmt, present = result if isinstance(result, tuple) else (result, None)
                body, headers = keyset_page(
                    stmt, orders[sort], limit=limit, cursor=cursor, count=count, present=present
                )
                return body, 200, headers

            wrapper = self.arguments(args_schema, location="query", as_kwargs=True)(wrapper)
            return self.response(200, page_schema(item_schema), headers=LINK_HEADER)(wrapper)

        return decorator

    def if_match_required(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Document the ``If-Match`` precondition; the handler calls :func:`check_if_match`."""
        func = self.alt_response(412, response="PRECONDITION_FAILED")(func)
        func = self.alt_response(428, response="PRECONDITION_REQUIRED")(func)
        return self.doc(
            parameters=[
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": True,
                    "description": "The ETag of the version being changed",
                    "schema": {"type": "string"},
                }
            ]
        )(func)

    def if_match_optional(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Document an optional ``If-Match`` (checked when given): ``check_if_match(obj,
        required=False)``. For POST actions on a versioned resource."""
        func = self.alt_response(412, response="PRECONDITION_FAILED")(func)
        return self.doc(
            parameters=[
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": False,
                    "description": "The ETag of the version acted on; refused (412) when stale",
                    "schema": {"type": "string"},
                }
            ]
        )(func)


def etag_of(obj: Any) -> str:
    return f'"{obj.version}"'


def check_if_match(obj: Any, *, required: bool = True) -> None:
    """Refuse a write that does not name the current version (428 missing, 412 stale).

    With ``required=False`` a missing header is accepted (POST actions on a resource, which
    DESIGN §9 does not make conditional) but a header that is given is still checked.

    The version check is repeated by the UPDATE itself (``version_id_col``), so two writers
    passing this check with the same version still cannot both win.
    """
    header = request.headers.get("If-Match")
    if not header and not required:
        return
    if not header:
        raise PreconditionRequired(
            "This request needs an If-Match header with the resource's ETag."
        )
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in wanted and etag_of(obj) not in wanted:
        raise PreconditionFailed(
            "The resource was changed by someone else; reload it and retry with its new ETag."
        )
