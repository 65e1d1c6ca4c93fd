"""Freezing a meeting's agenda (DESIGN §7): from ``schedule`` on, the agenda is the snapshot
stored on the meeting, so that the minutes refer to what was on the table.

This module is a seam. The generated agenda (sections 1–6 built from the Pokja's state, its
formats and its per-reader redaction) belongs to the agenda package, which replaces
:func:`freeze_agenda` with the real one. Until then the snapshot is minimal: the manual items
and the open decisions carried over from earlier meetings, as plain JSON values.

The lifecycle relies on two things only, whatever the snapshot's shape: :func:`freeze_agenda`
stores it on ``meeting.agenda_snapshot`` (and ``agenda_frozen_at``), and every object of a
case on the agenda carries that case's id under a ``case_id`` key, which
:func:`agenda_case_ids` collects when the meeting closes ("discussed at <meeting>").
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from pokja.audit.events import jsonable
from pokja.models import AgendaItem, Decision, Meeting
from pokja.time import clock


def freeze_agenda(meeting: Meeting) -> None:
    """Store the meeting's agenda as it stands now (minimal until the agenda package)."""
    session = object_session(meeting)
    if session is None:
        raise RuntimeError("the meeting is detached")
    now = clock.now()
    items = session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.created_at, AgendaItem.id)
    )
    carried = session.scalars(
        sa.select(Decision)
        .where(
            Decision.pokja_id == meeting.pokja_id,
            Decision.status == "open",
            Decision.meeting_id != meeting.id,
        )
        .order_by(Decision.due_on, Decision.id)
    )
    meeting.agenda_snapshot = jsonable(
        {
            "frozen_at": now,
            "open_decisions": [
                {
                    "decision_id": d.id,
                    "meeting_id": d.meeting_id,
                    "owner_agency_id": d.owner_agency_id,
                    "due_on": d.due_on,
                    "case_id": d.case_id,
                }
                for d in carried
            ],
            "manual_items": [
                {
                    "item_id": item.id,
                    "position": item.position,
                    "title": item.title,
                    "case_id": item.case_id,
                    "presenter_agency_id": item.presenter_agency_id,
                    "planned_minutes": item.planned_minutes,
                }
                for item in items
            ],
        }
    )
    meeting.agenda_frozen_at = now


def agenda_case_ids(snapshot: Any) -> set[uuid.UUID]:
    """Every case id a snapshot names under a ``case_id`` key, at any depth."""
    found: set[uuid.UUID] = set()
    stack = [snapshot]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            case_id = value.get("case_id")
            if isinstance(case_id, str):
                with contextlib.suppress(ValueError):
                    found.add(uuid.UUID(case_id))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found
