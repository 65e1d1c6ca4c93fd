"""Idempotency keys (DESIGN §9 "Writes"): a retried POST returns the first response, never a
duplicate. After draft-ietf-httpapi-idempotency-key-header.

A key's life, per user (the unique constraint ``(user_id, key)`` decides races):

1. :func:`begin` inserts the key as an *in-flight marker*, which the caller commits at once, in
   its own short transaction, so that a concurrent request of any process sees it before the
   first one finishes: of two simultaneous first requests the database lets one insert and
   the other gets :class:`IdempotencyInFlight` (409).
2. While the request runs, :func:`claim_on_commit` marks the key ``completed`` in the *same*
   transaction as the request's work: ``completed`` means "the effects are committed", so a
   crash can never leave work done behind a key that looks unused.
3. :func:`finish` stores the response to replay; or, when the request failed (4xx/5xx) without
   committing anything, deletes the key so that the client may retry with it. The draft says to
   store every response "except when the request never ran"; a request whose transaction
   rolled back left no trace, so it counts as never run. A failure after a commit is stored.

A marker whose request died (process killed, or the database went away before the key could be
released) is taken over once its request cannot be running any more (``abandoned_after``: the
request time bound, seconds; :data:`ABANDONED_AFTER` by default); the marker's row id is the
fencing token, so the old request, should it still be alive, can no longer commit
(:func:`claim_on_commit` raises). Keys live :data:`KEY_TTL`; older ones are
ignored and :func:`purge` deletes them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pokja.errors import Conflict, RuleViolation
from pokja.models import IdempotencyKey
from pokja.time import clock

# The draft asks for at least 24 hours; a client retries within minutes, so one day is plenty.
KEY_TTL = timedelta(hours=24)
# Beyond any request (the HTTP layer passes its own bound, POKJA_REQUEST_TIMEOUT). Fencing
# keeps a takeover safe even if a request outlives this; the delay only bounds how long a
# client waits after a crash or an outage.
ABANDONED_AFTER = timedelta(seconds=30)
MAX_KEY_LENGTH = 255
_IN_FLIGHT = "A request with this Idempotency-Key is in progress; retry later."


class IdempotencyInFlight(Conflict):
    code = "idempotency_in_flight"
    title = "Request in progress"


class IdempotencyKeyReused(RuleViolation):
    code = "idempotency_key_reused"
    title = "Idempotency key reused"


@dataclass(frozen=True)
class Started:
    """The key is ours: run the request, then :func:`finish`. ``id`` is the fencing token."""

    id: uuid.UUID


@dataclass(frozen=True)
class Replay:
    """The key's first request completed: answer with its response."""

    status: int
    body: str
    headers: dict[str, str]


def fingerprint(body: bytes, query: bytes = b"") -> str:
    """SHA-256 of a request's query and body; a JSON body is canonicalised first, so a retry
    that serialises the same document differently (key order, spaces) still matches."""
    try:
        document = json.loads(body)
    except ValueError:
        canonical = body
    else:
        canonical = json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    return hashlib.sha256(query + b"\0" + canonical).hexdigest()


def _find(session: Session, user_id: uuid.UUID, key: str) -> IdempotencyKey | None:
    stmt = sa.select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
    )
    return session.scalar(stmt.execution_options(populate_existing=True))


def _discard_if_dead(
    session: Session, row: IdempotencyKey, now: datetime, abandoned_after: timedelta
) -> bool:
    """Delete an expired key or an abandoned marker; False if it is alive.

    The DELETE repeats the condition, so of two requests reviving the same dead key only one
    deletes it; the other is told to wait (it would race the first one's insert anyway).
    """
    if row.created_at < now - KEY_TTL:
        condition = IdempotencyKey.created_at < now - KEY_TTL
    elif not row.completed and row.created_at < now - abandoned_after:
        condition = sa.and_(
            IdempotencyKey.completed.is_(False),
            IdempotencyKey.created_at < now - abandoned_after,
        )
    else:
        return False
    result = session.execute(
        sa.delete(IdempotencyKey)
        .where(IdempotencyKey.id == row.id, condition)
        .execution_options(synchronize_session=False)
    )
    session.expunge(row)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise IdempotencyInFlight(_IN_FLIGHT)
    return True


def begin(
    session: Session,
    *,
    user_id: uuid.UUID,
    key: str,
    method: str,
    path: str,
    request_hash: str,
    now: datetime | None = None,
    abandoned_after: timedelta = ABANDONED_AFTER,
) -> Replay | Started:
    """Claim ``key`` for a request, or say how to answer it.

    Returns :class:`Replay` when the key's request completed with this same method, path and
    body; raises :class:`IdempotencyKeyReused` (422) when the key was used for another request
    and :class:`IdempotencyInFlight` (409) while its request runs. Otherwise inserts the
    marker and returns :class:`Started`; the caller commits it before doing the work.
    """
    now = now or clock.now()
    row = _find(session, user_id, key)
    if row is not None and not _discard_if_dead(session, row, now, abandoned_after):
        if (row.method, row.path, row.request_hash) != (method, path, request_hash):
            raise IdempotencyKeyReused(
                "This Idempotency-Key was used for another request; use a new key."
            )
        if not row.completed or row.response_status is None:
            raise IdempotencyInFlight(_IN_FLIGHT)
        return Replay(
            row.response_status, row.response_body or "", dict(row.response_headers or {})
        )
    marker = IdempotencyKey(
        id=uuid.uuid4(),
        user_id=user_id,
        key=key,
        method=method,
        path=path,
        request_hash=request_hash,
        completed=False,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(marker)
    except IntegrityError as exc:
        # A concurrent first request inserted the key between our lookup and our insert.
        raise IdempotencyInFlight(_IN_FLIGHT) from exc
    return Started(marker.id)


def _mark_completed(session: Session, started: Started) -> None:
    result = session.execute(
        sa.update(IdempotencyKey)
        .where(IdempotencyKey.id == started.id)
        .values(completed=True)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise IdempotencyInFlight(
            "This request was presumed dead and its Idempotency-Key taken over; "
            "its changes were not saved."
        )


@contextmanager
def claim_on_commit(session: Session, started: Started) -> Iterator[None]:
    """While the block runs, every commit of ``session`` marks the key completed in the same
    transaction, or fails if the key was taken over (the row id is gone)."""

    def before_commit(committing: Session) -> None:
        if not committing.in_nested_transaction():  # a savepoint release commits nothing yet
            _mark_completed(committing, started)

    event.listen(session, "before_commit", before_commit)
    try:
        yield
    finally:
        event.remove(session, "before_commit", before_commit)


def work_committed(session: Session, started: Started) -> bool:
    """Whether the request's transaction committed (see :func:`claim_on_commit`)."""
    completed = session.scalar(
        sa.select(IdempotencyKey.completed).where(IdempotencyKey.id == started.id)
    )
    return bool(completed)


def complete(
    session: Session, started: Started, *, status: int, body: str, headers: Mapping[str, str]
) -> bool:
    """Store the response to replay; False when the key was taken over meanwhile."""
    result = session.execute(
        sa.update(IdempotencyKey)
        .where(IdempotencyKey.id == started.id)
        .values(
            completed=True,
            response_status=status,
            response_body=body,
            response_headers=dict(headers),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def release(session: Session, started: Started) -> None:
    """Forget the key (its request changed nothing), so that a retry runs again."""
    session.execute(
        sa.delete(IdempotencyKey)
        .where(IdempotencyKey.id == started.id)
        .execution_options(synchronize_session=False)
    )


def finish(
    session: Session, started: Started, *, status: int, body: str, headers: Mapping[str, str]
) -> bool:
    """Store the response, or release the key when the request failed (``status >= 400``)
    without committing anything. Returns whether a response was stored."""
    if status >= 400 and not work_committed(session, started):
        release(session, started)
        return False
    return complete(session, started, status=status, body=body, headers=headers)


def purge(session: Session, *, now: datetime | None = None, older_than: timedelta = KEY_TTL) -> int:
    """Delete keys older than ``older_than`` (never less than :data:`KEY_TTL`); returns how
    many."""
    if older_than < KEY_TTL:
        raise ValueError(f"keys are kept at least {KEY_TTL}")
    cutoff = (now or clock.now()) - older_than
    result = session.execute(
        sa.delete(IdempotencyKey)
        .where(IdempotencyKey.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
