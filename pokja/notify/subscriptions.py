"""Webhook subscriptions: an agency's endpoint for the notifications it wants, managed by a
liaison for its own agency or by the Pokja's coordinator for any agency of the Pokja (an outside
authority such as BKN included). The signing secret is generated here and shown once.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import may_manage_webhooks
from pokja.audit import events
from pokja.errors import Conflict, NotPermitted, field_error
from pokja.models import (
    WEBHOOK_EVENT_TYPES,
    Agency,
    OutboxMessage,
    User,
    WebhookSubscription,
)
from pokja.notify import addresses
from pokja.time import clock

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker that tells secrets apart, not a secret


def _check_url(url: Any, allow_private: bool) -> str:
    """An http(s) URL whose host does not reach a non-public address, unless allowed.

    A name that does not resolve now is accepted: delivery checks again, before connecting.
    """
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in addresses.SCHEMES or not parts.hostname:
        raise field_error("url", "Must be an http:// or https:// URL.", "invalid_url")
    try:
        addresses.check(url, allow_private=allow_private)
    except addresses.Unresolvable:
        pass
    except addresses.UnsafeURL as exc:
        raise field_error("url", f"Must reach a public address: {exc}.", "url_not_public") from None
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


def create_subscription(
    session: Session, actor: User, data: dict[str, Any], *, allow_private: bool = False
) -> WebhookSubscription:
    """Subscribe ``data["agency_id"]`` (default: the actor's agency) to ``data["events"]``.

    The secret is generated here, never chosen by the client, and returned to it this once.
    ``allow_private``: accept URLs on loopback and private networks (intranet receivers,
    ``POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS``).
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
        url=_check_url(data.get("url"), allow_private),
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
    session: Session,
    actor: User,
    subscription: WebhookSubscription,
    changes: dict[str, Any],
    *,
    allow_private: bool = False,
) -> WebhookSubscription:
    """Change the URL, event types, description or active flag (not the agency)."""
    if "url" in changes:
        subscription.url = _check_url(changes["url"], allow_private)
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
    now = now or clock.now()
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
