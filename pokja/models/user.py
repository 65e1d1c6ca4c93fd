"""Users and their login sessions (token families)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pokja.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, string_enum, utcnow
from pokja.models.pokja import Agency, Pokja

ROLES = ("admin", "coordinator", "secretary", "liaison", "viewer")
# Roles that act for an agency (DESIGN §2: all but admins and viewers belong to one).
AGENCY_ROLES = ("coordinator", "secretary", "liaison")


class User(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        # An admin runs the installation and belongs to no Pokja; everyone else to exactly one.
        sa.CheckConstraint(
            "(role = 'admin' AND pokja_id IS NULL AND agency_id IS NULL)"
            " OR (role <> 'admin' AND pokja_id IS NOT NULL)",
            name="pokja_membership",
        ),
        sa.CheckConstraint(
            "role NOT IN ('coordinator', 'secretary', 'liaison') OR agency_id IS NOT NULL",
            name="agency_membership",
        ),
    )

    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(string_enum("user_role", ROLES, 16))
    pokja_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]

    pokja: Mapped[Pokja | None] = relationship(lazy="raise")
    agency: Mapped[Agency | None] = relationship(lazy="raise")


class AuthSession(IdMixin, Base):
    """One login: the family of refresh tokens rotated from it and the access tokens they mint.

    Revoking the session (logout, refresh-token reuse, deactivation) invalidates every token of
    the family at once, on every instance, because each request checks it in the database.
    """

    __tablename__ = "auth_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(32))


class RefreshToken(Base):
    """A refresh token's id; once rotated (``used_at`` set) it may never be used again."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("auth_sessions.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed logins of one username or one client address within a window, and the lock-out
    they led to (issue 9). In the database, so that it holds across gunicorn workers and
    instances alike; one row per key, counted with atomic UPDATEs."""

    __tablename__ = "login_throttles"

    # "username" or "client"
    scope: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None] = mapped_column(index=True)
