"""Service tokens: read-only credentials of dashboard machines (DESIGN §2 ``viewer``, §9)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pokja.models.base import Base, IdMixin, utcnow


class ServiceToken(IdMixin, Base):
    """A named, read-only token of a Pokja. Only the keyed hash of its secret is stored; the
    secret itself is shown once, when the token is created. Revoking sets ``revoked_at``, which
    every request checks in its one authentication statement."""

    __tablename__ = "service_tokens"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # HMAC-SHA256 of the secret (hex): what a request's token is looked up by.
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
