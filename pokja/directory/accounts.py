"""Logins: credentials, login sessions and their refresh tokens (DESIGN §9 "Authentication").

A login opens an :class:`~pokja.models.AuthSession`; the refresh tokens rotated from it form a
family, and revoking the session (logout, refresh-token reuse, deactivation) refuses every
token of the family at once, on every instance, because each request checks it in the
database. The tokens themselves (JWTs) are minted by the HTTP layer (``pokja.api.tokens``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from pokja.directory.passwords import hash_password, needs_rehash, verify_nothing, verify_password
from pokja.errors import InvalidCredentials
from pokja.models import Agency, AuthSession, Pokja, RefreshToken, User
from pokja.time import clock


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
        verify_nothing(password)
        raise InvalidCredentials("Wrong username or password.")
    if not verify_password(user.password_hash, password):
        raise InvalidCredentials("Wrong username or password.")
    changes: dict[str, Any] = {"last_login_at": clock.now()}
    if needs_rehash(user.password_hash):
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


def open_session(session: Session, user: User, lifetime: timedelta) -> AuthSession:
    """A new login (the family of the refresh tokens rotated from it)."""
    auth_session = AuthSession(id=uuid.uuid4(), user_id=user.id, expires_at=clock.now() + lifetime)
    session.add(auth_session)
    session.flush()
    return auth_session


def new_refresh_token(session: Session, auth_session: AuthSession) -> str:
    """Record a refresh token of the login; its id (``jti``) goes into the token."""
    jti = uuid.uuid4().hex
    session.add(RefreshToken(jti=jti, session_id=auth_session.id))
    return jti


def use_refresh_token(session: Session, session_id: uuid.UUID, jti: str) -> AuthSession | None:
    """Mark a refresh token used and return its login; ``None`` when it had been used already.

    The conditional UPDATE is the whole race: of two requests presenting the same token, the
    database lets exactly one mark it used. A reused token means it leaked (or a client raced
    itself): the loser revokes the whole family, as OAuth 2.0 Security BCP §4.14 recommends
    (the caller commits that and answers 401).
    """
    marked = session.execute(
        sa.update(RefreshToken)
        .where(
            RefreshToken.jti == jti,
            RefreshToken.session_id == session_id,
            RefreshToken.used_at.is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        revoke_session(session, session_id, "refresh_reuse")
        return None
    return session.get_one(AuthSession, session_id)


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


# What a request needs of its caller: who, in which role, for which Pokja and agency (whose kind
# decides what the caller sees, DESIGN §5). Plain columns, not the ORM entities: the caller is
# loaded on every authenticated request, and loading a User and its Agency through the ORM
# costs more than the statement itself.
_CALLER_COLUMNS = (
    User.id,
    User.username,
    User.display_name,
    User.role,
    User.pokja_id,
    User.agency_id,
    # The caller's agency, every column: it joins the session (caller_from), complete from
    # this one read (a later SELECT of it fills only what is missing, DESIGN §3's versions).
    *(column.label(f"caller_agency_{column.key}") for column in Agency.__table__.columns),
)


def token_caller_statement(*also: sa.ColumnElement[Any]) -> sa.Select[Any]:
    """The statement that checks a token's user and login session and reads the caller (and
    ``also``: columns of the caller's ``Pokja`` row, or correlated to it) in one go.

    Built once per shape by its users: every authenticated request runs it, and a statement
    built anew costs more than running it.
    """
    return (
        sa.select(*_CALLER_COLUMNS, *also)
        .select_from(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .outerjoin(Pokja, Pokja.id == User.pokja_id)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(
            User.id == sa.bindparam("user_id"),
            User.active.is_(True),
            AuthSession.id == sa.bindparam("session_id"),
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > sa.bindparam("now"),
            sa.or_(User.pokja_id.is_(None), Pokja.active.is_(True)),
        )
    )


TOKEN_CALLER = token_caller_statement()
_AGENCY_KEYS = tuple(column.key for column in Agency.__table__.columns)


def load_token_caller(
    session: Session, user_id: str, session_id: str, statement: sa.Select[Any] = TOKEN_CALLER
) -> sa.Row[Any] | None:
    """The row of the caller behind an access or refresh token (:data:`_CALLER_COLUMNS`, then
    the statement's own), or ``None`` when the token must be refused.

    One statement per request: user, Pokja and session state together, so that logout,
    family revocation, deactivation and role changes take effect on every instance at once.
    """
    try:
        uid, sid = uuid.UUID(user_id), uuid.UUID(session_id)
    except (TypeError, ValueError):
        return None
    params = {"user_id": uid, "session_id": sid, "now": clock.now()}
    return session.connection().execute(statement, params).first()


def caller_from(session: Session, row: Any) -> User:
    """The caller of a request, from its :func:`load_token_caller` row: a transient ``User``
    (like a service token's caller), read-only by convention. It is not in the session, so
    nothing expires it when the request commits; the domain reads only its columns, and a
    change to a user goes through a ``User`` loaded for that purpose.

    Its agency does join the session, as the agency loaded with the user did: the domain looks
    the caller's agency up by id (``session.get``) and finds it there without a statement.
    """
    agency = None
    if row.agency_id is not None:
        agency = session.identity_map.get(identity_key(Agency, row.agency_id))
        if agency is None:
            agency = Agency(**{key: getattr(row, f"caller_agency_{key}") for key in _AGENCY_KEYS})
            make_transient_to_detached(agency)
            session.add(agency)
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        pokja_id=row.pokja_id,
        agency_id=row.agency_id,
        agency=agency,
        pokja=None,
        active=True,
    )


def load_token_user(session: Session, user_id: str, session_id: str) -> User | None:
    """The caller behind an access or refresh token (:func:`caller_from`), or ``None`` when
    the token must be refused."""
    row = load_token_caller(session, user_id, session_id)
    return None if row is None else caller_from(session, row)
