"""The minutes (notulen) of a closed meeting as one reader may see them (DESIGN §7): the
attendance, the frozen agenda with each item's minutes, the meeting's minutes, its decisions
with owners and dates, and the Pokja's audit-chain head at closing (sequence and hash), which
the agencies present sign on paper and ``pokja audit-verify --anchor SEQ:HASH`` checks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.scopes import access_shape, caller_params, full_access_condition
from pokja.errors import Conflict
from pokja.meetings.agenda.build import build_snapshot
from pokja.meetings.agenda.reading import (
    invitations,
    load_meeting,
    manual_items,
    meeting_view,
    present,
)
from pokja.models import Case, Decision, User
from pokja.models.base import AnySelect

_DECISIONS: dict[str, AnySelect] = {}


def _decisions_statement(user: User) -> AnySelect:
    shape = access_shape(user)
    if shape not in _DECISIONS:
        _DECISIONS[shape] = (
            sa.select(
                Decision.id,
                Decision.text,
                Decision.owner_agency_id,
                Decision.due_on,
                Decision.status,
                Decision.done_at,
                Decision.case_id,
                Case.register_number,
                sa.func.coalesce(full_access_condition(user), False).label("full_access"),
            )
            .outerjoin(Case, Case.id == Decision.case_id)
            .where(Decision.meeting_id == sa.bindparam("meeting_id"))
            .order_by(Decision.created_at, Decision.id)
        )
    return _DECISIONS[shape]


def decisions(session: Session, user: User, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    """The meeting's decisions; the text of one on a case the reader does not see in full is
    left out (its register number, owner and dates stay)."""
    rows = session.execute(
        _decisions_statement(user), {**caller_params(user), "meeting_id": meeting_id}
    )
    items = []
    for row in rows:
        full = row.case_id is None or (bool(row.full_access) and user.role != "viewer")
        items.append(
            {
                "id": str(row.id),
                "text": row.text if full else None,
                "redacted": not full,
                "owner_agency_id": str(row.owner_agency_id),
                "due_on": row.due_on.isoformat(),
                "status": row.status,
                "done_at": row.done_at.isoformat() if row.done_at else None,
                "case_id": None if row.case_id is None else str(row.case_id),
                "register_number": row.register_number,
            }
        )
    return items


def read_minutes(
    session: Session, user: User, meeting_id: uuid.UUID, now: datetime
) -> dict[str, Any]:
    """The minutes document of a closed meeting (409 ``meeting_not_closed`` before)."""
    meeting = load_meeting(session, user, meeting_id)
    if meeting.status != "closed":
        raise Conflict("The minutes exist once the meeting is closed.", code="meeting_not_closed")
    snapshot = meeting.agenda_snapshot
    if not snapshot or "sections" not in snapshot:
        # A meeting closed before the agenda was generated (or imported) keeps its record:
        # what the Pokja's state says now, marked as not frozen.
        snapshot = build_snapshot(session, meeting, now)
    return {
        "meeting": meeting_view(meeting, invitations(session, meeting.id)),
        "agencies": snapshot["agencies"],
        "closed_at": meeting.closed_at.isoformat() if meeting.closed_at else None,
        "minutes": meeting.minutes or "",
        "sections": present(snapshot, user, manual_items(session, user, meeting.id)),
        "decisions": decisions(session, user, meeting.id),
        "chain_head": {"seq": meeting.chain_head_seq, "hash": meeting.chain_head_hash},
    }
