"""The agenda document (DESIGN §7): sections 1–6 read from the Pokja's state in a fixed number
of statements (about 20, the same for ten open cases as for thousands), plus the facts each
reader's redaction needs. It is plain JSON, so a meeting stores it as its frozen agenda."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.cases.facts import PokjaFacts
from pokja.meetings.agenda import sections
from pokja.meetings.agenda.deadlines import deadlines
from pokja.meetings.agenda.facts import case_facts
from pokja.meetings.agenda.statistics import statistics
from pokja.meetings.agenda.window import window_for
from pokja.models import AgendaItem

FORMAT = 1
# DESIGN §7's order; the keys name the sections in every format.
SECTION_KEYS = (
    "new_cases",
    "handoffs",
    "recommendations",
    "open_decisions",
    "deadlines",
    "statistics",
    "manual_items",
)

MANUAL_CASES = sa.select(AgendaItem.id, AgendaItem.case_id).where(
    AgendaItem.meeting_id == sa.bindparam("meeting_id")
)


def build_snapshot(session: Session, meeting: Any, now: datetime) -> dict[str, Any]:
    """The agenda of ``meeting`` (a Meeting or a row with id, pokja_id, starts_at) at ``now``,
    in full, with what its redaction per reader needs (:mod:`.reading`)."""
    facts = PokjaFacts.load(session, meeting.pokja_id)
    calendar = facts.calendar
    window = window_for(session, meeting, calendar)
    params = {
        "pokja_id": meeting.pokja_id,
        "meeting_id": meeting.id,
        "starts_at": meeting.starts_at,
        "since": window.since,
        "now": now,
    }
    handoffs = sections.handoffs(session, params, calendar, now)
    generated = {
        "new_cases": sections.new_cases(session, params),
        "handoffs": handoffs,
        "recommendations": sections.recommendations(session, params, calendar, now),
        "open_decisions": sections.open_decisions(session, params, calendar, now),
        "deadlines": deadlines(session, window, calendar, facts.settings, now, facts.by_age),
    }
    # The manual items are read live when the agenda is (they are the meeting's own list,
    # locked once it starts); their cases are recorded here as being on the table.
    manual = [
        {"object": "agenda_item", "id": str(row.id), "case_id": str(row.case_id)}
        for row in session.execute(MANUAL_CASES, params)
        if row.case_id is not None
    ]
    named = sections.case_ids([*generated.values(), manual])
    return {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "timezone": calendar.time_zone,
        "window": window.as_json(),
        "agencies": {
            str(agency_id): {"kind": agency["kind"], "name": agency["name"]}
            for agency_id, agency in facts.agencies.items()
        },
        "cases": case_facts(session, named),
        "sections": generated,
        "statistics": statistics(session, params, handoffs),
        "manual_cases": manual,
    }
