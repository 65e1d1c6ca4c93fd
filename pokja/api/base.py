"""Local subclasses of flask-smorest's ``Api``, ``Blueprint`` and ``Schema``.

They own the library defaults we override once (DESIGN STYLE): problem+json errors, keyset
pagination, authentication documentation and ``If-Match`` preconditions, so that no handler
repeats them.
"""

from __future__ import annotations

import http
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

import flask_smorest
import marshmallow as ma
import orjson
from flask import request
from flask.wrappers import Response
from flask_jwt_extended import current_user
from flask_smorest.utils import prepare_response

from pokja.api.contract import ContractPlugin, prepare_contract_doc
from pokja.api.inputs import Schema
from pokja.api.pagination import LINK_HEADER, Order, PageArgsSchema, keyset_page, page_schema
from pokja.api.problems import PROBLEM_MEDIA_TYPE, ProblemSchema, register_error_handlers
from pokja.api.security import authenticate
from pokja.errors import NotPermitted, PreconditionFailed, PreconditionRequired
from pokja.models import User

__all__ = ["ETAG_HEADER", "Api", "Blueprint", "Schema", "check_if_match", "json_response"]


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, *, marshmallow_plugin: Any = None, **options: Any) -> None:
        # Nullable enums and write-only fields as generated clients read them (contract.py).
        super()._init_spec(marshmallow_plugin=marshmallow_plugin or ContractPlugin(), **options)

    def _register_pagination_header(self) -> None:
        """Lists are keyset-paginated (``paginate_keyset``): flask-smorest's page-number
        header and its schema would only be unused components."""

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


ETAG_HEADER = {"ETag": {"description": "Version of the resource", "schema": {"type": "string"}}}


class Blueprint(flask_smorest.Blueprint):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every operation's operationId and (public) security, derived (contract.py).
        self._prepare_doc_cbks.insert(0, prepare_contract_doc)

    def _store_endpoint_docs(
        self, endpoint: str, obj: Any, parameters: Any, tags: Any, **options: Any
    ) -> None:
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        is_class = isinstance(obj, type)
        for method, info in self._docs[endpoint].items():
            if method != "parameters":
                info["pokja_view"] = (obj.__name__, is_class)

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        """flask-smorest's ``arguments``, with a schema class made an instance once: webargs
        builds a new instance of a class on every request (copying each declared field),
        a twentieth of a short read's CPU. The schemas keep no state between loads."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)  # type: ignore[no-any-return]

    def auth_required(
        self, may: Callable[[User], bool] | None = None, *, with_pokja_facts: bool = False
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Require a valid access token or service token, and document it.

        ``may`` is a predicate of :mod:`pokja.access.roles` that the domain's own checks rest
        on (e.g. ``acts_on_cases``, which :func:`~pokja.access.permissions.permissions` asks
        before granting any write): a caller it refuses can never be allowed further in, so it
        gets its 403 before the request is parsed. It is never a second rule of its own.

        ``with_pokja_facts``: a read that presents the caller's Pokja's cases; authentication
        reads the Pokja's facts along (:func:`~pokja.api.security.authenticate`).
        """

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                authenticate(with_pokja_facts)
                if may is not None and not may(current_user):
                    raise NotPermitted("Your role may not do this.")
                return func(*args, **kwargs)

            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            if may is not None:
                wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return self.doc(security=[{"bearerAuth": []}])(wrapper)

        return decorator

    def paginate_keyset(
        self,
        item_schema: type[ma.Schema],
        order: Order | None = None,
        *,
        sorts: Mapping[str, Order] | None = None,
        serialize_once: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """The handler returns a ``select()``; this runs it as one keyset page.

        Give either one ``order`` or named ``sorts`` (the first is the default), which adds a
        ``sort`` query parameter choosing among them. Each order must end in a unique column
        so that the cursor is unambiguous. The handler may return ``(select, present)``, where
        ``present`` turns the page's rows into the items to serialize (see :func:`keyset_page`),
        or ``(select, present, params)`` for a select built once and kept, run with ``params``.

        ``serialize_once``: the handler's select is a read model (plain columns) and its
        presenter returns final JSON-ready dicts; the rows skip the ORM's loading and the page
        is encoded once with orjson instead of being dumped again by the schema, which still
        documents it (and tests check real pages against it).
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
                stmt, present, params = (
                    (*result, None)[:3]
                    if isinstance(result, tuple)
                    else (
                        result,
                        None,
                        None,
                    )
                )
                body, headers = keyset_page(
                    stmt,
                    orders[sort],
                    limit=limit,
                    cursor=cursor,
                    count=count,
                    present=present,
                    plain_rows=serialize_once,
                    params=params,
                )
                if serialize_once:
                    return json_response(body, 200, headers)
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


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A response whose body is encoded once, with orjson (UUIDs, dates and aware datetimes as
    the schemas document them), for the hot reads whose presenters build the final structure
    (DESIGN §12): flask-smorest passes a Response through without dumping it again."""
    response = Response(orjson.dumps(body), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


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
