"""What makes the published contract usable by generated clients (DESIGN §9), derived for
every operation rather than written per route:

- an ``operationId`` named for a client (:func:`operation_id`), unless the view gives one with
  ``@blp.doc(operationId=...)``;
- ``security: []`` on every operation that does not require a token (``auth_required``
  documents the bearer scheme on the others);
- nullable enums admit ``null`` in ``enum`` too, and write-only fields (passwords) are not
  required in the document, which serves requests and responses alike (OpenAPI 3.0's rule:
  a required ``writeOnly`` property is required in requests only), see :class:`ContractPlugin`;
- a query parameter no argument schema of the operation declares is a 400 naming it
  (:func:`register_query_check`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app, request
from flask.wrappers import Response

# A MethodView's class name whose first word is one of these names an action (``AcceptHandoff``):
# its POST is the action itself, not the creation of an item.
ACTION_VERBS = frozenset(
    {
        *("Accept", "Approve", "Cancel", "Close", "Decline", "Export", "Finalize", "Publish"),
        *("Record", "Reopen", "Retry", "Revoke", "Rotate", "Submit", "Withdraw"),
    }
)
_WORD = re.compile(r"[A-Z][a-z0-9]*")


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def operation_id(view_name: str, method: str, *, is_class: bool, paginated: bool) -> str:
    """``operationId`` of ``method`` on a view: a function's name in camelCase
    (``rotate_secret`` → ``rotateSecret``); for a MethodView, a verb and its class name without
    ``View``/``ById`` (``Cases`` GET → ``listCases``, POST → ``createCase``; ``CaseById`` GET →
    ``getCase``, PATCH → ``updateCase``; ``AcceptHandoff`` POST → ``acceptHandoff``)."""
    if not is_class:
        return _camel(view_name)
    name = view_name.removesuffix("View")
    single = name.endswith("ById")
    name = name.removesuffix("ById")
    words = _WORD.findall(name)
    if method == "post" and words and words[0] in ACTION_VERBS:
        return name[:1].lower() + name[1:]
    if method == "get":
        verb = "list" if paginated and not single else "get"
    else:
        verb = {"post": "create", "put": "replace", "patch": "update", "delete": "delete"}[method]
    if method == "post" and not single:
        name = _singular(name)
    return verb + name


def _is_page_args(parameter: dict[str, Any]) -> bool:
    from pokja.api.pagination import PageArgsSchema

    schema = parameter.get("schema")
    schema_class = schema if isinstance(schema, type) else type(schema)
    return parameter.get("in") == "query" and issubclass(schema_class, PageArgsSchema)


def prepare_contract_doc(
    doc: dict[str, Any], doc_info: dict[str, Any], *, method: str, **_: Any
) -> dict[str, Any]:
    """A flask-smorest doc callback (our ``Blueprint``): operationId and public security."""
    view = doc_info.get("pokja_view")
    if view is not None:
        parameters = (doc_info.get("arguments") or {}).get("parameters") or []
        doc["operationId"] = operation_id(
            view[0], method, is_class=view[1], paginated=any(map(_is_page_args, parameters))
        )
    # auth_required's manual doc replaces this with the bearer scheme.
    doc["security"] = []
    return doc


def nullable_enum(_converter: Any, field: ma.fields.Field, ret: dict[str, Any], **_: Any) -> dict:
    """An enum that admits null lists ``null`` among its values (JSON Schema: ``enum`` is
    checked on its own, beside ``type``)."""
    enum = ret.get("enum")
    if not field.allow_none or enum is None:
        return {}
    # The enum alone says it all; a type list beside it makes generators build one enum per
    # type.
    ret.pop("type", None)
    return {"enum": enum if None in enum else [*enum, None]}


class ContractPlugin(MarshmallowPlugin):
    def init_spec(self, spec: Any) -> None:
        super().init_spec(spec)
        if self.converter is not None:
            self.converter.add_attribute_function(nullable_enum)

    def schema_helper(  # type: ignore[override]  # the two bases disagree; this is theirs
        self, name: Any, _: Any, schema: Any = None, **kwargs: Any
    ) -> Any:
        json_schema: dict[Any, Any] | None = super().schema_helper(name, _, schema, **kwargs)
        if json_schema and json_schema.get("required"):
            properties = json_schema.get("properties") or {}
            required = [n for n in json_schema["required"] if not properties[n].get("writeOnly")]
            if required:
                json_schema["required"] = required
            else:
                del json_schema["required"]
        return json_schema


# --- unknown query parameters ----------------------------------------------------------------


@cache
def _declared_query(endpoint: str, method: str) -> frozenset[str] | None:
    """The query parameters the argument schemas of ``endpoint``'s ``method`` declare; None
    for a view outside the documented API (Swagger UI, its assets)."""
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    func = getattr(view_class, method.lower(), None) if view_class else view
    apidoc = getattr(func, "_apidoc", None)
    if apidoc is None:
        return None
    names: set[str] = set()
    for parameter in (apidoc.get("arguments") or {}).get("parameters") or []:
        if parameter.get("in") == "query":
            schema = parameter["schema"]
            schema = schema() if isinstance(schema, type) else schema
            names.update(f.data_key or n for n, f in schema.fields.items() if not f.dump_only)
    return frozenset(names)


def register_query_check(app: Flask) -> None:
    from pokja.api.problems import problem

    @app.before_request
    def refuse_unknown_query_parameters() -> Response | None:
        if not request.args or request.endpoint is None or request.method == "OPTIONS":
            return None
        # HEAD is answered by the GET view (Flask), so it declares what GET declares.
        method = "GET" if request.method == "HEAD" else request.method
        declared = _declared_query(request.endpoint, method)
        if declared is None:
            return None
        unknown = sorted(set(request.args) - declared)
        if not unknown:
            return None
        return problem(
            400,
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            code="unknown_parameter",
            errors={name: ["Unknown query parameter."] for name in unknown},
        )
