"""RFC 9457 problem details: the one place errors become HTTP responses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import marshmallow as ma
from flask import Flask, current_app, g, json, request
from flask.wrappers import Response
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from pokja.errors import DomainError

log = logging.getLogger("pokja.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
# RFC 9457 §3.1.1: a type URI need not resolve; a tag URI (RFC 4151) names it without
# pretending there is a page behind it.
PROBLEM_TYPE_BASE = "tag:pokja,2026:problem:"

# Stable machine codes for the HTTP errors the stack raises itself.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal_error",
}


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, with a stable ``code`` and per-field ``errors``.

    RFC 9457 §3.2 lets a problem type carry extension members (``allowed`` stages, the
    ``case_id`` of a duplicate), so the document admits additional properties.
    """

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(metadata={"description": "URI identifying the problem type"})
    title = ma.fields.String(metadata={"description": "Short summary of the problem type"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "Explanation of this occurrence"})
    code = ma.fields.String(
        metadata={"description": "Stable machine-readable error code", "example": "not_found"}
    )
    errors = ma.fields.Dict(
        metadata={
            "description": "Per-field messages on validation failures",
            "example": {"username": ["Missing data for required field."]},
        }
    )
    request_id = ma.fields.String(metadata={"description": "Correlates with the server log"})


def problem(
    status: int,
    detail: str | None = None,
    *,
    code: str | None = None,
    title: str | None = None,
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    phrase = HTTPStatus(status).phrase
    code = code or HTTP_CODES.get(status, phrase.lower().replace(" ", "_"))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title or phrase,
        "status": status,
        "detail": detail or phrase,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    rid = g.get("request_id")
    if rid:
        body["request_id"] = rid
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _flatten_validation_messages(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs nests messages by location ({"json": {...}, "query": {...}}); clients want
    one mapping of field -> messages, so locations are merged."""
    merged: dict[str, Any] = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            merged.update(location_messages)
        else:
            merged.setdefault("_schema", []).extend(location_messages)
    return merged


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if error.response is not None:
        # Flask-Limiter's 429 carries Retry-After on a prepared response.
        for key in ("Retry-After",):
            if key in error.response.headers:
                headers[key] = error.response.headers[key]
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    errors = None
    detail = data.get("message") or error.description
    # webargs reports a body that does not parse as {"json": ["Invalid JSON body."]}.
    if status == 400 and "Invalid JSON" in str(data.get("messages", detail)):
        detail = "The request body is not valid JSON."
    elif "messages" in data:
        errors = _flatten_validation_messages(data["messages"])
        detail = "The request is not valid; see errors for each field."
    if status == 429:
        detail = f"Too many requests ({error.description}); retry later."
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        detail = f"The request body is larger than {limit} bytes."
        errors = {"body": [detail]}
    return problem(status, detail, errors=errors, headers=headers, code=data.get("code"))


def handle_domain_error(error: DomainError) -> Response:
    # RFC 9110 §15.5.2: a 401 always carries a challenge, also for a failed login or refresh.
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    if retry_after := getattr(error, "retry_after", None):
        headers["Retry-After"] = str(retry_after)
    return problem(
        error.status,
        error.detail,
        code=error.code,
        title=error.title,
        headers=headers,
        **error.extra,
    )


def handle_stale_data(error: StaleDataError) -> Response:
    return problem(
        412,
        "The resource was changed by someone else; reload it and retry with its new ETag.",
        code="precondition_failed",
    )


def handle_recursion(error: RecursionError) -> Response:
    """Input nested too deeply for a recursive step: refused before parsing
    (:mod:`pokja.api.inputs`), and never a 500 if some other path meets it."""
    log.warning("recursion limit on %s %s", request.method, request.path)
    message = "Nested too deeply."
    return problem(400, message, code="invalid_json", errors={"body": [message]})


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception(
        "unhandled error on %s %s [request %s]", request.method, request.path, g.get("request_id")
    )
    return problem(500, "An unexpected error occurred; it has been logged.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(RecursionError, handle_recursion)
    app.register_error_handler(Exception, handle_unexpected)
