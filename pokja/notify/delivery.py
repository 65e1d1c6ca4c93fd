"""Delivering the notification outbox to agencies' webhooks (``pokja worker``).

Delivery
--------
Each message is POSTed as JSON to its subscription's URL::

    {"id": "<delivery id>", "type": "handoff.received", "created_at": "<ISO 8601>",
     "pokja_id": "...", "agency_id": "...", "data": {...}}

with the headers

- ``X-Pokja-Delivery``: the delivery id, the same on every retry: receivers drop duplicates by
  it, since delivery is *at least once*;
- ``X-Pokja-Event``: the event type;
- ``X-Pokja-Timestamp``: when this attempt was sent, in Unix seconds;
- ``X-Pokja-Signature``: ``sha256=`` and the lowercase hex HMAC-SHA256, keyed with the
  subscription's secret (its UTF-8 bytes, ``whsec_`` prefix included), of the timestamp, a
  full stop and the raw body: ``f"{timestamp}.".encode() + body``.

A receiver recomputes the HMAC over the bytes it received, compares it in constant time, and
refuses a timestamp more than five minutes away from its own clock, so that a captured request
cannot be replayed later (:func:`pokja.notify.signing.verify_signature` does all three).

A 2xx answer within the timeout (10 s) delivers the message; anything else, redirects included,
is a failed attempt, retried after 30 s × 2^(attempt - 1), at most an hour, less up to a quarter
of random jitter, until ``POKJA_WEBHOOK_MAX_ATTEMPTS`` (8) attempts have failed: the message is
then ``dead`` until someone retries it through the API.

Claiming
--------
Workers may run anywhere and any number at once. On PostgreSQL a worker selects a batch of due
messages ``FOR UPDATE SKIP LOCKED`` (rows another worker is claiming are skipped, not waited
for), then claims them with an ``UPDATE`` that repeats the "due" condition; on SQLite, which has
no row locks, one ``UPDATE ... WHERE id IN (SELECT ...)`` runs under its single writer lock, and
the repeated condition makes a second worker claim nothing that the first took.

The claim counts the attempt, tags the rows with a fresh token and pushes ``next_attempt_at``
to the end of a lease (``claimed_until``, 2 minutes), and is committed before any request is
sent: the HTTP requests run outside any transaction. An outcome is written only if the token
still matches. A worker that dies mid-way loses nothing: when its lease ends the messages are
due again and the next worker sends them with the same delivery id.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.audit import access_log
from pokja.models import OutboxMessage, WebhookSubscription
from pokja.notify.reminders import produce_deadline_reminders
from pokja.notify.sending import Outcome, send
from pokja.notify.signing import envelope
from pokja.time import clock

log = logging.getLogger("pokja.webhooks")


_jitter = secrets.SystemRandom()


@dataclass(frozen=True)
class DeliverySettings:
    """How the worker delivers; :meth:`from_config` reads ``POKJA_WEBHOOK_*`` settings."""

    max_attempts: int = 8
    timeout: float = 10.0
    lease: timedelta = timedelta(minutes=2)
    batch_size: int = 10
    max_batches: int = 100  # per run, so that ``--once`` ends even under a steady stream
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    # Off by default: a subscription's URL must not reach the server's own network (SSRF).
    allow_private_networks: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeliverySettings:
        def setting(name: str) -> Any:
            value = config.get(name, os.environ.get(name))
            return None if value in (None, "") else value

        values: dict[str, Any] = {}
        if (attempts := setting("POKJA_WEBHOOK_MAX_ATTEMPTS")) is not None:
            values["max_attempts"] = int(attempts)
        if (timeout := setting("POKJA_WEBHOOK_TIMEOUT")) is not None:
            values["timeout"] = float(timeout)
        if (private := setting("POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS")) is not None:
            values["allow_private_networks"] = str(private).lower() in ("1", "true", "yes")
        return cls(**values)


@dataclass(frozen=True)
class Claim:
    """A claimed message with everything needed to send it without the database."""

    message_id: uuid.UUID
    token: uuid.UUID
    attempt: int
    event_type: str
    url: str
    secret: str
    body: bytes


@dataclass
class RunReport:
    reminders: int = 0
    reads_digested: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


def backoff(attempt: int, settings: DeliverySettings) -> timedelta:
    """The wait after failed attempt number ``attempt`` (1, 2, ...)."""
    delay = min(settings.first_delay * 2 ** (attempt - 1), settings.max_delay)
    # Jitter spreads the retries of many messages that failed together (a receiver's outage).
    return delay * (1 - _jitter.random() / 4)


def claim_due(session: Session, *, now: datetime, settings: DeliverySettings) -> list[Claim]:
    """Claim up to ``batch_size`` due messages for this worker, and commit the claim."""
    token = uuid.uuid4()
    lease_end = now + settings.lease
    due = sa.and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    candidates = (
        sa.select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(settings.batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Selected first: as a subquery of the UPDATE, PostgreSQL may rerun it for every row
        # (a semi-join), locking and claiming far more than one batch.
        ids = session.scalars(candidates.with_for_update(skip_locked=True)).all()
        chosen = OutboxMessage.id.in_(ids)
    else:
        # SQLite has no row locks; one statement runs under its single writer lock.
        chosen = OutboxMessage.id.in_(candidates)
    claimed = session.scalars(
        sa.update(OutboxMessage)
        .where(chosen, due)
        .values(
            claim_token=token,
            claimed_until=lease_end,
            next_attempt_at=lease_end,
            attempts=OutboxMessage.attempts + 1,
            last_attempt_at=now,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    claims = []
    if claimed:
        rows = session.execute(
            sa.select(OutboxMessage, WebhookSubscription)
            .join(WebhookSubscription, WebhookSubscription.id == OutboxMessage.subscription_id)
            .where(OutboxMessage.id.in_(claimed))
            .execution_options(populate_existing=True)
        ).all()
        claims = [
            Claim(m.id, token, m.attempts, m.event_type, s.url, s.secret, envelope(m))
            for m, s in rows
        ]
    session.commit()
    return claims


def record_outcome(
    session: Session,
    claim: Claim,
    outcome: Outcome,
    *,
    now: datetime,
    settings: DeliverySettings,
) -> str | None:
    """Write what happened to a claimed message; returns its new status, or None when this
    worker's lease had ended and another worker owns the message now."""
    values: dict[str, Any] = {
        "claim_token": None,
        "claimed_until": None,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
    }
    if outcome.ok:
        values.update(status="delivered", delivered_at=now, next_attempt_at=None)
    elif claim.attempt >= settings.max_attempts:
        values.update(status="dead", next_attempt_at=None)
    else:
        values.update(status="pending", next_attempt_at=now + backoff(claim.attempt, settings))
    result = session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == claim.message_id,
            OutboxMessage.claim_token == claim.token,
            OutboxMessage.status == "pending",
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        log.warning("delivery %s: lease lost, outcome not recorded", claim.message_id)
        return None
    log.info(
        "delivery %s (%s, attempt %d): %s%s",
        claim.message_id,
        claim.event_type,
        claim.attempt,
        values["status"],
        f" - {outcome.error}" if outcome.error else "",
    )
    return str(values["status"])


def run_once(
    session: Session,
    *,
    settings: DeliverySettings,
    now: datetime | None = None,
    sender: Callable[[Claim, DeliverySettings], Outcome] = send,
) -> RunReport:
    """Queue the deadline reminders due now, digest the access log's new reads into the
    change chain (:mod:`pokja.audit.access_log`), then send every due message; commits.

    ``now`` fixes the clock (tests); by default each step reads the real time.
    """

    def current() -> datetime:
        return now or clock.now()

    report = RunReport(reminders=produce_deadline_reminders(session, now=current()))
    session.commit()
    report.reads_digested = access_log.digest_reads(session)
    session.commit()
    for _ in range(settings.max_batches):
        claims = claim_due(session, now=current(), settings=settings)
        if not claims:
            break
        with ThreadPoolExecutor(max_workers=len(claims)) as pool:
            outcomes = list(pool.map(lambda c: sender(c, settings), claims))
        for claim, outcome in zip(claims, outcomes, strict=True):
            status = record_outcome(session, claim, outcome, now=current(), settings=settings)
            report.delivered += status == "delivered"
            report.failed += status == "pending"
            report.dead += status == "dead"
        session.commit()
    return report


def run_forever(
    session: Any,
    *,
    settings: DeliverySettings,
    interval: float,
    stop: threading.Event,
) -> None:
    """Poll every ``interval`` seconds until ``stop`` is set. ``session`` is a scoped session,
    removed after each pass; a database outage is logged and the next pass tries again."""
    while not stop.is_set():
        try:
            report = run_once(session, settings=settings)
            if report.reminders or report.delivered or report.failed or report.dead:
                log.info("worker pass: %s", report)
        except sa.exc.OperationalError:
            log.exception("worker pass failed; retrying in %s s", interval)
            session.rollback()
        finally:
            session.remove()
        stop.wait(interval)
