"""The span an agenda covers: since the previous meeting, up to the next one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from pokja.models import Meeting
from pokja.time.calendar import PokjaCalendar

# DESIGN §7: a Pokja's first meeting looks back over the last 30 days; the deadlines section
# looks 14 days ahead when no next meeting is scheduled.
FIRST_MEETING_LOOKBACK = timedelta(days=30)
LOOKAHEAD_DAYS = 14

_previous = aliased(Meeting, name="previous")
_next = aliased(Meeting, name="next")
_PREVIOUS = (
    sa.select(_previous.id, _previous.starts_at)
    .where(
        _previous.pokja_id == sa.bindparam("pokja_id"),
        _previous.id != sa.bindparam("meeting_id"),
        _previous.status != "cancelled",
        _previous.starts_at < sa.bindparam("starts_at"),
    )
    .order_by(_previous.starts_at.desc(), _previous.id)
    .limit(1)
    .subquery()
)
_NEXT = (
    sa.select(_next.id, _next.starts_at)
    .where(
        _next.pokja_id == sa.bindparam("pokja_id"),
        _next.id != sa.bindparam("meeting_id"),
        _next.status == "scheduled",
        _next.starts_at > sa.bindparam("starts_at"),
    )
    .order_by(_next.starts_at, _next.id)
    .limit(1)
    .subquery()
)
# One statement: the previous non-cancelled meeting and the next scheduled one, either absent.
NEIGHBOURS = sa.select(
    sa.select(_PREVIOUS.c.id).scalar_subquery().label("previous_id"),
    sa.select(_PREVIOUS.c.starts_at).scalar_subquery().label("previous_starts_at"),
    sa.select(_NEXT.c.id).scalar_subquery().label("next_id"),
    sa.select(_NEXT.c.starts_at).scalar_subquery().label("next_starts_at"),
)


@dataclass(frozen=True)
class AgendaWindow:
    """``since``: where "new since the previous meeting" starts; ``until``: the end of the
    deadlines section (the next scheduled meeting's start, or 14 days after this one)."""

    meeting_id: uuid.UUID
    pokja_id: uuid.UUID
    starts_at: datetime
    since: datetime
    since_meeting_id: uuid.UUID | None
    until: datetime
    until_meeting_id: uuid.UUID | None

    def as_json(self) -> dict[str, Any]:
        return {
            "starts_at": self.starts_at.isoformat(),
            "since": self.since.isoformat(),
            "since_meeting_id": _text(self.since_meeting_id),
            "until": self.until.isoformat(),
            "until_meeting_id": _text(self.until_meeting_id),
        }


def _text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def window_for(session: Session, meeting: Any, calendar: PokjaCalendar) -> AgendaWindow:
    """The window of ``meeting`` (a :class:`~pokja.models.Meeting` or a row with its id,
    pokja_id and starts_at): one statement."""
    row = session.execute(
        NEIGHBOURS,
        {"pokja_id": meeting.pokja_id, "meeting_id": meeting.id, "starts_at": meeting.starts_at},
    ).one()
    previous, following = row.previous_id, row.next_id
    since = (
        row.previous_starts_at
        if previous is not None
        else meeting.starts_at - FIRST_MEETING_LOOKBACK
    )
    if following is not None:
        until = row.next_starts_at
    else:
        last_day = calendar.local_date(meeting.starts_at) + timedelta(days=LOOKAHEAD_DAYS)
        until = calendar.end_of(last_day)
    return AgendaWindow(
        meeting_id=meeting.id,
        pokja_id=meeting.pokja_id,
        starts_at=meeting.starts_at,
        since=since,
        since_meeting_id=previous,
        until=until,
        until_meeting_id=following,
    )
