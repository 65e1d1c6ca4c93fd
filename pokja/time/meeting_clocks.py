"""A case's open meeting decisions as clocks of its deadlines block (DESIGN §3 "Meeting",
§6): each due at the end of its day in the Pokja's zone, beside the case's own clocks
(:mod:`pokja.time.case_clocks`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from pokja.time.calendar import PokjaCalendar, is_overdue

# A meeting decision runs on no catalogue clock (DESIGN §3 "Meeting"): its own day.
DECISION_CLOCK = "meeting_decision"
DECISION_LABELS = ("Keputusan rapat koordinasi", "Coordination meeting decision")


def _moment(value: Any) -> datetime:
    """A timestamp as a JSON aggregate gives it: ISO text, naive (SQLite, UTC) or not."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def decision_clocks(
    calendar: PokjaCalendar, decisions: Sequence[Mapping[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """The case's open meeting decisions as clocks of its deadlines block, each due at the end
    of its day in the Pokja's zone (plain values: ids, dates, the owner agency; no text)."""
    views = []
    for decision in decisions:
        due_on = decision["due_on"]
        due_at = calendar.end_of(date.fromisoformat(due_on) if isinstance(due_on, str) else due_on)
        unit = decision["due_unit"]
        views.append(
            {
                "clock": DECISION_CLOCK,
                "label_id": DECISION_LABELS[0],
                "label_en": DECISION_LABELS[1],
                "started_at": _moment(decision["created_at"]),
                "due_at": due_at.astimezone(calendar.zone),
                "unit": unit,
                "days_left": calendar.days_left(due_at, now, unit),
                "running": True,
                "overdue": is_overdue(due_at, now),
                "late": None,
                "extension": None,
                "decision_id": uuid.UUID(str(decision["id"])),
                "meeting_id": uuid.UUID(str(decision["meeting_id"])),
                "owner_agency_id": uuid.UUID(str(decision["owner_agency_id"])),
            }
        )
    return views
