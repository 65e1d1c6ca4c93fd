"""Authentication: login, token refresh with rotation, logout, the current user."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, request
from flask_jwt_extended import current_user, decode_token, get_jwt

from pokja.api.base import Blueprint
from pokja.api.schemas.users import LoginSchema, MeSchema, RefreshSchema, TokenSchema
from pokja.api.tokens import rotate_refresh_token, start_session
from pokja.directory import accounts, throttle, users
from pokja.errors import InvalidCredentials
from pokja.extensions import db_session, limiter
from pokja.models import User
from pokja.time import clock

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Log in and out")

TOKEN_EXAMPLE = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
    "token_type": "Bearer",
    "expires_in": 900,
}


def _login_username() -> str:
    body = request.get_json(silent=True)
    username = body.get("username") if isinstance(body, dict) else None
    return f"login-user:{str(username).lower()[:64]}"


@blp.route("/login", methods=["POST"])
@limiter.limit(lambda: current_app.config["POKJA_LOGIN_LIMIT_PER_CLIENT"])
@limiter.limit(
    lambda: current_app.config["POKJA_LOGIN_LIMIT_PER_USERNAME"], key_func=_login_username
)
@blp.arguments(LoginSchema, example={"username": "coordinator", "password": "pokja-demo"})
@blp.response(200, TokenSchema, example=TOKEN_EXAMPLE)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def login(credentials: dict[str, str]) -> Any:
    """Log in with a username and password.

    Returns a short-lived access token and a refresh token. A wrong username and a wrong
    password give the same 401. After `POKJA_LOGIN_MAX_FAILURES` failures for a username
    (or more from one address) within the window, every login of it is refused with 429 and
    `Retry-After` until the lock-out ends, the right password too. Rate-limited per client
    and per username as well (429 with `Retry-After`).
    """
    session, username, client = db_session(), credentials["username"], request.remote_addr
    settings, now = throttle.ThrottleSettings.from_config(current_app.config), clock.now()
    throttle.check(session, username, client, settings, now)
    try:
        user = accounts.authenticate(session, username, credentials["password"])
    except InvalidCredentials:
        session.rollback()
        locked = throttle.record_failure(session, username, client, settings, now)
        session.commit()
        raise locked or InvalidCredentials("Wrong username or password.") from None
    throttle.record_success(session, username, settings)
    tokens = start_session(session, user)
    session.commit()
    return tokens


@blp.route("/refresh", methods=["POST"])
@blp.arguments(RefreshSchema)
@blp.response(200, TokenSchema, example=TOKEN_EXAMPLE)
@blp.alt_response(401, response="UNAUTHORIZED")
def refresh(body: dict[str, str]) -> Any:
    """Swap a refresh token for a new token pair.

    Each refresh token works once. Presenting one that was already used revokes every token
    of its login (the family), because it means the token was copied.
    """
    claims = decode_token(body["refresh_token"])
    if claims.get("type") != "refresh" or "sid" not in claims:
        raise InvalidCredentials("Not a refresh token.", code="invalid_token")
    user = accounts.load_token_user(db_session(), claims["sub"], claims["sid"])
    if user is None:
        raise InvalidCredentials("The token has been revoked.", code="token_revoked")
    tokens = rotate_refresh_token(db_session(), user, claims)
    db_session().commit()
    if tokens is None:
        raise InvalidCredentials(
            "This refresh token was used already; every token of this login is now revoked.",
            code="token_reused",
        )
    return tokens


@blp.route("/logout", methods=["POST"])
@blp.auth_required()
@blp.response(204)
def logout() -> None:
    """Log out: revoke the access token and every refresh token of this login."""
    accounts.revoke_session(db_session(), uuid.UUID(get_jwt()["sid"]), "logout")
    db_session().commit()


@blp.route("/me", methods=["GET"])
@blp.auth_required()
@blp.doc(operationId="getCurrentUser")
@blp.response(200, MeSchema)
def me() -> User:
    """The current user, with role, agency and Pokja."""
    return users.me(db_session(), current_user)
