"""flask-jwt-extended wiring: every token problem is a 401 problem+json.

flask-jwt-extended answers ``{"msg": ...}`` and uses 422 for malformed tokens; a client
cannot tell those apart from validation errors, so every loader is overridden here.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask.wrappers import Response

from pokja.api.problems import problem
from pokja.directory import accounts
from pokja.extensions import db_session, jwt
from pokja.models import User


def _unauthorized(detail: str, code: str = "unauthorized") -> Response:
    return problem(401, detail, code=code, headers={"WWW-Authenticate": "Bearer"})


def register_jwt_callbacks(app: Flask) -> None:
    @jwt.token_in_blocklist_loader
    def token_is_refused(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
        user = accounts.load_token_user(
            db_session(), payload.get("sub", ""), payload.get("sid", "")
        )
        g.token_user = user
        return user is None

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
