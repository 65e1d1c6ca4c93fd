"""Notifications to agencies' own systems: webhook subscriptions and the outbox of deliveries.

A notification is written to the outbox in the same transaction as the change it reports, so a
rolled-back change sends nothing; a worker (``pokja worker``) delivers it afterwards.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pokja.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, string_enum, utcnow

# Every notification a subscription may ask for. The addressee is always one agency: the one
# that must act (a handoff received) or the one whose action was answered (a handoff accepted).
WEBHOOK_EVENT_TYPES = (
    "handoff.received",
    "handoff.accepted",
    "handoff.declined",
    "handoff.withdrawn",
    "case.shared",
    "recommendation.received",
    "escalation.received",
    "deadline.approaching",
    "deadline.passed",
    "meeting.scheduled",
    "meeting.rescheduled",
    "meeting.cancelled",
    "decision.assigned",
)
OUTBOX_STATUSES = ("pending", "delivered", "dead")


class WebhookSubscription(IdMixin, TimestampMixin, VersionedMixin, Base):
    """An agency's endpoint for notifications of the given event types.

    ``secret`` signs every delivery (HMAC-SHA256); it must be readable to sign, so it is
    stored as given and only ever shown to the caller once, when created or rotated.
    """

    __tablename__ = "webhook_subscriptions"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    events: Mapped[list[str]] = mapped_column(sa.JSON)
    description: Mapped[str] = mapped_column(sa.String(200), default="")
    secret: Mapped[str] = mapped_column(sa.String(128))
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    @property
    def secret_hint(self) -> str:
        """Enough of the secret to tell two apart, never enough to sign with."""
        return f"{self.secret[:6]}…{self.secret[-4:]}"


class OutboxMessage(IdMixin, Base):
    """One notification for one subscription. ``id`` is the delivery id the receiver sees in
    ``X-Pokja-Delivery``: the same on every attempt, so a receiver can drop duplicates.

    ``next_attempt_at`` is set only while the message is pending (NULL once delivered or
    dead), so its index holds just the work still to do. A worker that claims a message pushes
    ``next_attempt_at`` to the end of its lease (``claimed_until``) and tags it with its
    ``claim_token``: if the worker dies, the message falls due again when the lease ends.
    """

    __tablename__ = "webhook_outbox"
    __table_args__ = (
        # Deadline reminders: produced once per subscription, however often the worker runs.
        sa.UniqueConstraint("subscription_id", "dedupe_key"),
        sa.CheckConstraint(
            "(status = 'pending') = (next_attempt_at IS NOT NULL)", name="scheduled_iff_pending"
        ),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("webhook_subscriptions.id"), index=True
    )
    event_type: Mapped[str] = mapped_column(string_enum("webhook_event_type", WEBHOOK_EVENT_TYPES))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(
        string_enum("outbox_status", OUTBOX_STATUSES, 16), default="pending", index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[uuid.UUID | None]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    delivered_at: Mapped[datetime | None]
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
