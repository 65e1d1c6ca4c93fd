"""Meetings' rules: bad input writes nothing, reschedules and cancellations are told to the
invited agencies, a closed meeting's chain head anchors `pokja audit-verify --anchor`."""

from __future__ import annotations

import uuid
from datetime import UTC

import pytest
import sqlalchemy as sa

from pokja.extensions import db
from pokja.models import (
    AgendaItem,
    Decision,
    Event,
    Meeting,
    MeetingInvitation,
    OutboxMessage,
)
from pokja.time import clock
from tests.factories import assert_problem, new_case, outbox, subscribe
from tests.test_meetings_api import DURING, MEETING, attend_all, create, in_progress, step


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: DURING.astimezone(UTC))


@pytest.fixture
def sec(world, headers_for):
    return headers_for(world.secretary)


def counts() -> tuple[int, ...]:
    models = (Meeting, MeetingInvitation, AgendaItem, Decision, Event, OutboxMessage)
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) or 0 for m in models)


def test_a_meeting_that_ends_before_it_starts_is_refused(world, client, sec, frozen):
    before = counts()
    body = {**MEETING, "ends_at": "2024-03-13T08:00:00+07:00"}
    problem = assert_problem(client.post("/api/v1/meetings", json=body, headers=sec), 422)
    assert "ends_at" in problem["errors"]
    assert counts() == before


def test_an_agency_of_another_pokja_cannot_be_invited(world, client, sec, frozen):
    before = counts()
    body = {**MEETING, "invited_agency_ids": [str(world.other_agency.id)]}
    response = client.post("/api/v1/meetings", json=body, headers=sec)
    problem = assert_problem(response, 422, "unknown_agency")
    assert "invited_agency_ids" in problem["errors"]
    assert counts() == before


def test_a_meeting_needs_a_place_or_a_link(world, client, sec, frozen):
    before = counts()
    body = {k: v for k, v in MEETING.items() if k != "place"}
    assert_problem(client.post("/api/v1/meetings", json=body, headers=sec), 422, "place_required")
    assert counts() == before


def test_a_decision_owned_by_another_pokjas_agency_is_refused(world, client, sec, frozen):
    meeting = in_progress(client, sec, world)
    before = counts()
    body = {"text": "x", "owner_agency_id": str(world.other_agency.id), "due_on": "2024-03-20"}
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", json=body, headers=sec)
    problem = assert_problem(response, 422, "unknown_agency")
    assert "owner_agency_id" in problem["errors"]
    assert counts() == before


def test_attendance_of_an_agency_not_invited_is_refused(world, client, sec, frozen):
    invited = [str(world.agencies["BAWASLU"].id)]
    meeting = create(client, sec, invited_agency_ids=invited)
    step(client, sec, meeting["id"], "schedule")
    step(client, sec, meeting["id"], "start")
    before = counts()
    body = {
        "attendance": [
            {"agency_id": invited[0], "attendance": "present"},
            {"agency_id": str(world.agencies["TNI"].id), "attendance": "present"},
        ]
    }
    response = client.put(f"/api/v1/meetings/{meeting['id']}/attendance", json=body, headers=sec)
    assert "agency_id" in assert_problem(response, 422, "not_invited")["errors"]
    assert counts() == before
    invitation = db.session.scalars(sa.select(MeetingInvitation)).one()
    assert invitation.attendance is None  # the invited one was not written either


def test_decisions_only_while_in_progress(world, client, sec, frozen):
    meeting = create(client, sec)
    before = counts()
    body = {"text": "x", "owner_agency_id": str(world.agencies["TNI"].id), "due_on": "2024-03-20"}
    response = client.post(f"/api/v1/meetings/{meeting['id']}/decisions", json=body, headers=sec)
    assert_problem(response, 409, "meeting_status")
    assert counts() == before


def test_closing_needs_every_invited_agencys_attendance(world, client, sec, frozen):
    meeting = in_progress(client, sec, world)
    tni = world.agencies["TNI"].id
    client.put(
        f"/api/v1/meetings/{meeting['id']}/attendance/{tni}",
        json={"attendance": "excused"},
        headers=sec,
    )
    response = client.post(f"/api/v1/meetings/{meeting['id']}/close", headers=sec)
    problem = assert_problem(response, 409, "attendance_missing")
    assert str(tni) not in problem["missing_agency_ids"]
    assert len(problem["missing_agency_ids"]) == 5
    assert db.session.get(Meeting, uuid.UUID(meeting["id"])).status == "in_progress"


def test_a_reschedule_is_recorded_counted_and_told(world, client, sec, frozen):
    subscribe(world, "TNI", "meeting.scheduled", "meeting.rescheduled", "meeting.cancelled")
    meeting = create(client, sec)
    scheduled = step(client, sec, meeting["id"], "schedule")
    assert [m.payload["meeting_id"] for m in outbox("meeting.scheduled")] == [meeting["id"]]
    url = f"/api/v1/meetings/{meeting['id']}"
    # The title alone is no reschedule.
    retitled = client.patch(
        url, json={"title": "Rakor I"}, headers={**sec, "If-Match": f'"{scheduled["version"]}"'}
    )
    assert retitled.status_code == 200
    assert retitled.get_json()["sequence"] == 0
    moved = client.patch(
        url,
        json={"starts_at": "2024-03-14T09:00:00+07:00", "ends_at": "2024-03-14T12:00:00+07:00"},
        headers={**sec, "If-Match": retitled.headers["ETag"]},
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["sequence"] == 1
    assert moved.get_json()["starts_at"] == "2024-03-14T09:00:00+07:00"
    [told] = outbox("meeting.rescheduled")
    assert told.agency_id == world.agencies["TNI"].id
    assert told.payload["sequence"] == 1
    event = db.session.scalars(sa.select(Event).where(Event.type == "meeting.rescheduled")).one()
    assert event.data["before"]["starts_at"].startswith("2024-03-13T02:00")
    stale = client.patch(
        url, json={"title": "x"}, headers={**sec, "If-Match": retitled.headers["ETag"]}
    )
    assert_problem(stale, 412)

    cancelled = step(client, sec, meeting["id"], "cancel", {"reason": "Banjir"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Banjir")
    assert cancelled["sequence"] == 2
    assert len(outbox("meeting.cancelled")) == 1
    assert_problem(client.post(f"{url}/start", headers=sec), 409, "meeting_cancelled")


def test_only_a_coordinator_reopens_with_a_justification(world, client, headers_for, sec, frozen):
    meeting = in_progress(client, sec, world)
    attend_all(client, sec, world, meeting["id"])
    closed = step(client, sec, meeting["id"], "close")
    url = f"/api/v1/meetings/{meeting['id']}/reopen"
    assert_problem(client.post(url, json={"justification": "x"}, headers=sec), 403)
    coord = headers_for(world.coordinator)
    assert_problem(client.post(url, json={"justification": "  "}, headers=coord), 422)
    reopened = client.post(url, json={"justification": "Notulen salah"}, headers=coord)
    assert reopened.status_code == 200
    assert (reopened.get_json()["status"], reopened.get_json()["chain_head"]) == (
        "in_progress",
        None,
    )
    event = db.session.scalars(sa.select(Event).where(Event.type == "meeting.reopened")).one()
    assert event.data["justification"] == "Notulen salah"
    assert event.data["previous_anchor"] == closed["chain_head"]


def test_another_pokjas_meeting_is_not_found(world, client, headers_for, sec, frozen):
    meeting = create(client, sec)
    other = headers_for(world.other_coordinator)
    assert_problem(client.get(f"/api/v1/meetings/{meeting['id']}", headers=other), 404)
    assert client.get("/api/v1/meetings", headers=other).get_json()["items"] == []


def test_the_list_filters_by_status_and_time(world, client, sec, frozen):
    first = create(client, sec)
    later = create(
        client, sec, starts_at="2024-04-10T09:00:00+07:00", ends_at="2024-04-10T10:00:00+07:00"
    )
    step(client, sec, later["id"], "schedule")

    def ids(query):
        response = client.get(f"/api/v1/meetings{query}", headers=sec)
        return [m["id"] for m in response.get_json()["items"]]

    assert ids("") == [later["id"], first["id"]]
    assert ids("?status=scheduled") == [later["id"]]
    assert ids("?from=2024-04-01T00:00:00%2B07:00") == [later["id"]]
    assert ids("?to=2024-04-01T00:00:00%2B07:00") == [first["id"]]


def test_the_anchor_of_closed_minutes_is_verified(app, world, client, sec, frozen):
    meeting = in_progress(client, sec, world)
    attend_all(client, sec, world, meeting["id"])
    head = step(client, sec, meeting["id"], "close")["chain_head"]
    # Later events do not move the anchor off the chain.
    create(client, sec)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit-verify", "--anchor", f"{head['seq']}:{head['hash']}"])
    assert ok.exit_code == 0, ok.output
    assert "is on Pokja" in ok.output
    wrong = runner.invoke(args=["audit-verify", "--anchor", f"{head['seq'] - 1}:{head['hash']}"])
    assert wrong.exit_code == 1
    assert "NOT on the chain" in wrong.output
    malformed = runner.invoke(args=["audit-verify", "--anchor", "12:abc"])
    assert malformed.exit_code == 2
    # Rewriting an event before the anchor breaks the chain the anchor is on.
    first = db.session.scalars(
        sa.select(Event).where(Event.pokja_id == world.pokja.id).order_by(Event.seq)
    ).first()
    db.session.execute(sa.update(Event).where(Event.id == first.id).values(type="x"))
    broken = runner.invoke(args=["audit-verify", "--anchor", f"{head['seq']}:{head['hash']}"])
    assert broken.exit_code == 1
    assert "BROKEN" in broken.output


def test_manual_items_are_ordered_and_fixed_once_the_meeting_starts(world, client, sec, frozen):
    meeting = create(client, sec)
    url = f"/api/v1/meetings/{meeting['id']}/agenda-items"
    first = client.post(url, json={"title": "Pembukaan"}, headers=sec).get_json()
    second = client.post(url, json={"title": "Laporan", "notes": "Bawaslu"}, headers=sec).get_json()
    assert (first["position"], second["position"]) == (1, 2)
    moved = client.patch(
        f"{url}/{second['id']}",
        json={"position": 1, "planned_minutes": 15},
        headers={**sec, "If-Match": f'"{second["version"]}"'},
    )
    assert moved.status_code == 200, moved.get_json()
    client.patch(f"{url}/{first['id']}", json={"position": 2}, headers={**sec, "If-Match": '"1"'})
    titles = [i["title"] for i in client.get(url, headers=sec).get_json()["items"]]
    assert titles == ["Laporan", "Pembukaan"]
    stale = client.patch(
        f"{url}/{second['id']}", json={"title": "x"}, headers={**sec, "If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    assert client.delete(f"{url}/{first['id']}", headers=sec).status_code == 204
    step(client, sec, meeting["id"], "schedule")
    step(client, sec, meeting["id"], "start")
    before = counts()
    assert_problem(client.post(url, json={"title": "Lain"}, headers=sec), 409, "meeting_status")
    assert_problem(client.delete(f"{url}/{second['id']}", headers=sec), 409, "meeting_status")
    assert counts() == before
    # Its minutes, on the other hand, are written now.
    written = client.put(f"{url}/{second['id']}/minutes", json={"minutes": "Dibahas."}, headers=sec)
    assert written.get_json()["minutes"] == "Dibahas."


def test_an_item_on_another_pokjas_case_is_refused(world, client, sec, frozen):
    meeting = create(client, sec)
    foreign = new_case(world, actor=world.other_liaison)
    before = counts()
    response = client.post(
        f"/api/v1/meetings/{meeting['id']}/agenda-items",
        json={"title": "x", "case_id": str(foreign.id)},
        headers=sec,
    )
    assert "case_id" in assert_problem(response, 422, "unknown_case")["errors"]
    assert counts() == before


def test_a_retried_creation_creates_one_meeting(world, client, sec, frozen):
    headers = {**sec, "Idempotency-Key": str(uuid.uuid4())}
    first = client.post("/api/v1/meetings", json=MEETING, headers=headers)
    again = client.post("/api/v1/meetings", json=MEETING, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 1


def test_a_viewer_reads_the_meeting_but_not_its_minutes(world, client, headers_for, sec, frozen):
    meeting = in_progress(client, sec, world)
    client.put(
        f"/api/v1/meetings/{meeting['id']}/minutes", json={"minutes": "Rahasia"}, headers=sec
    )
    seen = client.get(f"/api/v1/meetings/{meeting['id']}", headers=headers_for(world.viewer))
    assert seen.status_code == 200
    assert (seen.get_json()["status"], seen.get_json()["minutes"]) == ("in_progress", None)
    tni = client.get(
        f"/api/v1/meetings/{meeting['id']}", headers=headers_for(world.liaisons["TNI"])
    )
    assert tni.get_json()["minutes"] == "Rahasia"
