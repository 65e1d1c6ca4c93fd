"""Freezing a meeting's agenda (DESIGN §7): from ``schedule`` on, the agenda is the snapshot
stored on the meeting, so that the minutes refer to what was on the table.

The snapshot is the generated agenda (:func:`pokja.meetings.agenda.build.build_snapshot`):
sections 1–6 as they stand at the freeze, in full, with each case's full-access facts so that
every reader gets it redacted for them (:mod:`pokja.meetings.agenda.reading`). Every object of
a case on the agenda carries that case's id under a ``case_id`` key, which
:func:`agenda_case_ids` collects when the meeting closes ("discussed at <meeting>").
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from sqlalchemy.orm import object_session

from pokja.meetings.agenda.build import build_snapshot
from pokja.models import Meeting
from pokja.time import clock


def freeze_agenda(meeting: Meeting) -> None:
    """Store the meeting's agenda as it stands now (``agenda_snapshot``, ``agenda_frozen_at``)."""
    session = object_session(meeting)
    if session is None:
        raise RuntimeError("the meeting is detached")
    now = clock.now()
    meeting.agenda_snapshot = build_snapshot(session, meeting, now)
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
