"""``@idempotent``: the ``Idempotency-Key`` header on POST (DESIGN §9 "Writes").

Place it between ``auth_required`` (keys belong to the caller) and ``arguments`` (a request
that fails validation leaves its key free)::

    @blp.auth_required()
    @idempotent
    @blp.arguments(CaseCreateSchema)
    @blp.response(201, CaseSchema, headers=ETAG_HEADER)
    def post(self, data): ...

The rules live in :mod:`pokja.audit.idempotency`; this module reads the header, commits the
in-flight marker before the handler runs, and records or replays the response.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask.wrappers import Response
from flask_jwt_extended import current_user
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pokja.api.base import Blueprint, Schema
from pokja.audit import idempotency
from pokja.extensions import db_session

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# What a replay repeats besides status and body: the representation and where it lives.
KEPT_HEADERS = ("Content-Type", "ETag", "Location", "Link")

DESCRIPTION = (
    "A unique value (a UUID) for this request. A retry with the same key and body gets the "
    "first response again, with `Idempotent-Replayed: true`, instead of repeating the write; "
    "the same key with another request is a 422 (`idempotency_key_reused`), and a retry while "
    "the first request runs is a 409 (`idempotency_in_flight`). Keys are per user and kept 24 "
    "hours. A request that fails without changing anything (e.g. validation) leaves the key "
    'free. Quoted (`"…"`, a structured-field string as in the IETF draft) or not.'
)

# flask-smorest's decorators are Blueprint methods; an unregistered Blueprint lends them, so
# that ``@idempotent`` needs no blueprint argument.
_blp = Blueprint("idempotency", __name__)


class IdempotencyHeaderSchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE  # every other header

    idempotency_key = ma.fields.String(
        data_key=HEADER,
        validate=[
            # The whole header, quotes included, as the server stores it; a pattern every
            # validator reads alike (the base Schema refuses a trailing newline before `$`).
            ma.validate.Length(min=1, max=idempotency.MAX_KEY_LENGTH),
            ma.validate.Regexp(r"^[\x20-\x7e]+$", error="Use printable ASCII characters."),
        ],
        metadata={"description": DESCRIPTION},
    )

    @ma.post_load
    def unquote(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        key = data.get("idempotency_key")
        if key and len(key) >= 2 and key[0] == key[-1] == '"':
            key = data["idempotency_key"] = key[1:-1]
        if key is not None and not 0 < len(key) <= idempotency.MAX_KEY_LENGTH:
            raise ma.ValidationError(
                f"Use 1 to {idempotency.MAX_KEY_LENGTH} characters.", field_name=HEADER
            )
        return data


def abandoned_after() -> timedelta:
    """When an in-flight key counts as abandoned: once its request can no longer be running
    (``POKJA_REQUEST_TIMEOUT``, which gunicorn.conf.py enforces), plus a margin."""
    return timedelta(seconds=current_app.config["POKJA_REQUEST_TIMEOUT"] + 5)


def _commit_marker(session: Session) -> None:
    """Commit the marker now, so that other processes see it while the handler runs.

    What the session holds is the caller's User, read a moment ago by the authentication
    check; expiring it would only cost the handler a SELECT to read it again.
    """
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def _replay(replay: idempotency.Replay) -> Response:
    response = Response(replay.body, status=replay.status, headers=replay.headers)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _run(
    session: Session, started: idempotency.Started, func: Callable[..., Any], *args: Any, **kw: Any
) -> Response:
    """Run the handler; its commits also mark the key completed. A failure that committed
    nothing frees the key and propagates; one after a commit becomes the stored response."""
    try:
        with idempotency.claim_on_commit(session, started):
            return current_app.make_response(func(*args, **kw))
    except Exception as exc:
        session.rollback()
        try:
            committed = idempotency.work_committed(session, started)
            if not committed:
                idempotency.release(session, started)
                session.commit()
        except SQLAlchemyError:
            # The database is away: the marker stays until it counts as abandoned, one
            # request time later (abandoned_after), and the client's retry then runs.
            session.rollback()
            raise exc from None
        if not committed:
            raise
        return current_app.make_response(current_app.handle_user_exception(exc))


def idempotent(func: Callable[..., Any]) -> Callable[..., Any]:
    """Honour an optional ``Idempotency-Key`` header on a write; document it and its 409."""

    @wraps(func)
    def wrapper(*args: Any, idempotency_key: str | None = None, **kwargs: Any) -> Any:
        if idempotency_key is None:
            return func(*args, **kwargs)
        session = db_session()
        outcome = idempotency.begin(
            session,
            user_id=current_user.id,
            key=idempotency_key,
            method=request.method,
            path=request.path,
            request_hash=idempotency.fingerprint(request.get_data(), request.query_string),
            abandoned_after=abandoned_after(),
        )
        if isinstance(outcome, idempotency.Replay):
            return _replay(outcome)
        _commit_marker(session)
        response = _run(session, outcome, func, *args, **kwargs)
        session.rollback()  # what the handler left uncommitted is not saved with the key
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        idempotency.finish(
            session,
            outcome,
            status=response.status_code,
            body=response.get_data(as_text=True),
            headers=kept,
        )
        session.commit()
        return response

    wrapper = _blp.alt_response(409, response="CONFLICT")(wrapper)
    return _blp.arguments(IdempotencyHeaderSchema, location="headers", as_kwargs=True)(wrapper)
