"""Service tokens (DESIGN §2, §9): named, read-only credentials of dashboard machines.

A token acts as the Pokja's ``viewer``: it reads what a viewer reads (statistics, the changes
feed, redacted case lists) and never writes (the HTTP layer refuses any write that carries
one). Its caller is a :class:`~pokja.models.User` built in memory with the role ``viewer`` and
no agency, so every visibility rule applies to it unchanged, and no stored user's role can be
raised to widen what a token reads.

The secret is 256 random bits, shown once. What is stored is its HMAC-SHA256 under the
installation's key: a request's token is found by that hash in one indexed lookup. A slow
password hash (argon2) would protect a guessable password; a random 256-bit secret cannot be
guessed, so the hash only has to be one-way, and a fast one costs microseconds on every
dashboard request where argon2 would cost tens of milliseconds. The key keeps a stolen copy
of the table from even confirming a secret offline.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import manages_service_tokens
from pokja.audit import events
from pokja.errors import NotFound, NotPermitted, field_error
from pokja.models import Pokja, ServiceToken, User
from pokja.time import clock

PREFIX = "pst_"
# ``last_used_at`` is kept to this precision: at most one write per token and interval.
TOUCH_INTERVAL = timedelta(minutes=1)


def looks_like_service_token(token: str) -> bool:
    return token.startswith(PREFIX)


def secret_hash(secret: str, key: bytes) -> str:
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def _snapshot(token: ServiceToken) -> dict[str, Any]:
    """What the audit trail keeps of a token: never its secret or hash."""
    return {"service_token_id": token.id, "name": token.name, "expires_at": token.expires_at}


def _check_manager(actor: User) -> uuid.UUID:
    if not manages_service_tokens(actor) or actor.pokja_id is None:
        raise NotPermitted("Only the Pokja's coordinator manages service tokens.")
    return actor.pokja_id


def visible_service_tokens(actor: User) -> sa.Select[Any]:
    """The tokens of the coordinator's Pokja (nobody else sees any), newest first."""
    stmt = sa.select(ServiceToken)
    if not manages_service_tokens(actor):
        return stmt.where(sa.false())
    return stmt.where(ServiceToken.pokja_id == actor.pokja_id)


def get_service_token(session: Session, actor: User, token_id: uuid.UUID) -> ServiceToken:
    token = session.scalar(visible_service_tokens(actor).where(ServiceToken.id == token_id))
    if token is None:
        raise NotFound("Service token not found.")
    return token  # type: ignore[no-any-return]


def create_service_token(
    session: Session, actor: User, data: dict[str, Any], key: bytes
) -> tuple[ServiceToken, str]:
    """A new token of the coordinator's Pokja and its secret (to be shown this once)."""
    pokja_id = _check_manager(actor)
    expires_at: datetime | None = data.get("expires_at")
    if expires_at is not None and expires_at <= clock.now():
        raise field_error("expires_at", "Must be in the future.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ServiceToken(
        id=uuid.uuid4(),
        pokja_id=pokja_id,
        name=data["name"],
        secret_hash=secret_hash(secret, key),
        created_by_id=actor.id,
        created_at=clock.now(),
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    events.record(
        session,
        pokja_id=pokja_id,
        case_id=None,
        actor=actor,
        type="service_token.created",
        data=_snapshot(token),
    )
    return token, secret


def revoke_service_token(session: Session, actor: User, token: ServiceToken) -> None:
    """Refuse the token from the next request on, on every instance (idempotent)."""
    _check_manager(actor)
    if token.revoked_at is not None:
        return
    token.revoked_at = clock.now()
    events.record(
        session,
        pokja_id=token.pokja_id,
        case_id=None,
        actor=actor,
        type="service_token.revoked",
        data=_snapshot(token),
    )
    session.flush()


# Built once: every request with a service token runs it, and it is the whole authentication.
_TOKEN = (
    sa.select(
        ServiceToken.id,
        ServiceToken.pokja_id,
        ServiceToken.name,
        ServiceToken.last_used_at,
    )
    .join(Pokja, Pokja.id == ServiceToken.pokja_id)
    .where(
        ServiceToken.secret_hash == sa.bindparam("secret_hash"),
        ServiceToken.revoked_at.is_(None),
        sa.or_(ServiceToken.expires_at.is_(None), ServiceToken.expires_at > sa.bindparam("now")),
        Pokja.active.is_(True),
    )
)

# At most one write per token and TOUCH_INTERVAL, and never a wait: a request that finds the
# row locked by another one touching it leaves it to that one (SKIP LOCKED on PostgreSQL).
_TOUCH = (
    sa.update(ServiceToken)
    .where(
        ServiceToken.id.in_(
            sa.select(ServiceToken.id)
            .where(
                ServiceToken.id == sa.bindparam("token_id"),
                sa.or_(
                    ServiceToken.last_used_at.is_(None),
                    ServiceToken.last_used_at < sa.bindparam("stale_before"),
                ),
            )
            .with_for_update(skip_locked=True)
        )
    )
    .values(last_used_at=sa.bindparam("now"))
    .execution_options(synchronize_session=False)
)


def token_caller(session: Session, secret: str, key: bytes) -> User | None:
    """The caller a service token stands for (a ``viewer`` of its Pokja), or ``None`` when
    the token is unknown, revoked or expired, or its Pokja deactivated.

    One statement; a second (an UPDATE, committed at once) at most once a minute per token,
    to keep ``last_used_at`` without writing on every request.
    """
    now = clock.now()
    row = session.execute(_TOKEN, {"secret_hash": secret_hash(secret, key), "now": now}).first()
    if row is None:
        return None
    if row.last_used_at is None or row.last_used_at < now - TOUCH_INTERVAL:
        params = {"token_id": row.id, "stale_before": now - TOUCH_INTERVAL, "now": now}
        session.execute(_TOUCH, params)
        session.commit()
    return User(
        id=row.id,
        username=f"service-token:{row.id}",
        display_name=row.name,
        role="viewer",
        pokja_id=row.pokja_id,
        agency_id=None,
        agency=None,
        pokja=None,
        active=True,
    )
