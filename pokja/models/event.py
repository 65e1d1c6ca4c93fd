"""Append-only events with their hash chain, per-Pokja counters and idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pokja.models.base import Base, IdMixin, utcnow

REGISTER_KINDS = ("LP", "TM")


class Event(IdMixin, Base):
    """One recorded change or personal-data read (DESIGN §3), chained by hash per Pokja."""

    __tablename__ = "events"
    __table_args__ = (
        sa.UniqueConstraint("pokja_id", "seq"),
        # The changes feed filtered by type pages in chain order (pokja.audit.feed).
        sa.Index("ix_events_pokja_type_seq", "pokja_id", "type", "seq"),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    # Position in the Pokja's chain, 1-based and gapless; also the changes feed's cursor.
    seq: Mapped[int]
    case_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    actor_agency_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("agencies.id"), index=True
    )
    type: Mapped[str] = mapped_column(sa.String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The audit key whose HMAC ``hash`` is (pokja.audit.keys); NULL for the plain SHA-256 of
    # events recorded before the chain was keyed.
    key_id: Mapped[str | None] = mapped_column(sa.String(32))


class EventChainHead(Base):
    """The last link of a Pokja's chain. Updating this row serialises the Pokja's writers, so
    two concurrent transactions can never both append after the same event (no fork)."""

    __tablename__ = "event_chain_heads"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64))


class RegisterCounter(Base):
    """The last register sequence used by a Pokja for a kind (LP/TM) in a year.

    DESIGN §3: the sequence restarts each year. Reports (LP) and findings (TM) are kept in
    separate register books by Bawaslu, so each kind has its own sequence.
    """

    __tablename__ = "register_counters"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class IdempotencyKey(IdMixin, Base):
    """A POST's ``Idempotency-Key`` and the first response, replayed on retries (DESIGN §9)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(sa.String(255))
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(500))
    # SHA-256 of the request body: the same key with another body is a client error.
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    completed: Mapped[bool] = mapped_column(default=False)
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
