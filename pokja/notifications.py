"""Notifications to agencies' own systems (webhooks): subscriptions and the outbox.

:func:`notify` is what domain functions call, right after ``events.record(...)``: it writes one
:class:`~pokja.models.OutboxMessage` per active subscription of the addressed agency that asks
for the event type, **in the caller's transaction**. A change that is rolled back therefore
notifies no one, and a committed one is never lost: ``pokja worker`` (pokja.webhook_delivery)
sends what the outbox holds, at least once.

Payloads are thin on purpose: identifiers, register number, status and dates, never names or
case text. A receiver that wants more reads the case through the API with its own credentials,
where the visibility rules of DESIGN §5 apply.

Subscriptions are managed by a liaison for its own agency, or by the Pokja's coordinator for
any agency of the Pokja (an outside authority such as BKN included).
"""

from __future__ import annotations

import functools
import secrets
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pokja import events
from pokja.errors import Conflict, NotPermitted, field_error
from pokja.events import jsonable
from pokja.models import (
    WEBHOOK_EVENT_TYPES,
    Agency,
    Case,
    Handoff,
    OutboxMessage,
    Share,
    User,
    WebhookSubscription,
)
from pokja.models.base import utcnow

MANAGER_ROLES = ("coordinator", "liaison")
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker that tells secrets apart, not a secret
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
    now = now or utcnow()
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


# --- subscriptions ---------------------------------------------------------------------------


def may_manage_webhooks(user: User) -> bool:
    return user.role in MANAGER_ROLES and user.pokja_id is not None


def visible_subscriptions(user: User) -> sa.Select[tuple[WebhookSubscription]]:
    """A coordinator's Pokja's subscriptions; a liaison's own agency's; nobody else's."""
    stmt = sa.select(WebhookSubscription)
    if not may_manage_webhooks(user):
        return stmt.where(sa.false())
    stmt = stmt.where(WebhookSubscription.pokja_id == user.pokja_id)
    if user.role != "coordinator":
        stmt = stmt.where(WebhookSubscription.agency_id == user.agency_id)
    return stmt


def visible_deliveries(user: User) -> sa.Select[tuple[OutboxMessage]]:
    subscriptions = visible_subscriptions(user).with_only_columns(WebhookSubscription.id)
    return sa.select(OutboxMessage).where(OutboxMessage.subscription_id.in_(subscriptions))


def _check_url(url: Any) -> str:
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise field_error("url", "Must be an http:// or https:// URL.", "invalid_url")
    return str(url)


def _check_events(values: Any) -> list[str]:
    if not isinstance(values, list | tuple) or not values:
        raise field_error("events", "Name at least one event type.")
    unknown = sorted(set(values) - set(WEBHOOK_EVENT_TYPES))
    if unknown:
        raise field_error("events", f"Unknown event types: {', '.join(map(str, unknown))}.")
    return sorted(set(values))


def _snapshot(subscription: WebhookSubscription) -> dict[str, Any]:
    """What the audit trail keeps of a subscription: everything but the secret."""
    return {
        "subscription_id": subscription.id,
        "agency_id": subscription.agency_id,
        "url": subscription.url,
        "events": subscription.events,
        "active": subscription.active,
    }


def _record(session: Session, actor: User, subscription: WebhookSubscription, type: str) -> None:
    events.record(
        session,
        pokja_id=subscription.pokja_id,
        case_id=None,
        actor=actor,
        type=type,
        data=_snapshot(subscription),
    )


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def create_subscription(session: Session, actor: User, data: dict[str, Any]) -> WebhookSubscription:
    """Subscribe ``data["agency_id"]`` (default: the actor's agency) to ``data["events"]``.

    The secret is generated here, never chosen by the client, and returned to it this once.
    """
    if not may_manage_webhooks(actor):
        raise NotPermitted("Only coordinators and liaisons manage webhooks.")
    agency = session.get(Agency, data.get("agency_id") or actor.agency_id)
    if agency is None or agency.pokja_id != actor.pokja_id:
        raise field_error("agency_id", "Unknown agency.", "unknown_agency")
    if actor.role != "coordinator" and agency.id != actor.agency_id:
        raise NotPermitted("A liaison manages its own agency's webhooks only.")
    subscription = WebhookSubscription(
        pokja_id=agency.pokja_id,
        agency_id=agency.id,
        url=_check_url(data.get("url")),
        events=_check_events(data.get("events")),
        description=data.get("description") or "",
        active=data.get("active", True),
        secret=new_secret(),
        created_by_id=actor.id,
    )
    session.add(subscription)
    session.flush()
    _record(session, actor, subscription, "webhook.created")
    return subscription


def update_subscription(
    session: Session, actor: User, subscription: WebhookSubscription, changes: dict[str, Any]
) -> WebhookSubscription:
    """Change the URL, event types, description or active flag (not the agency)."""
    if "url" in changes:
        subscription.url = _check_url(changes["url"])
    if "events" in changes:
        subscription.events = _check_events(changes["events"])
    for key in ("description", "active"):
        if key in changes:
            setattr(subscription, key, changes[key])
    session.flush()
    _record(session, actor, subscription, "webhook.updated")
    return subscription


def rotate_secret(
    session: Session, actor: User, subscription: WebhookSubscription
) -> WebhookSubscription:
    """A new secret; messages still pending are signed with it from their next attempt."""
    subscription.secret = new_secret()
    session.flush()
    _record(session, actor, subscription, "webhook.secret_rotated")
    return subscription


def delete_subscription(session: Session, actor: User, subscription: WebhookSubscription) -> None:
    """Remove a subscription with its delivery history; nothing more is sent to it."""
    _record(session, actor, subscription, "webhook.deleted")
    session.execute(
        sa.delete(OutboxMessage).where(OutboxMessage.subscription_id == subscription.id)
    )
    session.delete(subscription)
    session.flush()


def retry_delivery(
    session: Session, actor: User, message: OutboxMessage, now: datetime | None = None
) -> OutboxMessage:
    """Give a dead message a fresh set of attempts, the first one now (same delivery id)."""
    now = now or utcnow()
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == "dead")
        .values(
            status="pending",
            attempts=0,
            next_attempt_at=now,
            claimed_until=None,
            claim_token=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(message)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"Only a dead delivery is retried; this one is {message.status}.",
            code="delivery_not_dead",
        )
    events.record(
        session,
        pokja_id=message.pokja_id,
        case_id=None,
        actor=actor,
        type="webhook.delivery_retried",
        data={"delivery_id": message.id, "subscription_id": message.subscription_id},
    )
    return message
