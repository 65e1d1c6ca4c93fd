"""Passwords, login sessions and token rotation.

A login opens an :class:`~pokja.models.AuthSession`; the refresh tokens rotated from it form a
family. Presenting a refresh token that was already rotated means it leaked (or a client raced
itself): the whole family is revoked, as OAuth 2.0 Security BCP §4.14 recommends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy.orm import Session

from pokja.errors import InvalidCredentials
from pokja.models import AuthSession, Pokja, RefreshToken, User
from pokja.time import clock


def _hasher() -> PasswordHasher:
    """argon2id with RFC 9106's low-memory profile; the test suite asks for the cheapest one
    (``ARGON2_PROFILE``) because it hashes hundreds of passwords."""
    name = current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY")
    return _hasher_for(name)


@lru_cache(maxsize=4)
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    return _dummy_hash_for(current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY"))


@lru_cache(maxsize=4)
def _dummy_hash_for(profile: str) -> str:
    return _hasher_for(profile).hash("pokja: no such user")


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


def authenticate(session: Session, username: str, password: str) -> User:
    """The active user with these credentials, or :class:`InvalidCredentials`.

    An unknown user, a wrong password and a deactivated account look the same to the caller,
    and cost the same argon2 verification, so that usernames cannot be probed.
    """
    user = session.scalar(
        sa.select(User)
        .outerjoin(Pokja, Pokja.id == User.pokja_id)
        .where(User.username == username, User.active.is_(True))
        .where(sa.or_(User.pokja_id.is_(None), Pokja.active.is_(True)))
    )
    if user is None:
        verify_password(_dummy_hash(), password)
        raise InvalidCredentials("Wrong username or password.")
    if not verify_password(user.password_hash, password):
        raise InvalidCredentials("Wrong username or password.")
    changes: dict[str, Any] = {"last_login_at": clock.now()}
    if _hasher().check_needs_rehash(user.password_hash):
        changes["password_hash"] = hash_password(password)
    # A Core UPDATE, not an attribute change: logging in must not bump the user's version and
    # so invalidate an administrator's pending edit (If-Match) of the same user.
    session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    return user


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
    jti = uuid.uuid4().hex
    refresh = create_refresh_token(identity=str(user.id), additional_claims={**claims, "jti": jti})
    session.add(RefreshToken(jti=jti, session_id=auth_session.id))
    access = create_access_token(identity=str(user.id), additional_claims=claims)
    lifetime: timedelta = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return TokenPair(access, refresh, int(lifetime.total_seconds()))


def start_session(session: Session, user: User) -> TokenPair:
    lifetime: timedelta = current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]
    auth_session = AuthSession(id=uuid.uuid4(), user_id=user.id, expires_at=clock.now() + lifetime)
    session.add(auth_session)
    session.flush()
    return _issue(session, user, auth_session)


def rotate_refresh_token(session: Session, user: User, claims: dict[str, Any]) -> TokenPair | None:
    """Swap a refresh token for a new pair; ``None`` when it had been used already.

    The conditional UPDATE is the whole race: of two requests presenting the same token, the
    database lets exactly one mark it used. The loser revokes the family (the caller commits
    that and answers 401).
    """
    session_id = uuid.UUID(claims["sid"])
    marked = session.execute(
        sa.update(RefreshToken)
        .where(
            RefreshToken.jti == claims["jti"],
            RefreshToken.session_id == session_id,
            RefreshToken.used_at.is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        revoke_session(session, session_id, "refresh_reuse")
        return None
    auth_session = session.get_one(AuthSession, session_id)
    return _issue(session, user, auth_session)


def revoke_session(session: Session, session_id: uuid.UUID, reason: str) -> None:
    session.execute(
        sa.update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )


def revoke_user_sessions(session: Session, user_id: uuid.UUID, reason: str) -> None:
    session.execute(
        sa.update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )


def load_token_user(session: Session, user_id: str, session_id: str) -> User | None:
    """The user behind an access or refresh token, or ``None`` when the token must be refused.

    One statement per request: user, Pokja and session state together, so that logout,
    family revocation, deactivation and role changes take effect on every instance at once.
    """
    try:
        uid, sid = uuid.UUID(user_id), uuid.UUID(session_id)
    except (TypeError, ValueError):
        return None
    now = clock.now()
    return session.scalar(
        sa.select(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .outerjoin(Pokja, Pokja.id == User.pokja_id)
        .where(
            User.id == uid,
            User.active.is_(True),
            AuthSession.id == sid,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
            sa.or_(User.pokja_id.is_(None), Pokja.active.is_(True)),
        )
    )
