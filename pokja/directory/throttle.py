"""Login throttling that holds across workers and instances (issue 9): failed logins are
counted in the database, per username and per client address, within a window; reaching the
limit locks the key out for a while, and a correct password does not get in while it lasts.

Flask-Limiter's rate limits (per process in memory, or shared through Redis) stay in front as
a flood guard; this is the lock-out that an attacker spreading guesses over gunicorn's workers
cannot dodge, since every worker counts in the same row. The count is one atomic UPDATE whose
RETURNING value decides, so of many simultaneous wrong guesses no more than the limit are
answered 401: the rest are 429 like every later attempt.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.errors import DomainError
from pokja.models import LoginThrottle
from pokja.models.base import insert_missing

KEY_LENGTH = 255


@dataclass(frozen=True)
class ThrottleSettings:
    """``POKJA_LOGIN_*`` settings (:meth:`from_config`)."""

    max_failures: int = 5  # per username
    max_failures_per_client: int = 20
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottleSettings:
        return cls(
            max_failures=int(config["POKJA_LOGIN_MAX_FAILURES"]),
            max_failures_per_client=int(config["POKJA_LOGIN_MAX_FAILURES_PER_CLIENT"]),
            window=timedelta(seconds=int(config["POKJA_LOGIN_WINDOW_SECONDS"])),
            lockout=timedelta(seconds=int(config["POKJA_LOGIN_LOCKOUT_SECONDS"])),
        )


class LoginLocked(DomainError):
    """429: too many failed logins for this username or from this address; ``retry_after``
    seconds until the lock-out ends."""

    status = 429
    code = "login_locked"
    title = "Too many failed logins"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed logins; try again in {retry_after} seconds.", retry_after=retry_after
        )
        self.retry_after = retry_after


def _keys(
    username: str, client: str | None, settings: ThrottleSettings
) -> list[tuple[str, str, int]]:
    keys = [("username", username.strip().lower()[:KEY_LENGTH], settings.max_failures)]
    if client:
        keys.append(("client", client[:KEY_LENGTH], settings.max_failures_per_client))
    return keys


def _locked(until: datetime, now: datetime) -> LoginLocked:
    return LoginLocked(max(1, math.ceil((until - now).total_seconds())))


def check(
    session: Session, username: str, client: str | None, settings: ThrottleSettings, now: datetime
) -> None:
    """Raise :class:`LoginLocked` while the username or the address is locked out."""
    keys = [(scope, key) for scope, key, _ in _keys(username, client, settings)]
    until = session.scalar(
        sa.select(sa.func.max(LoginThrottle.locked_until)).where(
            sa.tuple_(LoginThrottle.scope, LoginThrottle.key).in_(keys),
            LoginThrottle.locked_until > now,
        )
    )
    if until is not None:
        raise _locked(until, now)


def record_failure(
    session: Session, username: str, client: str | None, settings: ThrottleSettings, now: datetime
) -> LoginLocked | None:
    """Count a failed login; the lock-out to answer with when this attempt went beyond a
    limit (it raced others past :func:`check`), else None (answer 401). The caller commits,
    also when it answers with an error."""
    outcome = None
    for scope, key, limit in _keys(username, client, settings):
        insert_missing(
            session,
            LoginThrottle,
            {"scope": scope, "key": key, "failures": 0, "window_started_at": now},
        )
        fresh = LoginThrottle.window_started_at > now - settings.window
        failures = sa.case((fresh, LoginThrottle.failures + 1), else_=1)
        failures_after, locked_until = session.execute(
            sa.update(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
            .values(
                failures=failures,
                window_started_at=sa.case((fresh, LoginThrottle.window_started_at), else_=now),
                locked_until=sa.case(
                    (failures >= limit, now + settings.lockout), else_=LoginThrottle.locked_until
                ),
            )
            .returning(LoginThrottle.failures, LoginThrottle.locked_until)
            .execution_options(synchronize_session=False)
        ).one()
        if failures_after > limit and locked_until is not None:
            outcome = _locked(locked_until, now)
    return outcome


def record_success(session: Session, username: str, settings: ThrottleSettings) -> None:
    """The username's failures are forgiven (its address's are not)."""
    (scope, key, _), *_ = _keys(username, None, settings)
    session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key)
    )
