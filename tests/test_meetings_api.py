"""Meetings over HTTP: the secretary's whole flow, from a draft to a closed, read-only meeting
whose open decision is still due afterwards."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from pokja.audit import events
from pokja.extensions import db
from pokja.models import Event, Meeting
from pokja.time import clock
from tests.factories import assert_problem, new_case

JAKARTA = ZoneInfo("Asia/Jakarta")
# Wednesday 13 March 2024, during the meeting.
DURING = datetime(2024, 3, 13, 10, 0, tzinfo=JAKARTA)
MEETING = {
    "title": "Rapat Koordinasi Pokja Netralitas",
    "starts_at": "2024-03-13T09:00:00+07:00",
    "ends_at": "2024-03-13T12:00:00+07:00",
    "place": "Media center Bawaslu Kabupaten Bengkulu Selatan",
}
ATTENDEES = {"BAWASLU": [{"name": "Ketua Bawaslu", "position": "Ketua"}]}


@pytest.fixture
def frozen(monkeypatch):
    def freeze(moment: datetime) -> None:
        # The one now is in UTC, as the events' hashes record it.
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(UTC))

    freeze(DURING)
    return freeze


@pytest.fixture
def sec(world, headers_for):
    return headers_for(world.secretary)


def create(client, headers, **overrides):
    response = client.post("/api/v1/meetings", json={**MEETING, **overrides}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def step(client, headers, meeting_id, name, body=None, status=200):
    response = client.post(f"/api/v1/meetings/{meeting_id}/{name}", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def attend_all(client, headers, world, meeting_id):
    entries = [
        {"agency_id": str(a.id), "attendance": "present", "attendees": ATTENDEES.get(kind, [])}
        for kind, a in world.agencies.items()
    ]
    response = client.put(
        f"/api/v1/meetings/{meeting_id}/attendance", json={"attendance": entries}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def decide(client, headers, meeting_id, body, status=201):
    response = client.post(f"/api/v1/meetings/{meeting_id}/decisions", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def in_progress(client, headers, world):
    meeting = create(client, headers)
    step(client, headers, meeting["id"], "schedule")
    step(client, headers, meeting["id"], "start")
    return meeting


def deadline_kinds(client, headers):
    response = client.get("/api/v1/deadlines?within_days=30", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [(i["kind"], i["item_id"]) for i in response.get_json()["items"]]


def carried_over(client, headers, meeting_id):
    """The decisions the meeting's agenda carries over (section 4)."""
    agenda = client.get(f"/api/v1/meetings/{meeting_id}/agenda", headers=headers).get_json()
    section = next(s for s in agenda["sections"] if s["key"] == "open_decisions")
    return {item["id"] for item in section["items"]}


def test_the_secretarys_whole_flow(world, client, headers_for, sec, frozen):
    case = new_case(world)
    meeting = create(client, sec)
    assert meeting["status"] == "draft"
    assert meeting["starts_at"] == "2024-03-13T09:00:00+07:00"
    assert {i["agency"]["kind"] for i in meeting["invitations"]} == set(world.agencies)
    mid = meeting["id"]

    item = client.post(
        f"/api/v1/meetings/{mid}/agenda-items",
        json={"title": "Kasus ASN", "case_id": str(case.id), "planned_minutes": 20},
        headers=sec,
    )
    assert item.status_code == 201, item.get_json()
    item = item.get_json()
    assert item["position"] == 1
    assert item["register_number"] == case.register_number

    scheduled = step(client, sec, mid, "schedule")
    assert scheduled["status"] == "scheduled"
    assert scheduled["agenda_frozen_at"] is not None
    stored = db.session.get(Meeting, uuid.UUID(mid))
    assert stored.agenda_snapshot["manual_cases"][0]["case_id"] == str(case.id)

    assert step(client, sec, mid, "start")["status"] == "in_progress"
    attended = attend_all(client, sec, world, mid)
    assert {i["attendance"] for i in attended["invitations"]} == {"present"}
    bawaslu = next(i for i in attended["invitations"] if i["agency"]["kind"] == "BAWASLU")
    assert bawaslu["attendees"] == [{"name": "Ketua Bawaslu", "position": "Ketua"}]

    minutes = client.put(
        f"/api/v1/meetings/{mid}/minutes", json={"minutes": "# Notulen"}, headers=sec
    )
    assert minutes.status_code == 200
    assert minutes.get_json()["minutes"] == "# Notulen"
    item_minutes = client.put(
        f"/api/v1/meetings/{mid}/agenda-items/{item['id']}/minutes",
        json={"minutes": "Dibahas."},
        headers=sec,
    )
    assert item_minutes.status_code == 200
    assert item_minutes.get_json()["minutes"] == "Dibahas."

    bkd = world.agencies["BKDPSDM"]
    open_one = decide(
        client,
        sec,
        mid,
        {
            "text": "BKDPSDM melaporkan sanksi.",
            "owner_agency_id": str(bkd.id),
            "due_in_working_days": 5,
            "case_id": str(case.id),
        },
    )
    # Wednesday 13 March + 5 working days.
    assert open_one["due_on"] == "2024-03-20"
    assert open_one["due_unit"] == "working"
    assert open_one["status"] == "open"
    other = decide(
        client,
        sec,
        mid,
        {
            "text": "TNI hadir rapat berikut.",
            "owner_agency_id": str(world.agencies["TNI"].id),
            "due_on": "2024-03-27",
        },
    )
    assert other["due_unit"] == "calendar"

    closed = step(client, sec, mid, "close")
    assert closed["status"] == "closed"
    last = db.session.scalars(
        sa.select(Event).where(Event.pokja_id == world.pokja.id).order_by(Event.seq.desc())
    ).first()
    assert closed["chain_head"] == {"seq": last.seq, "hash": last.hash}
    assert last.type == "meeting.closed"

    # Every write is refused once closed.
    etag = client.get(f"/api/v1/meetings/{mid}", headers=sec).headers["ETag"]
    writes = [
        client.patch(
            f"/api/v1/meetings/{mid}", json={"title": "X"}, headers={**sec, "If-Match": etag}
        ),
        client.post(f"/api/v1/meetings/{mid}/schedule", headers=sec),
        client.post(f"/api/v1/meetings/{mid}/start", headers=sec),
        client.post(f"/api/v1/meetings/{mid}/close", headers=sec),
        client.post(f"/api/v1/meetings/{mid}/cancel", json={"reason": "x"}, headers=sec),
        client.put(f"/api/v1/meetings/{mid}/minutes", json={"minutes": "x"}, headers=sec),
        client.put(
            f"/api/v1/meetings/{mid}/attendance/{bkd.id}",
            json={"attendance": "absent"},
            headers=sec,
        ),
        client.post(f"/api/v1/meetings/{mid}/agenda-items", json={"title": "x"}, headers=sec),
        client.put(
            f"/api/v1/meetings/{mid}/agenda-items/{item['id']}/minutes",
            json={"minutes": "x"},
            headers=sec,
        ),
        client.delete(f"/api/v1/meetings/{mid}/agenda-items/{item['id']}", headers=sec),
        client.post(
            f"/api/v1/meetings/{mid}/decisions",
            json={"text": "x", "owner_agency_id": str(bkd.id), "due_on": "2024-03-30"},
            headers=sec,
        ),
    ]
    for response in writes:
        assert_problem(response, 409, "meeting_closed")

    # Every change is an event of the Pokja's chain, and the chain holds.
    recorded = db.session.scalars(
        sa.select(Event.type).where(Event.pokja_id == world.pokja.id).order_by(Event.seq)
    ).all()
    assert [t for t in recorded if t.startswith(("meeting.", "decision.", "case.discussed"))] == [
        "meeting.created",
        "meeting.agenda_item_added",
        "meeting.scheduled",
        "meeting.started",
        "meeting.attendance_recorded",
        "meeting.minutes_written",
        "meeting.minutes_written",
        "decision.taken",
        "decision.taken",
        "case.discussed_at_meeting",
        "meeting.closed",
    ]
    assert events.verify_chain(db.session, world.pokja.id) is None

    # The case's history: the decision and "discussed at" the meeting.
    history = client.get(f"/api/v1/cases/{case.id}/history?limit=200", headers=sec).get_json()
    types = [e["type"] for e in history["items"]]
    assert "decision.taken" in types
    assert "case.discussed_at_meeting" in types

    # Open decisions are the owner agency's deadlines, and the next meeting carries them over.
    liaison = headers_for(world.liaisons["BKDPSDM"])
    assert ("decision", open_one["id"]) in deadline_kinds(client, liaison)
    assert ("decision", other["id"]) not in deadline_kinds(client, liaison)
    listed = client.get("/api/v1/decisions?status=open", headers=sec).get_json()["items"]
    assert {d["id"] for d in listed} == {open_one["id"], other["id"]}
    upcoming = create(
        client, sec, starts_at="2024-03-20T09:00:00+07:00", ends_at="2024-03-20T11:00:00+07:00"
    )
    step(client, sec, upcoming["id"], "schedule")
    assert carried_over(client, sec, upcoming["id"]) == {open_one["id"], other["id"]}

    # Marking it done (by the owner agency's liaison) takes it off the deadlines.
    etag = client.get(f"/api/v1/decisions/{open_one['id']}", headers=liaison).headers["ETag"]
    done = client.patch(
        f"/api/v1/decisions/{open_one['id']}",
        json={"status": "done", "done_note": "Sudah."},
        headers={**liaison, "If-Match": etag},
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "done"
    assert ("decision", open_one["id"]) not in deadline_kinds(client, liaison)
    listed = client.get("/api/v1/decisions?status=open", headers=sec).get_json()["items"]
    assert [d["id"] for d in listed] == [other["id"]]
    # ... and off the next meeting's agenda once it is refreshed.
    refreshed = client.post(f"/api/v1/meetings/{upcoming['id']}/agenda/refresh", headers=sec)
    assert refreshed.status_code == 200, refreshed.get_json()
    assert carried_over(client, sec, upcoming["id"]) == {other["id"]}
