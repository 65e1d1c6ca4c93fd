"""Loading a meeting for a change: found through the caller's scope (another Pokja's is a
404), then locked, so that of two concurrent writes (two closes, a decision racing a close)
the second sees what the first did."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import manages_meetings
from pokja.access.scopes import get_or_404, visible_meetings
from pokja.errors import Conflict, NotPermitted, RuleViolation
from pokja.models import MEMBER_AGENCY_KINDS, Agency, Meeting, MeetingInvitation, User
from pokja.time import clock

# A closed meeting is read-only (DESIGN §7); a cancelled one too.
LOCKED = {"closed": "meeting_closed", "cancelled": "meeting_cancelled"}


def get_meeting(session: Session, user: User, meeting_id: uuid.UUID) -> Meeting:
    """A meeting of the caller's Pokja; any other is not found."""
    return get_or_404(  # type: ignore[no-any-return]
        session, visible_meetings(user).where(Meeting.id == meeting_id), "Meeting"
    )


def lock_meeting(session: Session, meeting: Meeting) -> Meeting:
    """The meeting's current row, locked until the transaction ends (PostgreSQL: FOR UPDATE;
    SQLite has one writer at a time anyway)."""
    stmt = (
        sa.select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one()


def for_change(session: Session, actor: User, meeting: Meeting, *allowed: str) -> Meeting:
    """``meeting`` locked for a change by ``actor`` while its status is one of ``allowed``.

    A closed meeting refuses every write with 409 ``meeting_closed``; another status that
    does not allow the change is 409 ``meeting_status``.
    """
    if not manages_meetings(actor):
        raise NotPermitted("Only a secretary or a coordinator writes meetings.")
    meeting = lock_meeting(session, meeting)
    if meeting.status not in allowed:
        code = LOCKED.get(meeting.status, "meeting_status")
        raise Conflict(
            f"The meeting is {meeting.status}; this needs it {' or '.join(allowed)}.",
            code=code,
            status_now=meeting.status,
        )
    return meeting


def touch(meeting: Meeting) -> None:
    """A change below the meeting (attendance, items, minutes, decisions) is a new version
    of it: its ETag moves."""
    meeting.updated_at = clock.now()


def member_agencies(session: Session, pokja_id: uuid.UUID) -> list[Agency]:
    """The Pokja's active member agencies (the default invitation list, DESIGN §1)."""
    return list(
        session.scalars(
            sa.select(Agency)
            .where(
                Agency.pokja_id == pokja_id,
                Agency.active.is_(True),
                Agency.kind.in_(MEMBER_AGENCY_KINDS),
            )
            .order_by(Agency.kind, Agency.name)
        )
    )


def pokja_agencies(
    session: Session, pokja_id: uuid.UUID, agency_ids: Iterable[Any], field: str
) -> list[Agency]:
    """The agencies named, each an active agency of the Pokja; any other (another Pokja's,
    an unknown id) is a 422 on ``field`` that names it."""
    wanted = list(dict.fromkeys(agency_ids))
    found = {
        agency.id: agency
        for agency in session.scalars(
            sa.select(Agency).where(
                Agency.id.in_(wanted), Agency.pokja_id == pokja_id, Agency.active.is_(True)
            )
        )
    }
    unknown = [str(agency_id) for agency_id in wanted if agency_id not in found]
    if unknown:
        message = f"Unknown agency: {', '.join(unknown)}."
        raise RuleViolation(message, code="unknown_agency", errors={field: [message]})
    return [found[agency_id] for agency_id in wanted]


def invitations_of(session: Session, meeting: Meeting) -> list[MeetingInvitation]:
    return list(
        session.scalars(
            sa.select(MeetingInvitation)
            .where(MeetingInvitation.meeting_id == meeting.id)
            .order_by(MeetingInvitation.agency_id)
        )
    )


def meetings_where(
    stmt: sa.Select[Meeting],
    *,
    status: str | None = None,
    from_: datetime | None = None,
    to: datetime | None = None,
) -> sa.Select[Meeting]:
    """Narrow a meeting query: by status, and starting in ``[from_, to)``."""
    if status:
        stmt = stmt.where(Meeting.status == status)
    if from_ is not None:
        stmt = stmt.where(Meeting.starts_at >= from_)
    if to is not None:
        stmt = stmt.where(Meeting.starts_at < to)
    return stmt
