"""Meetings (rapat koordinasi, "rakor"): invitations and attendance, manual agenda items and
the decisions taken (DESIGN §3 "Meeting", §7)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pokja.models.base import (
    DAY_UNITS,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
    string_enum,
)

# draft → scheduled → in_progress → closed (locked), draft|scheduled → cancelled; a
# coordinator may reopen a closed meeting (closed → in_progress), recorded with a reason.
MEETING_STATUSES = ("draft", "scheduled", "in_progress", "closed", "cancelled")
ATTENDANCE_STATES = ("present", "absent", "excused")
DECISION_STATUSES = ("open", "done")


class Meeting(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A coordination meeting (rakor) of a Pokja."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("place IS NOT NULL OR online_url IS NOT NULL", name="has_place_or_url"),
        sa.CheckConstraint(
            "status <> 'cancelled' OR cancel_reason IS NOT NULL", name="cancel_has_reason"
        ),
        sa.CheckConstraint(
            "status <> 'closed' OR (chain_head_seq IS NOT NULL AND chain_head_hash IS NOT NULL)",
            name="closed_has_chain_head",
        ),
        # The meeting list: a Pokja's meetings by start, keyset on (starts_at, id).
        sa.Index("ix_meetings_pokja_starts", "pokja_id", "starts_at", "id"),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(
        string_enum("meeting_status", MEETING_STATUSES, 16), default="draft", index=True
    )
    # Stored in UTC; shown in the Pokja's zone.
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(sa.String(300))
    online_url: Mapped[str | None] = mapped_column(sa.String(2000))
    # iCalendar SEQUENCE (RFC 5545 §3.8.7.4): grows with every reschedule and cancellation.
    sequence: Mapped[int] = mapped_column(default=0)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # The Pokja's audit-chain head when the meeting closed: printed in the signed minutes, it
    # anchors the record outside the database (``pokja audit-verify --anchor SEQ:HASH``).
    chain_head_seq: Mapped[int | None]
    chain_head_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # The agenda frozen at ``schedule`` (and re-frozen by a refresh), so that the minutes refer
    # to what was on the table; NULL while the agenda is live.
    agenda_snapshot: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    agenda_frozen_at: Mapped[datetime | None]
    minutes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    invitations: Mapped[list[MeetingInvitation]] = relationship(
        lazy="raise", back_populates="meeting", order_by="MeetingInvitation.agency_id"
    )


class MeetingInvitation(IdMixin, Base):
    """An agency invited to a meeting, and its attendance once recorded."""

    __tablename__ = "meeting_invitations"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "agency_id"),)

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # NULL until recorded while the meeting is in progress.
    attendance: Mapped[str | None] = mapped_column(
        string_enum("attendance_state", ATTENDANCE_STATES, 16)
    )
    # The named people who came: [{"name": ..., "position": ...}, ...].
    attendees: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    meeting: Mapped[Meeting] = relationship(lazy="raise", back_populates="invitations")


class AgendaItem(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A manual agenda item (DESIGN §7, section 7), editable until the meeting starts; its
    minutes are written while the meeting is in progress."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        sa.CheckConstraint("planned_minutes IS NULL OR planned_minutes > 0", name="minutes_pos"),
        sa.Index("ix_agenda_items_meeting_position", "meeting_id", "position", "id"),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    case_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    presenter_agency_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("agencies.id"), index=True
    )
    planned_minutes: Mapped[int | None]
    minutes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)


class Decision(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A decision (action item) of a meeting: an owner agency does something by a date.
    Decisions outlive their meeting; open ones carry over to the next meeting's agenda."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.CheckConstraint("status = 'open' OR (done_at IS NOT NULL)", name="done_has_time"),
        # Open decisions by due day: /deadlines, reminders and the agenda's carried-over list.
        sa.Index("ix_decisions_pokja_status_due", "pokja_id", "status", "due_on", "id"),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    owner_agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # Due at the end of this day in the Pokja's zone; computed once when the decision is taken
    # (a later calendar change never moves it).
    due_on: Mapped[date] = mapped_column(index=True)
    due_unit: Mapped[str] = mapped_column(string_enum("decision_due_unit", DAY_UNITS, 16))
    case_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(
        string_enum("decision_status", DECISION_STATUSES, 16), default="open", index=True
    )
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    done_note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
