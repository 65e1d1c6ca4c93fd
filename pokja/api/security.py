"""Authentication: flask-jwt-extended's access tokens and the dashboards' service tokens.

flask-jwt-extended answers ``{"msg": ...}`` and uses 422 for malformed tokens; a client
cannot tell those apart from validation errors, so every loader is overridden here: every
token problem is a 401 problem+json.

A service token (``Bearer pst_...``, :mod:`pokja.directory.service_tokens`) is not a JWT: it
is looked up in the database by its keyed hash, in one statement per request, so that a
revoked token is refused at once on every instance. Whatever it carries, a write is refused
(403) before anything else happens.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, request
from flask.wrappers import Response
from flask_jwt_extended import verify_jwt_in_request

from pokja.api.problems import problem
from pokja.cases import facts
from pokja.directory import accounts, service_tokens
from pokja.errors import InvalidCredentials
from pokja.extensions import db_session, jwt
from pokja.models import User


def _unauthorized(detail: str, code: str = "unauthorized") -> Response:
    return problem(401, detail, code=code, headers={"WWW-Authenticate": "Bearer"})


_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


def _service_token() -> str | None:
    """The service token the request carries, if it carries one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and service_tokens.looks_like_service_token(token):
        return token
    return None


def authenticate(with_pokja_facts: bool = False) -> None:
    """Authenticate the request: a service token, or else an access JWT (401 problem+json
    when missing or refused). ``current_user`` is the caller either way.

    ``with_pokja_facts``: the read goes on to present cases, which needs the caller's Pokja's
    facts (:mod:`pokja.cases.facts`); the statement that checks an access token reads them
    along, a statement fewer per request.
    """
    token = _service_token()
    if token is None:
        g.pokja_facts_wanted = with_pokja_facts and request.method in _SAFE_METHODS
        verify_jwt_in_request()
        return
    key = current_app.config["SECRET_KEY"].encode()
    user = service_tokens.token_caller(db_session(), token, key)
    if user is None:
        raise InvalidCredentials(
            "The service token is unknown, expired or revoked.", code="token_revoked"
        )
    # What verify_jwt_in_request leaves for flask-jwt-extended's current_user and get_jwt().
    g._jwt_extended_jwt = {"type": "service", "sub": str(user.id)}
    g._jwt_extended_jwt_header = {}
    g._jwt_extended_jwt_user = {"loaded_user": user}
    g._jwt_extended_jwt_location = "headers"


def refuse_service_token_writes() -> Response | None:
    """Service tokens are read-only (DESIGN §9): any other method that carries one is a 403,
    on every route, before the request is parsed or authenticated."""
    if request.method not in _SAFE_METHODS and _service_token() is not None:
        return problem(
            403, "A service token is read-only: it cannot write.", code="read_only_token"
        )
    return None


def register_jwt_callbacks(app: Flask) -> None:
    @jwt.token_in_blocklist_loader
    def token_is_refused(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
        session = db_session()
        with_facts = g.pop("pokja_facts_wanted", False)
        statement = facts.caller_with_context(session) if with_facts else accounts.TOKEN_CALLER
        row = accounts.load_token_caller(
            session, payload.get("sub", ""), payload.get("sid", ""), statement
        )
        g.token_user = None if row is None else accounts.caller_from(session, row)
        if with_facts and row is not None:
            facts.remember_callers_context(session, row)
        return row is None

    @jwt.user_lookup_loader
    def token_user(_header: dict[str, Any], _payload: dict[str, Any]) -> User | None:
        return g.get("token_user")

    @jwt.unauthorized_loader
    def missing_token(reason: str) -> Response:
        return _unauthorized("Authentication is required: send 'Authorization: Bearer <token>'.")

    @jwt.invalid_token_loader
    def invalid_token(reason: str) -> Response:
        return _unauthorized("The token is not valid.", "invalid_token")

    @jwt.expired_token_loader
    def expired_token(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("The token has expired.", "token_expired")

    @jwt.revoked_token_loader
    def revoked_token(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("The token has been revoked.", "token_revoked")

    @jwt.user_lookup_error_loader
    def unknown_user(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("The token's user is not active.", "token_revoked")

    @jwt.needs_fresh_token_loader
    def needs_fresh(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("A fresh login is required.", "fresh_token_required")

    @jwt.token_verification_failed_loader
    def verification_failed(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return _unauthorized("The token is not valid.", "invalid_token")
