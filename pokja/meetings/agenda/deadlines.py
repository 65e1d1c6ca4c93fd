"""Section 5 of an agenda: what falls due between this meeting and the next, read from the one
list of deadline sources (:data:`pokja.time.sources.SOURCES`) like ``/deadlines``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pokja.meetings.agenda.window import AgendaWindow
from pokja.time import sources
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Settings
from pokja.time.scope import DueScope, KnownAgency, PokjaClocks


def deadlines(
    session: Session,
    window: AgendaWindow,
    calendar: PokjaCalendar,
    settings: Settings,
    now: datetime,
    agencies: tuple[KnownAgency, ...] | None = None,
) -> list[dict[str, Any]]:
    """Every source's items of the whole Pokja falling due from the meeting's start up to the
    window's end, soonest first (what is overdue already is in sections 2–4). ``agencies``:
    the Pokja's, oldest first, when the caller has them (its facts)."""
    clocks = PokjaClocks(
        calendar=calendar,
        settings=settings,
        until=calendar.local_date(window.until),
        agencies=agencies,
    )
    # From the meeting's start: the sources leave out in SQL what fell due before it.
    scope = DueScope(now=now, pokjas={window.pokja_id: clocks}, since=window.starts_at)
    due = [item for item in sources.collect(session, scope) if item.due_at <= window.until]
    due.sort(key=lambda item: (item.due_at, str(item.item_id)))
    return [
        {
            "object": "deadline",
            "kind": item.kind,
            "id": str(item.item_id),
            "case_id": None if item.case_id is None else str(item.case_id),
            "why": "due_before_next_meeting",
            "clock": str(item.clock),
            "due_at": item.due_at.isoformat(),
            "due_on": calendar.local_date(item.due_at).isoformat(),
            "unit": item.unit,
            "agency_id": str(item.agency_id),
        }
        for item in due
    ]
