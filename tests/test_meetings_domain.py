"""The contract between the lifecycle and the frozen agenda: whatever the snapshot's shape,
the cases it names under ``case_id`` are "discussed at" the meeting once it closes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from pokja.extensions import db
from pokja.meetings import lifecycle
from pokja.meetings.agenda_snapshot import agenda_case_ids
from pokja.meetings.attendance import record_attendance
from pokja.models import Event
from tests.factories import new_case


def test_case_ids_are_found_at_any_depth_and_nothing_else():
    one, two = uuid.uuid4(), uuid.uuid4()
    snapshot = {
        "sections": [
            {"items": [{"case_id": str(one), "title": "x"}, {"case_id": None}]},
            {"groups": {"BKN": [{"handoff": {"case_id": str(two)}}]}},
        ],
        "statistics": {"case_id": "not-a-uuid", "cases": 3},
    }
    assert agenda_case_ids(snapshot) == {one, two}
    assert agenda_case_ids(None) == set()


def test_a_case_only_in_the_frozen_agenda_is_discussed_at_the_closed_meeting(world):
    sec = world.secretary
    on_agenda, elsewhere = new_case(world), new_case(world)
    meeting = lifecycle.create_meeting(
        db.session,
        sec,
        {
            "title": "Rakor",
            "starts_at": datetime(2030, 1, 9, 2, tzinfo=UTC),
            "ends_at": datetime(2030, 1, 9, 5, tzinfo=UTC),
            "online_url": "https://meet.example.org/rakor",
        },
    )
    lifecycle.schedule(db.session, sec, meeting)
    # What the agenda package would freeze: a section naming the case.
    meeting.agenda_snapshot = {"sections": [{"items": [{"case_id": str(on_agenda.id)}]}]}
    lifecycle.start(db.session, sec, meeting)
    entries = [{"agency_id": a.id, "attendance": "absent"} for a in world.agencies.values()]
    record_attendance(db.session, sec, meeting, entries)
    lifecycle.close(db.session, sec, meeting)
    discussed = db.session.execute(
        sa.select(Event.case_id, Event.data).where(Event.type == "case.discussed_at_meeting")
    ).all()
    assert [case_id for case_id, _ in discussed] == [on_agenda.id]
    assert discussed[0][1]["meeting_title"] == "Rakor"
    assert elsewhere.id not in {case_id for case_id, _ in discussed}
