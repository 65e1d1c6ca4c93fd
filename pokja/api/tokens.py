"""The tokens of a login: a short-lived access JWT and a rotating refresh JWT (DESIGN §9).

The login session and the refresh tokens' single use are the domain's
(:mod:`pokja.directory.accounts`); this module only signs what it records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy.orm import Session

from pokja.directory import accounts
from pokja.models import AuthSession, User


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


def _claims(user: User, session_id: uuid.UUID) -> dict[str, Any]:
    # Informational for clients; authorization always uses the user row loaded per request.
    return {
        "sid": str(session_id),
        "role": user.role,
        "pokja_id": str(user.pokja_id) if user.pokja_id else None,
        "agency_id": str(user.agency_id) if user.agency_id else None,
    }


def _issue(session: Session, user: User, auth_session: AuthSession) -> TokenPair:
    claims = _claims(user, auth_session.id)
    jti = accounts.new_refresh_token(session, auth_session)
    refresh = create_refresh_token(identity=str(user.id), additional_claims={**claims, "jti": jti})
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    lifetime: timedelta = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return TokenPair(access, refresh, int(lifetime.total_seconds()))


def start_session(session: Session, user: User) -> TokenPair:
    """Open a login for ``user`` and sign its first token pair."""
    lifetime: timedelta = current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]
    return _issue(session, user, accounts.open_session(session, user, lifetime))


def rotate_refresh_token(session: Session, user: User, claims: dict[str, Any]) -> TokenPair | None:
    """Swap a refresh token for a new pair; ``None`` when it had been used already (its whole
    family is then revoked)."""
    auth_session = accounts.use_refresh_token(session, uuid.UUID(claims["sid"]), claims["jti"])
    return None if auth_session is None else _issue(session, user, auth_session)
