"""The outbox of notifications to agencies' own systems (webhooks).

:func:`notify` is what domain functions call, right after ``events.record(...)``: it writes one
:class:`~pokja.models.OutboxMessage` per active subscription of the addressed agency that asks
for the event type, **in the caller's transaction**. A change that is rolled back therefore
notifies no one, and a committed one is never lost: ``pokja worker`` (pokja.notify.delivery)
sends what the outbox holds, at least once.

Payloads are thin on purpose: identifiers, register number, status and dates, never names or
case text. A receiver that wants more reads the case through the API with its own credentials,
where the visibility rules of DESIGN §5 apply.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pokja.audit.events import jsonable
from pokja.models import (
    WEBHOOK_EVENT_TYPES,
    Case,
    Handoff,
    OutboxMessage,
    Share,
    WebhookSubscription,
)
from pokja.time import clock

# Who is told about a handoff: the receiver when one arrives, the sender when it is answered;
# a withdrawal both (the sender's record of it, and the receiver no longer has to act).
_HANDOFF_ADDRESSEES = {
    "handoff.received": ("to_agency_id",),
    "handoff.accepted": ("from_agency_id",),
    "handoff.declined": ("from_agency_id",),
    "handoff.withdrawn": ("from_agency_id", "to_agency_id"),
}


Payload = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def notify(
    session: Session,
    *,
    pokja_id: uuid.UUID,
    agency_id: uuid.UUID,
    event_type: str,
    payload: Payload,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> int:
    """Queue ``event_type`` for every active subscription of ``agency_id`` that asks for it.

    ``payload`` may be a callable, so that a change nobody subscribed to costs one query only.
    With a ``dedupe_key`` each subscription gets the message at most once, however often this
    is called (deadline reminders). Returns how many messages were queued.
    """
    if event_type not in WEBHOOK_EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    subscriptions = [
        s
        for s in session.scalars(
            sa.select(WebhookSubscription).where(
                WebhookSubscription.pokja_id == pokja_id,
                WebhookSubscription.agency_id == agency_id,
                WebhookSubscription.active.is_(True),
            )
        )
        if event_type in s.events
    ]
    if not subscriptions:
        return 0
    data = jsonable(payload() if callable(payload) else payload)
    now = now or clock.now()
    queued = 0
    for subscription in subscriptions:
        values = {
            "id": uuid.uuid4(),
            "pokja_id": pokja_id,
            "agency_id": agency_id,
            "subscription_id": subscription.id,
            "event_type": event_type,
            "payload": data,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "dedupe_key": dedupe_key,
            "created_at": now,
        }
        if dedupe_key is None:
            session.add(OutboxMessage(**values))
            queued += 1
        else:
            queued += _insert_once(session, values)
    session.flush()
    return queued


def _insert_once(session: Session, values: dict[str, Any]) -> int:
    """INSERT unless the (subscription, dedupe key) pair exists; a concurrent producer that
    inserts it first makes this a no-op rather than an error (PostgreSQL waits for it)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(OutboxMessage.__table__.c.id)
    )
    return len(session.execute(stmt).all())


def _register_number(session: Session, case_id: uuid.UUID) -> str | None:
    return session.scalar(sa.select(Case.register_number).where(Case.id == case_id))


def handoff_payload(handoff: Handoff, register_number: str | None) -> dict[str, Any]:
    return {
        "handoff_id": handoff.id,
        "case_id": handoff.case_id,
        "register_number": register_number,
        "from_agency_id": handoff.from_agency_id,
        "to_agency_id": handoff.to_agency_id,
        "purpose": handoff.purpose,
        "status": handoff.status,
        "due_on": handoff.due_on,
        "decline_reason": handoff.decline_reason,
        "suggested_agency_id": handoff.suggested_agency_id,
    }


def notify_handoff(session: Session, handoff: Handoff, event_type: str) -> int:
    """``handoff.received`` to the receiving agency; an acceptance or a decline to the sending
    agency; a withdrawal to both."""
    build = functools.cache(
        lambda: handoff_payload(handoff, _register_number(session, handoff.case_id))
    )
    return sum(
        notify(
            session,
            pokja_id=handoff.pokja_id,
            agency_id=getattr(handoff, attribute),
            event_type=event_type,
            payload=build,
        )
        for attribute in _HANDOFF_ADDRESSEES[event_type]
    )


def notify_share(session: Session, share: Share) -> int:
    """``case.shared`` to the agency given read access."""
    return notify(
        session,
        pokja_id=share.pokja_id,
        agency_id=share.agency_id,
        event_type="case.shared",
        payload=lambda: {
            "share_id": share.id,
            "case_id": share.case_id,
            "register_number": _register_number(session, share.case_id),
            "agency_id": share.agency_id,
            "reason": share.reason,
        },
    )


@dataclass(frozen=True)
class Backlog:
    """What the outbox holds for the operators' metrics."""

    pending: int
    dead: int
    oldest_pending_at: datetime | None


_BACKLOG = (
    sa.select(OutboxMessage.status, sa.func.count(), sa.func.min(OutboxMessage.created_at))
    .where(OutboxMessage.status.in_(("pending", "dead")))
    .group_by(OutboxMessage.status)
)


def backlog(session: Session) -> Backlog:
    """Messages waiting to be delivered and given up on (dead), over every Pokja: one
    statement over the status index."""
    rows = {status: (count, oldest) for status, count, oldest in session.execute(_BACKLOG)}
    pending, oldest = rows.get("pending", (0, None))
    return Backlog(pending=pending, dead=rows.get("dead", (0, None))[0], oldest_pending_at=oldest)
